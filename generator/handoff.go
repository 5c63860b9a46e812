package generator

import (
	"errors"
	"html/template"
	"io"
	"io/fs"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/markdown"
	"github.com/consultahq/consulta/generator/render"
	"github.com/consultahq/consulta/internal/form"
)

// formPage returns the theme's "consultation-form-page", executed once
// with a form.Page with mistakes so that a theme whose page needs other
// data is refused here rather than when a patient makes a mistake.
func formPage(fsys fs.FS, theme string) (*template.Template, error) {
	th, err := render.Load(fsys, theme)
	if err != nil {
		return nil, err
	}
	t, err := th.FormTemplate(fsys)
	switch {
	case err != nil:
		return nil, err
	case t == nil:
		return nil, errors.New(`the theme defines no "consultation-form-page"`)
	}
	if err := t.Execute(io.Discard, form.Page{
		Errors:  map[string]string{"email": "x"},
		Summary: []form.FieldError{{Field: "email", Message: "x"}},
	}); err != nil {
		return nil, err
	}
	return t, nil
}

// careHTML renders the text of every care file of the site with the
// site's Markdown. A link written as a path of the site ("/financing/")
// is made absolute against base_url: it is read in an email.
func careHTML(site *content.Site) map[string]template.HTML {
	if site.Care == nil {
		return nil
	}
	md := markdown.New(markdown.Options{UnsafeHTML: site.Config.Markdown.UnsafeHTML})
	base := strings.TrimSuffix(site.Config.BaseURL, "/")
	out := map[string]template.HTML{}
	add := func(pg *content.Page) {
		if pg == nil {
			return
		}
		res, err := md.Render(markdown.Source{Body: pg.Body, BodyLine: pg.BodyLine})
		if err != nil {
			return // checked when the site was built
		}
		out[pg.File] = template.HTML(strings.ReplaceAll(res.HTML, `href="/`, `href="`+base+`/`))
	}
	for _, pages := range site.Care.Procedures {
		for _, pg := range pages {
			add(pg)
		}
	}
	for _, pg := range site.Care.Defaults {
		add(pg)
	}
	return out
}
