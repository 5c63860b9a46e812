package main

import (
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/mail"
)

func intakeTestSite() *content.Site {
	face := &content.Category{Slug: "face", Title: "Face"}
	return &content.Site{
		Config: content.Config{
			Name: "Harbour", BaseURL: "https://www.harbour.example/", Email: "hello@harbour.example",
			CoordinatorEmail: "desk@harbour.example",
			Form:             content.Form{ThankYou: "/consultation/thank-you/"},
			Intake:           content.Intake{Region: "IE", AllowedOrigins: []string{"https://book.harbour.example"}},
			Palette:          content.Palette{Ink: "#1f2528", Accent: "#6e4a32"},
		},
		Procedures: []*content.Page{{Meta: content.Meta{Title: "Nose reshaping"}, URL: "/procedures/rhinoplasty/",
			Procedure: &content.Procedure{Category: "face", CategoryInfo: face, Fees: content.Fees{From: 6000, To: 9000, Currency: "EUR"}}}},
		Members: []*content.Page{{Meta: content.Meta{Title: "Sarah"}, Member: &content.Member{Role: "Coordinator"}}},
	}
}

func TestIntakeConfigFromSite(t *testing.T) {
	site := intakeTestSite()
	cfg, err := siteConfig(site, nil, intake.Config{AllowedOrigins: []string{"https://extra.example"}}, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfg.Procedures) != 1 || cfg.Procedures[0].Slug != "rhinoplasty" || cfg.Procedures[0].CategoryTitle != "Face" {
		t.Errorf("procedures %+v", cfg.Procedures)
	}
	for _, o := range []string{"https://book.harbour.example", "https://extra.example", "https://www.harbour.example"} {
		if !slices.Contains(cfg.AllowedOrigins, o) {
			t.Errorf("allowed origins %v lack %s", cfg.AllowedOrigins, o)
		}
	}
	if cfg.ThankYouURL != "https://www.harbour.example/consultation/thank-you/" {
		t.Errorf("alone, thank-you URL %q, want it on the site", cfg.ThankYouURL)
	}
	// What the coordinator's email shows of the practice.
	wantPage := mail.Procedure{URL: "https://www.harbour.example/procedures/rhinoplasty/", Fees: "€6,000 – €9,000"}
	if pr := cfg.Practice; pr.Region != "IE" || pr.Colours.Accent != "#6e4a32" || pr.Procedures["rhinoplasty"] != wantPage {
		t.Errorf("practice: region %q, colours %+v, procedures %+v; want IE, the palette and %+v", pr.Region, pr.Colours, pr.Procedures, wantPage)
	}
	if cfg, _ := siteConfig(site, nil, intake.Config{}, true); cfg.ThankYouURL != "/consultation/thank-you/" {
		t.Errorf("under serve, thank-you URL %q, want the path", cfg.ThankYouURL)
	}
	site.Config.Form.ThankYou = ""
	if cfg, _ := siteConfig(site, nil, intake.Config{}, false); cfg.ThankYouURL != "https://www.harbour.example/consultation/thank-you/" {
		t.Errorf("no thank-you page set: URL %q, want the default on the site", cfg.ThankYouURL)
	}

	p, err := practiceOf(site, mail.Practice{})
	if err != nil || p.From != "hello@harbour.example" || p.CoordinatorName != "Sarah" || p.Coordinator != "desk@harbour.example" {
		t.Errorf("practice %+v, %v", p, err)
	}
	site.Config.CoordinatorEmail = ""
	if _, err := practiceOf(site, mail.Practice{}); err == nil {
		t.Error("no coordinator: want an error")
	}
}

// TestPracticeRefusedAtStart: settings that mail.Compose refuses would
// answer every lead 500, so the service must not start with them.
func TestPracticeRefusedAtStart(t *testing.T) {
	tests := map[string]func(*content.Config){
		"coordinator with a name": func(c *content.Config) { c.CoordinatorEmail = "Desk <desk@harbour.example>" },
		"coordinator not ASCII":   func(c *content.Config) { c.CoordinatorEmail = "desk@härbour.example" },
		"route not an address":    func(c *content.Config) { c.Intake.Coordinators = map[string]string{"face": "face team"} },
		"From not an address":     func(c *content.Config) { c.Email = "hello at harbour" },
		"name on two lines":       func(c *content.Config) { c.Name = "Harbour\nBcc: x@evil.example" },
	}
	for name, spoil := range tests {
		t.Run(name, func(t *testing.T) {
			site := intakeTestSite()
			spoil(&site.Config)
			if _, err := practiceOf(site, mail.Practice{}); err == nil {
				t.Error("practiceOf accepted it")
			}
		})
	}
	if _, err := practiceOf(intakeTestSite(), mail.Practice{}); err != nil {
		t.Errorf("the test site: %v", err)
	}
}

func TestThemeFormTemplate(t *testing.T) {
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
			site := t.TempDir()
			if tt.src != "" {
				dir := filepath.Join(site, "themes", "default", "partials")
				os.MkdirAll(dir, 0o755)
				os.WriteFile(filepath.Join(dir, "consultation-form.html"), []byte(tt.src), 0o644)
			}
			got := formTemplate(slog.New(slog.DiscardHandler), site, "")
			if (got != nil) != tt.used {
				t.Errorf("template used: %v, want %v", got != nil, tt.used)
			}
		})
	}
}

// TestIntakeEmailLogo: the emails show site.yaml's logo from the address
// the build publishes it at, at its size; without a logo, or with one that
// cannot be drawn, they show none.
func TestIntakeEmailLogo(t *testing.T) {
	mark := `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 96 48"><rect width="96" height="48" fill="#6e4a32"/></svg>`
	for _, tc := range []struct {
		name, logo, src string
		want            mail.Logo
	}{
		{"svg", "brand/logo.svg", mark, mail.Logo{URL: "https://www.harbour.example/brand/logo-email.png", Width: 80, Height: 40}},
		{"none", "", "", mail.Logo{}},
		{"cannot be drawn", "brand/logo.svg", `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 48 48"><path d="M1 1 Z`, mail.Logo{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			site := intakeTestSite()
			site.Config.Logo = tc.logo
			fsys := fstest.MapFS{"content/brand/logo.svg": {Data: []byte(tc.src)}}
			cfg, err := siteConfig(site, fsys, intake.Config{}, false)
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Practice.Logo != tc.want {
				t.Errorf("logo %+v, want %+v", cfg.Practice.Logo, tc.want)
			}
		})
	}
}
