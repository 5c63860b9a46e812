package render

import (
	"strings"
	"time"

	"github.com/consultahq/consulta/generator/content"
)

// ReviewList is a titled list of patients' reviews, for the "reviews" partial.
type ReviewList struct {
	Title   string
	Reviews []Review
}

// Review is one patient's review as the theme shows it.
type Review struct {
	Author     string        // as the patient agreed to be named
	Rating     int           // 1 to 5
	Stars      string        // the rating drawn as five stars, filled and empty, for the eye only
	Paragraphs []string      // the text, plain, one paragraph each
	Procedure  *content.Page // the procedure reviewed, nil when none or when the list is on its page
	Source     string
	Date       time.Time
}

// ReviewList returns at most limit of reviews (all when limit is 0) under
// title. On a procedure's own page, reviews do not link back to it.
func (v *View) ReviewList(title string, reviews []*content.Page, limit int) ReviewList {
	if limit > 0 && len(reviews) > limit {
		reviews = reviews[:limit]
	}
	l := ReviewList{Title: title}
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
			Date:       p.Date,
		}
		if r.Procedure != v.Page {
			item.Procedure = r.Procedure
		}
		l.Reviews = append(l.Reviews, item)
	}
	return l
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
