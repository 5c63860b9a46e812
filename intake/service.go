package intake

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
)

// Service is the whole intake service, open: its HTTP handler, its store
// and the transport its delivery worker sends through. `consulta intake`
// serves it alone; `consulta serve` mounts it beside the site. Both run it
// the same way: Open, serve Handler or Mount, Run until the end, and
// Run's return closes the store.
type Service struct {
	srv       *server
	store     *outbox.Store
	transport mail.Transport
	cfg       Config
	log       *slog.Logger
}

// Open opens the service that cfg describes: it creates cfg.DataDir if
// needed, opens the store in it, reads or makes the form secret, and picks
// the transport (SMTP when cfg.SMTPURL is set, else a folder of .eml
// files). It logs where the leads and the mail go.
func Open(ctx context.Context, logger *slog.Logger, cfg Config) (*Service, error) {
	cfg = cfg.WithDefaults()
	if cfg.DataDir == "" {
		return nil, fmt.Errorf("open intake service: no data folder")
	}
	if err := privateDir(cfg.DataDir); err != nil {
		return nil, err
	}
	secret, err := formSecret(cfg.Secret, cfg.DataDir)
	if err != nil {
		return nil, err
	}
	if n := len(cfg.PreviousSecret); n > 0 && n < minSecret {
		return nil, errors.New("the previous form secret (CONSULTA_FORM_SECRET_PREVIOUS) is too short to be a key: it has at least 32 characters")
	}
	cfg.Secret = secret
	transport, where, err := transportOf(cfg)
	if err != nil {
		return nil, err
	}
	store, db, err := OpenStore(ctx, cfg)
	if err != nil {
		return nil, err
	}
	logger.Info("intake service ready", "store", db, "mail", where, "procedures", len(cfg.Procedures))
	if smtp, ok := transport.(*mail.SMTP); ok && smtp.Insecure() {
		logger.Warn("mail goes to the mail server without TLS (tls=none&insecure=1): patients' data crosses the network in the clear",
			"mail", smtp.String())
	}
	return &Service{
		srv:       newServer(logger, cfg, store, nil),
		store:     store,
		transport: transport,
		cfg:       cfg,
		log:       logger,
	}, nil
}

// OpenStore opens the outbox that cfg names: PostgreSQL at cfg.DatabaseURL
// when set, else the SQLite file DataDir/outbox.db. It also returns where
// the store is, fit for a log (no password).
func OpenStore(ctx context.Context, cfg Config) (*outbox.Store, string, error) {
	var opts []outbox.Option
	if cfg.Lease > 0 { // else the store's own default
		opts = append(opts, outbox.WithLease(cfg.Lease))
	}
	if cfg.DatabaseURL != "" {
		where := "PostgreSQL"
		if u, err := url.Parse(cfg.DatabaseURL); err == nil && u.Host != "" {
			where = u.Redacted()
		}
		s, err := outbox.OpenPostgres(ctx, cfg.DatabaseURL, opts...)
		if err != nil {
			return nil, "", fmt.Errorf("CONSULTA_DATABASE_URL: %w", err)
		}
		return s, where, nil
	}
	if cfg.DataDir == "" {
		return nil, "", fmt.Errorf("open the store: no data folder")
	}
	db := filepath.Join(cfg.DataDir, "outbox.db")
	s, err := outbox.Open(ctx, db, opts...)
	if err != nil {
		return nil, "", err
	}
	return s, db, nil
}

// privateDir creates dir readable by its owner only, or checks that an
// existing one is: it holds patients' health data. Like Postfix and
// PostgreSQL, the service refuses to start in a folder that others may
// enter.
func privateDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data folder: %w", err)
	}
	fi, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("data folder: %w", err)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("data folder %s: other users may open it (mode %04o), and it holds patients' health data: "+
			"run chmod 700 %s (with systemd, set StateDirectoryMode=0700)", dir, perm, dir)
	}
	return nil
}

// transportOf returns the SMTP transport of cfg.SMTPURL, else a folder of
// .eml files under the data folder, and says where mail goes.
func transportOf(cfg Config) (mail.Transport, string, error) {
	if cfg.SMTPURL == "" {
		dir := filepath.Join(cfg.DataDir, "mail")
		return mail.Dir{Path: dir}, dir + " (.eml files; set CONSULTA_SMTP_URL to send)", nil
	}
	t, err := mail.NewSMTP(cfg.SMTPURL, mail.SMTPOptions{Helo: cfg.Helo})
	if err != nil {
		return nil, "", fmt.Errorf("CONSULTA_SMTP_URL: %w", err)
	}
	return t, t.String(), nil
}

// Handler returns the service's handler: the routes of routes.go, every
// other path answered 404.
func (s *Service) Handler() http.Handler { return s.srv }

// Metrics returns the handler of the service's metrics (Metrics.Handler),
// for an address apart from the public one.
func (s *Service) Metrics() http.Handler { return s.srv.metrics.Handler() }

// Mount returns a handler that serves the service's routes and hands every
// other request to next: the one handler of an address shared with a site.
func (s *Service) Mount(next http.Handler) http.Handler { return s.srv.mount(next) }

// Run delivers mail, runs the leads' response clock (package remind) and
// purges old personal data until ctx ends; then it
// lets the send in progress finish, closes the store and returns nil.
// Stop serving requests before cancelling ctx.
func (s *Service) Run(ctx context.Context) error {
	defer s.store.Close()
	opt := s.cfg.Delivery
	if opt.Logger == nil {
		opt.Logger = s.log
	}
	m := s.srv.metrics
	opt.Hooks = delivery.Hooks{Delivered: m.Delivered, Retried: m.Retried, Dead: m.Dead}
	opt.Compose = s.srv.composer().Compose
	var wg sync.WaitGroup
	wg.Go(func() { delivery.Run(ctx, s.store, s.transport, opt) })
	wg.Go(func() { remind.Run(ctx, s.store, s.srv.remindConfig()) })
	var copies []func(context.Context, time.Time) (int, error)
	if dir, ok := s.transport.(mail.Dir); ok {
		copies = append(copies, dir.Purge) // the .eml files hold the leads too
	}
	outbox.PurgeLoop(ctx, s.store, s.log, s.cfg.PurgeEvery,
		outbox.Retention{Delivered: s.cfg.Retention, Spam: s.cfg.SpamRetention}, copies...)
	wg.Wait()
	return nil
}

// Close closes the store of a service that will not Run.
func (s *Service) Close() error { return s.store.Close() }
