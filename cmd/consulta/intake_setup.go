package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/render"
	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/form"
	"golang.org/x/time/rate"
)

// intakeSettings are the intake service's settings besides the site's own.
type intakeSettings struct {
	siteDir, dataDir   string
	smtpURL            string // CONSULTA_SMTP_URL; "" writes .eml files
	secret             string // CONSULTA_FORM_SECRET; "" keeps one under dataDir
	from, helo         string
	timeZone           string
	minFill            time.Duration
	trustedProxyHeader string
	origins            []string
	rateEvery          time.Duration
	rateBurst          int
	maxBody            int64
	retention          time.Duration // personal data of delivered leads
	spamRetention      time.Duration
	purgeEvery         time.Duration
	sameOrigin         bool // mounted on the site's own address (consulta serve)
}

// defaultIntakeSettings returns the defaults, with what the environment sets.
func defaultIntakeSettings(e env, siteDir, dataDir string) intakeSettings {
	return intakeSettings{
		siteDir:       siteDir,
		dataDir:       dataDir,
		smtpURL:       e.getenv("CONSULTA_SMTP_URL"),
		secret:        e.getenv("CONSULTA_FORM_SECRET"),
		from:          e.getenv("CONSULTA_FROM"),
		helo:          e.getenv("CONSULTA_HELO"),
		minFill:       3 * time.Second,
		rateEvery:     10 * time.Second,
		rateBurst:     5,
		maxBody:       64 << 10,
		retention:     30 * 24 * time.Hour,
		spamRetention: 30 * 24 * time.Hour,
		purgeEvery:    time.Hour,
	}
}

// newIntake opens the intake service for `consulta serve`, which mounts the
// handler on the site's own address. run delivers mail and purges old data
// until its context ends, then closes the store.
func newIntake(ctx context.Context, e env, siteDir, dataDir string) (http.Handler, func(context.Context) error, error) {
	set := defaultIntakeSettings(e, siteDir, dataDir)
	set.sameOrigin = true
	svc, err := openIntake(ctx, e, set)
	if err != nil {
		return nil, nil, err
	}
	return svc.handler, svc.run, nil
}

// intakeService is an open intake service: its handler, store and mail.
type intakeService struct {
	handler   http.Handler
	store     outbox.Store
	transport mail.Transport
	metrics   *intake.Metrics
	log       *slog.Logger
	set       intakeSettings
}

// openIntake loads the site, opens the store under the data folder and
// builds the handler.
func openIntake(ctx context.Context, e env, set intakeSettings) (*intakeService, error) {
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	site, probs := content.Load(ctx, os.DirFS(set.siteDir))
	if err := probs.Err(); err != nil {
		return nil, reportProblems(e.stderr, err)
	}
	practice, err := practiceOf(site, set)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(set.dataDir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
	}
	secret, err := formSecret(set)
	if err != nil {
		return nil, err
	}
	transport, where, err := transportOf(set)
	if err != nil {
		return nil, err
	}
	store, err := outbox.Open(ctx, filepath.Join(set.dataDir, "outbox.db"))
	if err != nil {
		return nil, err
	}
	cfg := intakeConfig(site, set)
	cfg.Practice = practice
	cfg.Secret = secret
	cfg.Form = formTemplate(logger, set.siteDir, site.Config.Theme)
	metrics := intake.NewMetrics(store)
	logger.Info("intake service ready", "store", filepath.Join(set.dataDir, "outbox.db"), "mail", where,
		"procedures", len(cfg.Procedures))
	return &intakeService{
		handler:   intake.NewServer(logger, cfg, store, metrics),
		store:     store,
		transport: transport,
		metrics:   metrics,
		log:       logger,
		set:       set,
	}, nil
}

// intakeConfig is what the service takes from the site and the settings.
func intakeConfig(site *content.Site, set intakeSettings) intake.Config {
	c := site.Config
	cfg := intake.Config{
		Region:             c.Intake.Region,
		Language:           c.Language,
		ThankYouURL:        c.Form.ThankYou,
		FormAction:         c.Form.Endpoint,
		PrivacyWording:     c.Form.PrivacyWording,
		SMSWording:         c.Form.SMSWording,
		WordingVersion:     c.Form.WordingVersion,
		AllowedOrigins:     append(append([]string(nil), c.Intake.AllowedOrigins...), set.origins...),
		MinFill:            set.minFill,
		TrustedProxyHeader: set.trustedProxyHeader,
		RateLimit:          rate.Every(set.rateEvery),
		RateBurst:          set.rateBurst,
		MaxBody:            set.maxBody,
	}
	if cfg.ThankYouURL == "" {
		cfg.ThankYouURL = "/consultation/thank-you/"
	}
	if base, err := url.Parse(c.BaseURL); err == nil && base.Host != "" {
		cfg.AllowedOrigins = append(cfg.AllowedOrigins, base.Scheme+"://"+base.Host)
		if !set.sameOrigin { // the intake has an origin of its own: send patients back to the site
			if u, err := base.Parse(cfg.ThankYouURL); err == nil {
				cfg.ThankYouURL = u.String()
			}
		}
	}
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
	return cfg
}

