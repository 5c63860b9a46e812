package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"maps"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/consultahq/consulta/generator/livereload"
	"github.com/consultahq/consulta/generator/problem"
)

// Where Live serves what is not the site.
const (
	ReloadPath   = "/_consulta/livereload" // the stream that tells open pages to reload
	ProblemsPath = "/_consulta/problems/"  // the list of the site's problems, errors and warnings
)

// Live is a site built into memory and served, for consulta serve: an
// http.Handler for the site's files, the live-reload stream at ReloadPath
// and the list of problems at ProblemsPath. Every page reloads itself
// after each edit; while the site has errors, the list is served instead
// of any page, and while it has warnings, every page links to it.
//
// After an edit, Change runs the stages over the changed pages only; the
// other pages the edit affects (lists, and pages that link a page whose
// title changed) are rendered when they are next asked for, so that the
// browser reloads the edited page without waiting for them. Its methods
// are safe for concurrent use.
type Live struct {
	cfg    Config
	reload *livereload.Server

	mu      sync.RWMutex
	b       *builder // of the last good build, nil before
	out     *memOutput
	files   map[string]lazy   // every file the theme renders, by name: to render again when the overlay changes
	stale   map[string]lazy   // files to render again before they are served
	probs   []problem.Problem // every current problem
	pending []string          // changes not rendered yet, because of errors; "*" for all
}

// Update describes one rebuild.
type Update struct {
	Pages    int  // pages rendered
	Stale    int  // pages to render again when they are next asked for
	Full     bool // everything was rendered again
	Duration time.Duration
	Problems []problem.Problem // every current problem, errors and warnings
}

// OK reports whether the rebuild succeeded: no problem is an error.
func (u Update) OK() bool {
	return !slices.ContainsFunc(u.Problems, func(p problem.Problem) bool { return p.Severity == problem.Error })
}

// NewLive returns a Live for the site cfg names. Call Build first.
func NewLive(cfg Config) *Live {
	return &Live{cfg: cfg, reload: livereload.New(), out: newMemOutput()}
}

// Close ends the live-reload streams of open pages, so that they do not
// hold up a server's shutdown.
func (l *Live) Close() { l.reload.Close() }

// Build loads and renders the whole site.
func (l *Live) Build(ctx context.Context) (Update, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keep(l.full(ctx))
}

// Change rebuilds after the files at paths changed (paths relative to the
// site folder, e.g. "content/procedures/rhinoplasty.md", or
// "themes/default/layouts/base.html"), and tells open pages to reload.
func (l *Live) Change(ctx context.Context, paths []string) (Update, error) {
	defer l.reload.Reload()
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keep(l.change(ctx, paths))
}

// Watch watches the site folder dir, which Config.Site reads (its
// content/, themes/ and static/), and rebuilds after each change until ctx
// ends, calling report with each rebuild's outcome and with failures to
// watch. It returns once the folders are watched; the channel receives
// nil when ctx ends, or why watching stopped.
func (l *Live) Watch(ctx context.Context, dir string, report func(Update, error)) (<-chan error, error) {
	w, err := livereload.Watch(dir)
	if err != nil {
		return nil, err
	}
	stopped := make(chan error, 1)
	go func() {
		defer w.Close()
		for {
			select {
			case <-ctx.Done():
				stopped <- nil
				return
			case paths, ok := <-w.Changes:
				if !ok {
					stopped <- errors.New("the file watcher stopped")
					return
				}
				report(l.Change(ctx, paths))
			case err := <-w.Errors:
				report(Update{}, fmt.Errorf("watching files: %w", err))
			}
		}
	}()
	return stopped, nil
}

// keep records an error that is not a content problem, such as a theme
// that does not parse, as the one current problem, so that it is shown
// until a rebuild succeeds.
func (l *Live) keep(up Update, err error) (Update, error) {
	if err != nil {
		l.pending = []string{"*"}
		l.probs = []problem.Problem{{File: "consulta serve", Message: err.Error()}}
	}
	return up, err
}

// full runs every stage into a new output, which replaces the current one
// when it succeeds.
func (l *Live) full(ctx context.Context) (Update, error) {
	start := time.Now()
	l.pending = []string{"*"} // until this build succeeds
	cfg, err := l.cfg.withDefaults()
	if err != nil {
		return Update{}, err
	}
	if cfg.CacheDir == "" {
		return Update{}, errors.New("generator: Live needs a cache folder (Config.CacheDir)")
	}
	b := newBuilder(cfg, newMemOutput())
	b.live = true
	r := b.newRun(nil)
	err = r.through(ctx, "write")
	if Problems(err) != nil {
		return l.failed(start, r.problems()), nil
	}
	if err != nil {
		return Update{}, err
	}
	// Until now stale pages render with the last good build.
	l.b, l.out, l.probs, l.pending, l.stale = b, b.out.(*memOutput), r.problems().Sorted(), nil, map[string]lazy{}
	l.files = map[string]lazy{"404.html": renderNotFound}
	for _, p := range slices.Concat(r.site.Pages, r.generated) {
		l.files[pageFile(p.URL)] = renderPage(p)
	}
	return Update{Pages: len(r.site.Pages), Full: true, Duration: time.Since(start), Problems: l.probs}, nil
}

func (l *Live) failed(start time.Time, probs *problem.List) Update {
	l.probs = probs.Sorted()
	return Update{Duration: time.Since(start), Problems: l.probs}
}

// errRebuild is a change that the stages cannot make for the changed
// pages alone: Live builds the whole site then.
var errRebuild = errors.New("the change needs a full build")

