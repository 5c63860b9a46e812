package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"sync"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/render"
)

// render is the fourth stage: it renders the pages of the run with the
// theme into the output. For the whole site that is every page, the
// generated pages of the gallery and the consultation form, 404.html,
// sitemap.xml, robots.txt and the alias redirects. After an edit it is
// the changed pages alone: when front matter changed, the files that show
// them (lists, pages that link them, the generated pages, 404.html and the
// sitemap) are left to render when they are next asked for (Live).
func (r *run) render(ctx context.Context) error {
	if r.live {
		r.overlay = overlay(r.problems().Len()) // only warnings: render runs while no problem is an error
	}
	if r.edit != nil {
		if r.meta {
			r.later = affected(r.site, r.changes)
			r.generated = generated(r.site)
			for _, p := range r.generated {
				r.later[pageFile(p.URL)] = renderPage(p)
			}
			r.later["404.html"], r.later["sitemap.xml"] = renderNotFound, renderSitemap
		}
		return r.renderPages(ctx, r.pages)
	}
	if err := r.renderPages(ctx, r.site.Pages); err != nil {
		return err
	}
	if err := r.generatedPages(ctx); err != nil {
		return err
	}
	return r.extras()
}

// A lazy renders a file of the output with a builder's current site,
// for Live to render when the file is next asked for.
type lazy func(b *builder, w io.Writer) error

func renderPage(p *content.Page) lazy {
	return func(b *builder, w io.Writer) error { return b.theme.Page(w, b.site, p, b.options()) }
}

func renderNotFound(b *builder, w io.Writer) error { return b.theme.NotFound(w, b.site, b.options()) }
func renderSitemap(b *builder, w io.Writer) error  { return render.Sitemap(w, b.site) }

// renderPages renders pages on every worker and writes them from one
// goroutine. Pages that list many others (home, sections, team members)
// go first, so that no long render is left for one worker at the end.
// Files created at once in one folder contend for its lock in the kernel:
// on the machines measured, writing from several goroutines cost more
// system time than all the rendering it overlapped, and writing in turn
// beside the renderers costs none.
func (r *run) renderPages(ctx context.Context, pages []*content.Page) error {
	order := make([]*content.Page, 0, len(pages))
	for _, p := range pages {
		if lists(p) {
			order = append(order, p)
		}
	}
	for _, p := range pages {
		if !lists(p) {
			order = append(order, p)
		}
	}
	type file struct {
		name string
		buf  *bytes.Buffer
	}
	bufs := sync.Pool{New: func() any { return new(bytes.Buffer) }}
	files := make(chan file, 4*r.cfg.Workers)
	written := make(chan error, 1)
	go func() {
		var err error
		for f := range files {
			if err == nil {
				err = r.writeFile(f.name, f.buf.Bytes())
			}
			bufs.Put(f.buf)
		}
		written <- err
	}()
	o := r.options()
	err := each(ctx, r.cfg.Workers, len(order), func(i int) error {
		p := order[i]
		buf := bufs.Get().(*bytes.Buffer)
		buf.Reset()
		if err := r.theme.Page(buf, r.site, p, o); err != nil {
			bufs.Put(buf)
			return fmt.Errorf("render %s: %w", p.File, err)
		}
		files <- file{pageFile(p.URL), buf}
		return nil
	})
	close(files)
	if werr := <-written; err == nil {
		err = werr
	}
	return err
}

func lists(p *content.Page) bool {
	return p.Kind == content.KindHome || p.Kind == content.KindSection || p.Kind == content.KindMember
}

// generated returns the pages no file holds: the gallery's listing pages
// by page number, procedure, category and surgeon, the photos page of
// every sensitive case, the consultation page of every procedure and
// surgeon (/consultation/<slug>/), and the reviews pages (/reviews/, by
// procedure and by surgeon).
func generated(s *content.Site) []*content.Page {
	return slices.Concat(render.GalleryPages(s), render.ConsultationPages(s), render.ReviewPages(s))
}

// generatedPages renders the generated pages.
func (r *run) generatedPages(ctx context.Context) error {
	pages := generated(r.site)
	r.generated = pages
	o := r.options()
	return each(ctx, r.cfg.Workers, len(pages), func(i int) error {
		var buf bytes.Buffer
		if err := r.theme.Page(&buf, r.site, pages[i], o); err != nil {
			return fmt.Errorf("render %s: %w", pages[i].URL, err)
		}
		return r.writeFile(pageFile(pages[i].URL), buf.Bytes())
	})
}

// extras renders 404.html, sitemap.xml, robots.txt and the alias
// redirects.
func (r *run) extras() error {
	var buf bytes.Buffer
	gen := func(name string, f func() error) error {
		buf.Reset()
		if err := f(); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		return r.writeFile(name, buf.Bytes())
	}
	err := errors.Join(
		gen("404.html", func() error { return renderNotFound(r.builder, &buf) }),
		gen("sitemap.xml", func() error { return renderSitemap(r.builder, &buf) }),
		gen("robots.txt", func() error { return render.Robots(&buf, r.site) }),
	)
	if err != nil {
		return err
	}
	for _, p := range r.site.Pages {
		for _, a := range p.Aliases {
			if err := gen(pageFile(a), func() error { return render.Alias(&buf, r.site, p) }); err != nil {
				return err
			}
			r.aliases++
		}
	}
	return nil
}

// affected returns the files of the pages other than the changed ones
// that show what changes changed: the list pages and every page that
// shows a changed one.
func affected(site *content.Site, changes []content.Change) map[string]lazy {
	changed := map[*content.Page]bool{}
	for _, c := range changes {
		if c.New != nil && site.ByURL[c.New.URL] == c.New {
			changed[c.New] = true
		}
	}
	files := map[string]lazy{}
	for _, p := range site.Pages {
		if !changed[p] && (p.Kind == content.KindHome || p.Kind == content.KindSection || showsAny(p, changed)) {
			files[pageFile(p.URL)] = renderPage(p)
		}
	}
	return files
}

// showsAny reports whether p links to or lists any of pages.
func showsAny(p *content.Page, pages map[*content.Page]bool) bool {
	listed := func(refs ...[]*content.Page) bool {
		for _, rs := range refs {
			for _, r := range rs {
				if pages[r] {
					return true
				}
			}
		}
		return false
	}
	switch {
	case p.Procedure != nil:
		return listed(p.Procedure.Surgeons, p.Procedure.Related, p.Procedure.Cases)
	case p.Member != nil:
		return listed(p.Member.Procedures)
	case p.Case != nil:
		return pages[p.Case.Procedure] || pages[p.Case.Surgeon]
	}
	return false
}