// practiceOf is the practice as the emails present it.
func practiceOf(site *content.Site, set intakeSettings) (mail.Practice, error) {
	c := site.Config
	p := mail.Practice{
		Name:        c.Name,
		From:        set.from,
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
	if set.timeZone != "" {
		loc, err := time.LoadLocation(set.timeZone)
		if err != nil {
			return mail.Practice{}, fmt.Errorf("--time-zone %s: %w", set.timeZone, err)
		}
		p.TimeZone = loc
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

// formSecret returns the key that signs form tokens: CONSULTA_FORM_SECRET,
// else the one kept in DATA/form-secret, made on first use.
func formSecret(set intakeSettings) ([]byte, error) {
	if set.secret != "" {
		if len(set.secret) < 32 {
			return nil, errors.New("CONSULTA_FORM_SECRET: use at least 32 characters (e.g. openssl rand -hex 32)")
		}
		return []byte(set.secret), nil
	}
	file := filepath.Join(set.dataDir, "form-secret")
	b, err := os.ReadFile(file)
	if err == nil && len(b) >= 32 {
		return b, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read form secret: %w", err)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	b = []byte(hex.EncodeToString(raw))
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return nil, fmt.Errorf("keep form secret: %w", err)
	}
	return b, nil
}

// transportOf returns the SMTP transport of CONSULTA_SMTP_URL, else a
// folder of .eml files under the data folder, and says where mail goes.
func transportOf(set intakeSettings) (mail.Transport, string, error) {
	if set.smtpURL == "" {
		dir := filepath.Join(set.dataDir, "mail")
		return mail.Dir{Path: dir}, dir + " (.eml files; set CONSULTA_SMTP_URL to send)", nil
	}
	t, err := mail.NewSMTP(set.smtpURL, mail.SMTPOptions{Helo: set.helo})
	if err != nil {
		return nil, "", fmt.Errorf("CONSULTA_SMTP_URL: %w", err)
	}
	return t, t.String(), nil
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

// run delivers mail and purges old personal data until ctx ends; then it
// lets the send in progress finish and closes the store.
func (s *intakeService) run(ctx context.Context) error {
	defer s.store.Close()
	var wg sync.WaitGroup
	wg.Go(func() {
		delivery.Run(ctx, s.store, s.transport, delivery.Options{
			Logger: s.log,
			Hooks:  delivery.Hooks{Delivered: s.metrics.Delivered, Retried: s.metrics.Retried, Dead: s.metrics.Dead},
		})
	})
	tick := time.NewTicker(s.set.purgeEvery)
	defer tick.Stop()
	for {
		s.purge(ctx)
		select {
		case <-ctx.Done():
			wg.Wait()
			return nil
		case <-tick.C:
		}
	}
}

// purge deletes spam older than its retention and the personal data of
// leads delivered longer ago than theirs, and logs how many.
func (s *intakeService) purge(ctx context.Context) {
	now := time.Now()
	if n, err := s.store.PurgeSpam(ctx, now.Add(-s.set.spamRetention)); err != nil {
		s.log.Error("purge spam", "err", err)
	} else if n > 0 {
		s.log.Info("purged spam", "leads", n)
	}
	if n, err := s.store.PurgeDelivered(ctx, now.Add(-s.set.retention)); err != nil {
		s.log.Error("purge delivered leads", "err", err)
	} else if n > 0 {
		s.log.Info("purged personal data of delivered leads", "leads", n)
	}
}

// days is a duration flag that also takes whole days: "30d".
type days struct{ d *time.Duration }

func (v days) String() string {
	if v.d == nil {
		return ""
	}
	if *v.d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(*v.d/(24*time.Hour)), 10) + "d"
	}
	return v.d.String()
}

func (v days) Set(s string) error {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i < 0 {
			return errors.New("want a number of days like 30d, or a duration like 12h")
		}
		*v.d = time.Duration(i) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return errors.New("want a number of days like 30d, or a duration like 12h")
	}
	*v.d = d
	return nil
}

// origins is a repeatable flag.
type origins struct{ list *[]string }

func (o origins) String() string {
	if o.list == nil {
		return ""
	}
	return strings.Join(*o.list, ",")
}

func (o origins) Set(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return errors.New("want an origin like https://www.example-clinic.com")
	}
	*o.list = append(*o.list, u.Scheme+"://"+u.Host)
	return nil
}
