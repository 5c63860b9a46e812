// Package render turns a loaded site into HTML with a theme.
//
// A theme is a folder of html/template files:
//
//	layouts/base.html       the page skeleton; defines "base"
//	layouts/<kind>.html     one per page kind (home, section, procedure, member, page, case, 404);
//	                        each defines "main" (and may define "head" or "scripts")
//	layouts/<section>.html  optional: a section's own list page, e.g. gallery.html for /gallery/
//	partials/*.html         named templates shared by every layout
//	static/*                files published under /assets/ with a content hash in the name
//
// Layouts leave named, empty blocks that a partial may fill with
// {{define "<name>"}} without editing the layout: "head" and "scripts"
// (base.html), "home-extra", "section-extra", "member-extra", "page-extra",
// and on the page at Config.Form.Page "consultation-form", on the page at
// Config.Form.ThankYou "thank-you". A block left empty never replaces a
// partial's definition, whatever the order the files are parsed in.
//
// A part of pages that reads the site alone, such as the footer, is
// rendered once a site with {{sitewide "footer" .}}; one that reads one
// page's front matter alone, such as a procedure's card in every list of
// procedures, once a site and page with {{cached "procedure-card" .}}.
//
// The built-in theme is [themes.FS]'s default/. A site's own themes/<name>/
// overrides any file of it, file by file. Templates are executed with a
// [View], a typed struct, so that a misspelt field fails when the theme is
// loaded rather than printing nothing.
package render

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/themes"
)

// Options are what a build gives the theme beside the site.
type Options struct {
	// Overlay is what `consulta serve` adds at the top of every page's
	// body, after the skip link, in the page's flow so that it covers
	// nothing: a notice of the site's warnings while it has any, and the
	// script that reloads the page after each edit. Empty in a build, and
	// then pages carry nothing of it.
	Overlay template.HTML

	// Rendered is what the generator made of the site's Markdown and
	// photos; nil renders pages without a body or photos.
	Rendered Rendered
}

// Rendered is what the generator makes of a site's content before the
// theme runs: Markdown as HTML, photos as published images. It is kept
// beside the site, not in it, so that the content model holds content only.
type Rendered interface {
	Body(p *content.Page) Body // a page's Markdown; zero for a page not rendered
	Image(file string) Image   // a published photo by its source file, e.g. "content/gallery/case-1/before.jpg"; zero when it has none
}

// Body is a page's Markdown as the theme shows it.
type Body struct {
	HTML        template.HTML   // the page's body
	Answers     []template.HTML // a procedure's FAQ answers, indexed like Procedure.FAQ, without a paragraph around one line
	AnswerTexts []string        // the same answers as plain text, for places that take no HTML
	IDs         []string        // the body's heading IDs: #fragment links to the page, and its contents
}

// Image is a published photo in several widths.
type Image struct {
	Src    string // URL of the middle width
	Srcset string // "URL 480w, URL 960w, URL 1440w"
	Width  int    // of Src
	Height int    // of Src
}

// Asset is a static file of the theme, published at Path.
type Asset struct {
	Path string // URL path with a content hash, e.g. "/assets/site.3f2a1c9e.css"
	Data []byte
}

// Theme is a loaded theme: parsed layouts and fingerprinted static files.
// It is safe for concurrent use.
type Theme struct {
	name    string
	layouts map[string]*template.Template // by layout name without ".html", e.g. "procedure"
	assets  []Asset
	urls    map[string]string // static file name (e.g. "site.css") → published URL
	once    sitewideCache
}

// Load loads the theme called name: the built-in default theme overridden,
// file by file, by the site's own themes/<name>/. siteFS is rooted at the
// site folder. A theme other than the built-in one (themes.Default) must
// exist in the site folder.
// Load parses every template and executes every layout once against a
// sample site, so that a mistake in a theme is reported here.
func Load(siteFS fs.FS, name string) (*Theme, error) {
	files, err := themeFiles(siteFS, name)
	if err != nil {
		return nil, err
	}
	t := &Theme{
		name:    name,
		layouts: map[string]*template.Template{},
		urls:    map[string]string{},
	}
	t.fingerprint(files)
	if err := t.parse(files); err != nil {
		return nil, err
	}
	if err := t.selfCheck(); err != nil {
		return nil, err
	}
	return t, nil
}

// themeFiles reads the built-in default theme and overlays the site's own
// themes/<name>/ on it. Keys are paths inside the theme, e.g. "layouts/base.html".
func themeFiles(siteFS fs.FS, name string) (map[string]themeFile, error) {
	files := map[string]themeFile{}
	builtin, err := fs.Sub(themes.FS, themes.Default)
	if err != nil {
		return nil, fmt.Errorf("load built-in theme: %w", err)
	}
	if err := readTree(builtin, "(built-in)/", files); err != nil {
		return nil, fmt.Errorf("load built-in theme: %w", err)
	}
	dir := "themes/" + name
	info, err := fs.Stat(siteFS, dir)
	switch {
	case err == nil && info.IsDir():
		own, err := fs.Sub(siteFS, dir)
		if err != nil {
			return nil, fmt.Errorf("load theme %s: %w", dir, err)
		}
		if err := readTree(own, dir+"/", files); err != nil {
			return nil, fmt.Errorf("load theme %s: %w", dir, err)
		}
	case name != themes.Default:
		return nil, fmt.Errorf("load theme %q: no folder %s/ in the site — create it, or set theme: default in content/site.yaml", name, dir)
	}
	return files, nil
}

