package intake

import (
	"context"
	"fmt"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
)

// A lead's journey after booking (package lead): its dates, set from the
// lead's page or by `consulta intake schedule`; its care steps, sent by
// the clock (package remind); and the patient's pages that its emails
// link to (carepages.go).

// JourneyStore is what the journey needs of the store (an *outbox.Store).
type JourneyStore interface {
	Journey(ctx context.Context, id string) (lead.Tracked, lead.Journey, error)
	UpdateJourney(ctx context.Context, id string, decide outbox.JourneyDecide) (lead.Journey, bool, error)
}

// Scheduling is a change of a lead's dates: an appointment booked or
// moved (its Kind, At and the rest), or cancelled (Cancel, Kind alone).
type Scheduling struct {
	Appointment lead.Appointment
	Cancel      bool
	By          lead.Person // who: a member of staff, or the command
}

// Schedule books, moves or cancels an appointment of lead id at now, as
// the journey decides it (lead.Book, lead.Cancel), with the patient's
// email planned for the delivery worker: the store keeps it with the
// journey in one transaction. cfg is the service's configuration (its
// defaults applied or not); an error refused by the domain is returned as
// it is, for staff to read (lead.ErrCoolingOff, lead.ErrPast, …).
func Schedule(ctx context.Context, store JourneyStore, cfg Config, id string, s Scheduling, now time.Time) (lead.Journey, error) {
	cfg = cfg.WithDefaults()
	p := carePolicyOf(cfg)
	var refused error // the domain's answer, for staff: not wrapped in the store's words
	j, _, err := store.UpdateJourney(ctx, id, func(t lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
		var c lead.JourneyChange
		if s.Cancel {
			c, refused = lead.Cancel(j, t.Lead, s.Appointment.Kind, s.By, now, p)
		} else {
			c, refused = lead.Book(j, t.Lead, s.Appointment, s.By, now, p)
		}
		if refused != nil {
			return c, nil, false, nil
		}
		msgs, err := remind.PlanMails(c, cfg.Practice)
		if err != nil {
			return c, nil, false, fmt.Errorf("plan the patient's email: %w", err)
		}
		return c, msgs, true, nil
	})
	if err == nil {
		err = refused
	}
	return j, err
}

// journeyLinks returns the links of a journey's email of kind about lead
// leadID, saying d, signed for recipient: the patient's step page (with
// its acknowledgement or check-in) and change request, or the task's Done.
func (s *server) journeyLinks(kind, leadID string, d lead.MailData, recipient string) mail.JourneyLinks {
	var l mail.JourneyLinks
	switch kind {
	case mail.CareStep:
		page := s.actions.CareURL(leadID, action.CareStep, d.Step)
		l.Page, l.Acknowledge, l.CheckIn = page, page+"#read", page
	case mail.Appointment, mail.ConsultationReminder:
		if a := d.Appointment; a != nil && !a.Cancelled {
			l.Change = s.actions.CareURL(leadID, action.CareChange, a.Kind)
		}
	case mail.CareTask, mail.CareWorry, mail.CareEscalation:
		l.Lead = s.actions.URL(leadID, action.Open, recipient)
		if d.Task != nil {
			l.Done = s.actions.TaskURL(leadID, d.Task.ID, recipient)
		}
	}
	return l
}

// remindConfigOf is what the clock needs of cfg (its defaults applied),
// with logger.
func remindConfigOf(cfg Config, s *server) remind.Config {
	rc := remind.Config{Clock: cfg.Clock, Practice: cfg.Practice, People: cfg.Staff, Now: cfg.Now, Care: cfg.Care,
		CarePlans: cfg.Practice.Care.Plan, Surgeons: cfg.Practice.Surgeons}
	if s != nil {
		rc.Logger = s.log
	}
	return rc
}

// carePolicyOf is the practice's policy of journeys, as cfg sets it.
func carePolicyOf(cfg Config) lead.CarePolicy { return remind.CarePolicy(remindConfigOf(cfg, nil)) }
