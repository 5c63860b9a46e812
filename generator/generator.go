// Package generator builds a practice's static site from its folder
// (content/, and optionally themes/ and static/): it reads the content,
// checks it whole, makes the images its pages show, renders every page
// with the theme and writes the result, all at once or not at all.
//
// A build is one list of stages. Each works on the pages of a run and on
// the one record the run keeps beside each page, what the build made of
// it (its Markdown as HTML, its links, its problems), so that the pages
// stay as they were loaded:
//
//	load    read content/ and the theme: every page, and the problems each file shows alone
//	check   render the Markdown, check links and advertising rules, plan every image: every content problem
//	images  make the photos and images the pages show, into the cache
//	render  render the pages with the theme, into the output
//	write   write what is not rendered: theme assets, images, linked files, icons, static/
//
// [Build] runs every stage and swaps the output into place. [Check] runs
// the stages up to check and writes nothing anywhere, the image cache
// included. [Live] runs them over the pages an edit touched, and serves
// the result. The stages after check run only while no problem found is
// an error. [MakeHandoff] makes what the intake service needs of a site
// beyond its content, without a build.
package generator

import (
	"context"
	"errors"
	"html/template"
	"io/fs"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/consultahq/consulta/generator/compliance"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// Config says which site to build, and where to.
type Config struct {
	Site     fs.FS        // the site folder, holding content/ (and optionally themes/ and static/); required
	OutDir   string       // the folder Build writes the site into; required by Build
	CacheDir string       // the folder processed photos are kept in between builds; required by Build and Live
	Workers  int          // pages worked on at once, loading as rendering; default GOMAXPROCS
	Logger   *slog.Logger // default: discard
	// Now is the time dates in content are judged against: consent and
	// its expiry, the age of a procedure's medical review. Default time.Now.
	Now func() time.Time
}

func (c Config) withDefaults() (Config, error) {
	if c.Site == nil {
		return c, errors.New("generator: no site (Config.Site)")
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
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
	start := time.Now()
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	if cfg.OutDir == "" || cfg.CacheDir == "" {
		return Summary{}, errors.New("generator: Build needs an output folder (Config.OutDir) and a cache folder (Config.CacheDir)")
	}
	tmp, err := newOutputDir(cfg.OutDir)
	if err != nil {
		return Summary{}, err
	}
	r := newBuilder(cfg, &dirOutput{root: tmp}).newRun(nil)
	err = r.through(ctx, "write")
	if err == nil {
		err = swapIn(tmp, cfg.OutDir)
	}
	if err != nil {
		if rmErr := os.RemoveAll(tmp); rmErr != nil {
			cfg.Logger.Warn("remove temporary output", "dir", tmp, "err", rmErr)
		}
		return r.summary(), err
	}
	sum := r.summary()
	sum.Duration = time.Since(start)
	return sum, nil
}

// Check runs the stages up to check, and writes nothing anywhere: not the
// output, not the image cache (which it reads when cfg.CacheDir is set).
func Check(ctx context.Context, cfg Config) (Summary, error) {
	start := time.Now()
	cfg, err := cfg.withDefaults()
	if err != nil {
		return Summary{}, err
	}
	r := newBuilder(cfg, nil).newRun(nil)
	err = r.through(ctx, "check")
	sum := r.summary()
	sum.Duration = time.Since(start)
	return sum, err
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

// A stage is one step of the build, over the pages of a run.
type stage struct {
	name  string
	run   func(*run, context.Context) error
	clean bool // runs only while no problem found so far is an error
}

// stages is the build. The package comment lists it, and a test holds the
// two to each other.
var stages = []stage{
	{name: "load", run: (*run).load},
	{name: "check", run: (*run).check},
	{name: "images", run: (*run).makeImages},
	{name: "render", run: (*run).render, clean: true},
	{name: "write", run: (*run).write, clean: true},
}

// builder is what the stages keep from one run to the next: the loader,
// theme and Markdown renderer of the site, its images, and one record for
// each page. Build and Check make one for one run; Live keeps one while
// edits succeed.
type builder struct {
	cfg    Config
	loader *content.Loader
	site   *content.Site
	theme  *render.Theme
	md     *markdown.Renderer
	rules  *compliance.Checker // nil when site.yaml names no advertising rules
	images *images
	built  map[*content.Page]*built // one record per published page and review

	settings      problem.List  // problems of site.yaml found after loading: advertising rules, brand images, favicon
	settingsRules int           // of settings, how many the advertising rules found
	brand         []imageUse    // the images site.yaml names
	emailLogo     []byte        // the logo emails show; nil without one
	out           output        // nil for Check
	live          bool          // Live's: pages carry the overlay
	overlay       template.HTML // what Live adds to every page (render.Options.Overlay)
}

func newBuilder(cfg Config, out output) *builder {
	l := content.NewLoader(cfg.Site).WithNow(cfg.Now)
	l.Workers = cfg.Workers
	return &builder{cfg: cfg, loader: l, out: out, built: map[*content.Page]*built{}}
}

// run is one pass of the stages: over every page of the site, or over the
// pages an edit changed.
type run struct {
	*builder
	edit       []string         // the files an edit changed; nil for a run over the whole site
	recovering bool             // the edit follows edits that had errors: treat every change as one of front matter
	changes    []content.Change // what the edit changed
	meta       bool             // the edit changed front matter, so pages that show the changed ones may change
	pages      []*content.Page  // the pages of this run: every published page and review, or those the edit changed
	loaded     *problem.List    // what the loader found
	gallery    problem.List     // cases whose URL a generated page takes
	later      map[string]lazy  // files the edit affects that render when they are next asked for (Live)
	generated  []*content.Page  // the pages no file holds: gallery lists, consultation pages

	all          *problem.List // every problem, once collected
	files, bytes atomic.Int64  // written
	aliases      int
}

func (b *builder) newRun(edit []string) *run {
	return &run{builder: b, edit: edit, loaded: &problem.List{}}
}

// through runs the stages up to and including the one called last. The
// error is every problem when any is an error, or a failure that is no
// content problem, such as a theme that does not parse or a full disk.
func (r *run) through(ctx context.Context, last string) error {
	for _, s := range stages {
		if s.clean {
			if err := r.problems().Err(); err != nil {
				return err
			}
		}
		t0 := time.Now()
		if !s.clean {
			r.all = nil // the stage may find problems; the stages after check find none
		}
		if err := s.run(r, ctx); err != nil {
			return err
		}
		r.cfg.Logger.Debug("stage "+s.name, "pages", len(r.pages), "took", time.Since(t0))
		if s.name == last {
			break
		}
	}
	return r.problems().Err()
}

// problems returns every current problem: the loader's, the settings',
// and those of every page's record. It collects them once a stage.
func (r *run) problems() *problem.List {
	if r.all != nil {
		return r.all
	}
	all := &problem.List{}
	all.Merge(r.loaded)
	all.Merge(&r.settings)
	all.Merge(&r.gallery)
	for _, b := range r.built {
		all.Merge(&b.probs)
	}
	r.all = all
	return all
}

func (r *run) summary() Summary {
	sum := Summary{Pages: map[content.Kind]int{}, Aliases: r.aliases, Files: int(r.files.Load()), Bytes: r.bytes.Load()}
	if r.site == nil {
		return sum
	}
	sum.Drafts = r.site.Drafts
	for _, p := range r.site.Pages {
		sum.Pages[p.Kind]++
	}
	if r.rules != nil {
		sum.Rules = r.site.Config.Compliance
	}
	sum.Compliance, sum.Allowed = r.compliance()
	for _, p := range r.problems().Sorted() {
		if p.Severity == problem.Warning {
			sum.Warnings = append(sum.Warnings, p)
		}
	}
	return sum
}

// options are what the theme is given beside the site.
func (b *builder) options() render.Options {
	return render.Options{Overlay: b.overlay, Rendered: b}
}

// Body returns what check made of a page's Markdown: render.Rendered.
func (b *builder) Body(p *content.Page) render.Body {
	if rec := b.built[p]; rec != nil {
		return rec.Body
	}
	return render.Body{}
}

// Image returns a published image by its source file: render.Rendered.
func (b *builder) Image(file string) render.Image {
	if b.images == nil {
		return render.Image{}
	}
	return b.images.image(file)
}

// each calls f(0) … f(n-1) on up to workers goroutines and returns the
// first error; after an error, or when ctx ends, no more calls begin.
//
// The workers live for the whole loop and take the next index in turn:
// a goroutine for each call (errgroup.SetLimit) would grow a new stack
// for every page, and rendering a page with the theme needs a deep one —
// that cost a sixth of a build's CPU time.
func each(ctx context.Context, workers, n int, f func(i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for range min(workers, n) {
		g.Go(func() error {
			for gctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return nil
				}
				if err := f(i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}

// stageNames returns the names of the stages, in order.
func stageNames() []string {
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.name
	}
	return slices.Clip(names)
}

// Handoff is what the build hands the intake service beyond the site's
// content, which the intake never loads a theme or draws a logo for: the
// theme's pages of the form, and the address and size of the logo the
// emails show. MakeHandoff makes it without building the site, so that
// `consulta intake` can start where the site was never built.
type Handoff struct {
	// Form is the theme's "consultation-form-page" template, with the
	// rest of its partials (its "consultation-thanks-page"), which the
	// intake service executes with a form.Page (and a form.Thanks); nil
	// when the theme has none that renders a form.Page, and FormErr then
	// says why.
	Form    *template.Template
	FormErr error
	// EmailLogo is the logo the emails show: the PNG that the build
	// publishes at maillogo.Path under base_url, at the size the build
	// draws it. It is zero without a logo, or with one the build cannot
	// draw, which the build warns about.
	EmailLogo EmailLogo
	// Care is the text of each care file (content/care/), by file,
	// rendered by the site's Markdown, for the intake's emails and pages.
	Care map[string]template.HTML
	// CoolingOffDays is the longest cooling-off period of the site's
	// advertising rules (compliance.CoolingOff): a surgery sooner after
	// the first consultation needs the surgeon's agreement.
	CoolingOffDays int
}

// EmailLogo is where the email logo is published, and the size emails
// show it at.
type EmailLogo struct {
	URL           string // absolute: "https://www.example.org/brand/logo-email.png"
	Width, Height int    // CSS pixels
}

// MakeHandoff makes the Handoff of site, loaded from fsys. The logo is
// measured, not drawn: the build alone draws it.
func MakeHandoff(fsys fs.FS, site *content.Site) Handoff {
	var h Handoff
	h.Form, h.FormErr = formPage(fsys, site.Config.Theme)
	h.EmailLogo = emailLogoOf(fsys, site.Config)
	h.Care = careHTML(site)
	h.CoolingOffDays, _ = compliance.CoolingOff(site.Config.Compliance)
	return h
}
