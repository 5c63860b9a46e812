package render

import (
	"cmp"
	"html/template"
	"path"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/internal/form"
)

// View is the data every layout and partial is executed with.
type View struct {
	Site   *content.Site
	Page   *content.Page
	Config *content.Config // &Site.Config, for short

	Title       string        // the <title>: "Rhinoplasty in Dublin — Harbour Aesthetic Surgery"; at home the practice's name and town
	Description string        // meta description: the page's, else a procedure's summary, else the home page's
	Canonical   string        // absolute URL of the page; "" on the 404 page
	OGType      string        // Open Graph type: "website" at home, else "article"
	Breadcrumbs []Crumb       // from Home to the page itself; empty at home
	Nav         []NavItem     // the main navigation
	JSONLD      template.JS   // the page's structured data, a JSON-LD @graph
	Palette     template.CSS  // the site's palette as CSS custom properties; "" when site.yaml sets none
	BookURL     string        // the consultation form, with the page's procedure or surgeon chosen: see bookingFor
	BookLabel   string        // what the page's Book buttons say: "Book a consultation", "Book with Dr Hart"
	Tel         template.URL  // the practice's phone as a tel: URL; "" when site.yaml has no phone
	HTML        template.HTML // the page's Markdown body
	Overlay     template.HTML // what consulta serve adds to the page (Options.Overlay); "" in a build
	NoIndex     bool          // keep the page out of search engines: the 404, thank-you and generated consultation pages
	OGImage     string        // absolute URL of the Open Graph image; "" when the site has none
	Preselect   string        // the procedure the consultation form starts with, on /consultation/<procedure>/
	Surgeon     string        // the surgeon the consultation form starts with, on /consultation/<surgeon>/
	BookingBar  bool          // show the slim Call/Book bar at phone widths: not on the pages with the form

	rendered     Rendered
	body         Body          // the page's own
	consultation string        // the site's first consultation in words, for BookNote
	bestTimes    []form.Choice // the form's best times to call
	noted        bool          // BookNote has given it
}

// Crumb is one step of a breadcrumb trail.
type Crumb struct {
	Title   string
	URL     string
	Current bool // the page itself: the last crumb
}

// NavItem is one link of the main navigation.
type NavItem struct {
	Title   string
	URL     string
	Current string // aria-current: "page" on the item's own page, "true" below it, else ""
}

// Group is one category of procedures.
type Group struct {
	Category   content.Category
	Procedures []*content.Page
	More       int // procedures left out by a limit
}

func (t *Theme) view(s *content.Site, p *content.Page, o Options) *View {
	cfg := &s.Config
	site := t.once.values(s)
	v := &View{
		Site:        s,
		Page:        p,
		Config:      cfg,
		Title:       p.Title,
		Description: p.Description,
		OGType:      "article",
		Tel:         site.tel,
		Palette:     site.palette,
		Overlay:     o.Overlay,
		rendered:    o.Rendered,
	}
	book := bookingFor(s, p)
	v.BookURL, v.BookLabel, v.consultation, v.bestTimes = book.url, book.label, site.consultation, site.bestTimes
	if v.rendered == nil {
		v.rendered = unrendered{}
	}
	v.body = v.rendered.Body(p)
	v.HTML = v.body.HTML
	if p.Kind == content.KindHome {
		v.OGType = "website"
	}
	v.Title = pageTitle(p, cfg)
	if v.Description == "" && p.Procedure != nil {
		v.Description = p.Procedure.Summary
	}
	if v.Description == "" && s.Home != nil {
		v.Description = s.Home.Description
	}
	if p.Kind != "404" {
		v.Canonical = absURL(cfg.BaseURL, p.URL)
	}
	formPage := cfg.Form.Page
	if p.Kind == KindConsultation {
		c := consultationChoice(s, p)
		v.Preselect, v.Surgeon = c.procedure, c.surgeon
		v.Canonical = absURL(cfg.BaseURL, formPage)
		if form := s.ByURL[formPage]; form != nil {
			v.HTML = v.rendered.Body(form).HTML // the page is a copy of the form page
		}
	}
	v.NoIndex = p.Kind == "404" || p.Kind == KindConsultation || p.URL == cfg.Form.ThankYou
	v.BookingBar = p.URL != formPage && p.Kind != KindConsultation && p.URL != cfg.Form.ThankYou && p.Kind != "404"
	if img := v.ShareImage(); img.Src != "" {
		v.OGImage = absURL(cfg.BaseURL, img.Src)
	}
	v.Breadcrumbs = breadcrumbs(s, p)
	v.Nav = nav(s, p)
	v.JSONLD = jsonLD(v)
	return v
}

