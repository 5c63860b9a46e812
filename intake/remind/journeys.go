package remind

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// Each journey's clock runs beside the leads': its care steps and
// consultation reminders go to the patient at their time, at any hour;
// an acknowledgement not given by its deadline becomes a coordinator's
// task, and a task not done by its due time is escalated. The domain
// decides each (lead.JourneyTick) as the store reads the journey in its
// transaction.

// CarePolicy is the practice's policy of journeys, as the clock and the
// intake's handlers apply it.
func CarePolicy(cfg Config) lead.CarePolicy {
	return lead.CarePolicy{Policy: policy(cfg), Care: cfg.Care, Steps: cfg.CarePlans, Surgeons: cfg.Surgeons}
}

// PlanMails plans the emails of a journey's change as the outbox keeps
// them until they are sent: an envelope each, composed when it is sent.
func PlanMails(c lead.JourneyChange, p mail.Practice) ([]outbox.Message, error) {
	msgs := make([]outbox.Message, len(c.Mails))
	for i, m := range c.Mails {
		env, err := mail.Envelope(m.Kind, m.ID, m.To, p)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", m.Kind, err)
		}
		msgs[i] = outbox.Message(env)
	}
	return msgs, nil
}

// tickJourneys takes every journey step due at now.
func tickJourneys(ctx context.Context, store Store, cfg Config, now time.Time) error {
	p := CarePolicy(cfg)
	decide := func(t lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
		c, ok := lead.JourneyTick(j, t.Lead, now, p)
		if !ok {
			return c, nil, false, nil
		}
		msgs, err := PlanMails(c, cfg.Practice)
		if err != nil {
			return c, nil, false, fmt.Errorf("journey of %s: %w", t.Lead.ID, err)
		}
		return c, msgs, true, nil
	}
	for {
		due, err := store.DueJourneys(ctx, now, batch)
		if err != nil || len(due) == 0 {
			return err
		}
		for _, id := range due {
			// A journey takes one step a transaction: one due several times
			// over is read again until nothing of it is due.
			for {
				_, ok, err := store.UpdateJourney(ctx, id, decide)
				if errors.Is(err, outbox.ErrNotFound) {
					break
				}
				if err != nil {
					return err
				}
				if !ok {
					break
				}
			}
		}
	}
}

// appointments returns the digest's lists of the day at: this week's
// surgeries (Monday to Sunday, practice time), with where each patient's
// journey stands, and today's and tomorrow's consultations.
func appointments(ctx context.Context, store Store, at time.Time, loc *time.Location) (surgeries, consultations []mail.DigestJourney, err error) {
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := at.In(loc).Date()
	today := time.Date(y, m, d, 0, 0, 0, 0, loc)
	monday := today.AddDate(0, 0, -(int(today.Weekday())+6)%7)
	to := monday.AddDate(0, 0, 7)
	if t := today.AddDate(0, 0, 2); t.After(to) { // Sunday: tomorrow is next week's
		to = t
	}
	js, err := store.Journeys(ctx, monday, to)
	if err != nil {
		return nil, nil, err
	}
	for _, jo := range js {
		l, j := jo.Lead.Lead, jo.Journey
		row := mail.DigestJourney{ID: l.ID, Ref: cmp.Or(l.Ref, l.ID), FirstName: l.FirstName, Procedure: l.Procedure}
		if s, ok := j.Current(lead.Surgery); ok && !s.At.Before(monday) && s.At.Before(monday.AddDate(0, 0, 7)) {
			r := row
			st := figures.StatusOf(j)
			r.At, r.Surgeon, r.Procedure, r.Override = s.At, s.Surgeon, cmp.Or(s.Procedure, l.Procedure), s.Override != ""
			r.Sent, r.Acknowledged, r.Overdue, r.Waiting = st.Sent, st.Acknowledged, st.Overdue, st.Waiting
			surgeries = append(surgeries, r)
		}
		if c, ok := j.Current(lead.Consultation); ok && !c.At.Before(today) && c.At.Before(today.AddDate(0, 0, 2)) {
			r := row
			r.At, r.Mode, r.Surgeon = c.At, c.Mode, c.Surgeon
			consultations = append(consultations, r)
		}
	}
	byTime := func(a, b mail.DigestJourney) int { return cmp.Or(a.At.Compare(b.At), strings.Compare(a.Ref, b.Ref)) }
	slices.SortFunc(surgeries, byTime)
	slices.SortFunc(consultations, byTime)
	return surgeries, consultations, nil
}
