package render

import (
	"github.com/consultahq/consulta/generator/content"
)

// KindConsultation is the kind of the generated /consultation/<procedure>/
// and /consultation/<surgeon>/ pages: the consultation page with that
// procedure, or that surgeon, chosen in the form, so that a procedure
// page's, a case's or a surgeon's "Book" link chooses it without
// JavaScript. They are rendered like the consultation page, kept out of
// search engines and name the consultation page as their canonical URL.
const KindConsultation content.Kind = "consultation"

// ConsultationPages returns a /consultation/<procedure>/ page for every
// published procedure and a /consultation/<surgeon>/ page for every
// surgeon, or none when the site has no consultation page. A content page
// at one of those URLs wins, and a procedure wins over a surgeon of the
// same name.
func ConsultationPages(s *content.Site) []*content.Page {
	formPage := s.ByURL[s.Config.Form.Page]
	if formPage == nil {
		return nil
	}
	var out []*content.Page
	taken := map[string]bool{}
	add := func(target *content.Page, title string) {
		url := formPage.URL + slugOf(target) + "/"
		if s.ByURL[url] != nil || taken[url] {
			return
		}
		taken[url] = true
		p := *formPage
		p.Kind, p.URL, p.Aliases = KindConsultation, url, nil
		p.Title = title
		out = append(out, &p)
	}
	for _, pr := range s.Procedures {
		add(pr, "Book a consultation: "+pr.Title)
	}
	for _, m := range s.Members {
		if isSurgeon(m) {
			add(m, "Book a consultation with "+m.Title)
		}
	}
	return out
}
