package render

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/consultahq/consulta/internal/form"
)

// TestFormTemplate renders the default theme's form page as the intake
// service does after a request with mistakes: values kept, each error
// beside its field and in the summary.
func TestFormTemplate(t *testing.T) {
	site := os.DirFS(t.TempDir()) // a site without a theme of its own
	theme, err := Load(site, "default")
	if err != nil {
		t.Fatal(err)
	}
	tmpl, err := theme.FormTemplate(site)
	if err != nil || tmpl == nil {
		t.Fatalf("FormTemplate: %v, %v", tmpl, err)
	}
	data := form.Page{
		Practice: "Sample <Practice>", Lang: "en", Action: "/v1/consultations",
		Values: form.Values{
			FirstName: `Ada "Countess"`, Email: "ada@", Procedure: "rhinoplasty", PreferredContact: "text",
			Message: "</textarea><script>alert(1)</script>", PreferredTime: "Morning (09:00–12:00)", IdempotencyKey: "k1",
		},
		Errors:  map[string]string{"email": "Please enter an email address like name@example.com.", "consent_privacy": "Please tick the box."},
		Summary: []form.FieldError{{Field: "email", Message: "Please enter an email address like name@example.com."}, {Field: "consent_privacy", Message: "Please tick the box."}},
		Groups:  []form.Group{{Title: "Face", Procedures: []form.Procedure{{Slug: "rhinoplasty", Title: "Rhinoplasty"}, {Slug: "facelift", Title: "Facelift"}}}},
	}
	var buf bytes.Buffer
	if err := tmpl.Execute(&buf, data); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	for _, want := range []string{
		`<title>Please check your request — Sample &lt;Practice&gt;</title>`,
		`/assets/site.`, `/assets/form.`,
		`<h2>2 things need correcting</h2>`,
		`<li><a href="#email">Please enter an email address like name@example.com.</a></li>`,
		`<p class="field-error" id="email-error">Please enter an email address like name@example.com.</p>
<input type="email" id="email" name="email" value="ada@"`,
		`aria-invalid="true" aria-describedby="email-error"`,
		`<p class="field-error" id="consent_privacy-error">Please tick the box.</p>`,
		`value="Ada &#34;Countess&#34;"`,
		`<option value="rhinoplasty" selected>Rhinoplasty</option>`,
		`<option value="facelift">Facelift</option>`,
		`value="text" checked`,
		`<option selected>Morning (09:00–12:00)</option>`,
		`&lt;/textarea&gt;&lt;script&gt;alert(1)&lt;/script&gt;</textarea>`,
		`<input type="hidden" name="idempotency_key" value="k1">`,
		`<p class="field-error" id="first_name-error" hidden></p>`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("the form page lacks %s", want)
		}
	}
	if strings.Contains(out, `id="first_name" name="first_name" value="Ada &#34;Countess&#34;" autocomplete="given-name" autocapitalize="words" spellcheck="false" maxlength="100" required aria-invalid`) {
		t.Errorf("a field without an error is marked invalid")
	}
	if t.Failed() {
		t.Logf("the page:\n%s", out)
	}
}
