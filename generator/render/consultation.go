package render

import (
	"github.com/consultahq/consulta/generator/content"
)

// KindConsultation is the kind of the generated /consultation/<procedure>/
// pages: the consultation page with that procedure chosen in the form, so
// that a procedure page's "Book" link preselects it without JavaScript.
// They are rendered like the consultation page, kept out of search engines
// and name the consultation page as their canonical URL.
const KindConsultation content.Kind = "consultation"

// ConsultationPages returns a /consultation/<procedure>/ page for every
// published procedure, or none when the site has no consultation page. A
// content page at one of those URLs wins.
func ConsultationPages(s *content.Site) []*content.Page {
	formPage := s.ByURL[s.Config.Form.Page]
	if formPage == nil {
		return nil
	}
	var out []*content.Page
	for _, pr := range s.Procedures {
		url := formPage.URL + slugOf(pr) + "/"
		if s.ByURL[url] != nil {
			continue
		}
		p := *formPage
		p.Kind, p.URL, p.Aliases = KindConsultation, url, nil
		p.Title = "Book a consultation: " + pr.Title
		out = append(out, &p)
	}
	return out
}
