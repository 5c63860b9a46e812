package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/generator"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/hours"
)

// intakeTestSite is the generator's test site with yaml added to its
// site.yaml, in a folder of its own.
func intakeTestSite(t *testing.T, yaml string) string {
	t.Helper()
	site := testSite(t)
	yml := filepath.Join(site, "content", "site.yaml")
	src, err := os.ReadFile(yml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(yml, append(src, yaml...), 0o644); err != nil {
		t.Fatal(err)
	}
	return site
}

// loadSite loads the site in dir as openIntake does.
func loadSite(t *testing.T, dir string) (*content.Site, generator.Handoff) {
	t.Helper()
	fsys := os.DirFS(dir)
	site, probs := content.Load(context.Background(), fsys)
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	return site, generator.MakeHandoff(fsys, site)
}

const intakeYAML = `palette: {ink: "#1f2528", accent: "#6e4a32"}
intake:
  region: IE
  allowed_origins: ["https://book.harbour.example"]
  attempts: [1h, day 2]
  staff:
    - {name: " Sofia Lind ", email: coordinator@example.org}
`

func TestIntakeConfigFromSite(t *testing.T) {
	site, made := loadSite(t, intakeTestSite(t, intakeYAML))
	cfg, err := intakeConfig(site, made, intake.Config{AllowedOrigins: []string{"https://extra.example"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if want := []lead.Person{{Name: "Sofia Lind", Email: "coordinator@example.org"}}; !slices.Equal(cfg.Staff, want) {
		t.Errorf("staff %+v, want %+v", cfg.Staff, want)
	}
	if want := []hours.Retry{{After: time.Hour}, {Day: 2}}; !slices.Equal(cfg.Clock.Attempts, want) {
		t.Errorf("the plan of calls %v, want %v", cfg.Clock.Attempts, want)
	}
	i := slices.IndexFunc(cfg.Procedures, func(p intake.Procedure) bool { return p.Slug == "rhinoplasty" })
	if i < 0 || cfg.Procedures[i].CategoryTitle != "Face" || cfg.Procedures[i].Category != "face" {
		t.Errorf("procedures %+v", cfg.Procedures)
	}
	for _, o := range []string{"https://book.harbour.example", "https://extra.example", "https://www.example.org"} {
		if !slices.Contains(cfg.AllowedOrigins, o) {
			t.Errorf("allowed origins %v lack %s", cfg.AllowedOrigins, o)
		}
	}
	if cfg.ThankYouURL != "https://www.example.org/consultation/thank-you/" {
		t.Errorf("alone, thank-you URL %q, want the default on the site", cfg.ThankYouURL)
	}
	// What the coordinator's email shows of the practice.
	wantPage := mail.Procedure{Title: "Rhinoplasty", URL: "https://www.example.org/procedures/rhinoplasty/", Fees: "€6,000 – €9,000"}
	if pr := cfg.Practice; pr.Region != "IE" || pr.Colours.Accent != "#6e4a32" || pr.Procedures["rhinoplasty"] != wantPage {
		t.Errorf("practice: region %q, colours %+v, procedures %+v; want IE, the palette and %+v", pr.Region, pr.Colours, pr.Procedures, wantPage)
	}
	if p := cfg.Practice; p.From != "hello@example.org" || p.CoordinatorName != "Sofia Lind" || p.Coordinator != "coordinator@example.org" {
		t.Errorf("practice %+v", p)
	}
	if cfg, _ := intakeConfig(site, made, intake.Config{}, true); cfg.ThankYouURL != "/consultation/thank-you/" {
		t.Errorf("under serve, thank-you URL %q, want the path", cfg.ThankYouURL)
	}
	if cfg, _ := intakeConfig(site, made, intake.Config{Practice: mail.Practice{From: "desk@example.org"}}, true); cfg.Practice.From != "desk@example.org" {
		t.Errorf("From %q, want the environment's", cfg.Practice.From)
	}

	site, made = loadSite(t, intakeTestSite(t, "form: {thank_you: /next/}\n"))
	if cfg, _ := intakeConfig(site, made, intake.Config{}, false); cfg.ThankYouURL != "https://www.example.org/next/" {
		t.Errorf("thank-you page set: URL %q, want it on the site", cfg.ThankYouURL)
	}
	site.Config.CoordinatorEmail = ""
	if _, err := intakeConfig(site, made, intake.Config{}, false); err == nil {
		t.Error("no coordinator: want an error")
	}
}

// TestPracticeRefusedAtStart: settings that mail.Compose refuses would
// answer every lead 500, so the service must not start with them: the
// site's addresses are refused when the site is loaded, as check refuses
// them, and the rest when the service opens.
func TestPracticeRefusedAtStart(t *testing.T) {
	tests := map[string]struct{ old, new, from string }{
		"coordinator with a name": {"coordinator_email: coordinator@example.org", `coordinator_email: "Desk <coordinator@example.org>"`, ""},
		"coordinator not ASCII":   {"coordinator_email: coordinator@example.org", "coordinator_email: coordinator@exämple.org", ""},
		"route not an address":    {"", "intake: {coordinators: {face: face team}}", ""},
		"From not an address":     {"email: hello@example.org", `email: "hello at harbour"`, ""},
		"From of the environment": {"", "", "hello@exämple.org"},
		"name on two lines":       {"name: Harbour Aesthetic Surgery", `name: "Harbour\nBcc: x@evil.example"`, ""},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			site := testSite(t)
			yml := filepath.Join(site, "content", "site.yaml")
			src, _ := os.ReadFile(yml)
			spoilt := string(src) + tt.new + "\n"
			if tt.old != "" {
				spoilt = strings.Replace(string(src), tt.old, tt.new, 1)
			}
			os.WriteFile(yml, []byte(spoilt), 0o644)
			e := env{getenv: func(string) string { return "" }, stderr: &strings.Builder{}}
			cfg := intake.Config{DataDir: filepath.Join(t.TempDir(), "data"), Practice: mail.Practice{From: tt.from}}
			if svc, err := openIntake(context.Background(), e, slog.New(slog.DiscardHandler), site, cfg, false); err == nil {
				svc.Close()
				t.Error("the service started")
			}
		})
	}
	e := env{getenv: func(string) string { return "" }, stderr: &strings.Builder{}}
	svc, err := openIntake(context.Background(), e, slog.New(slog.DiscardHandler), testSite(t), intake.Config{DataDir: filepath.Join(t.TempDir(), "data")}, false)
	if err != nil {
		t.Fatalf("the test site: %v", err)
	}
	svc.Close()
}

// TestIntakeEmailLogo: the emails show site.yaml's logo from the address
// the build publishes it at, at its size; without a logo, or with one that
// cannot be drawn, they show none.
func TestIntakeEmailLogo(t *testing.T) {
	mark := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 48"><rect width="96" height="48" fill="#6e4a32"/></svg>`
	for _, tc := range []struct {
		name, yaml, src string
		want            mail.Logo
	}{
		{"svg", "logo: brand/logo.svg\n", mark, mail.Logo{URL: "https://www.example.org/brand/logo-email.png", Width: 80, Height: 40}},
		{"none", "", "", mail.Logo{}},
		{"cannot be drawn", "logo: brand/logo.svg\n", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><path d="M1 1 Z`, mail.Logo{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := intakeTestSite(t, tc.yaml)
			os.MkdirAll(filepath.Join(dir, "content", "brand"), 0o755)
			os.WriteFile(filepath.Join(dir, "content", "brand", "logo.svg"), []byte(tc.src), 0o644)
			site, made := loadSite(t, dir)
			cfg, err := intakeConfig(site, made, intake.Config{}, false)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Practice.Logo != tc.want {
				t.Errorf("logo %+v, want %+v", cfg.Practice.Logo, tc.want)
			}
		})
	}
}
