package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator"
	"github.com/consultahq/consulta/generator/livereload"
	"github.com/consultahq/consulta/generator/problem"
)

// liveReloadPath is where serve streams reload events to open pages.
const liveReloadPath = "/_consulta/livereload"

func runServe(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "serve", "serve [-s SITE_DIR] [-addr 127.0.0.1:1313] [-min-fill 3s]",
		`Serve builds the site in SITE_DIR into memory and serves it at addr, with
the intake service mounted on the same address. It watches content/,
themes/ and static/, rebuilds only the pages an edit affects, and reloads
the pages open in the browser. A mistake is shown in the browser and in the
terminal as file:line: field: message, and the server keeps running; the
next good edit brings the site back.`)
	site := fs.String("s", ".", "the site's `folder`, holding content/")
	addr := fs.String("addr", "127.0.0.1:1313", "`address` to listen on")
	cfg := envIntakeConfig(e)
	cfg.MinFill = cfg.WithDefaults().MinFill
	fs.DurationVar(&cfg.MinFill, "min-fill", cfg.MinFill, "the least `time` a person takes to fill in the form; faster is suspected spam")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	lr := livereload.New()
	live := generator.NewLive(generator.Config{SiteDir: *site}, liveReloadPath)
	up, err := live.Build(ctx)
	report(e.stdout, e.stderr, up, err, "built")
	watch, err := newWatcher(*site)
	if err != nil {
		return err
	}
	defer watch.Close()

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
	mux := http.NewServeMux()
	mux.Handle(liveReloadPath, untilDone(ctx, lr))
	mux.Handle("/", &siteHandler{live: live})
	// The intake service takes the requests for its routes (intake/routes.go)
	// and hands the rest to the site.
	served := make(chan error, 1)
	go func() { served <- serveService(ctx, logger, ln, svc.Mount(mux), svc) }()
	fmt.Fprintf(e.stdout, "serving %s at http://%s/ — press Ctrl+C to stop\n", *site, ln.Addr())

	for {
		select {
		case err := <-served:
			return err
		case paths, ok := <-watch.changes:
			if !ok {
				cancel()
				<-served
				return errors.New("serve: the file watcher stopped")
			}
			up, err := live.Change(ctx, paths)
			report(e.stdout, e.stderr, up, err, "rebuilt")
			lr.Reload()
		case err := <-watch.errors:
			fmt.Fprintf(e.stderr, "serve: watching files: %v\n", err)
		}
	}
}

// untilDone serves h with requests that also end when ctx does, so that
// open live-reload streams do not hold up shutdown. A stream lives as long
// as its page is open: it lifts the server's write deadline.
func untilDone(ctx context.Context, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.NewResponseController(w).SetWriteDeadline(time.Time{})
		rctx, cancel := context.WithCancel(r.Context())
		defer cancel()
		defer context.AfterFunc(ctx, cancel)()
		h.ServeHTTP(w, r.WithContext(rctx))
	})
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
		fmt.Fprintf(stderr, "%s %s; the browser shows them too — fix them and save\n", now, plural(countErrors(up.Problems), "problem"))
		return
	}
	fmt.Fprintf(stdout, "%s %s %s in %s\n", now, verb, plural(up.Pages, "page"), up.Duration.Round(100*time.Microsecond))
}

func countErrors(ps []problem.Problem) int {
	n := 0
	for _, p := range ps {
		if p.Severity == problem.Error {
			n++
		}
	}
	return n
}

// siteHandler serves the site Live holds; while the site has errors, it
// serves a page listing them instead of any page. While it has warnings
// only, such as wording the advertising rules flag, every page links to
// that list at problemsPath.
type siteHandler struct {
	live *generator.Live
}

func (h *siteHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	isPage := strings.HasSuffix(name, ".html")
	probs := h.live.Problems()
	if r.URL.Path == problemsPath || isPage && slices.ContainsFunc(probs, func(p problem.Problem) bool { return p.Severity == problem.Error }) {
		writeOverlay(w, probs)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	data, ok, err := h.live.File(ctx, name)
	if err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	if !ok {
		if _, dir, _ := h.live.File(ctx, name+"/index.html"); dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		data, _, _ = h.live.File(ctx, "404.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(data)
		return
	}
	if isPage && len(probs) > 0 {
		data = withProblemsLink(data, len(probs))
	}
	http.ServeContent(w, r, filepath.Base(name), time.Time{}, bytes.NewReader(data))
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
