// Package generator builds a practice's static site: it loads content/,
// renders every page's Markdown and then every page with the theme, and
// writes the result into public/ all at once, or not at all.
//
// One pipeline, [builder.build], does every build, in this order:
//
//  1. load content/ (package content), which reports every problem one
//     file shows, and references between files;
//  2. check the site (checkSite): render the Markdown, check links, and
//     run every check that needs the whole site, so that every content
//     problem is known before anything is processed;
//  3. process photos (photos.go), which adds the problems of photos that
//     cannot be used;
//  4. render every page with the theme (write.go), only when no problem
//     is an error.
//
// Build writes the result to a folder, Check nowhere, and Live to memory;
// after an edit Live runs steps 2 to 4 on the changed pages only.
package generator

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/consultahq/consulta/generator/compliance"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// Config says which site to build, and where to.
type Config struct {
	SiteDir  string       // the folder holding content/ (and optionally themes/); default "."
	OutDir   string       // default SiteDir/public
	CacheDir string       // build cache, e.g. processed photos; default SiteDir/.consulta-cache
	Workers  int          // pages rendered at once; default GOMAXPROCS
	Logger   *slog.Logger // default: discard
	// Now is the time dates in content are judged against: consent and
	// its expiry, the age of a procedure's medical review. Default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() Config {
	if c.SiteDir == "" {
		c.SiteDir = "."
	}
	if c.OutDir == "" {
		c.OutDir = filepath.Join(c.SiteDir, "public")
	}
	if c.CacheDir == "" {
		c.CacheDir = filepath.Join(c.SiteDir, ".consulta-cache")
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

// Summary describes a build.
type Summary struct {
	Pages    map[content.Kind]int // published pages by kind
	Aliases  int                  // redirect pages written for aliases
	Files    int                  // files written, pages included
	Bytes    int64                // bytes written
	Duration time.Duration
	Warnings []problem.Problem // problems that did not stop the build
	Drafts   []string          // files left out as drafts

	Rules      []string               // the advertising rule sets checked, as site.yaml names them, e.g. [ie uk]
	Compliance int                    // problems found by the advertising rules, warnings and errors
	Allowed    []compliance.Allowance // lines that allow an advertising rule, by file and line
}

// Build builds the site into cfg.OutDir. The output is written into a new
// folder beside it and swapped in only when everything succeeded; on any
// problem the previous output is left untouched and the error is a
// *problem.ListError listing every problem.
func Build(ctx context.Context, cfg Config) (Summary, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	if err := checkSiteDir(cfg.SiteDir); err != nil {
		return Summary{}, err
	}
	tmp, err := newOutputDir(cfg.OutDir)
	if err != nil {
		return Summary{}, err
	}
	b := newBuilder(cfg, false)
	r, err := b.build(ctx, &dirOutput{root: tmp}, render.Options{})
	if err == nil {
		t0 := time.Now()
		err = swapIn(tmp, cfg.OutDir)
		cfg.Logger.Debug("swapped output in", "took", time.Since(t0))
	}
	if err != nil {
		if rmErr := os.RemoveAll(tmp); rmErr != nil {
			cfg.Logger.Warn("remove temporary output", "dir", tmp, "err", rmErr)
		}
		return r.summary, err
	}
	r.summary.Duration = time.Since(start)
	return r.summary, nil
}

// Check runs the whole pipeline like Build, and writes nothing.
func Check(ctx context.Context, cfg Config) (Summary, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	if err := checkSiteDir(cfg.SiteDir); err != nil {
		return Summary{}, err
	}
	r, err := newBuilder(cfg, false).build(ctx, discardOutput{}, render.Options{})
	r.summary.Duration = time.Since(start)
	return r.summary, err
}

// Problems returns the problems an error from Build or Check lists, or nil
// when err is of another kind (a full disk, a broken theme).
func Problems(err error) []problem.Problem {
	var le *problem.ListError
	if errors.As(err, &le) {
		return le.Problems
	}
	return nil
}

// builder holds what every step of the pipeline needs.
type builder struct {
	cfg    Config
	fsys   fs.FS
	loader *content.Loader
	reload bool // keep what the loader read, to read only changed files again (Live)
	md     *markdown.Renderer
	theme  *render.Theme

	compliance *compliance.Checker // nil when site.yaml names no advertising rules
}

func newBuilder(cfg Config, reload bool) *builder {
	fsys := os.DirFS(cfg.SiteDir)
	return &builder{cfg: cfg, fsys: fsys, loader: content.NewLoader(fsys).WithNow(cfg.Now), reload: reload}
}

// run is what one run of the pipeline made: the site, what was made of
// it beside it, and every problem.
type run struct {
	site    *content.Site
	made    *made
	probs   *problem.List
	summary Summary
}

// build is the pipeline. The error is the problems when any is an error
// (nothing is rendered then; the photo step may have written photos to
// out), or a failure that is not a content problem, such as a theme that
// does not parse or a full disk.
func (b *builder) build(ctx context.Context, out output, o render.Options) (run, error) {
	r := run{}
	t0 := time.Now()
	site, probs := b.loader.Load(ctx)
	b.cfg.Logger.Debug("loaded content", "took", time.Since(t0))
	r.site, r.probs = site, probs
	if !b.reload {
		b.loader = nil // what it keeps for reloading is garbage to a one-shot build
	}
	if site == nil {
		if err := probs.Err(); err != nil {
			return r, err
		}
		return r, fmt.Errorf("load %s: the site could not be read", b.cfg.SiteDir)
	}
	theme, err := render.Load(b.fsys, site.Config.Theme)
	if err != nil {
		return r, fmt.Errorf("load theme %q: %w", site.Config.Theme, err)
	}
	b.theme = theme
	b.md = markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML})

	r.made = newMade()
	t0 = time.Now()
	if err := b.startCompliance(ctx, site, r.made); err != nil {
		return r, err
	}
	if err := b.checkSite(ctx, site, site.Pages, r.made, probs); err != nil {
		return r, err
	}
	b.cfg.Logger.Debug("rendered markdown and checked the site", "pages", len(site.Pages), "took", time.Since(t0))
	if !b.reload { // a one-shot build checks no page again
		r.made.release()
		site.ForgetLines()
	}
	if err := b.photos(ctx, site, site.Cases, out, r.made, probs); err != nil {
		return r, fmt.Errorf("process photos: %w", err)
	}
	if err := probs.Err(); err != nil {
		return r, err
	}

	o.Rendered = r.made.Rendered
	w := &writer{b: b, site: site, out: out, opts: o, images: r.made.images}
	t0 = time.Now()
	if err := w.pages(ctx, site.Pages); err != nil {
		return r, err
	}
	b.cfg.Logger.Debug("rendered pages", "pages", len(site.Pages), "took", time.Since(t0))
	if err := w.galleryPages(ctx); err != nil {
		return r, err
	}
	if err := w.extras(r.made.allFiles()); err != nil {
		return r, err
	}
	r.summary = Summary{Pages: map[content.Kind]int{}, Aliases: w.aliases, Files: int(w.files.Load()), Bytes: w.bytes.Load(),
		Compliance: r.made.complianceCount, Allowed: r.made.allowances(), Drafts: site.Drafts}
	if b.compliance != nil {
		r.summary.Rules = site.Config.Compliance
	}
	for _, p := range site.Pages {
		r.summary.Pages[p.Kind]++
	}
	for _, p := range probs.Sorted() {
		if p.Severity == problem.Warning {
			r.summary.Warnings = append(r.summary.Warnings, p)
		}
	}
	return r, nil
}

