package render

import (
	"encoding/json"
	"html/template"

	"github.com/consultahq/consulta/generator/content"
)

// The JSON-LD nodes of schema.org that pages describe themselves with.
type (
	ldGraph struct {
		Context string `json:"@context"`
		Graph   []any  `json:"@graph"`
	}
	ldRef struct {
		ID string `json:"@id"`
	}
	ldClinic struct {
		Type      string     `json:"@type"`
		ID        string     `json:"@id"`
		Name      string     `json:"name"`
		URL       string     `json:"url"`
		Telephone string     `json:"telephone,omitempty"`
		Email     string     `json:"email,omitempty"`
		Address   *ldAddress `json:"address,omitempty"`
		Specialty string     `json:"medicalSpecialty"`
		SameAs    []string   `json:"sameAs,omitempty"`
	}
	ldAddress struct {
		Type   string `json:"@type"`
		Street string `json:"streetAddress"`
	}
	ldProcedure struct {
		Type        string `json:"@type"`
		Name        string `json:"name"`
		Description string `json:"description,omitempty"`
		URL         string `json:"url"`
		ProcType    string `json:"procedureType,omitempty"`
	}
	ldPhysician struct {
		Type      string           `json:"@type"`
		Name      string           `json:"name"`
		URL       string           `json:"url"`
		Title     string           `json:"jobTitle,omitempty"`
		Specialty string           `json:"medicalSpecialty"`
		Languages []string         `json:"knowsLanguage,omitempty"`
		ID        *ldPropertyValue `json:"identifier,omitempty"`
		WorksFor  ldRef            `json:"worksFor"`
	}
	ldPropertyValue struct {
		Type     string `json:"@type"`
		Property string `json:"propertyID"`
		Value    string `json:"value"`
	}
	ldFAQPage struct {
		Type      string       `json:"@type"`
		URL       string       `json:"url"`
		Questions []ldQuestion `json:"mainEntity"`
	}
	ldQuestion struct {
		Type   string   `json:"@type"`
		Name   string   `json:"name"`
		Answer ldAnswer `json:"acceptedAnswer"`
	}
	ldAnswer struct {
		Type string `json:"@type"`
		Text string `json:"text"`
	}
	ldBreadcrumbs struct {
		Type  string   `json:"@type"`
		Items []ldItem `json:"itemListElement"`
	}
	ldItem struct {
		Type     string `json:"@type"`
		Position int    `json:"position"`
		Name     string `json:"name"`
		Item     string `json:"item"`
	}
)

// jsonLD describes the page for search engines: the clinic at home, the
// procedure, surgeon, FAQ (as plain text) and breadcrumb trail elsewhere. encoding/json
// escapes <, > and &, so the result is safe inside a <script> element.
func jsonLD(v *View) template.JS {
	cfg, p := v.Config, v.Page
	clinicID := absURL(cfg.BaseURL, "/#clinic")
	var graph []any
	if p.Kind == content.KindHome {
		c := ldClinic{Type: "MedicalClinic", ID: clinicID, Name: cfg.Name, URL: cfg.BaseURL,
			Telephone: cfg.Phone, Email: cfg.Email, Specialty: "PlasticSurgery"}
		if cfg.Address != "" {
			c.Address = &ldAddress{Type: "PostalAddress", Street: cfg.Address}
		}
		for _, l := range cfg.Social {
			c.SameAs = append(c.SameAs, l.URL)
		}
		graph = append(graph, c)
	}
	if pr := p.Procedure; pr != nil && p.Kind == content.KindProcedure {
		kind := "SurgicalProcedure"
		if pr.Category == "non-surgical" || pr.Category == "skin" {
			kind = "NoninvasiveProcedure"
		}
		graph = append(graph, ldProcedure{Type: "MedicalProcedure", Name: p.Title, Description: v.Description, URL: v.Canonical, ProcType: kind})
		if len(pr.FAQ) > 0 {
			f := ldFAQPage{Type: "FAQPage", URL: v.Canonical}
			for i, qa := range v.FAQ() {
				answer := qa.text
				if answer == "" {
					answer = pr.FAQ[i].A // not rendered, as in a theme's self-check
				}
				f.Questions = append(f.Questions, ldQuestion{Type: "Question", Name: qa.Q, Answer: ldAnswer{Type: "Answer", Text: answer}})
			}
			graph = append(graph, f)
		}
	}
	if isSurgeon(p) && p.Kind == content.KindMember {
		doc := ldPhysician{Type: "Physician", Name: p.Title, URL: v.Canonical, Title: p.Member.Credentials,
			Specialty: "PlasticSurgery", Languages: p.Member.Languages, WorksFor: ldRef{ID: clinicID}}
		if r := p.Member.Registration; r != nil {
			doc.ID = &ldPropertyValue{Type: "PropertyValue", Property: r.Body, Value: r.Number}
		}
		graph = append(graph, doc)
	}
	if len(v.Breadcrumbs) > 0 && v.Canonical != "" {
		b := ldBreadcrumbs{Type: "BreadcrumbList"}
		for i, c := range v.Breadcrumbs {
			b.Items = append(b.Items, ldItem{Type: "ListItem", Position: i + 1, Name: c.Title, Item: absURL(cfg.BaseURL, c.URL)})
		}
		graph = append(graph, b)
	}
	if len(graph) == 0 {
		return ""
	}
	data, err := json.Marshal(ldGraph{Context: "https://schema.org", Graph: graph})
	if err != nil { // cannot happen: every field is a string, int or slice of them
		return ""
	}
	return template.JS(data)
}
