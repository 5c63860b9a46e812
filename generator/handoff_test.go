package generator

import (
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/content"
)

// TestHandoffForm: the intake shows the form again with the theme's form
// page when the theme has one that renders a form.Page, else with its own.
func TestHandoffForm(t *testing.T) {
	for name, tt := range map[string]struct {
		src  string // the site's own themes/default/partials/consultation-form.html; "" for none
		used bool
	}{
		"the built-in theme's form page": {"", true},
		"a form page of the site's own":  {`{{define "consultation-form-page"}}<form>{{.Values.Email}}</form>{{end}}`, true},
		"no form page":                   {`{{define "consultation-form"}}<form></form>{{end}}`, false},
		"needs the site's data":          {`{{define "consultation-form-page"}}{{.Site.Config.Name}}{{end}}`, false},
	} {
		t.Run(name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.src != "" {
				fsys["themes/default/partials/consultation-form.html"] = &fstest.MapFile{Data: []byte(tt.src)}
			}
			h := MakeHandoff(fsys, &content.Site{Config: content.Config{Theme: "default"}})
			if (h.Form != nil) != tt.used || (h.FormErr == nil) != tt.used {
				t.Errorf("template used: %v (%v), want %v", h.Form != nil, h.FormErr, tt.used)
			}
		})
	}
}

// TestHandoffEmailLogo: the emails show site.yaml's logo from the address
// the build publishes it at, at the size the build draws it; without a
// logo, or with one that cannot be drawn, they show none.
func TestHandoffEmailLogo(t *testing.T) {
	mark := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 48"><rect width="96" height="48" fill="#6e4a32"/></svg>`
	for _, tc := range []struct {
		name, logo, src string
		want            EmailLogo
	}{
		{"svg", "brand/logo.svg", mark, EmailLogo{URL: "https://www.example.org/brand/logo-email.png", Width: 80, Height: 40}},
		{"none", "", "", EmailLogo{}},
		{"cannot be drawn", "brand/logo.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><path d="M1 1 Z`, EmailLogo{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{"content/brand/logo.svg": {Data: []byte(tc.src)}}
			cfg := content.Config{Theme: "default", BaseURL: "https://www.example.org/", Logo: tc.logo}
			if got := MakeHandoff(fsys, &content.Site{Config: cfg}).EmailLogo; got != tc.want {
				t.Errorf("logo %+v, want %+v", got, tc.want)
			}
		})
	}
}
