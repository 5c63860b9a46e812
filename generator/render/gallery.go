package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/consultahq/consulta/generator/content"
)

// The gallery's generated pages, beside the content pages /gallery/ and
// /gallery/<case>/:
//
//	/gallery/page/N/                       every case, page N (newest first)
//	/gallery/<procedure>/[page/N/]         the cases of one procedure
//	/gallery/category/<slug>/[page/N/]     the cases of one category
//	/gallery/surgeon/<slug>/[page/N/]      the cases of one surgeon
//	/gallery/<case>/photos/                a sensitive case's photos, for
//	                                       visitors without JavaScript
//
// Listing pages are rendered with the gallery layout and read what they
// list from their own URL ([View.Gallery]), so that every listing is a
// plain page that works without JavaScript.

// KindCasePhotos is the kind of a sensitive case's photos page; its
// layout is layouts/case-photos.html.
const KindCasePhotos content.Kind = "case-photos"

// galleryRoot is the URL of the gallery.
const galleryRoot = "/gallery/"

// filter is one way of narrowing the gallery.
type filter struct {
	kind  string // "", "category", "procedure", "surgeon"
	slug  string
	title string
}

func (f filter) url() string {
	switch f.kind {
	case "procedure":
		return galleryRoot + f.slug + "/"
	case "category", "surgeon":
		return galleryRoot + f.kind + "/" + f.slug + "/"
	}
	return galleryRoot
}

// pageURL is the URL of page n of a filter's listing.
func (f filter) pageURL(n int) string {
	if n <= 1 {
		return f.url()
	}
	return f.url() + "page/" + strconv.Itoa(n) + "/"
}

func (f filter) matches(c *content.Page) bool {
	cs := c.Case
	switch f.kind {
	case "procedure":
		return cs.ProcedureSlug == f.slug
	case "surgeon":
		return cs.SurgeonSlug == f.slug
	case "category":
		return cs.Procedure != nil && cs.Procedure.Procedure != nil && cs.Procedure.Procedure.Category == f.slug
	}
	return true
}

// filters lists every filter with at least one case, and how many: the
// whole gallery, then categories (site order), procedures and surgeons
// (site order). One pass over the cases.
func filters(s *content.Site) ([]filter, map[filter]int) {
	counts := map[filter]int{}
	for _, c := range s.Cases {
		cs := c.Case
		if cs == nil {
			continue
		}
		counts[filter{}]++
		counts[filter{kind: "procedure", slug: cs.ProcedureSlug}]++
		counts[filter{kind: "surgeon", slug: cs.SurgeonSlug}]++
		if cs.Procedure != nil && cs.Procedure.Procedure != nil {
			counts[filter{kind: "category", slug: cs.Procedure.Procedure.Category}]++
		}
	}
	fs := []filter{{title: "All results"}}
	n := map[filter]int{{title: "All results"}: counts[filter{}]}
	add := func(f filter) {
		if c := counts[filter{kind: f.kind, slug: f.slug}]; c > 0 {
			fs = append(fs, f)
			n[f] = c
		}
	}
	for _, c := range s.Config.Categories {
		add(filter{"category", c.Slug, c.Title})
	}
	for _, p := range s.Procedures {
		add(filter{"procedure", slugOf(p), p.Title})
	}
	for _, m := range s.Members {
		add(filter{"surgeon", slugOf(m), m.Title})
	}
	return fs, n
}

// cases returns the published cases a filter keeps, newest first.
func (f filter) cases(s *content.Site) []*content.Page {
	var out []*content.Page
	for _, c := range s.Cases {
		if c.Case != nil && f.matches(c) {
			out = append(out, c)
		}
	}
	return out
}

func perPage(s *content.Site) int {
	if n := s.Config.Gallery.PerPage; n > 0 {
		return n
	}
	return 12
}

// GalleryPages returns the gallery's generated pages, to render with
// [Theme.Page] like any page: every listing page but /gallery/ itself
// (content/gallery/_index.md), then the photos page of every sensitive
// case. A site without cases has none.
func GalleryPages(s *content.Site) []*content.Page {
	if len(s.Cases) == 0 {
		return nil
	}
	var out []*content.Page
	per := perPage(s)
	fs, counts := filters(s)
	for _, f := range fs {
		n := (counts[f] + per - 1) / per
		for i := 1; i <= n; i++ {
			url := f.pageURL(i)
			if s.ByURL[url] != nil {
				continue // a content page, e.g. /gallery/ from content/gallery/_index.md
			}
			title := "Before and after: " + f.title
			if f.kind == "" {
				title = "Before and after gallery"
			}
			if i > 1 {
				title += fmt.Sprintf(" (page %d)", i)
			}
			out = append(out, &content.Page{
				Meta:    content.Meta{Title: title, Description: "Before and after photos of our patients, published with their written consent."},
				Kind:    content.KindSection,
				Section: "gallery",
				URL:     url,
			})
		}
	}
	for _, c := range s.Cases {
		if c.Case != nil && c.Case.Gated {
			out = append(out, &content.Page{
				Meta:    content.Meta{Title: c.Title + ": photos", Description: c.Description},
				Kind:    KindCasePhotos,
				Section: "gallery",
				URL:     c.URL + "photos/",
				Case:    c.Case,
			})
		}
	}
	return out
}

