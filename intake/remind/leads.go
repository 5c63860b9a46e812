package remind

import (
	"cmp"
	"strconv"

	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// The clock's emails are stored planned, as the intake's own are: an
// envelope, composed when it is sent (package delivery's Composer) from
// the lead as it then stands.

// planned returns the email of kind with outbox id id to one recipient,
// as the store keeps it until it is sent.
func planned(cfg Config, kind, id, to string) (outbox.Message, error) {
	m, err := mail.Envelope(kind, id, to, cfg.Practice)
	return outbox.Message(m), err
}

// reminder is the email to the lead's coordinator when it is still
// unclaimed at its due time.
func reminder(cfg Config, t outbox.Tracked) ([]outbox.Message, error) {
	m, err := planned(cfg, mail.Reminder, t.Lead.ID+"."+mail.Reminder, cfg.Practice.To(t.Lead.Category))
	return []outbox.Message{m}, err
}

// escalation is the email to each address of the escalation list when a
// lead is still unclaimed after its reminder: one each, since each
// recipient's action links are their own.
func escalation(cfg Config, t outbox.Tracked) ([]outbox.Message, error) {
	var out []outbox.Message
	for i, to := range cfg.Clock.EscalateTo {
		m, err := planned(cfg, mail.Escalation, t.Lead.ID+"."+mail.Escalation+"."+strconv.Itoa(i), to)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// followUp is the email to whoever marked a lead contacted, when it is
// neither booked nor closed after the follow-up days.
func followUp(cfg Config, t outbox.Tracked) ([]outbox.Message, error) {
	to := cmp.Or(t.ContactedBy, cfg.Practice.To(t.Lead.Category))
	m, err := planned(cfg, mail.FollowUp, t.Lead.ID+"."+mail.FollowUp, to)
	return []outbox.Message{m}, err
}
