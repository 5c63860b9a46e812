package render

import (
	"html/template"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator/content"
)

// sampleSite is a small site with one page of every kind and every
// optional field set, which Load executes each layout against.
func sampleSite() *content.Site {
	day := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)
	s := &content.Site{
		Config: content.Config{
			Name: "Sample Practice", BaseURL: "https://www.example.org/", Language: "en",
			Phone: "+44 20 7946 0000", Email: "hello@example.org", Address: "1 Sample Street",
			Hours:      map[string]string{"mon-fri": "09:00-18:00"},
			Social:     []content.Link{{Name: "Instagram", URL: "https://instagram.example/sample"}},
			Categories: content.DefaultCategories,
			Palette:    content.Palette{Ink: "#111111", Paper: "#ffffff", Accent: "#333333", Muted: "#444444"},
			Form:       content.Form{Endpoint: "/v1/consultations", Page: "/consultation/", ThankYou: "/consultation/thank-you/"},
			Intake:     content.Intake{RespondWithin: "8h"},
			Gallery:    content.Gallery{PerPage: 12, Disclaimer: "Individual results vary."},
			Consultation: content.Consultation{Fee: 150, Currency: "EUR", DeductedFromSurgery: true, Minutes: 45,
				Formats: []string{"in person", "video"}},
		},
		Sections: map[string]*content.Page{},
		ByURL:    map[string]*content.Page{},
	}
	page := func(kind content.Kind, section, url, title string) *content.Page {
		p := &content.Page{Meta: content.Meta{Title: title, Description: title, Date: day, Lastmod: day}, Kind: kind, Section: section, URL: url}
		s.Pages = append(s.Pages, p)
		s.ByURL[url] = p
		if kind == content.KindSection {
			s.Sections[section] = p
		}
		return p
	}
	s.Home = page(content.KindHome, "", "/", "Sample Practice")
	page(content.KindSection, "procedures", "/procedures/", "Procedures")
	page(content.KindSection, "team", "/team/", "Our team")
	page(content.KindSection, "gallery", "/gallery/", "Gallery")
	page(content.KindPage, "", "/consultation/", "Your consultation")
	page(content.KindPage, "consultation", "/consultation/thank-you/", "Thank you")
	surgeon := page(content.KindMember, "team", "/team/dr-sample/", "Dr Sample")
	surgeon.Member = &content.Member{Role: "surgeon", Credentials: "FRCS", Languages: []string{"English"}, Email: "dr@example.org",
		Registration: &content.Registration{Body: "General Medical Council", Number: "1234567", URL: "https://register.example/1234567"},
		Affiliations: []content.Link{{Name: "Sample Hospital", URL: "https://hospital.example/"}},
		Memberships:  []content.Link{{Name: "Sample Society", URL: "https://society.example/"}, {Name: "Sample College"}}}
	coord := page(content.KindMember, "team", "/team/coordinator/", "Coordinator")
	coord.Member = &content.Member{Role: "coordinator"}
	proc := page(content.KindProcedure, "procedures", "/procedures/sample/", "Sample procedure")
	proc.Procedure = &content.Procedure{
		Category: "face", Summary: "A sample.", Recovery: "1 week", Duration: "1 hour", Anesthesia: "Local",
		Fees:         content.Fees{From: 1000, To: 2000, Currency: "EUR", Note: "Includes aftercare."},
		SurgeonSlugs: []string{"dr-sample"}, FAQ: []content.QA{{Q: "Does it hurt?", A: "Very *little*."}},
		RelatedSlugs: []string{"sample"}, ReviewedBy: "dr-sample", ReviewedOn: day, Risks: []string{"Bruising and swelling for a week or two."},
		CategoryInfo: &s.Config.Categories[0], Surgeons: []*content.Page{surgeon}, Reviewer: surgeon,
	}
	other := page(content.KindProcedure, "procedures", "/procedures/other/", "Other procedure")
	other.Procedure = &content.Procedure{Category: "breast", Fees: content.Fees{From: 500, Currency: "GBP"},
		CategoryInfo: &s.Config.Categories[1], Related: []*content.Page{proc}}
	proc.Procedure.Related = []*content.Page{other}
	surgeon.Member.Procedures = []*content.Page{proc}
	s.Procedures = []*content.Page{proc, other}
	s.Members = []*content.Page{surgeon, coord}
	cs := page(content.KindCase, "gallery", "/gallery/sample-case/", "Sample case")
	cs.Case = &content.Case{
		ProcedureSlug: "sample", SurgeonSlug: "dr-sample", Patient: content.Patient{Age: "30-39", Sex: "female"},
		MonthsAfter: 6, Consent: day, Procedure: proc, Surgeon: surgeon,
		Photos: []content.PhotoPair{{Before: "b.jpg", After: "a.jpg", Angle: "front", Alt: "Front view",
			BeforeFile: content.FileRef{Path: "content/gallery/sample-case/b.jpg"},
			AfterFile:  content.FileRef{Path: "content/gallery/sample-case/a.jpg"}}},
	}
	proc.Procedure.Cases = []*content.Page{cs}
	review := &content.Page{Meta: content.Meta{Date: day}, Kind: content.KindReview, File: "content/reviews/sample.md", Body: []byte("Kind.\n\nClear."),
		PatientReview: &content.PatientReview{Author: "Sam, 40", ProcedureSlug: "sample", SurgeonSlug: "dr-sample", Rating: 5, Source: "Google", URL: "https://reviews.example/sam", Consent: day, Procedure: proc, Surgeon: surgeon}}
	s.Reviews = []*content.Page{review}
	proc.Procedure.Reviews = s.Reviews
	surgeon.Member.Reviews = s.Reviews
	s.Cases = []*content.Page{cs}
	slices.SortFunc(s.Pages, func(a, b *content.Page) int { return strings.Compare(a.URL, b.URL) })
	return s
}