// themeFile is one file of a theme and where it came from, for messages.
type themeFile struct {
	origin string // e.g. "themes/default/layouts/page.html" or "(built-in)/layouts/page.html"
	data   []byte
}

func readTree(fsys fs.FS, origin string, files map[string]themeFile) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || strings.HasPrefix(d.Name(), ".") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		files[p] = themeFile{origin: origin + p, data: data}
		return nil
	})
}

// parse builds one template set per layout: base.html, every partial, then
// the layout itself, which defines "main".
func (t *Theme) parse(files map[string]themeFile) error {
	base, ok := files["layouts/base.html"]
	if !ok {
		return errors.New("load theme: no layouts/base.html")
	}
	common := template.New("").Funcs(t.funcs())
	if _, err := common.New(base.origin).Parse(string(base.data)); err != nil {
		return fmt.Errorf("load theme: %w", err)
	}
	var layouts []string
	for _, p := range sortedKeys(files) {
		dir, name := path.Split(p)
		switch {
		case path.Ext(name) != ".html":
		case dir == "partials/":
			if _, err := common.New(files[p].origin).Parse(string(files[p].data)); err != nil {
				return fmt.Errorf("load theme: %w", err)
			}
		case dir == "layouts/" && name != "base.html":
			layouts = append(layouts, p)
		}
	}
	for _, p := range layouts {
		set, err := common.Clone()
		if err != nil {
			return fmt.Errorf("load theme: %w", err)
		}
		if _, err := set.New(files[p].origin).Parse(string(files[p].data)); err != nil {
			return fmt.Errorf("load theme: %w", err)
		}
		if set.Lookup("base") == nil {
			return fmt.Errorf("load theme: %s: layouts/base.html defines no \"base\" template", base.origin)
		}
		t.layouts[strings.TrimSuffix(path.Base(p), ".html")] = set
	}
	for _, kind := range []string{"home", "section", "procedure", "member", "page", "404"} {
		if t.layouts[kind] == nil {
			return fmt.Errorf("load theme: no layouts/%s.html", kind)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// layout chooses the layout of a page: a section's own layout when the
// theme has one (gallery.html for /gallery/), else the kind's, else page.
func (t *Theme) layout(p *content.Page) *template.Template {
	if p.Kind == content.KindSection && !isKind(p.Section) {
		if set := t.layouts[p.Section]; set != nil {
			return set
		}
	}
	if set := t.layouts[string(p.Kind)]; set != nil {
		return set
	}
	return t.layouts["page"]
}

func isKind(name string) bool {
	switch content.Kind(name) {
	case content.KindHome, content.KindSection, content.KindProcedure, content.KindMember, content.KindCase, content.KindPage:
		return true
	}
	return name == "404"
}

// Page renders the page p of site s.
func (t *Theme) Page(w io.Writer, s *content.Site, p *content.Page, o Options) error {
	if err := t.layout(p).ExecuteTemplate(w, "base", t.view(s, p, o)); err != nil {
		return fmt.Errorf("render %s: %w", p.URL, err)
	}
	return nil
}

// NotFound renders the site's 404 page, published as /404.html.
func (t *Theme) NotFound(w io.Writer, s *content.Site, o Options) error {
	p := &content.Page{
		Meta: content.Meta{Title: "Page not found", Description: "The page you were looking for is not here."},
		Kind: "404",
		URL:  "/404.html",
	}
	if err := t.layouts["404"].ExecuteTemplate(w, "base", t.view(s, p, o)); err != nil {
		return fmt.Errorf("render 404 page: %w", err)
	}
	return nil
}

// Type returns the theme's type, its "type" template (web fonts and
// stylesheet, for a page's head), for a page of consulta's own, such as
// the list of a site's problems, to be set as the site is; "" when the
// theme has none.
func (t *Theme) Type() template.HTML {
	var b strings.Builder
	set := t.layouts["page"]
	if set == nil || set.Lookup("type") == nil || set.ExecuteTemplate(&b, "type", nil) != nil {
		return ""
	}
	return template.HTML(b.String())
}

// Assets returns the theme's static files with their fingerprinted paths.
func (t *Theme) Assets() []Asset { return t.assets }

// selfCheck executes every layout against a sample site, so that a
// misspelt field or a missing asset fails at load time.
func (t *Theme) selfCheck() error {
	s := sampleSite()
	o := Options{Overlay: "<script></script>", Rendered: sampleRendered(s)}
	var buf bytes.Buffer
	for _, name := range sortedKeys(t.layouts) {
		for _, p := range samplePages(s, name) {
			buf.Reset()
			if err := t.layouts[name].ExecuteTemplate(&buf, "base", t.view(s, p, o)); err != nil {
				return fmt.Errorf("load theme: layout %s: %w", name, err)
			}
		}
	}
	return nil
}
