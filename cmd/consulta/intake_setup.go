package main

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/url"
	"os"
	"path"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/maillogo"
	"github.com/consultahq/consulta/generator/render"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

// This file has one job: it translates the site in SITE_DIR into the
// intake service's settings. The settings themselves, and their defaults,
// live in intake.Config; `consulta intake` and `consulta serve` open the
// service with openIntake.

// envIntakeConfig is the intake configuration that the environment sets:
// the mail server, the From address, the EHLO name and the form secret.
func envIntakeConfig(e env) intake.Config {
	var cfg intake.Config
	cfg.SMTPURL = e.getenv("CONSULTA_SMTP_URL")
	cfg.DatabaseURL = e.getenv("CONSULTA_DATABASE_URL")
	cfg.Helo = e.getenv("CONSULTA_HELO")
	cfg.Practice.From = e.getenv("CONSULTA_FROM")
	if s := e.getenv("CONSULTA_FORM_SECRET"); s != "" {
		cfg.Secret = []byte(s)
	}
	return cfg
}

// openIntake loads the site in siteDir, completes cfg with it (siteConfig)
// and opens the intake service. sameOrigin says that the service shares
// the site's address (consulta serve).
func openIntake(ctx context.Context, e env, logger *slog.Logger, siteDir string, cfg intake.Config, sameOrigin bool) (*intake.Service, error) {
	site, probs := content.Load(ctx, os.DirFS(siteDir))
	if err := probs.Err(); err != nil {
		return nil, reportProblems(e.stderr, err)
	}
	cfg, err := siteConfig(site, os.DirFS(siteDir), cfg, sameOrigin)
	if err != nil {
		return nil, err
	}
	cfg.Form = formTemplate(logger, siteDir, site.Config.Theme)
	return intake.Open(ctx, logger, cfg)
}

// siteConfig returns cfg completed with what the site in fsys says: the
// practice and its logo, its procedures, the phone region, the language,
// the form's wording and thank-you page, and the allowed origins.
func siteConfig(site *content.Site, fsys fs.FS, cfg intake.Config, sameOrigin bool) (intake.Config, error) {
	c := site.Config
	practice, err := practiceOf(site, cfg.Practice)
	if err != nil {
		return cfg, err
	}
	practice.Region = c.Intake.Region
	practice.Colours = mail.Colours{Ink: c.Palette.Ink, Paper: c.Palette.Paper, Accent: c.Palette.Accent, Muted: c.Palette.Muted}
	practice.Procedures = procedurePages(site, practice.SiteURL)
	practice.Logo = emailLogo(fsys, c)
	cfg.Practice = practice
	cfg.Clock = c.Clock()    // its Location, time_zone, is the emails' too
	if cfg.PublicURL == "" { // action links go where the form posts
		if u, err := url.Parse(c.Form.Endpoint); err == nil && u.IsAbs() {
			cfg.PublicURL = u.Scheme + "://" + u.Host
		}
	}
	cfg.Region = c.Intake.Region
	cfg.Language = c.Language
	cfg.ThankYouURL = c.Form.ThankYou
	cfg.FormAction = c.Form.Endpoint
	cfg.PrivacyWording = c.Form.PrivacyWording
	cfg.SMSWording = c.Form.SMSWording
	cfg.WordingVersion = c.Form.WordingVersion
	cfg.AllowedOrigins = append(append([]string(nil), c.Intake.AllowedOrigins...), cfg.AllowedOrigins...)
	if base, err := url.Parse(c.BaseURL); err == nil && base.Host != "" {
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, base.Scheme+"://"+base.Host)
		if !sameOrigin { // the intake has an origin of its own: send patients back to the site
			thanks := cfg.WithDefaults().ThankYouURL
			if u, err := base.Parse(thanks); err == nil {
				cfg.ThankYouURL = u.String()
			}
		}
	}
	cfg.Procedures = nil
	for _, p := range site.Procedures {
		proc := intake.Procedure{Slug: path.Base(strings.TrimSuffix(p.URL, "/")), Title: p.Title}
		if p.Procedure != nil {
			proc.Category = p.Procedure.Category
			if p.Procedure.CategoryInfo != nil {
				proc.CategoryTitle = p.Procedure.CategoryInfo.Title
			}
		}
		cfg.Procedures = append(cfg.Procedures, proc)
	}
	return cfg, nil
}