// GalleryList is what a gallery listing page shows.
type GalleryList struct {
	Heading string        // e.g. "Rhinoplasty"; "" for the whole gallery
	Cards   []Card        // this page's cases, newest first
	Total   int           // cases of the filter on every page
	Page    int           // 1-based
	Pages   []Crumb       // a link to every page of the listing; Current marks this one
	Prev    string        // URL of the previous page, "" on the first
	Next    string        // URL of the next page, "" on the last
	Filters []FilterGroup // every filter, for links
	Gated   bool          // some of this page's cases show their photos only when the visitor chooses
}

// FilterGroup is one kind of filter: by category, procedure or surgeon.
type FilterGroup struct {
	Name   string // "Category", "Procedure", "Surgeon"
	Links  []FilterLink
	Active string // the title of the group's filter the page shows, or ""
}

// FilterLink is a link to one filter's listing.
type FilterLink struct {
	Title   string
	URL     string
	Count   int
	Current bool
}

// Gallery returns the listing a gallery page shows, read from its URL.
func (v *View) Gallery() GalleryList {
	f, page := parseGalleryURL(v.Site, v.Page.URL)
	all := f.cases(v.Site)
	per := perPage(v.Site)
	pages := max(1, (len(all)+per-1)/per)
	page = min(max(page, 1), pages)
	l := GalleryList{Total: len(all), Page: page}
	if f.kind != "" {
		l.Heading = f.title
	}
	l.Cards = v.cards(all[min((page-1)*per, len(all)):min(page*per, len(all))], 2)
	for _, c := range l.Cards {
		l.Gated = l.Gated || c.Page.Case.Gated
	}
	for i := 1; i <= pages; i++ {
		l.Pages = append(l.Pages, Crumb{Title: strconv.Itoa(i), URL: f.pageURL(i), Current: i == page})
	}
	if page > 1 {
		l.Prev = f.pageURL(page - 1)
	}
	if page < pages {
		l.Next = f.pageURL(page + 1)
	}
	fs, counts := filters(v.Site)
	kinds := []string{"category", "procedure", "surgeon"}
	l.Filters = make([]FilterGroup, len(kinds))
	for i, k := range kinds {
		l.Filters[i].Name = upperFirst(k)
		for _, o := range fs {
			if o.kind == k {
				l.Filters[i].Links = append(l.Filters[i].Links, FilterLink{Title: o.title, URL: o.url(), Count: counts[o], Current: o == f})
				if o == f {
					l.Filters[i].Active = o.title
				}
			}
		}
	}
	return l
}

// parseGalleryURL reads the filter and page number of a listing URL.
func parseGalleryURL(s *content.Site, url string) (filter, int) {
	rest := strings.TrimPrefix(url, galleryRoot)
	page := 1
	if i := strings.Index(rest, "page/"); i >= 0 && (i == 0 || rest[i-1] == '/') {
		page, _ = strconv.Atoi(strings.Trim(rest[i+len("page/"):], "/"))
		rest = rest[:i]
	}
	parts := strings.Split(strings.Trim(rest, "/"), "/")
	fs, _ := filters(s)
	for _, f := range fs {
		switch {
		case len(parts) == 2 && f.kind == parts[0] && f.slug == parts[1],
			len(parts) == 1 && f.kind == "procedure" && f.slug == parts[0],
			parts[0] == "" && f.kind == "":
			return f, page
		}
	}
	return filter{title: "All results"}, page
}

// ProcedureGallery returns the URL of a procedure's gallery page, or ""
// when it has no published cases.
func (v *View) ProcedureGallery(p *content.Page) string {
	if p == nil || p.Procedure == nil || len(p.Procedure.Cases) == 0 {
		return ""
	}
	return filter{kind: "procedure", slug: slugOf(p)}.url()
}

// SurgeonGallery returns the URL of a team member's results in the
// gallery, or "" when no published case names them.
func (v *View) SurgeonGallery(p *content.Page) string {
	if p == nil || p.Member == nil {
		return ""
	}
	slug := slugOf(p)
	for _, c := range v.Site.Cases {
		if c.Case != nil && c.Case.SurgeonSlug == slug {
			return filter{kind: "surgeon", slug: slug}.url()
		}
	}
	return ""
}

// LatestCases returns at most n of the current procedure page's
// published cases, newest first, as cards below the fold.
func (v *View) LatestCases(n int) []Card {
	p := v.Page.Procedure
	if p == nil {
		return nil
	}
	return v.cards(p.Cases[:min(n, len(p.Cases))], 0)
}

// Card is a case in a list of cases.
type Card struct {
	Page    *content.Page // a KindCase page
	Photos  []Photo       // the case's photos
	Loading string        // the photos' loading attribute: "eager" for the first cards, else "lazy"
}

// cards makes cards of cases, the first eager of them loading eagerly.
func (v *View) cards(cases []*content.Page, eager int) []Card {
	out := make([]Card, len(cases))
	for i, c := range cases {
		out[i] = Card{Page: c, Photos: v.photos(c), Loading: "lazy"}
		if i < eager {
			out[i].Loading = "eager"
		}
	}
	return out
}

// CasePhotosURL returns the URL of a sensitive case's photos page.
func (v *View) CasePhotosURL(c *content.Page) string { return c.URL + "photos/" }

// Disclaimer is the site's "individual results vary" statement.
func (v *View) Disclaimer() string {
	if d := v.Config.Gallery.Disclaimer; d != "" {
		return d
	}
	return "Individual results vary."
}