// MaxTitle is the longest <title>, in characters, that search results
// show whole.
const MaxTitle = 70

// pageTitle is the page's <title>: its title with the town where a
// patient searches by it (at home, on a procedure page) and the
// practice's name, leaving out first the name, then the town, where the
// whole would be longer than MaxTitle.
func pageTitle(p *content.Page, cfg *content.Config) string {
	var candidates []string
	switch {
	case p.Kind == content.KindHome && cfg.Town != "" && !strings.Contains(p.Title, cfg.Town):
		candidates = []string{p.Title + ", " + cfg.Town}
	case p.Kind == content.KindProcedure && cfg.Town != "":
		candidates = []string{p.Title + " in " + cfg.Town + " — " + cfg.Name, p.Title + " in " + cfg.Town}
	case p.Title != cfg.Name:
		candidates = []string{p.Title + " — " + cfg.Name}
	}
	for _, c := range candidates {
		if utf8.RuneCountInString(c) <= MaxTitle {
			return c
		}
	}
	return p.Title
}

// ThemeColour is the colour browsers may tint their bar with: the site's paper.
func (v *View) ThemeColour() string {
	if isHexColour(v.Config.Palette.Paper) {
		return v.Config.Palette.Paper
	}
	return "#fbf9f6"
}

// IsForm reports whether the page shows the consultation form: the form
// page and its generated /consultation/<procedure>/ pages.
func (v *View) IsForm() bool {
	return v.Page.URL == v.Config.Form.Page || v.Page.Kind == KindConsultation
}

// slugOf is the last element of a page's URL: the name other pages use for it.
func slugOf(p *content.Page) string {
	return path.Base(strings.TrimSuffix(p.URL, "/"))
}

func absURL(base, url string) string {
	return strings.TrimSuffix(base, "/") + url
}