// emailLogo is the logo the emails show: the PNG the build publishes at
// maillogo.Path, at the address of the site's base_url. It is zero (the
// emails name the practice in text) without a logo, or with one the
// build cannot draw, which the build warns about.
func emailLogo(fsys fs.FS, c content.Config) mail.Logo {
	file := render.BrandFile(c.Logo)
	if file == "" || c.BaseURL == "" || fsys == nil {
		return mail.Logo{}
	}
	src, err := fs.ReadFile(fsys, file)
	if err != nil {
		return mail.Logo{}
	}
	logo, err := maillogo.Make(file, src)
	if err != nil {
		return mail.Logo{}
	}
	return mail.Logo{URL: strings.TrimSuffix(c.BaseURL, "/") + "/" + maillogo.Path, Width: logo.Width, Height: logo.Height}
}

// procedurePages returns each procedure's page (absolute, under siteURL)
// and fee range, for the coordinator's email, by slug.
func procedurePages(site *content.Site, siteURL string) map[string]mail.Procedure {
	out := make(map[string]mail.Procedure, len(site.Procedures))
	for _, p := range site.Procedures {
		pr := mail.Procedure{URL: siteURL + p.URL}
		if p.Procedure != nil {
			pr.Fees = render.FormatFees(p.Procedure.Fees)
		}
		out[path.Base(strings.TrimSuffix(p.URL, "/"))] = pr
	}
	return out
}

// practiceOf is the practice as the emails present it: p's From address
// when set (the environment's or the flags'), the rest from the site. Its
// time zone is the site's time_zone, through intake.Config.Clock.
func practiceOf(site *content.Site, p mail.Practice) (mail.Practice, error) {
	c := site.Config
	p = mail.Practice{
		Name:        c.Name,
		From:        p.From,
		Phone:       c.Phone,
		Coordinator: c.CoordinatorEmail,
		Routes:      c.Intake.Coordinators,
		ReplyWithin: c.Intake.ReplyWithin,
		SiteURL:     strings.TrimSuffix(c.BaseURL, "/"),
		Language:    c.Language,
	}
	if p.From == "" {
		p.From = c.Email
	}
	for _, m := range site.Members {
		if m.Member != nil && strings.EqualFold(m.Member.Role, "coordinator") {
			p.CoordinatorName = m.Title
			break
		}
	}
	switch {
	case p.Coordinator == "":
		return p, errors.New("content/site.yaml: coordinator_email: the intake service needs the coordinator's address — add coordinator_email: \"coordinator@your-practice.example\"")
	case p.From == "":
		return p, errors.New("no From address: set email in content/site.yaml, or --from / CONSULTA_FROM")
	}
	return p, checkPractice(p)
}

// checkPractice refuses, at start-up, the settings that mail.Compose would
// refuse for every lead: each would be answered 500.
func checkPractice(p mail.Practice) error {
	const how = "write a bare address, like coordinator@your-practice.example"
	if !mail.AddressOK(p.Coordinator) {
		return fmt.Errorf("content/site.yaml: coordinator_email: %q is not an email address the intake can send to — %s", p.Coordinator, how)
	}
	if !mail.AddressOK(p.From) {
		return fmt.Errorf("From address %q (email in content/site.yaml, --from or CONSULTA_FROM) is not an email address the intake can send from — %s", p.From, how)
	}
	for category, to := range p.Routes {
		if to != "" && !mail.AddressOK(to) {
			return fmt.Errorf("content/site.yaml: intake.coordinators.%s: %q is not an email address the intake can send to — %s", category, to, how)
		}
	}
	if !mail.HeaderSafe(p.Name) || !mail.HeaderSafe(p.CoordinatorName) {
		return errors.New("content/site.yaml: name, or the coordinator's page title: remove the line break or control character — it goes into email headers")
	}
	return nil
}

// formTemplate returns the site theme's form page (the template
// "consultation-form-page" of its partials), or nil for the intake's
// built-in one when the theme has none or it cannot render a form.Page.
func formTemplate(logger *slog.Logger, siteDir, name string) *template.Template {
	if name == "" {
		name = "default"
	}
	fsys := os.DirFS(siteDir)
	var t *template.Template
	theme, err := render.Load(fsys, name)
	if err == nil {
		t, err = theme.FormTemplate(fsys)
	}
	if err == nil && t != nil {
		err = t.Execute(io.Discard, form.Page{
			Errors:  map[string]string{"email": "x"},
			Summary: []form.FieldError{{Field: "email", Message: "x"}},
		})
	}
	if err != nil || t == nil {
		logger.Info("the theme has no form page that renders a form.Page; the intake shows its built-in form", "theme", name, "err", err)
		return nil
	}
	return t
}
