package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/consultahq/consulta/intake"
)

const intakeHelp = `Intake runs the intake service alone: it takes consultation requests from
the site's form (POST /v1/consultations), keeps each one in a SQLite file
under the data folder (or in PostgreSQL, for several instances), and emails
it to the practice's coordinator, with a confirmation to the patient. A
request answered 2xx is delivered, across mail server outages and restarts.

The practice, its procedures, its coordinators (coordinator_email and
intake.coordinators by procedure category), the phone region, the thank-you
page and the allowed origins come from the site's content/site.yaml.

Environment:
	CONSULTA_SMTP_URL     the mail server, e.g. smtp://user:pass@host:587
	                      (STARTTLS required), smtps://host:465 (TLS), or
	                      smtp://127.0.0.1:1025?tls=none for a server on
	                      this machine (another host also needs
	                      &insecure=1, and the log warns). Unset: emails
	                      are written as .eml files into DATA/mail, and
	                      the log says where.
	CONSULTA_FROM         the From address (default: email in site.yaml)
	CONSULTA_HELO         the name given to the mail server in EHLO
	CONSULTA_FORM_SECRET  the key (32+ characters) that signs form tokens
	                      and the emails' action links;
	                      unset, one is made and kept in DATA/form-secret
	                      (several instances: set the same one on each)
	CONSULTA_FORM_SECRET_PREVIOUS
	                      the key used before a rotation: what it signed
	                      (action links, for 30 days) is still accepted
	CONSULTA_DATABASE_URL the PostgreSQL database that keeps the leads,
	                      e.g. postgres://consulta:pass@db.internal/consulta;
	                      unset: the SQLite file DATA/outbox.db

Other commands:
	consulta intake requeue [-s SITE_DIR] [--data DIR | --database URL]
		send the dead-lettered emails again
	consulta intake spam [-s SITE_DIR] [--data DIR | --database URL]
		list the leads held as suspected spam
	consulta intake spam [-s SITE_DIR] [--data DIR | --database URL] release ID
		deliver a lead held as spam as a normal lead
	consulta intake backup [-s SITE_DIR] [--data DIR] OUT.db
		copy the store to OUT.db while the service runs
	consulta intake report [-s SITE_DIR] [--data DIR] [--since 30d] [--format text|csv|json]
		how fast leads were answered: per lead, median and p90 time
		to claim, share within the promise, by coordinator and week
	consulta intake schedule REF [-s SITE_DIR] --consultation "2026-12-10 10:00" [--surgery …] [--cancel consultation|surgery]
		book, move or cancel a lead's consultation and surgery
	consulta intake healthcheck [--addr ADDR]
		exit 0 if the service at ADDR answers GET /healthz

Endpoints: POST /v1/consultations, GET /v1/consultations/token,
GET and POST /v1/actions/{token} (the emails' action links), GET and POST
/v1/care/{token} (a patient's care step and check-in, or a change of date) and
/v1/tasks/{token} (a coordinator's task), GET /healthz,
GET /readyz. Prometheus metrics (GET /metrics) only on --metrics-addr,
which is off unless set: they name the practice's performance.`

