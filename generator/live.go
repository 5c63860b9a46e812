package generator

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// Live is a site built into memory for consulta serve. After an edit,
// Change reads only the changed files again and runs the pipeline's steps
// on the changed pages at once; the other pages the edit affects (lists,
// and pages that link a page whose title changed) are rendered when they
// are next asked for, so that the browser reloads the edited page without
// waiting for them. Its methods are safe for concurrent use.
type Live struct {
	mu      sync.RWMutex
	b       *builder
	opts    render.Options
	site    *content.Site
	made    *made
	out     *memOutput
	probs   []problem.Problem // every current problem
	pending []string          // changes not rendered yet, because of errors
	stale   map[string]string // output file → page URL, to render again before it is served
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

// NewLive returns a Live for the site cfg names; pages link to the
// live-reload stream at liveReload ("" for none). Call Build first.
func NewLive(cfg Config, liveReload string) *Live {
	return &Live{b: &builder{cfg: cfg.withDefaults()}, opts: render.Options{LiveReload: liveReload}, out: newMemOutput()}
}

// Build loads and renders the whole site.
func (l *Live) Build(ctx context.Context) (Update, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keep(l.full(ctx))
}

// keep records an error that is not a content problem, such as a theme
// that does not parse, as the one current problem, so that it is shown
// until a rebuild succeeds.
func (l *Live) keep(up Update, err error) (Update, error) {
	if err != nil {
		l.pending = []string{"*"}
		l.probs = []problem.Problem{{File: l.b.cfg.SiteDir, Message: err.Error()}}
	}
	return up, err
}

// full runs the whole pipeline into a new output, which replaces the
// current one when it succeeds.
func (l *Live) full(ctx context.Context) (Update, error) {
	start := time.Now()
	l.pending = []string{"*"} // until this build succeeds
	if err := checkSiteDir(l.b.cfg.SiteDir); err != nil {
		return Update{}, err
	}
	b := newBuilder(l.b.cfg, true)
	out := newMemOutput()
	r, err := b.build(ctx, out, l.opts)
	if Problems(err) != nil {
		return l.failed(start, r.probs), nil
	}
	if err != nil {
		return Update{}, err
	}
	// Until now stale pages render with the last good site and builder.
	l.b, l.site, l.made, l.out, l.probs, l.pending, l.stale = b, r.site, r.made, out, r.probs.Sorted(), nil, nil
	return Update{Pages: len(r.site.Pages), Full: true, Duration: time.Since(start), Problems: l.probs}, nil
}

func (l *Live) failed(start time.Time, probs *problem.List) Update {
	l.probs = probs.Sorted()
	return Update{Duration: time.Since(start), Problems: l.probs}
}

// Change rebuilds after the files at paths changed (paths relative to the
// site folder, e.g. "content/procedures/rhinoplasty.md", or
// "themes/default/layouts/base.html").
func (l *Live) Change(ctx context.Context, paths []string) (Update, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.keep(l.change(ctx, paths))
}

// change runs the pipeline on what an edit changed: reload the changed
// files, check the changed pages, process their photos, then render them
// and mark the other pages the edit affects stale. Anything it cannot do
// for the changed pages alone makes a full build.
func (l *Live) change(ctx context.Context, paths []string) (Update, error) {
	start := time.Now()
	if l.site == nil || slices.Contains(l.pending, "*") || !onlyContent(paths) {
		return l.full(ctx)
	}
	site, probs, changes, ok := l.reload(ctx, paths)
	if !ok {
		return l.full(ctx)
	}
	changed, cases := changedPages(site, changes)
	for _, c := range changes {
		l.made.forget(c.Old)
	}
	if err := l.b.checkSite(ctx, site, changed, l.made, probs); err != nil {
		return Update{}, err
	}
	if err := l.b.photos(ctx, site, cases, l.out, l.made, probs); err != nil {
		return Update{}, fmt.Errorf("process photos: %w", err)
	}
	if probs.HasErrors() {
		return l.failed(start, probs), nil
	}
	now, stale, err := l.render(ctx, site, changes, changed)
	if err != nil {
		return Update{}, err
	}
	l.b.cfg.Logger.Debug("rendered", "pages", now, "stale", stale, "took", time.Since(start))
	l.site, l.probs, l.pending = site, probs.Sorted(), nil
	return Update{Pages: now, Stale: stale, Duration: time.Since(start), Problems: l.probs}, nil
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

// reload reads the changed files again, with any changes that were not
// rendered because of errors. It reports false when pages came or went,
// which may break links elsewhere: a full build then.
func (l *Live) reload(ctx context.Context, paths []string) (*content.Site, *problem.List, []content.Change, bool) {
	recovering := len(l.pending) > 0
	l.pending = append(l.pending, paths...)
	slices.Sort(l.pending)
	l.pending = slices.Compact(l.pending)
	site, probs, changes := l.b.loader.Reload(ctx, l.pending)
	for i, c := range changes {
		// Edits made while there were errors were never rendered, so
		// they may have changed front matter whatever this one did.
		changes[i].Meta = c.Meta || recovering
		if c.Old == nil || c.New == nil || c.Old.URL != c.New.URL || !slices.Equal(c.Old.Aliases, c.New.Aliases) {
			return nil, nil, nil, false
		}
	}
	return site, probs, changes, true
}

// changedPages returns the published pages of changes, and of them the cases.
func changedPages(site *content.Site, changes []content.Change) (changed, cases []*content.Page) {
	for _, c := range changes {
		if site.ByURL[c.New.URL] == c.New && !slices.Contains(changed, c.New) {
			changed = append(changed, c.New)
			if c.New.Kind == content.KindCase {
				cases = append(cases, c.New)
			}
		}
	}
	return changed, cases
}

// render renders the changed pages at once, marks the other pages that
// changes affect stale, and writes what else changed: the gallery pages,
// sitemap and others when front matter changed, else the files the
// changed pages link to.
func (l *Live) render(ctx context.Context, site *content.Site, changes []content.Change, changed []*content.Page) (now, stale int, err error) {
	pages, meta := affected(site, changes)
	o := l.opts
	o.Rendered = l.made.Rendered
	w := &writer{b: l.b, site: site, out: l.out, opts: o, images: l.made.images}
	if err := w.pages(ctx, changed); err != nil {
		return 0, 0, err
	}
	for _, p := range pages {
		if !slices.Contains(changed, p) {
			if l.stale == nil {
				l.stale = map[string]string{}
			}
			l.stale[pageFile(p.URL)] = p.URL
			stale++
		}
	}
	if meta {
		err = errors.Join(w.galleryPages(ctx), w.extras(l.made.allFiles()))
	} else {
		var files []bundleFile
		for _, p := range changed {
			files = append(files, l.made.files[p]...)
		}
		err = w.linked(files) // the sitemap's lastmod may lag until the next edit of front matter
	}
	return len(changed), stale, err
}

// affected returns the pages to render again after changes: the changed
// pages, and when front matter changed (meta), the list pages and every
// page that shows a changed one.
func affected(site *content.Site, changes []content.Change) (pages []*content.Page, meta bool) {
	set := map[*content.Page]bool{}
	for _, c := range changes {
		if c.New != nil && site.ByURL[c.New.URL] == c.New {
			set[c.New] = true
		}
		meta = meta || c.Meta
	}
	if meta {
		changed := maps.Clone(set)
		for _, p := range site.Pages {
			if p.Kind == content.KindHome || p.Kind == content.KindSection || showsAny(p, changed) {
				set[p] = true
			}
		}
	}
	pages = make([]*content.Page, 0, len(set))
	for p := range set {
		pages = append(pages, p)
	}
	return pages, meta
}

// showsAny reports whether p links to or lists any of pages.
func showsAny(p *content.Page, pages map[*content.Page]bool) bool {
	var refs []*content.Page
	switch {
	case p.Procedure != nil:
		refs = slices.Concat(p.Procedure.Surgeons, p.Procedure.Related, p.Procedure.Cases)
	case p.Member != nil:
		refs = p.Member.Procedures
	case p.Case != nil:
		refs = []*content.Page{p.Case.Procedure, p.Case.Surgeon}
	}
	return slices.ContainsFunc(refs, func(r *content.Page) bool { return pages[r] })
}

// File returns the built file at an output path such as
// "procedures/rhinoplasty/index.html", rendering it first if an edit made
// it stale.
func (l *Live) File(ctx context.Context, name string) ([]byte, bool, error) {
	l.mu.RLock()
	_, stale := l.stale[name]
	l.mu.RUnlock()
	if stale {
		if err := l.renderStale(ctx, name); err != nil {
			return nil, false, err
		}
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	b, ok := l.out.get(name)
	return b, ok, nil
}

// renderStale renders the stale page of output file name with the current site.
func (l *Live) renderStale(ctx context.Context, name string) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	url, ok := l.stale[name]
	if !ok {
		return nil // rendered meanwhile
	}
	p := l.site.ByURL[url]
	if p == nil {
		delete(l.stale, name)
		return nil
	}
	o := l.opts
	o.Rendered = l.made.Rendered
	w := &writer{b: l.b, site: l.site, out: l.out, opts: o, images: l.made.images}
	if err := w.pages(ctx, []*content.Page{p}); err != nil {
		return err
	}
	delete(l.stale, name)
	return nil
}

// Problems returns every current problem.
func (l *Live) Problems() []problem.Problem {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return l.probs
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

func (m *memOutput) get(name string) ([]byte, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	b, ok := m.files[name]
	return b, ok
}
