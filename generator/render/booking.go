package render

import (
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/content"
)

// Where a page's Book buttons lead, what they say, and what the patient
// reads beside the first of them.

// booking is where a page's Book buttons lead and what they say.
type booking struct {
	url   string // the consultation form, with what the page is about chosen
	label string // "Book a consultation"; "Book with Dr Hart" on a surgeon's page
}

// bookingFor returns the Book buttons of page p: straight to the form,
// with the page's procedure chosen on a procedure page and a case, and
// the surgeon chosen on a surgeon's page, each through its generated
// consultation page (ConsultationPages), so that no script is needed.
func bookingFor(s *content.Site, p *content.Page) booking {
	page := s.Config.Form.Page
	b := booking{url: page + "#request", label: "Book a consultation"}
	if s.ByURL[page] == nil {
		return b
	}
	switch {
	case p.Kind == content.KindProcedure:
		b.url = page + slugOf(p) + "/#request"
	case p.Kind == content.KindCase && p.Case != nil && p.Case.Procedure != nil:
		b.url = page + slugOf(p.Case.Procedure) + "/#request"
	case p.Kind == content.KindMember && isSurgeon(p):
		b.url = page + slugOf(p) + "/#request"
		b.label = "Book with " + ShortName(p.Title)
	}
	return b
}

// honorifics are the titles a short name keeps: "Dr Hart", "Mr Okafor".
var honorifics = []string{"Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Mx", "Prof", "Prof.", "Professor"}

// ShortName is how a page names a clinician in a button: the title and
// the last name, "Dr Amelia Hart" → "Dr Hart"; a name without a title is
// kept whole.
func ShortName(name string) string {
	words := strings.Fields(name)
	if len(words) > 2 && slices.Contains(honorifics, words[0]) {
		return words[0] + " " + words[len(words)-1]
	}
	return strings.Join(words, " ")
}

// BookNote returns the first consultation in words (content.Site's
// Consultation: its fee, its length, how it is held) the first time the
// page asks for it, and "" after. Each Book button that leads a page's
// content asks, so that the patient reads it beside the first.
func (v *View) BookNote() string {
	if v.noted {
		return ""
	}
	v.noted = true
	return v.consultation
}

// choice is what a consultation page (ConsultationPages) chooses in the
// form: a procedure's slug, or a surgeon's.
type choice struct{ procedure, surgeon string }

// consultationChoice returns what the generated consultation page p
// chooses: the procedure or the surgeon whose slug ends its URL.
func consultationChoice(s *content.Site, p *content.Page) choice {
	slug := slugOf(p)
	if pr := s.ByURL["/procedures/"+slug+"/"]; pr != nil && pr.Kind == content.KindProcedure {
		return choice{procedure: slug}
	}
	if m := s.ByURL["/team/"+slug+"/"]; m != nil && isSurgeon(m) {
		return choice{surgeon: slug}
	}
	return choice{}
}
