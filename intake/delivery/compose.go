package delivery

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// Composer composes each message that the store holds planned, when it
// is sent, from what the store holds then: the lead it is about, read
// again (a lead released from spam is no longer marked), with where it
// stands; for a patient who wrote again, the open lead they joined; the
// data the clock stored with it (the digest's, whose overdue leads' first
// names and phone numbers are read now); and the buttons signed for its
// recipient. Its Compose is what Options.Compose takes.
type Composer struct {
	// Leads reads the lead a message is about (an *outbox.Store).
	Leads interface {
		Lead(ctx context.Context, id string) (lead.Tracked, error)
	}
	Practice mail.Practice
	// Links returns the buttons of an email of kind about lead leadID,
	// signed for recipient (kinds as action.Buttons names them); nil
	// means none.
	Links func(kind, leadID, recipient string) []mail.Link
	// JourneyLinks returns the links of a journey's email of kind about
	// lead leadID, what it says (d), signed for recipient; nil means none.
	JourneyLinks func(kind, leadID string, d lead.MailData, recipient string) mail.JourneyLinks
}

// Compose composes m. A lead that cannot be read is tried again; a message
// that cannot be composed from what is stored is dead-lettered
// (ErrCompose).
func (c Composer) Compose(ctx context.Context, m outbox.Msg) (mail.Message, error) {
	l := mail.Letter{Kind: m.Kind, ID: m.ID, Date: m.Created}
	if len(m.To) > 0 {
		l.To = m.To[0]
	}
	if m.LeadID != "" {
		t, err := c.Leads.Lead(ctx, m.LeadID)
		if err != nil {
			return mail.Message{}, fmt.Errorf("compose %s: read lead: %w", m.ID, err)
		}
		if open, _, joined := t.Joined(); joined { // a patient wrote again: the email is about the lead they joined
			again := t.Lead
			if t, err = c.Leads.Lead(ctx, open); err != nil {
				return mail.Message{}, fmt.Errorf("compose %s: read the lead it joined: %w", m.ID, err)
			}
			l.Again = &again
		}
		l.Lead, l.Status = t.Lead, t.Status
		l.Links = c.links(m.Kind, t.Lead.ID, l.To)
	}
	if journeyKinds[m.Kind] {
		j, err := c.journey(m, l)
		if err != nil {
			return mail.Message{}, err
		}
		l.Journey = j
	} else if len(m.Data) > 0 {
		var d mail.DigestData
		if err := json.Unmarshal(m.Data, &d); err != nil {
			return mail.Message{}, fmt.Errorf("%w: %s: its data: %w", ErrCompose, m.ID, err)
		}
		for i := range d.Overdue {
			o := &d.Overdue[i]
			o.Links = c.links(lead.DigestOverdue, o.ID, l.To)
			// The first name and the phone are read now, never kept with
			// the digest: a lead purged since shows neither.
			if t, err := c.Leads.Lead(ctx, o.ID); err == nil {
				o.FirstName, o.Phone = t.Lead.FirstName, t.Lead.Phone
			}
		}
		for i := range d.Held {
			d.Held[i].Links = c.links(lead.DigestHeld, d.Held[i].ID, l.To)
		}
		l.Digest = &d
	}
	msg, err := mail.Compose(l, c.Practice)
	if err != nil {
		return mail.Message{}, fmt.Errorf("%w: %w", ErrCompose, err)
	}
	return msg, nil
}

func (c Composer) links(kind, leadID, recipient string) []mail.Link {
	if c.Links == nil {
		return nil
	}
	return c.Links(kind, leadID, recipient)
}

// journeyKinds are the kinds of a journey's emails, whose data is what
// they say (lead.MailData).
var journeyKinds = map[string]bool{mail.Appointment: true, mail.ConsultationReminder: true, mail.CareStep: true,
	mail.CareTask: true, mail.CareEscalation: true, mail.CareWorry: true}

// journey reads what a journey's email says: its data as stored, the
// site's care text of its step, the names of its surgeon and procedure,
// and its links, signed.
func (c Composer) journey(m outbox.Msg, l mail.Letter) (*mail.JourneyLetter, error) {
	var d lead.MailData
	if err := json.Unmarshal(m.Data, &d); err != nil || len(m.Data) == 0 {
		return nil, fmt.Errorf("%w: %s: its data: %v", ErrCompose, m.ID, err)
	}
	p := c.Practice
	j := &mail.JourneyLetter{MailData: d}
	procedure := l.Lead.Procedure
	a := d.Appointment
	if d.Surgery != nil {
		a = d.Surgery
	}
	if a != nil {
		j.Surgeon = p.Surgeons[a.Surgeon]
		if a.Procedure != "" {
			procedure = a.Procedure
		}
	}
	if a != nil && a.Kind == lead.Surgery {
		j.Procedure = procedureTitle(p, procedure)
	}
	switch {
	case d.Step != "":
		t, ok := p.Care.Step(procedure, d.Step)
		if !ok {
			return nil, fmt.Errorf("%w: %s: the site has no care step %q of %s now", ErrCompose, m.ID, d.Step, procedure)
		}
		j.Care = &t
	case a != nil && a.Kind == lead.Consultation:
		if t, ok := p.Care.Consultation(procedure); ok {
			j.Care = &t
		}
	case a != nil && a.Kind == lead.Surgery:
		j.Care = surgeryBring(p.Care, procedure)
	}
	if t := d.Task; t != nil {
		if st, ok := p.Care.Step(procedure, t.Step); ok {
			j.StepTitle = st.Title
		}
		for _, slug := range d.Missed {
			title := slug
			if st, ok := p.Care.Step(procedure, slug); ok {
				title = st.Title
			}
			j.Missed = append(j.Missed, title)
		}
	}
	if c.JourneyLinks != nil {
		j.Links = c.JourneyLinks(m.Kind, m.LeadID, d, l.To)
	}
	return j, nil
}

// surgeryBring is what a surgery's booking tells the patient to bring: what
// its plan's steps ask for on the day, each once.
func surgeryBring(c mail.Care, procedure string) *mail.CareText {
	var bring []string
	for _, st := range c.Plans[procedure] {
		for _, b := range st.WhatToBring {
			if !slices.Contains(bring, b) {
				bring = append(bring, b)
			}
		}
	}
	if bring == nil {
		return nil
	}
	return &mail.CareText{WhatToBring: bring}
}

// procedureTitle is a procedure's title as the practice's emails know
// it, else its slug in words.
func procedureTitle(p mail.Practice, slug string) string {
	if pr, ok := p.Procedures[slug]; ok && pr.Title != "" {
		return pr.Title
	}
	return strings.ReplaceAll(slug, "-", " ")
}
