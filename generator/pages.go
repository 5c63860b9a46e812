package generator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/render"
)

// render is the fourth stage: it renders the pages of the run with the
// theme into the output. For the whole site that is every page, the
// generated pages of the gallery and the consultation form, 404.html,
// sitemap.xml, robots.txt and the alias redirects. After an edit it is
// the changed pages; the pages that show them are rendered when they are
// next asked for (Live), and the generated pages and the sitemap again
// when front matter changed.
func (r *run) render(ctx context.Context) error {
	if r.live {
		r.overlay = overlay(r.problems().Len()) // only warnings: render runs while no problem is an error
	}
	pages := r.pages
	if r.edit != nil {
		r.stale = affected(r.site, r.changes, r.meta)
	} else {
		pages = r.site.Pages
	}
	if err := r.renderPages(ctx, pages); err != nil {
		return err
	}
	if r.edit != nil && !r.meta {
		return nil
	}
	if err := r.generatedPages(ctx); err != nil {
		return err
	}
	return r.extras(r.edit == nil)
}

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

// generatedPages renders the pages no file holds: the gallery's listing
// pages by page number, procedure, category and surgeon, the photos page
// of every sensitive case, and the consultation page of every procedure
// (/consultation/<procedure>/).
func (r *run) generatedPages(ctx context.Context) error {
	pages := append(render.GalleryPages(r.site), render.ConsultationPages(r.site)...)
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

// extras renders 404.html and sitemap.xml, and with all robots.txt and
// the alias redirects.
func (r *run) extras(all bool) error {
	var buf bytes.Buffer
	gen := func(name string, f func() error) error {
		buf.Reset()
		if err := f(); err != nil {
			return fmt.Errorf("render %s: %w", name, err)
		}
		return r.writeFile(name, buf.Bytes())
	}
	err := errors.Join(
		gen("404.html", func() error { return r.theme.NotFound(&buf, r.site, r.options()) }),
		gen("sitemap.xml", func() error { return render.Sitemap(&buf, r.site) }),
	)
	if err != nil || !all {
		return err
	}
	if err := gen("robots.txt", func() error { return render.Robots(&buf, r.site) }); err != nil {
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

// affected returns the pages other than the changed ones that show what
// changes changed: when front matter changed (meta), the list pages and
// every page that shows a changed one.
func affected(site *content.Site, changes []content.Change, meta bool) []*content.Page {
	if !meta {
		return nil
	}
	changed := map[*content.Page]bool{}
	for _, c := range changes {
		if c.New != nil && site.ByURL[c.New.URL] == c.New {
			changed[c.New] = true
		}
	}
	set := maps.Clone(changed)
	var pages []*content.Page
	for _, p := range site.Pages {
		if !set[p] && (p.Kind == content.KindHome || p.Kind == content.KindSection || showsAny(p, changed)) {
			set[p] = true
			pages = append(pages, p)
		}
	}
	return pages
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
