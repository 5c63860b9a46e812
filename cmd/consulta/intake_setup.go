package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/mailaddr"
)

// This file has one job: it translates the site in SITE_DIR into the
// intake service's settings. The settings themselves, and their defaults,
// live in intake.Config; `consulta intake` and `consulta serve` open the
// service with openIntake.

// envIntakeConfig is the intake configuration that the environment sets:
// the mail server, the From address, the EHLO name and the form secret,
// with the previous one during a rotation.
func envIntakeConfig(e env) intake.Config {
	var cfg intake.Config
	cfg.SMTPURL = e.getenv("CONSULTA_SMTP_URL")
	cfg.DatabaseURL = e.getenv("CONSULTA_DATABASE_URL")
	cfg.Helo = e.getenv("CONSULTA_HELO")
	cfg.Practice.From = e.getenv("CONSULTA_FROM")
	if s := e.getenv("CONSULTA_FORM_SECRET"); s != "" {
		cfg.Secret = []byte(s)
	}
	if s := e.getenv("CONSULTA_FORM_SECRET_PREVIOUS"); s != "" {
		cfg.PreviousSecret = []byte(s)
	}
	return cfg
}

// openIntake loads the site in siteDir and opens the intake service with
// cfg completed by it (intakeConfig). sameOrigin says that the service
// shares the site's address (consulta serve).
func openIntake(ctx context.Context, e env, logger *slog.Logger, siteDir string, cfg intake.Config, sameOrigin bool) (*intake.Service, error) {
	cfg, err := siteIntakeConfig(ctx, e, logger, siteDir, cfg, sameOrigin)
	if err != nil {
		return nil, err
	}
	return intake.Open(ctx, logger, cfg)
}

// siteIntakeConfig loads the site in siteDir and returns cfg completed by
// it (intakeConfig).
func siteIntakeConfig(ctx context.Context, e env, logger *slog.Logger, siteDir string, cfg intake.Config, sameOrigin bool) (intake.Config, error) {
	fsys := os.DirFS(siteDir)
	site, probs := content.Load(ctx, fsys)
	if err := probs.Err(); err != nil {
		return cfg, reportProblems(e.stderr, err)
	}
	made := generator.MakeHandoff(fsys, site)
	if made.FormErr != nil {
		logger.Info("the theme has no form page that renders a form.Page; the intake shows its built-in form", "theme", site.Config.Theme, "err", made.FormErr)
	}
	return intakeConfig(site, made, cfg, sameOrigin)
}

// intakeConfig is the one place where a site becomes the intake service's
// settings: it returns cfg, as the environment and the flags set it,
// completed with the loaded site and what the build makes of it (made):
// the practice as the emails present it, its procedures and their pages,
// the response clock and the plan of calls, the staff, the form's wording
// and address, the thank-you page and the allowed origins. The site's settings, and their defaults, were
// checked and applied when it was loaded; what is checked here is what
// only the intake service needs.
func intakeConfig(site *content.Site, made generator.Handoff, cfg intake.Config, sameOrigin bool) (intake.Config, error) {
	c := site.Config
	p := mail.Practice{
		Name:            c.Name,
		From:            cmp.Or(cfg.Practice.From, c.Email), // the environment's or the flags' first
		Phone:           c.Phone,
		Coordinator:     c.CoordinatorEmail,
		Routes:          c.Intake.Coordinators,
		CoordinatorName: coordinatorName(site),
		ReplyWithin:     c.ReplyWithin(),
		SiteURL:         strings.TrimSuffix(c.BaseURL, "/"),
		Language:        c.Language,
		Region:          c.Intake.Region,
		Colours:         mail.Colours{Ink: c.Palette.Ink, Paper: c.Palette.Paper, Accent: c.Palette.Accent, Muted: c.Palette.Muted},
		Procedures:      make(map[string]mail.Procedure, len(site.Procedures)),
		Logo:            mail.Logo(made.EmailLogo),
		Address:         c.Address,
		Surgeons:        map[string]string{},
		Care:            careOf(site, made),
	}
	cfg.Procedures = nil
	for _, pg := range site.Procedures {
		proc := intake.Procedure{Slug: path.Base(strings.TrimSuffix(pg.URL, "/")), Title: pg.Title}
		page := mail.Procedure{Title: pg.Title, URL: p.SiteURL + pg.URL}
		if pr := pg.Procedure; pr != nil {
			proc.Category, page.Fees = pr.Category, pr.Fees.String()
			if pr.CategoryInfo != nil {
				proc.CategoryTitle = pr.CategoryInfo.Title
			}
		}
		cfg.Procedures = append(cfg.Procedures, proc)
		p.Procedures[proc.Slug] = page
	}
	cfg.Surgeons = nil
	for _, m := range site.Members {
		if m.Member != nil && m.Member.Surgeon() {
			sg := intake.Surgeon{Slug: path.Base(strings.TrimSuffix(m.URL, "/")), Name: m.Title}
			cfg.Surgeons = append(cfg.Surgeons, sg)
			p.Surgeons[sg.Slug] = sg.Name // the names a journey's emails give
		}
	}
	cfg.BestTimes = c.BestTimes()
	cfg.Consultation = site.Consultation()
	cfg.Practice = p
	cfg.Clock = c.Clock() // its Location, time_zone, is the emails' too; its Attempts, intake.attempts
	cfg.Staff = nil
	for _, m := range c.Intake.Staff {
		cfg.Staff = append(cfg.Staff, lead.Person{Name: strings.TrimSpace(m.Name), Email: m.Email})
	}
	cfg.Care = c.CareSettings()
	cfg.Care.CoolingOffDays = made.CoolingOffDays
	cfg.Form = made.Form
	if cfg.PublicURL == "" { // action links go where the form posts
		if u, err := url.Parse(c.Form.Endpoint); err == nil && u.IsAbs() {
			cfg.PublicURL = u.Scheme + "://" + u.Host
		}
	}
	cfg.Region = c.Intake.Region
	cfg.Language = c.Language
	cfg.FormAction = c.Form.Endpoint
	cfg.ThankYouURL = c.Form.ThankYou
	cfg.PrivacyWording = c.Form.PrivacyWording
	cfg.SMSWording = c.Form.SMSWording
	cfg.WordingVersion = c.Form.WordingVersion
	cfg.AllowedOrigins = append(slices.Clone(c.Intake.AllowedOrigins), cfg.AllowedOrigins...)
	if base, err := url.Parse(c.BaseURL); err == nil && base.Host != "" {
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, base.Scheme+"://"+base.Host)
		if !sameOrigin { // the intake has an origin of its own: send patients back to the site
			if u, err := base.Parse(c.Form.ThankYou); err == nil {
				cfg.ThankYouURL = u.String()
			}
		}
	}
	return cfg, checkPractice(p)
}

