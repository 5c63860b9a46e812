package generator

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/consultahq/consulta/generator/problem"
)

// TestProblemsPage checks the page of problems: errors first, then
// warnings, whatever their order, each counted apart, in the theme's type.
func TestProblemsPage(t *testing.T) {
	probs := []problem.Problem{
		{File: "content/a.md", Line: 3, Field: "description", Message: "too long", Severity: problem.Warning},
		{File: "content/b.md", Line: 7, Field: "surgeons[1]", Message: "not a clinician"},
		{File: "content/site.yaml", Message: "missing"},
	}
	rec := httptest.NewRecorder()
	writeProblems(rec, probs, `<link rel="stylesheet" href="/assets/site.1234.css">`)
	body := rec.Body.String()
	if rec.Code != http.StatusInternalServerError {
		t.Errorf("status %d, want 500 while there are errors", rec.Code)
	}
	for _, want := range []string{
		`<link rel="stylesheet" href="/assets/site.1234.css">`,
		"<h1>2 errors stop the site from building</h1>",
		"1 warning names something else to fix",
		`<h2 id="errors">2 errors</h2>`,
		`<h2 id="warnings">1 warning</h2>`,
		`<span class="where">content/<wbr>b.md, line 7</span> the second surgeon: not a clinician</li>`,
		`<span class="where">content/<wbr>site.yaml</span> missing</li>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the page lacks %q:\n%s", want, body)
		}
	}
	order := regexp.MustCompile(`content/<wbr>[a-z.]+(?:, line \d+)?</span>`).FindAllString(body, -1)
	if strings.Join(order, " ") != "content/<wbr>b.md, line 7</span> content/<wbr>site.yaml</span> content/<wbr>a.md, line 3</span>" {
		t.Errorf("listed in the order %v, want the errors first", order)
	}
	if strings.Contains(body, "<code>") {
		t.Errorf("problems are set in code type")
	}

	rec = httptest.NewRecorder()
	writeProblems(rec, probs[:1], "")
	if body := rec.Body.String(); rec.Code != http.StatusOK || !strings.Contains(body, "<h1>1 warning: the site builds, but it names something to fix</h1>") || strings.Contains(body, `id="errors"`) {
		t.Errorf("warnings only: %d\n%s", rec.Code, body)
	}
}