// checkSite is step 2 of the pipeline, for pages of site (every page in
// a build, the changed ones after an edit): it renders their Markdown
// into m and reports every problem that needs more than one file to see.
// A check of the whole site goes here, reporting into probs.
func (b *builder) checkSite(ctx context.Context, site *content.Site, pages []*content.Page, m *made, probs *problem.List) error {
	if err := b.checkCompliance(ctx, pages, m); err != nil {
		return err
	}
	if m.images == nil {
		im, err := newImages(b.fsys, b.cfg.CacheDir, site.Config)
		if err != nil {
			return err
		}
		m.images = im
	}
	if err := b.renderMarkdown(ctx, pages, m); err != nil {
		return err
	}
	newLinkChecker(b, site, m).pages(pages)
	m.addLinkProblems(probs)
	m.complianceCount = m.addComplianceProblems(probs)
	checkGalleryURLs(site, probs)
	return nil
}

// checkSiteDir reports a site folder without content/, the likely mistake
// of running consulta in the wrong folder.
func checkSiteDir(dir string) error {
	if info, err := os.Stat(filepath.Join(dir, "content")); err != nil || !info.IsDir() {
		return fmt.Errorf("%s has no content/ folder — run consulta in the site's folder, or name it with -s", dir)
	}
	return nil
}
