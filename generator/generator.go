// Package generator builds a practice's static site: it loads content/,
// renders every page's Markdown and then every page with the theme, and
// writes the result into public/ all at once, or not at all.
//
// Build is the one-shot build of consulta build and consulta check. Live
// keeps a built site in memory and rebuilds only what an edit affects, for
// consulta serve.
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
}

// Build builds the site into cfg.OutDir. The output is written into a new
// folder beside it and swapped in only when everything succeeded; on any
// problem the previous output is left untouched and the error is a
// *problem.ListError listing every problem.
func Build(ctx context.Context, cfg Config) (Summary, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	b, site, probs, err := loadOnce(ctx, cfg)
	if err != nil {
		return Summary{}, err
	}
	tmp, err := newOutputDir(cfg.OutDir)
	if err != nil {
		return Summary{}, err
	}
	out := &dirOutput{root: tmp}
	sum, err := b.build(ctx, site, probs, out, render.Options{})
	if err == nil {
		t0 := time.Now()
		err = swapIn(tmp, cfg.OutDir)
		cfg.Logger.Debug("swapped output in", "took", time.Since(t0))
	}
	if err != nil {
		if rmErr := os.RemoveAll(tmp); rmErr != nil {
			cfg.Logger.Warn("remove temporary output", "dir", tmp, "err", rmErr)
		}
		return sum, err
	}
	sum.Duration = time.Since(start)
	return sum, nil
}

// Check loads and renders the whole site like Build, and writes nothing.
func Check(ctx context.Context, cfg Config) (Summary, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	b, site, probs, err := loadOnce(ctx, cfg)
	if err != nil {
		return Summary{}, err
	}
	sum, err := b.build(ctx, site, probs, discardOutput{}, render.Options{})
	sum.Duration = time.Since(start)
	return sum, err
}

// loadOnce loads the site for a build that renders it once: an error
// when problems stop it, otherwise the problems that did not.
func loadOnce(ctx context.Context, cfg Config) (*builder, *content.Site, *problem.List, error) {
	if err := checkSiteDir(cfg.SiteDir); err != nil {
		return nil, nil, nil, err
	}
	b, site, probs := load(ctx, cfg)
	if site == nil {
		if err := probs.Err(); err != nil {
			return nil, nil, nil, err
		}
		return nil, nil, nil, fmt.Errorf("load %s: the site could not be read", cfg.SiteDir)
	}
	b.loader = nil // what it keeps for reloading is garbage to a one-shot build
	return b, site, probs, nil
}

// builder holds what every build step needs.
type builder struct {
	cfg    Config
	fsys   fs.FS
	loader *content.Loader
	md     *markdown.Renderer
	theme  *render.Theme
}

// checkSiteDir reports a site folder without content/, the likely mistake
// of running consulta in the wrong folder.
func checkSiteDir(dir string) error {
	if info, err := os.Stat(filepath.Join(dir, "content")); err != nil || !info.IsDir() {
		return fmt.Errorf("%s has no content/ folder — run consulta in the site's folder, or name it with -s", dir)
	}
	return nil
}

func load(ctx context.Context, cfg Config) (*builder, *content.Site, *problem.List) {
	fsys := os.DirFS(cfg.SiteDir)
	b := &builder{cfg: cfg, fsys: fsys, loader: content.NewLoader(fsys)}
	t0 := time.Now()
	site, probs := b.loader.Load(ctx)
	cfg.Logger.Debug("loaded content", "took", time.Since(t0))
	if site != nil {
		b.md = markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML})
	}
	return b, site, probs
}

// build renders the loaded site into out. When the problems hold any
// error it returns them as the error before any page is written (the
// photo step may have written photos to out already). Each page's Body is
// released once rendered to HTML.
func (b *builder) build(ctx context.Context, site *content.Site, probs *problem.List, out output, o render.Options) (Summary, error) {
	theme, err := render.Load(b.fsys, site.Config.Theme)
	if err != nil {
		return Summary{}, fmt.Errorf("load theme %q: %w", site.Config.Theme, err)
	}
	b.theme = theme
	t0 := time.Now()
	bodies, err := b.renderBodies(ctx, site.Pages)
	b.cfg.Logger.Debug("rendered markdown", "pages", len(site.Pages), "took", time.Since(t0))
	if err != nil {
		return Summary{}, err
	}
	for _, p := range site.Pages {
		p.Body = nil // rendered into p.HTML: let the Markdown go, a quarter of the memory of a large site
	}
	files := b.checkLinks(site, site.Pages, bodies, probs)
	checkGalleryURLs(site, probs)
	if err := b.processPhotos(ctx, site, out, probs); err != nil {
		return Summary{}, fmt.Errorf("process photos: %w", err)
	}
	if err := probs.Err(); err != nil {
		return Summary{}, err
	}
	w := &writer{b: b, site: site, out: out, opts: o}
	t0 = time.Now()
	if err := w.pages(ctx, site.Pages); err != nil {
		return Summary{}, err
	}
	b.cfg.Logger.Debug("rendered pages", "pages", len(site.Pages), "took", time.Since(t0))
	if err := w.galleryPages(ctx); err != nil {
		return Summary{}, err
	}
	if err := w.extras(files); err != nil {
		return Summary{}, err
	}
	sum := Summary{Pages: map[content.Kind]int{}, Aliases: w.aliases, Files: int(w.files.Load()), Bytes: w.bytes.Load()}
	for _, p := range site.Pages {
		sum.Pages[p.Kind]++
	}
	for _, p := range probs.Sorted() {
		if p.Severity == problem.Warning {
			sum.Warnings = append(sum.Warnings, p)
		}
	}
	return sum, nil
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