// runIntake runs `consulta intake` and its subcommands.
func runIntake(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "requeue":
			return runIntakeRequeue(ctx, e, args[1:])
		case "spam":
			return runIntakeSpam(ctx, e, args[1:])
		case "backup":
			return runIntakeBackup(ctx, e, args[1:])
		case "healthcheck":
			return runIntakeHealthcheck(ctx, e, args[1:])
		case "report":
			return runIntakeReport(ctx, e, args[1:])
		case "schedule":
			return runIntakeSchedule(ctx, e, args[1:])
		}
	}
	fs := newFlagSet(e, "intake", "intake [-s SITE_DIR] [--addr 127.0.0.1:8081] [--data DIR] [flags]", intakeHelp)
	site := fs.String("s", ".", "the site `folder` (holding content/site.yaml)")
	data := fs.String("data", "", "the `folder` of the SQLite file and the local mail folder (default SITE_DIR/.data)")
	addr := fs.String("addr", "127.0.0.1:8081", "the `address` to listen on")
	metricsAddr := fs.String("metrics-addr", "", "the `address` on which to serve GET /metrics (Prometheus), apart from the public one, e.g. 127.0.0.1:9464; unset, no metrics are served")
	cfg := envIntakeConfig(e)
	def := cfg.WithDefaults() // the flags show intake.Config's defaults
	cfg.MinFill, cfg.RateLimit, cfg.RateBurst, cfg.MaxBody = def.MinFill, def.RateLimit, def.RateBurst, def.MaxBody
	cfg.ConfirmationsPerHour = def.ConfirmationsPerHour
	cfg.Retention, cfg.SpamRetention, cfg.PurgeEvery = def.Retention, def.SpamRetention, def.PurgeEvery
	cfg.Lease = def.Lease
	fs.Var(databaseURL{&cfg.DatabaseURL}, "database", "the PostgreSQL `URL` that keeps the leads, for several instances (or CONSULTA_DATABASE_URL; default: the SQLite file DATA/outbox.db)")
	fs.DurationVar(&cfg.Lease, "lease", cfg.Lease, "how `long` an email being sent stays with its instance before another may send it again (after a crash)")
	fs.StringVar(&cfg.Practice.From, "from", cfg.Practice.From, "the From `address` of the emails (or CONSULTA_FROM; default: email in site.yaml)")
	fs.StringVar(&cfg.Helo, "helo", cfg.Helo, "the `name` given in EHLO (or CONSULTA_HELO; default: the From address's domain)")
	fs.DurationVar(&cfg.MinFill, "min-fill", cfg.MinFill, "the least `time` a person takes to fill in the form; faster is suspected spam")
	fs.StringVar(&cfg.TrustedProxyHeader, "trusted-proxy-header", "", "the `header` in which a reverse proxy in front gives the client's address, e.g. X-Forwarded-For; no header is trusted otherwise")
	fs.Var(origins{&cfg.AllowedOrigins}, "allowed-origin", "an `origin` that may post the form, e.g. https://www.example-clinic.com (repeatable; adds to intake.allowed_origins)")
	fs.Var(prefixes{&cfg.TrustedProxies}, "trusted-proxies", "the `CIDRs` of reverse proxies in front, e.g. 10.0.0.0/8,fd00::/8 (repeatable): in the trusted proxy header, the client is the right-most address that is none of them")
	fs.Var(every{&cfg.RateLimit}, "rate-every", "each client may send one request per `interval` on average")
	fs.IntVar(&cfg.RateBurst, "rate-burst", cfg.RateBurst, "how `many` requests a client may send at once")
	fs.IntVar(&cfg.ConfirmationsPerHour, "confirmations-per-hour", cfg.ConfirmationsPerHour, "the most confirmations sent to patients in any hour; above it, leads reach the coordinator without one")
	fs.Int64Var(&cfg.MaxBody, "max-body", cfg.MaxBody, "the largest request body in `bytes`")
	fs.Var(days{&cfg.Retention}, "retention", "how long the personal data of delivered leads is kept: `days` like 30d, or a duration like 12h")
	fs.Var(days{&cfg.SpamRetention}, "spam-retention", "how long suspected spam is kept: `days` like 30d, or a duration like 12h")
	fs.DurationVar(&cfg.PurgeEvery, "purge-every", cfg.PurgeEvery, "how `often` old data is purged")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if err := checkFlags(cfg); err != nil {
		return err
	}
	cfg.DataDir = *data
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(*site, ".data")
	}
	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	svc, err := openIntake(ctx, e, logger, *site, cfg, false)
	if err != nil {
		return err
	}
	if *metricsAddr != "" {
		mln, err := net.Listen("tcp", *metricsAddr)
		if err != nil {
			svc.Close()
			return fmt.Errorf("--metrics-addr: listen: %w", err)
		}
		defer serveMetrics(logger, mln, svc.Metrics())()
		fmt.Fprintf(e.stdout, "metrics on http://%s/metrics\n", mln.Addr())
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		svc.Close()
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(e.stdout, "intake service on http://%s\n", ln.Addr())
	return serveService(ctx, logger, ln, svc.Handler(), svc)
}

// serveMetrics serves h, the service's metrics, on ln until the function
// it returns is called.
func serveMetrics(logger *slog.Logger, ln net.Listener, h http.Handler) (stop func()) {
	srv := newHTTPServer(h)
	go func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("serve metrics", "err", err)
		}
	}()
	return func() { srv.Close() }
}

// checkFlags refuses the values that would stop the service from working:
// a purge interval of zero panics, and a body limit or burst below one
// refuses every request.
func checkFlags(cfg intake.Config) error {
	switch {
	case cfg.PurgeEvery <= 0:
		return fmt.Errorf("--purge-every %s: want a positive duration, like 1h", cfg.PurgeEvery)
	case cfg.MaxBody <= 0:
		return fmt.Errorf("--max-body %d: want a positive number of bytes, like 65536", cfg.MaxBody)
	case cfg.RateBurst < 1:
		return fmt.Errorf("--rate-burst %d: want at least 1", cfg.RateBurst)
	case cfg.ConfirmationsPerHour < 1:
		return fmt.Errorf("--confirmations-per-hour %d: want at least 1", cfg.ConfirmationsPerHour)
	case cfg.Lease < time.Second:
		return fmt.Errorf("--lease %s: want at least 1s, and more than a send takes, like 5m", cfg.Lease)
	}
	return nil
}
