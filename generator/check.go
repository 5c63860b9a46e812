package generator

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"

	"github.com/consultahq/consulta/generator/compliance"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/favicon"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/generator/render"
)

// built is what the stages made of one page, kept beside the page as it
// was loaded: its Markdown as the theme shows it, what checking it found,
// and the files and images it uses. check makes it; images adds the
// problems of images that cannot be made.
type built struct {
	render.Body
	links   []markdown.Link // the body's and the FAQ answers'
	rawHTML []int           // lines of raw HTML left out
	files   []bundleFile    // files the page links to, published beside it
	images  []imageUse      // the JPEG, PNG and SVG images it shows
	probs   problem.List    // its problems: links, images, advertising rules
	rules   int             // of probs, how many the advertising rules found
	allowed []compliance.Allowance
}

// load is the first stage: read the site, or the files an edit changed,
// and the theme.
func (r *run) load(ctx context.Context) error {
	if r.edit != nil {
		return r.reload(ctx)
	}
	site, probs := r.loader.Load(ctx)
	r.loaded = probs
	if site == nil {
		if err := probs.Err(); err != nil {
			return err
		}
		return errors.New("load the site: content/ could not be read")
	}
	r.site = site
	theme, err := render.Load(r.cfg.Site, site.Config.Theme)
	if err != nil {
		return fmt.Errorf("load theme %q: %w", site.Config.Theme, err)
	}
	r.theme = theme
	r.md = markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML})
	if r.images, err = newImages(r.cfg.Site, r.cfg.CacheDir, site.Config); err != nil {
		return err
	}
	r.pages = slices.Concat(site.Pages, site.Reviews)
	return nil
}

// check is the second stage: for each page of the run it renders the
// Markdown, checks the advertising rules, plans the images and checks the
// links, into the page's record; and it checks what only the whole site
// shows. After it, every problem of the content is known.
func (r *run) check(ctx context.Context) error {
	if r.edit == nil {
		if err := r.checkSettings(); err != nil {
			return err
		}
	}
	recs := make([]*built, len(r.pages))
	for i, p := range r.pages {
		recs[i] = &built{}
		r.built[p] = recs[i]
	}
	if err := r.checkRules(ctx, recs); err != nil {
		return err
	}
	err := each(ctx, r.cfg.Workers, len(r.pages), func(i int) error {
		if err := r.renderMarkdown(r.pages[i], recs[i]); err != nil {
			return err
		}
		return r.planImages(r.pages[i], recs[i])
	})
	if err != nil {
		return err
	}
	links := newLinkChecker(r)
	for i, p := range r.pages {
		links.page(p, recs[i])
		if err := r.reportImages(p.File, recs[i].images, &recs[i].probs); err != nil {
			return err
		}
	}
	r.gallery = problem.List{}
	checkGalleryURLs(r.site, &r.gallery)
	return nil
}

// checkSettings checks what content/site.yaml names beyond its own
// fields: the advertising rules' wording in it, the brand's images, the
// favicon and the logo emails show.
func (r *run) checkSettings() error {
	r.settings = problem.List{}
	r.startRules()
	r.brand = brandImages(r.site)
	if err := r.planUses(r.brand); err != nil {
		return err
	}
	if err := r.reportImages("content/site.yaml", r.brand, &r.settings); err != nil {
		return err
	}
	cfg := r.site.Config
	if cfg.Favicon != "" {
		file := render.BrandFile(cfg.Favicon)
		if src, err := fs.ReadFile(r.cfg.Site, file); err == nil { // a missing file is reported when the site was loaded
			if err := favicon.Check(src); err != nil {
				r.settings.Errorf("content/site.yaml", r.site.ConfigLines["favicon"], "favicon", "%s: %v", path.Base(file), err)
			}
		}
	}
	r.emailLogo = r.makeEmailLogo(&r.settings)
	return nil
}

// renderMarkdown renders the Markdown of a page, its body and FAQ
// answers, with the one configured renderer, into its record.
func (r *run) renderMarkdown(p *content.Page, rec *built) error {
	if p.Kind == content.KindReview {
		return nil // a review's text is plain, and shown as it is
	}
	src := markdown.Source{Body: p.Body, BodyLine: p.BodyLine, Dir: pageDir(p), FS: r.cfg.Site, Image: r.images.markdownImage}
	res, err := r.md.Render(src)
	if err != nil {
		return fmt.Errorf("%s: %w", p.File, err)
	}
	rec.HTML, rec.links, rec.IDs, rec.rawHTML = template.HTML(res.HTML), res.Links, res.IDs, res.RawHTML
	if p.Procedure == nil {
		return nil
	}
	for j, qa := range p.Procedure.FAQ {
		src.Body, src.BodyLine = []byte(qa.A), p.Line(fmt.Sprintf("faq[%d].a", j))
		a, err := r.md.RenderInline(src)
		if err != nil {
			return fmt.Errorf("%s: faq[%d].a: %w", p.File, j, err)
		}
		rec.Answers = append(rec.Answers, template.HTML(a.HTML))
		rec.AnswerTexts = append(rec.AnswerTexts, a.Text)
		rec.links = append(rec.links, a.Links...)
		rec.rawHTML = append(rec.rawHTML, a.RawHTML...)
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

// checkGalleryURLs reports cases whose URL is taken by a generated gallery
// page, e.g. a case folder named like a procedure (/gallery/rhinoplasty/).
func checkGalleryURLs(site *content.Site, probs *problem.List) {
	for _, g := range render.GalleryPages(site) {
		if p := site.ByURL[g.URL]; p != nil && p.Kind == content.KindCase {
			probs.Errorf(p.File, 0, "", "the URL %s is the gallery page of %q — rename the case's folder so that it is not a procedure's name, e.g. add \"-case-1\"", g.URL, g.Title)
		}
	}
}