// coordinatorName is the title of the site's team member whose role is
// coordinator, who signs the patient's confirmation; "" when none is.
func coordinatorName(site *content.Site) string {
	for _, m := range site.Members {
		if m.Member != nil && strings.EqualFold(m.Member.Role, "coordinator") {
			return m.Title
		}
	}
	return ""
}

// checkPractice refuses, at start-up, what the intake needs and the site
// need not have, and what only the intake can check: without it every
// lead would be answered 500. The site's own addresses were checked when
// it was loaded, by the same rule (package mailaddr).
func checkPractice(p mail.Practice) error {
	switch {
	case p.Coordinator == "":
		return errors.New("content/site.yaml: coordinator_email: the intake service needs the coordinator's address — add coordinator_email: \"coordinator@your-practice.example\"")
	case p.From == "":
		return errors.New("no From address: set email in content/site.yaml, or --from / CONSULTA_FROM")
	}
	if err := mailaddr.Check(p.From); err != nil {
		return fmt.Errorf("From address %q (--from or CONSULTA_FROM) is not an address emails can be sent from: %v — write a bare address, like desk@your-practice.example", p.From, err)
	}
	if !mail.HeaderSafe(p.Name) || !mail.HeaderSafe(p.CoordinatorName) {
		return errors.New("content/site.yaml: name, or the coordinator's page title: remove the line break or control character — it goes into email headers")
	}
	return nil
}

// careOf is the site's care plans (content/care/) as the intake's emails
// and pages show them: each procedure's steps, its own and the defaults,
// and its consultation note, with their text rendered by the build.
func careOf(site *content.Site, made generator.Handoff) mail.Care {
	c := mail.Care{Plans: map[string][]mail.CareText{}, Consultations: map[string]mail.CareText{}}
	if site.Care == nil {
		return c
	}
	text := func(pg *content.Page) mail.CareText {
		s := pg.Care
		return mail.CareText{Slug: pg.CareSlug(), Send: s.Offset, Title: pg.Title, HTML: made.Care[pg.File],
			Text: strings.TrimSpace(string(pg.Body)), WhatToBring: s.WhatToBring, Acknowledge: s.Acknowledge, CheckIn: s.CheckIn}
	}
	procedures := []string{""}
	for slug := range site.Care.Procedures {
		procedures = append(procedures, slug)
	}
	for _, proc := range procedures {
		for _, pg := range site.Care.Steps(proc) {
			c.Plans[proc] = append(c.Plans[proc], text(pg))
		}
		if pg := site.Care.Consultation(proc); pg != nil {
			c.Consultations[proc] = text(pg)
		}
	}
	return c
}
