package generator

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/compliance"
	"github.com/consultahq/consulta/generator/problem"
)

// complianceSite is testdata/site with the UK's advertising rules, and a
// page that quotes a rule on an allowed line and breaks it on the next.
func complianceSite(t *testing.T, settings string) fstest.MapFS {
	t.Helper()
	site := testdataSite(t)
	yaml := site["content/site.yaml"]
	yaml.Data = append(yaml.Data, "\n"+settings+"\n"...)
	page := "---\ntitle: Our standards\n---\n" +
		"Regulators have ruled against ads that name \"Botox\". <!-- compliance: allow prescription-only-medicine -->\n" +
		"Ask us about Botox.\n"
	site["content/standards.md"] = &fstest.MapFile{Data: []byte(page)}
	return site
}

const pomWarning = `content/standards.md:5: warning: "botox" promotes a prescription-only medicine to the public (UK CAP guidance on cosmetic interventions) — describe the treatment area instead, e.g. "treatments for lines and wrinkles"`

// TestBuildCompliance checks that a build with compliance_strict: false
// reports the advertising rules' warnings, counts them, and lists the
// allowance it honoured.
func TestBuildCompliance(t *testing.T) {
	cfg := config(t, complianceSite(t, "compliance: [uk]\ncompliance_strict: false"))
	sum, err := Build(context.Background(), cfg)
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	var warnings []string
	for _, p := range sum.Warnings {
		warnings = append(warnings, p.String())
	}
	if !slices.Equal(warnings, []string{pomWarning}) {
		t.Errorf("warnings:\n%s\nwant\n%s", strings.Join(warnings, "\n"), pomWarning)
	}
	want := []compliance.Allowance{{File: "content/standards.md", Line: 4, Rule: "prescription-only-medicine", Phrase: "botox"}}
	if sum.Compliance != 1 || !slices.Equal(sum.Allowed, want) || !slices.Equal(sum.Rules, []string{"uk"}) {
		t.Errorf("Compliance %d, Allowed %v, Rules %v; want 1, %v, [uk]", sum.Compliance, sum.Allowed, sum.Rules, want)
	}
	html, err := os.ReadFile(filepath.Join(cfg.OutDir, "standards", "index.html"))
	if err != nil || !strings.Contains(string(html), "Ask us about Botox.") || strings.Contains(string(html), "compliance: allow") {
		t.Errorf("the page is not published as written, without the allowance (%v)", err)
	}
}

// TestBuildComplianceStrict checks that a broken rule is an error that
// stops the build, by default, and that allowances are still honoured.
func TestBuildComplianceStrict(t *testing.T) {
	cfg := config(t, complianceSite(t, "compliance: [uk]"))
	_, err := Build(context.Background(), cfg)
	probs := Problems(err)
	want := strings.Replace(pomWarning, "warning: ", "", 1)
	if len(probs) != 1 || probs[0].String() != want || probs[0].Severity != problem.Error {
		t.Errorf("Build: %v\nwant the error\n%s", err, want)
	}
	if _, err := os.Stat(cfg.OutDir); !os.IsNotExist(err) {
		t.Errorf("a failed build wrote public/ (%v)", err)
	}
}

// TestLiveCompliance checks that serve's rebuilds after an edit report a
// phrase the edit added, and forget it once it is gone.
func TestLiveCompliance(t *testing.T) {
	ctx := context.Background()
	site := complianceSite(t, "compliance: [uk]\ncompliance_strict: false")
	live := NewLive(config(t, site))
	up, err := live.Build(ctx)
	if err != nil || !up.OK() || !hasProblem(up.Problems, pomWarning) {
		t.Fatalf("Build = %+v, %v", up, err)
	}
	md := "content/procedures/facelift.md"
	src := string(site[md].Data)
	edited := strings.Replace(src, "title: Facelift", "title: \"Facelift, risk-free\"", 1)
	if edited == src {
		t.Fatal("facelift.md has no title: Facelift")
	}
	change := func(text string) Update {
		t.Helper()
		site[md] = &fstest.MapFile{Data: []byte(text)}
		up, err := live.Change(ctx, []string{md})
		if err != nil {
			t.Fatal(err)
		}
		return up
	}
	trivial := `content/procedures/facelift.md:2: warning: title: "risk-free" trivialises a medical procedure and its risks (UK CAP Code rule 1.3 and CAP guidance on cosmetic interventions) — say plainly what the procedure involves, its recovery and its risks`
	if up := change(edited); up.Full || !hasProblem(up.Problems, trivial) || !hasProblem(up.Problems, pomWarning) {
		t.Errorf("after the edit: %+v", up)
	}
	if up := change(src); hasProblem(up.Problems, trivial) || !hasProblem(up.Problems, pomWarning) {
		t.Errorf("after the edit was undone: %+v", up)
	}
}

func hasProblem(ps []problem.Problem, text string) bool {
	return slices.ContainsFunc(ps, func(p problem.Problem) bool { return p.String() == text })
}