// change runs the stages over what an edit changed. Anything they cannot
// do for the changed pages alone makes a full build.
func (l *Live) change(ctx context.Context, paths []string) (Update, error) {
	start := time.Now()
	if l.b == nil || slices.Contains(l.pending, "*") || !onlyContent(paths) {
		return l.full(ctx)
	}
	// Edits made while there were errors were never rendered, so they
	// may have changed front matter whatever this one did.
	recovering := len(l.pending) > 0
	l.pending = append(l.pending, paths...)
	slices.Sort(l.pending)
	l.pending = slices.Compact(l.pending)
	overlay := l.b.overlay
	r := l.b.newRun(l.pending)
	r.recovering = recovering
	err := r.through(ctx, "write")
	if errors.Is(err, errRebuild) {
		return l.full(ctx)
	}
	if Problems(err) != nil {
		return l.failed(start, r.problems()), nil
	}
	if err != nil {
		return Update{}, err
	}
	if l.b.overlay != overlay { // the count of warnings changed
		maps.Copy(l.stale, l.files)
	}
	maps.Copy(l.stale, r.later)
	for _, p := range r.generated {
		l.files[pageFile(p.URL)] = renderPage(p)
	}
	for _, p := range r.pages {
		l.files[pageFile(p.URL)] = renderPage(p)
		delete(l.stale, pageFile(p.URL))
	}
	l.b.cfg.Logger.Debug("rendered", "pages", len(r.pages), "stale", len(r.later), "took", time.Since(start))
	l.probs, l.pending = r.problems().Sorted(), nil
	return Update{Pages: len(r.pages), Stale: len(r.later), Duration: time.Since(start), Problems: l.probs}, nil
}

// onlyContent reports whether paths are content pages only: the theme,
// the settings or a whole folder may change every page, and a review,
// which is no page, shows on the pages of its procedure and surgeons.
func onlyContent(paths []string) bool {
	for _, p := range paths {
		if !strings.HasPrefix(p, "content/") || p == "content/site.yaml" || path.Ext(p) == "" ||
			strings.HasPrefix(p, "content/reviews/") {
			return false
		}
	}
	return true
}

// reload is the load stage of an edit: it reads the changed files again.
// When pages came or went, or a URL changed, which may break links
// elsewhere, it returns errRebuild.
func (r *run) reload(ctx context.Context) error {
	site, probs, changes := r.loader.Reload(ctx, r.edit)
	for i, c := range changes {
		changes[i].Meta = c.Meta || r.recovering
		if c.Old == nil || c.New == nil || c.Old.URL != c.New.URL || !slices.Equal(c.Old.Aliases, c.New.Aliases) {
			return errRebuild
		}
	}
	r.site, r.loaded, r.changes = site, probs, changes
	for _, c := range changes {
		delete(r.built, c.Old)
		r.meta = r.meta || c.Meta
		if site.ByURL[c.New.URL] == c.New && !slices.Contains(r.pages, c.New) {
			r.pages = append(r.pages, c.New)
		}
	}
	return nil
}

// ServeHTTP serves the site's files, the live-reload stream and the list
// of problems. While the site has errors, the list is served instead of
// any page.
func (l *Live) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == ReloadPath {
		l.reload.ServeHTTP(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" || strings.HasSuffix(name, "/") {
		name += "index.html"
	}
	probs := l.Problems()
	if r.URL.Path == ProblemsPath || strings.HasSuffix(name, ".html") && slices.ContainsFunc(probs, func(p problem.Problem) bool { return p.Severity == problem.Error }) {
		writeProblems(w, probs, l.themeType())
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	data, ok, err := l.File(ctx, name)
	if err != nil {
		http.Error(w, "render "+name+": "+err.Error(), http.StatusInternalServerError)
		return
	}
	if !ok {
		if _, dir, _ := l.File(ctx, name+"/index.html"); dir {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		data, _, _ = l.File(ctx, "404.html")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(data)
		return
	}
	http.ServeContent(w, r, path.Base(name), time.Time{}, bytes.NewReader(data))
}

// File returns the built file at an output path such as
// "procedures/rhinoplasty/index.html", rendering it first if an edit made
// it stale.
func (l *Live) File(ctx context.Context, name string) ([]byte, bool, error) {
	l.mu.RLock()
	_, stale := l.stale[name]
	l.mu.RUnlock()
	if stale {
		if err := l.renderStale(name); err != nil {
			return nil, false, err
		}
	}
	l.mu.RLock()
	out := l.out
	l.mu.RUnlock()
	return out.get(name)
}

// renderStale renders the stale file name with the current site.
func (l *Live) renderStale(name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	render, ok := l.stale[name]
	if !ok {
		return nil // rendered meanwhile
	}
	var buf bytes.Buffer
	if err := render(l.b, &buf); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	delete(l.stale, name)
	return l.out.WriteFile(name, buf.Bytes())
}

// Problems returns every current problem.
func (l *Live) Problems() []problem.Problem {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.probs
}

// themeType returns the theme's type for the page of problems, or "" when
// no theme is loaded.
func (l *Live) themeType() template.HTML {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.b == nil || l.b.theme == nil { // no build has succeeded yet
		return ""
	}
	return l.b.theme.Type()
}

// memOutput keeps the built files in memory.
type memOutput struct {
	mu    sync.RWMutex
	files map[string][]byte
}

func newMemOutput() *memOutput { return &memOutput{files: map[string][]byte{}} }

func (m *memOutput) WriteFile(name string, data []byte) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.files[name] = slices.Clone(data)
	return nil
}

func (m *memOutput) get(name string) ([]byte, bool, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.files[name]
	return b, ok, nil
}
