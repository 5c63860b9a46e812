package mail

import (
	"github.com/consultahq/consulta/intake/lead"
)

// Care is the practice's care plans as its emails and the patient's pages
// show them: content/care/, read and rendered by the site's build.
type Care struct {
	// Plans are each procedure's steps, its own and the defaults,
	// earliest first; "" holds the defaults alone, for a procedure
	// without a folder of its own.
	Plans map[string][]CareText
	// Consultations are each procedure's consultation note
	// (consultation.md), "" the default's.
	Consultations map[string]CareText
}

// Plan returns the steps of procedure's plan, as the journey schedules them.
func (c Care) Plan(procedure string) []lead.CareStep {
	texts, ok := c.Plans[procedure]
	if !ok {
		texts = c.Plans[""]
	}
	out := make([]lead.CareStep, len(texts))
	for i, t := range texts {
		out[i] = lead.CareStep{Slug: t.Slug, Title: t.Title, Send: t.Send, Acknowledge: t.Acknowledge, CheckIn: t.CheckIn}
	}
	return out
}

// Step returns the step slug of procedure's plan.
func (c Care) Step(procedure, slug string) (CareText, bool) {
	texts, ok := c.Plans[procedure]
	if !ok {
		texts = c.Plans[""]
	}
	for _, t := range texts {
		if t.Slug == slug {
			return t, true
		}
	}
	return CareText{}, false
}

// Consultation returns procedure's consultation note, or the default.
func (c Care) Consultation(procedure string) (CareText, bool) {
	if t, ok := c.Consultations[procedure]; ok {
		return t, true
	}
	t, ok := c.Consultations[""]
	return t, ok
}
