package e2e

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/consultahq/consulta/generator/render"
	"github.com/consultahq/consulta/intake"
)

// TestThemeFormPage checks the contract between the theme and the intake
// service: the theme's form page renders the service's FormPage, so that
// a patient without JavaScript sees the site's own form again after
// mistakes, values kept and errors beside fields.
func TestThemeFormPage(t *testing.T) {
	site := os.DirFS(repoRoot(t))
	theme, err := render.Load(site, "default")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := theme.FormTemplate(site)
	if err != nil || tmpl == nil {
		t.Fatalf("the default theme has no form page: %v", err)
	}
	page := intake.FormPage{
		Practice: "Harbour Aesthetic Surgery", Lang: "en", Action: "/v1/consultations",
		Values:  intake.FormValues{FirstName: "Ada", Email: "ada@", Procedure: "facelift", IdempotencyKey: "key-1"},
		Errors:  map[string]string{"email": "Please enter an email address like name@example.com."},
		Summary: []intake.FieldError{{Field: "email", Message: "Please enter an email address like name@example.com."}},
		Groups: []intake.ProcedureGroup{{Title: "Face", Procedures: []intake.Procedure{
			{Slug: "rhinoplasty", Title: "Rhinoplasty", Category: "face"}, {Slug: "facelift", Title: "Facelift", Category: "face"},
		}}},
		PrivacyWording: "I agree.", SMSWording: "Text me.", WordingVersion: "2026-01",
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, page); err != nil {
		t.Fatalf("the theme's form page cannot render the intake service's FormPage: %v", err)
	}
	for _, want := range []string{
		`<a href="#email">Please enter an email address like name@example.com.</a>`,
		`<p class="field-error" id="email-error">Please enter an email address like name@example.com.</p>`,
		`value="ada@" autocomplete="email"`,
		`value="Ada"`,
		`<option value="facelift" selected>Facelift</option>`,
		`I agree. <span class="req">(required)</span>`,
		`name="idempotency_key" value="key-1"`,
		`name="wording_version" value="2026-01"`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("the form page lacks %s", want)
		}
	}
}
