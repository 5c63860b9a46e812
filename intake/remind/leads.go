package remind

import (
	"fmt"
	"time"

	"github.com/consultahq/consulta/intake/lead"
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

// policy is the lifecycle's policy of the practice: its clock, its
// coordinators and its staff.
func policy(cfg Config) lead.Policy {
	return lead.Policy{Clock: cfg.Clock, Coordinator: cfg.Practice.To, People: cfg.People}
}

// take decides, as the store reads lead t in its transaction, what the
// clock does at now: its due step (lead.Tick), and its emails, planned.
func take(cfg Config, now time.Time) outbox.Decide {
	p := policy(cfg)
	return func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok := lead.Tick(t, now, p)
		if !ok {
			return c, nil, false, nil
		}
		msgs := make([]outbox.Message, len(c.Sends))
		for i, s := range c.Sends {
			m, err := planned(cfg, s.Kind, s.ID, s.To)
			if err != nil {
				return c, nil, false, fmt.Errorf("%s of %s: %w", s.Kind, t.Lead.ID, err)
			}
			msgs[i] = m
		}
		return c, msgs, true, nil
	}
}
