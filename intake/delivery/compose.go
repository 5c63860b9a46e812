package delivery

import (
	"context"
	"encoding/json"
	"fmt"

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
	if len(m.Data) > 0 {
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
