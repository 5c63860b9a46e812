package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"time"
)

const intakeHelp = `Intake runs the intake service alone: it takes consultation requests from
the site's form (POST /v1/consultations), keeps each one in a SQLite file
under the data folder, and emails it to the practice's coordinator, with a
confirmation to the patient. A request answered 2xx is delivered, across
mail server outages and restarts.

The practice, its procedures, its coordinators (coordinator_email and
intake.coordinators by procedure category), the phone region, the thank-you
page and the allowed origins come from the site's content/site.yaml.

Environment:
	CONSULTA_SMTP_URL     the mail server, e.g. smtp://user:pass@host:587
	                      (STARTTLS required), smtps://host:465 (TLS), or
	                      smtp://127.0.0.1:1025?tls=none for a local test
	                      server. Unset: emails are written as .eml files
	                      into DATA/mail, and the log says where.
	CONSULTA_FROM         the From address (default: email in site.yaml)
	CONSULTA_HELO         the name given to the mail server in EHLO
	CONSULTA_FORM_SECRET  the key (32+ characters) that signs form tokens;
	                      unset, one is made and kept in DATA/form-secret

Other commands:
	consulta intake requeue [-s SITE_DIR] [--data DIR]
		send the dead-lettered emails again
	consulta intake spam [-s SITE_DIR] [--data DIR]
		list the leads held as suspected spam
	consulta intake spam [-s SITE_DIR] [--data DIR] release ID
		deliver a lead held as spam as a normal lead

Endpoints: POST /v1/consultations, GET /v1/consultations/token, GET /healthz,
GET /readyz, GET /metrics (Prometheus).`

// runIntake runs `consulta intake` and its subcommands.
func runIntake(ctx context.Context, e env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "requeue":
			return runIntakeRequeue(ctx, e, args[1:])
		case "spam":
			return runIntakeSpam(ctx, e, args[1:])
		}
	}
	fs := newFlagSet(e, "intake", "intake [-s SITE_DIR] [--addr 127.0.0.1:8081] [--data DIR] [flags]", intakeHelp)
	site := fs.String("s", ".", "the site `folder` (holding content/site.yaml)")
	data := fs.String("data", "", "the `folder` of the SQLite file and the local mail folder (default SITE_DIR/.data)")
	addr := fs.String("addr", "127.0.0.1:8081", "the `address` to listen on")
	set := defaultIntakeSettings(e, "", "")
	fs.StringVar(&set.from, "from", set.from, "the From `address` of the emails (or CONSULTA_FROM; default: email in site.yaml)")
	fs.StringVar(&set.helo, "helo", set.helo, "the `name` given in EHLO (or CONSULTA_HELO; default: the From address's domain)")
	fs.StringVar(&set.timeZone, "time-zone", "", "the IANA time `zone` of times shown in the emails, e.g. Europe/Dublin (default UTC)")
	fs.DurationVar(&set.minFill, "min-fill", set.minFill, "the least `time` a person takes to fill in the form; faster is suspected spam")
	fs.StringVar(&set.trustedProxyHeader, "trusted-proxy-header", "", "the `header` in which a reverse proxy in front gives the client's address, e.g. X-Forwarded-For; no header is trusted otherwise")
	fs.Var(origins{&set.origins}, "allowed-origin", "an `origin` that may post the form, e.g. https://www.example-clinic.com (repeatable; adds to intake.allowed_origins)")
	fs.DurationVar(&set.rateEvery, "rate-every", set.rateEvery, "each client may send one request per `interval` on average")
	fs.IntVar(&set.rateBurst, "rate-burst", set.rateBurst, "how `many` requests a client may send at once")
	fs.Int64Var(&set.maxBody, "max-body", set.maxBody, "the largest request body in `bytes`")
	fs.Var(days{&set.retention}, "retention", "how long the personal data of delivered leads is kept: `days` like 30d, or a duration like 12h")
	fs.Var(days{&set.spamRetention}, "spam-retention", "how long suspected spam is kept: `days` like 30d, or a duration like 12h")
	fs.DurationVar(&set.purgeEvery, "purge-every", set.purgeEvery, "how `often` old data is purged")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if err := set.checkFlags(); err != nil {
		return err
	}
	set.siteDir, set.dataDir = *site, *data
	if set.dataDir == "" {
		set.dataDir = filepath.Join(*site, ".data")
	}
	svc, err := openIntake(ctx, e, set)
	if err != nil {
		return err
	}
	return serveIntake(ctx, e, svc, *addr)
}

// checkFlags refuses the values that would stop the service from working:
// a purge interval of zero panics, and a body limit or burst below one
// refuses every request.
func (set intakeSettings) checkFlags() error {
	switch {
	case set.purgeEvery <= 0:
		return fmt.Errorf("--purge-every %s: want a positive duration, like 1h", set.purgeEvery)
	case set.maxBody <= 0:
		return fmt.Errorf("--max-body %d: want a positive number of bytes, like 65536", set.maxBody)
	case set.rateBurst < 1:
		return fmt.Errorf("--rate-burst %d: want at least 1", set.rateBurst)
	}
	return nil
}

// serveIntake serves svc on addr until ctx ends; then it stops accepting,
// finishes the requests in flight and the send in progress, and returns.
func serveIntake(ctx context.Context, e env, svc *intakeService, addr string) error {
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	worked := make(chan error, 1)
	go func() { worked <- svc.run(work) }()
	defer func() { stopWork(); <-worked }()

	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	srv := &http.Server{
		Handler:           svc.handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    32 << 10,
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	fmt.Fprintf(e.stdout, "intake service on http://%s\n", ln.Addr())

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	svc.log.Info("shutting down: finishing requests in flight")
	stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}
