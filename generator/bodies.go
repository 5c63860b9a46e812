package generator

import (
	"context"
	"fmt"
	"html/template"
	"path"
	"sync"
	"sync/atomic"

	"golang.org/x/sync/errgroup"

	"github.com/consultahq/consulta/generator/compliance"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// made is what the pipeline made of a site, kept beside it: the HTML and
// images the theme shows (render.Rendered), and what checking links
// found. Live keeps it from one edit to the next.
type made struct {
	render.Rendered
	bodies map[*content.Page]body
	links  map[*content.Page]*problem.List // each page's link problems
	files  map[*content.Page][]bundleFile  // the files each page links to, to publish
	images *images                         // every image but case photos; set by checkSite
	mu     sync.Mutex                      // guards Images while photos are processed

	compliance      map[*content.Page]*problem.List          // each page's and review's advertising problems
	allowed         map[*content.Page][]compliance.Allowance // the allowances each page used
	complianceSite  *problem.List                            // the advertising problems of site.yaml
	complianceCount int                                      // every advertising problem, at the last check
}

func newMade() *made {
	return &made{
		Rendered: render.Rendered{
			Bodies:  map[*content.Page]template.HTML{},
			Answers: map[*content.Page][]template.HTML{},
			Images:  map[string]render.Image{},
		},
		bodies: map[*content.Page]body{},
		links:  map[*content.Page]*problem.List{},
		files:  map[*content.Page][]bundleFile{},

		compliance:     map[*content.Page]*problem.List{},
		allowed:        map[*content.Page][]compliance.Allowance{},
		complianceSite: &problem.List{},
	}
}

// publish returns the Markdown renderer's hook that publishes a page's
// images through the image step, recording each in Images.
func (m *made) publish(ctx context.Context) func(string) (markdown.Published, bool) {
	if m.images == nil {
		return nil
	}
	return func(file string) (markdown.Published, bool) {
		img, err := m.images.image(ctx, file)
		if err != nil {
			return markdown.Published{}, false // the link checker reports it
		}
		m.mu.Lock()
		m.Images[file] = img
		m.mu.Unlock()
		return markdown.Published{Src: img.Src, Srcset: img.Srcset, Width: img.Width, Height: img.Height}, true
	}
}

// forget drops what was made of a page that an edit replaced.
func (m *made) forget(p *content.Page) {
	delete(m.Bodies, p)
	delete(m.Answers, p)
	delete(m.bodies, p)
	delete(m.links, p)
	delete(m.files, p)
	delete(m.compliance, p)
	delete(m.allowed, p)
}

// release lets go of what only checking needs, the links and heading IDs
// of every page: a tenth of the memory a large site's build holds.
func (m *made) release() {
	m.bodies, m.links = nil, nil
}

func (m *made) addLinkProblems(probs *problem.List) {
	for _, pl := range m.links {
		probs.Merge(pl)
	}
}

// allFiles returns the files every page links to.
func (m *made) allFiles() []bundleFile {
	var all []bundleFile
	for _, fs := range m.files {
		all = append(all, fs...)
	}
	return all
}

// body is what rendering a page's Markdown found, beside its HTML.
type body struct {
	links   []markdown.Link // the body's and the FAQ answers'
	ids     []string
	rawHTML []int // lines of raw HTML left out
}

// renderMarkdown renders the Markdown of pages, bodies and FAQ answers,
// with the one configured renderer on every worker, into m. A page's Body
// is let go once rendered: a quarter of the memory of a large site.
func (b *builder) renderMarkdown(ctx context.Context, pages []*content.Page, m *made) error {
	type result struct {
		html    template.HTML
		answers []template.HTML
		body    body
	}
	results := make([]result, len(pages))
	err := each(ctx, b.cfg.Workers, len(pages), func(i int) error {
		p := pages[i]
		src := markdown.Source{Body: p.Body, BodyLine: p.BodyLine, Dir: pageDir(p), FS: b.fsys, Publish: m.publish(ctx)}
		res, err := b.md.Render(src)
		if err != nil {
			return fmt.Errorf("%s: %w", p.File, err)
		}
		r := result{html: template.HTML(res.HTML), body: body{links: res.Links, ids: res.IDs, rawHTML: res.RawHTML}}
		if p.Procedure != nil {
			for j, qa := range p.Procedure.FAQ {
				src.Body, src.BodyLine = []byte(qa.A), p.Line(fmt.Sprintf("faq[%d].a", j))
				a, err := b.md.RenderInline(src)
				if err != nil {
					return fmt.Errorf("%s: faq[%d].a: %w", p.File, j, err)
				}
				r.answers = append(r.answers, template.HTML(a.HTML))
				r.body.links = append(r.body.links, a.Links...)
				r.body.rawHTML = append(r.body.rawHTML, a.RawHTML...)
			}
		}
		results[i] = r
		p.Body = nil
		return nil
	})
	if err != nil {
		return err
	}
	for i, p := range pages {
		m.Bodies[p] = results[i].html
		if results[i].answers != nil {
			m.Answers[p] = results[i].answers
		}
		m.bodies[p] = results[i].body
	}
	return nil
}

// pageDir is the folder a page's relative links resolve against in the
// site folder.
func pageDir(p *content.Page) string {
	if p.Bundle != "" {
		return p.Bundle
	}
	return path.Dir(p.File)
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
