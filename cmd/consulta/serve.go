package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"github.com/consultahq/consulta/generator"
	"github.com/consultahq/consulta/generator/problem"
)

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [-s SITE_DIR] [-addr 127.0.0.1:1313] [-min-fill 3s] [-rate-burst 5]",
		`Serve builds the site in SITE_DIR into memory and serves it at addr, with
the intake service mounted on the same address. It watches content/,
themes/ and static/, rebuilds only the pages an edit affects, and reloads
the pages open in the browser. A mistake is shown in the browser and in the
terminal as file:line: field: message, and the server keeps running; the
next good edit brings the site back.`)
	site := fs.String("s", ".", "the site's `folder`, holding content/")
	addr := fs.String("addr", "127.0.0.1:1313", "`address` to listen on")
	cfg := envIntakeConfig(e)
	def := cfg.WithDefaults()
	cfg.MinFill, cfg.RateBurst = def.MinFill, def.RateBurst
	fs.DurationVar(&cfg.MinFill, "min-fill", cfg.MinFill, "the least `time` a person takes to fill in the form; faster is suspected spam")
	fs.IntVar(&cfg.RateBurst, "rate-burst", cfg.RateBurst, "how `many` requests a client may send at once (on this machine, every request is from one client)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	siteCfg, err := generatorConfig(*site)
	if err != nil {
		return err
	}
	live := generator.NewLive(siteCfg)
	context.AfterFunc(ctx, live.Close) // the open pages' streams end with the server
	up, err := live.Build(ctx)
	report(e.stdout, e.stderr, up, err, "built")
	watched, err := live.Watch(ctx, *site, func(up generator.Update, err error) { report(e.stdout, e.stderr, up, err, "rebuilt") })
	if err != nil {
		return err
	}

	logger := slog.New(slog.NewTextHandler(e.stderr, nil))
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	cfg.DataDir = filepath.Join(*site, ".data")
	cfg.PublicURL = localURL(ln.Addr().String()) // the emails' action links come back here
	svc, err := openIntake(ctx, e, logger, *site, cfg, true)
	if err != nil {
		ln.Close()
		return fmt.Errorf("serve: intake service: %w", err)
	}
	// The intake service takes the requests for its routes (intake/routes.go)
	// and hands the rest to the site.
	mux := http.NewServeMux()
	mux.Handle("/", live)
	served := make(chan error, 1)
	go func() { served <- serveService(ctx, logger, ln, svc.Mount(mux), svc) }()
	fmt.Fprintf(e.stdout, "serving %s at http://%s/ — press Ctrl+C to stop\n", *site, ln.Addr())

	select {
	case err := <-served:
		return err
	case err := <-watched: // nil when ctx ended: the server is shutting down
		cancel()
		if served := <-served; err == nil {
			return served
		}
		return fmt.Errorf("serve: %w", err)
	}
}

// report prints the outcome of a build in the terminal.
func report(stdout, stderr io.Writer, up generator.Update, err error, verb string) {
	now := time.Now().Format("15:04:05")
	if err != nil {
		fmt.Fprintf(stderr, "%s %v\n", now, err)
		return
	}
	for _, p := range up.Problems {
		fmt.Fprintln(stderr, p)
	}
	if !up.OK() {
		errs := 0
		for _, p := range up.Problems {
			if p.Severity == problem.Error {
				errs++
			}
		}
		fmt.Fprintf(stderr, "%s %s; the browser shows them too — fix them and save\n", now, plural(errs, "problem"))
		return
	}
	fmt.Fprintf(stdout, "%s %s %s in %s\n", now, verb, plural(up.Pages, "page"), up.Duration.Round(100*time.Microsecond))
}

// localURL is the address of a server listening on addr, for links.
func localURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, port)
}
