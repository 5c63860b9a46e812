package render

import (
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator/content"
)

// The reviews pages, generated beside the content pages when the site has
// reviews, and rendered with layouts/reviews.html:
//
//	/reviews/                    every review, newest first
//	/reviews/procedure/<slug>/   the reviews of one procedure
//	/reviews/surgeon/<slug>/     the reviews of one surgeon
//
// Each reads what it lists from its own URL ([View.Reviews]), so that the
// lists are plain pages a patient filters without JavaScript. A content
// page at one of those URLs wins; content/reviews/_index.md is rendered
// as /reviews/ with the same layout.

// reviewsRoot is the URL of the reviews page.
const reviewsRoot = "/reviews/"

// reviewFilter is one way of narrowing the reviews: by a procedure or a
// surgeon (page), or none.
type reviewFilter struct {
	kind string // "", "procedure", "surgeon"
	page *content.Page
}

func (f reviewFilter) url() string {
	if f.kind == "" {
		return reviewsRoot
	}
	return reviewsRoot + f.kind + "/" + slugOf(f.page) + "/"
}

// reviews returns the reviews the filter keeps, newest first.
func (f reviewFilter) reviews(s *content.Site) []*content.Page {
	switch {
	case f.kind == "procedure" && f.page.Procedure != nil:
		return f.page.Procedure.Reviews
	case f.kind == "surgeon" && f.page.Member != nil:
		return f.page.Member.Reviews
	}
	return s.Reviews
}

// reviewFilters lists every filter with at least one review: all, then
// the procedures and the surgeons, in the site's order.
func reviewFilters(s *content.Site) []reviewFilter {
	if len(s.Reviews) == 0 {
		return nil
	}
	fs := []reviewFilter{{}}
	for _, p := range s.Procedures {
		if p.Procedure != nil && len(p.Procedure.Reviews) > 0 {
			fs = append(fs, reviewFilter{"procedure", p})
		}
	}
	for _, m := range s.Members {
		if isSurgeon(m) && len(m.Member.Reviews) > 0 {
			fs = append(fs, reviewFilter{"surgeon", m})
		}
	}
	return fs
}

// ReviewPages returns the reviews pages of a site with reviews, to render
// with [Theme.Page] like any page; none without reviews.
func ReviewPages(s *content.Site) []*content.Page {
	var out []*content.Page
	for _, f := range reviewFilters(s) {
		url := f.url()
		if s.ByURL[url] != nil {
			continue
		}
		title, desc := "Patients’ reviews", "What our patients wrote about their consultations and treatment, each with where and when it was written."
		if f.kind != "" {
			title = "Reviews: " + f.page.Title
			desc = "What patients wrote about " + f.page.Title + ", each with where and when it was written."
		}
		out = append(out, &content.Page{
			Meta:    content.Meta{Title: title, Description: desc},
			Kind:    content.KindSection,
			Section: "reviews",
			URL:     url,
		})
	}
	return out
}

// ReviewsURL returns the address of the reviews page, /reviews/, when the
// site has reviews (or a page of its own there); "" when it has neither.
func (v *View) ReviewsURL() string {
	if len(v.Site.Reviews) > 0 || v.Site.ByURL[reviewsRoot] != nil {
		return reviewsRoot
	}
	return ""
}

// ReviewsList is what a reviews page shows.
type ReviewsList struct {
	Heading string        // e.g. "Rhinoplasty" or "Dr Amelia Hart"; "" for every review
	List    ReviewList    // the reviews
	Total   int           // every review of the site
	Filters []FilterGroup // by procedure, by surgeon: links to each list
}