// telURL keeps only the digits and plus sign of a phone number, so the
// result is safe as a URL.
func telURL(phone string) template.URL {
	var b strings.Builder
	for _, r := range phone {
		if r == '+' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.URL("tel:" + b.String())
}

// paletteCSS turns the site's palette into CSS custom properties. Only
// #rgb and #rrggbb colours are written (the loader reports any other).
func paletteCSS(p content.Palette) template.CSS {
	var b strings.Builder
	for _, c := range []struct{ name, value string }{{"ink", p.Ink}, {"paper", p.Paper}, {"accent", p.Accent}, {"muted", p.Muted}} {
		if isHexColour(c.value) {
			b.WriteString("--" + c.name + ":" + c.value + ";")
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.CSS(":root{" + b.String() + "}")
}

func isHexColour(s string) bool {
	h, ok := strings.CutPrefix(s, "#")
	if !ok || len(h) != 3 && len(h) != 6 {
		return false
	}
	return strings.Trim(strings.ToLower(h), "0123456789abcdef") == ""
}

// breadcrumbs lists Home, every ancestor page that exists, and the page.
func breadcrumbs(s *content.Site, p *content.Page) []Crumb {
	if p.Kind == content.KindHome {
		return nil
	}
	crumbs := []Crumb{{Title: "Home", URL: "/"}}
	parts := strings.Split(strings.Trim(p.URL, "/"), "/")
	for i := 1; i < len(parts); i++ {
		url := "/" + strings.Join(parts[:i], "/") + "/"
		if a := s.ByURL[url]; a != nil {
			crumbs = append(crumbs, Crumb{Title: a.Title, URL: url})
		}
	}
	return append(crumbs, Crumb{Title: p.Title, URL: p.URL, Current: true})
}

// NavCurrent is what the header shows of the page's place in the site:
// "home" at home, else the navigation item the page is at or under and
// how (e.g. "/procedures/ true"), else "". It is a key of the header's
// {{cached}}.
func (v *View) NavCurrent() string {
	if v.Page.URL == "/" {
		return "home"
	}
	for _, item := range v.Nav {
		if item.Current != "" {
			return item.URL + " " + item.Current
		}
	}
	return ""
}

// nav lists the sections a practice site has, then the consultation page.
func nav(s *content.Site, p *content.Page) []NavItem {
	var items []NavItem
	add := func(title, url string) {
		if s.ByURL[url] == nil {
			return
		}
		item := NavItem{Title: title, URL: url}
		switch {
		case p.URL == url:
			item.Current = "page"
		case strings.HasPrefix(p.URL, url):
			item.Current = "true"
		}
		items = append(items, item)
	}
	for _, sec := range []struct{ name, title string }{{"procedures", "Procedures"}, {"gallery", "Gallery"}, {"team", "Our team"}} {
		if pg := s.Sections[sec.name]; pg != nil {
			add(sec.title, pg.URL)
		}
	}
	add("About", "/about/")
	return items
}

// ProcedureGroups returns the site's procedures grouped by category in the
// order of content/site.yaml, leaving out empty categories. With limit > 0,
// each group holds at most limit procedures and More counts the rest.
func (v *View) ProcedureGroups(limit int) []Group {
	byCat := map[string][]*content.Page{}
	for _, p := range v.Site.Procedures {
		if p.Procedure != nil {
			byCat[p.Procedure.Category] = append(byCat[p.Procedure.Category], p)
		}
	}
	var groups []Group
	for _, c := range v.Config.Categories {
		ps := byCat[c.Slug]
		if len(ps) == 0 {
			continue
		}
		g := Group{Category: c, Procedures: ps}
		if limit > 0 && len(ps) > limit {
			g.Procedures, g.More = ps[:limit], len(ps)-limit
		}
		groups = append(groups, g)
	}
	return groups
}

// SectionPages returns the pages of the current page's section other than
// the section page itself, by weight, then title.
func (v *View) SectionPages() []*content.Page {
	var ps []*content.Page
	for _, p := range v.Site.Pages {
		if p.Section == v.Page.Section && p != v.Page && p.Kind != content.KindSection {
			ps = append(ps, p)
		}
	}
	slices.SortStableFunc(ps, func(a, b *content.Page) int {
		return cmp.Or(cmp.Compare(a.Weight, b.Weight), cmp.Compare(a.Title, b.Title))
	})
	return ps
}

// Surgeons returns the team members whose role is surgeon.
func (v *View) Surgeons() []*content.Page { return v.members(true) }

// Staff returns the team members who are not surgeons.
func (v *View) Staff() []*content.Page { return v.members(false) }

func (v *View) members(surgeons bool) []*content.Page {
	var ms []*content.Page
	for _, m := range v.Site.Members {
		if m.Member != nil && isSurgeon(m) == surgeons {
			ms = append(ms, m)
		}
	}
	return ms
}

// IsSurgeon reports whether p is a team member whose role is surgeon.
func (v *View) IsSurgeon(p *content.Page) bool { return isSurgeon(p) }

func isSurgeon(p *content.Page) bool {
	return p.Member != nil && strings.EqualFold(p.Member.Role, "surgeon")
}

// PageAt returns the page at url, or nil: for links to pages a site may not have.
func (v *View) PageAt(url string) *content.Page { return v.Site.ByURL[url] }

// Photo is one before/after pair of a case, with its published images.
type Photo struct {
	content.PhotoPair
	BeforeImage Image
	AfterImage  Image
}

// Photos returns the before/after pairs of the current page's case.
func (v *View) Photos() []Photo { return v.photos(v.Page) }

func (v *View) photos(p *content.Page) []Photo {
	if p == nil || p.Case == nil {
		return nil
	}
	out := make([]Photo, len(p.Case.Photos))
	for i, ph := range p.Case.Photos {
		out[i] = Photo{PhotoPair: ph, BeforeImage: v.image(ph.BeforeFile.Path), AfterImage: v.image(ph.AfterFile.Path)}
	}
	return out
}

// Answer is one frequently asked question with its answer as HTML.
type Answer struct {
	Q    string
	A    template.HTML
	text string // A as plain text
}

// FAQ returns the current procedure's questions and answers.
func (v *View) FAQ() []Answer {
	pr := v.Page.Procedure
	if pr == nil {
		return nil
	}
	out := make([]Answer, len(pr.FAQ))
	for i, qa := range pr.FAQ {
		out[i].Q = qa.Q
		if i < len(v.body.Answers) && i < len(v.body.AnswerTexts) {
			out[i].A, out[i].text = v.body.Answers[i], v.body.AnswerTexts[i]
		}
	}
	return out
}

// unrendered is the Rendered of pages rendered before any Markdown or
// photo: no body, no images.
type unrendered struct{}

func (unrendered) Body(*content.Page) Body { return Body{} }
func (unrendered) Image(string) Image      { return Image{} }