// sampleRendered is what a build would make of the sample site: a body
// for every page, the FAQ answers and the case's photos.
func sampleRendered(s *content.Site) sample {
	r := sample{bodies: map[*content.Page]Body{}, images: map[string]Image{}}
	for _, p := range s.Pages {
		b := Body{HTML: "<p>Text.</p>"}
		if p.Procedure != nil {
			for _, qa := range p.Procedure.FAQ {
				b.Answers = append(b.Answers, template.HTML(template.HTMLEscapeString(qa.A)))
				b.AnswerTexts = append(b.AnswerTexts, qa.A)
			}
		}
		r.bodies[p] = b
		if p.Case != nil {
			for _, ph := range p.Case.Photos {
				for _, f := range []content.FileRef{ph.BeforeFile, ph.AfterFile} {
					u := "/photos/" + strings.ReplaceAll(strings.TrimPrefix(f.Path, "content/gallery/"), "/", "-")
					r.images[f.Path] = Image{Src: u, Srcset: u + " 960w", Width: 960, Height: 720}
				}
			}
		}
	}
	return r
}

// sample is the Rendered of the sample site.
type sample struct {
	bodies map[*content.Page]Body
	images map[string]Image
}

func (s sample) Body(p *content.Page) Body { return s.bodies[p] }
func (s sample) Image(file string) Image   { return s.images[file] }

// samplePages returns the pages of the sample site that a layout renders.
func samplePages(s *content.Site, layout string) []*content.Page {
	switch layout {
	case "home":
		return []*content.Page{s.Home}
	case "procedure":
		return s.Procedures
	case "member":
		return s.Members
	case "case":
		return s.Cases
	case "case-photos":
		photos := *s.Cases[0]
		photos.Kind, photos.URL = content.Kind(layout), photos.URL+"photos/"
		return []*content.Page{&photos}
	case "404":
		return []*content.Page{{Meta: content.Meta{Title: "Page not found"}, Kind: "404", URL: "/404.html"}}
	case "page":
		return []*content.Page{s.ByURL["/consultation/"], s.ByURL["/consultation/thank-you/"]}
	case "reviews":
		return ReviewPages(s)
	}
	if sec := s.Sections[layout]; sec != nil {
		return []*content.Page{sec}
	}
	var ps []*content.Page
	for _, name := range sortedKeys(s.Sections) {
		ps = append(ps, s.Sections[name])
	}
	return ps
}