// Reviews returns the list a reviews page shows, read from its URL.
func (v *View) Reviews() ReviewsList {
	fs := reviewFilters(v.Site)
	var f reviewFilter
	for _, o := range fs {
		if o.url() == v.Page.URL {
			f = o
		}
	}
	l := ReviewsList{Total: len(v.Site.Reviews)}
	title := "Every review, newest first"
	if f.kind != "" {
		l.Heading = f.page.Title
		title = "Reviews of " + f.page.Title
		if f.kind == "surgeon" {
			title = "Reviews of " + f.page.Title + "’s care"
		}
	}
	l.List = v.ReviewList(title, f.reviews(v.Site), 0)
	groups := []FilterGroup{{Name: "Procedure"}, {Name: "Surgeon"}}
	for _, o := range fs {
		i := 0
		if o.kind == "surgeon" {
			i = 1
		}
		if o.kind == "" {
			continue
		}
		current := o == f
		groups[i].Links = append(groups[i].Links, FilterLink{Title: o.page.Title, URL: o.url(), Count: len(o.reviews(v.Site)), Current: current})
		if current {
			groups[i].Active = o.page.Title
		}
	}
	for _, g := range groups {
		if len(g.Links) > 0 {
			l.Filters = append(l.Filters, g)
		}
	}
	return l
}

// ReviewList is a titled list of patients' reviews, for the "reviews" partial.
type ReviewList struct {
	Title   string
	Reviews []Review
	All     string // the reviews page that lists every review of what the page is about; "" on it
	AllText string // the words of the link to All: "All 4 reviews", "All reviews of Rhinoplasty (2)"
}

// Review is one patient's review as the theme shows it.
type Review struct {
	Author     string        // as the patient agreed to be named
	Rating     int           // 1 to 5
	Stars      string        // the rating drawn as five stars, filled and empty, for the eye only
	Paragraphs []string      // the text, plain, one paragraph each
	Procedure  *content.Page // the procedure reviewed, nil when none or when the list is on its page
	Surgeon    *content.Page // the surgeon reviewed, nil when none or when the list is on their page
	Source     string        // where it was written: "Google"
	URL        string        // the review where it was written, "" when it is not public
	Date       time.Time
}

// ReviewList returns at most limit of reviews (all when limit is 0) under
// title, with a link to the reviews page of what the page is about. On a
// procedure's or a surgeon's own page, reviews do not link back to it.
func (v *View) ReviewList(title string, reviews []*content.Page, limit int) ReviewList {
	l := ReviewList{Title: title}
	l.All, l.AllText = v.allReviews(len(reviews))
	if limit > 0 && len(reviews) > limit {
		reviews = reviews[:limit]
	}
	for _, p := range reviews {
		r := p.PatientReview
		if r == nil {
			continue
		}
		item := Review{
			Author:     r.Author,
			Rating:     r.Rating,
			Stars:      strings.Repeat("★", r.Rating) + strings.Repeat("☆", max(0, 5-r.Rating)),
			Paragraphs: paragraphs(string(p.Body)),
			Source:     r.Source,
			URL:        r.URL,
			Date:       p.Date,
		}
		if r.Procedure != v.Page {
			item.Procedure = r.Procedure
		}
		if r.Surgeon != v.Page {
			item.Surgeon = r.Surgeon
		}
		l.Reviews = append(l.Reviews, item)
	}
	return l
}

// allReviews returns the reviews page of what the page is about (n of its
// reviews), and the words of a link to it: a procedure's, a surgeon's, or
// every review; "" on a reviews page and when there is none.
func (v *View) allReviews(n int) (string, string) {
	if n == 0 || v.Page.Section == "reviews" {
		return "", ""
	}
	f, text := reviewFilter{}, "All patients’ reviews ("+strconv.Itoa(len(v.Site.Reviews))+")"
	switch {
	case v.Page.Kind == content.KindProcedure:
		f, text = reviewFilter{"procedure", v.Page}, "All reviews of "+v.Page.Title+" ("+strconv.Itoa(n)+")"
	case isSurgeon(v.Page):
		f, text = reviewFilter{"surgeon", v.Page}, "All reviews of "+v.Page.Title+" ("+strconv.Itoa(n)+")"
	}
	for _, o := range reviewFilters(v.Site) {
		if o == f {
			return f.url(), text
		}
	}
	return "", ""
}

// paragraphs splits plain text at blank lines and joins each paragraph's
// lines with spaces.
func paragraphs(text string) []string {
	var out []string
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if p := strings.Join(strings.Fields(para), " "); p != "" {
			out = append(out, p)
		}
	}
	return out
}
