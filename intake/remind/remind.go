// Package remind runs each lead's response clock: a reminder to the
// coordinator when a lead is still unclaimed at its due time, then an
// escalation to the practice's escalation list; a follow-up to whoever
// marked a lead contacted when it is neither booked nor closed after the
// practice's follow-up days; and the daily digest. All of them wait while
// the practice is closed. The lifecycle (package lead) decides each step
// (lead.Tick) as the store reads the lead in its transaction, and the
// store keeps the step, its emails (planned, composed when they are sent)
// and its history together, so a restart neither loses nor repeats one.
//
// Tick does the work due at a given time, and is what the tests drive
// with their own clock; Run calls it as time passes.
package remind

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/hours"
)

// Store is what the clock needs of the outbox (an *outbox.Store).
type Store interface {
	DueSteps(ctx context.Context, now time.Time, n int) ([]lead.Tracked, error)
	NextStep(ctx context.Context) (time.Time, bool, error)
	Update(ctx context.Context, id string, decide outbox.Decide) (lead.Tracked, bool, error)
	QueueDigest(ctx context.Context, msgs []outbox.Message, data []byte, at time.Time) (bool, error)
	LastDigest(ctx context.Context) (time.Time, bool, error)
	List(ctx context.Context, from, to time.Time) ([]lead.Tracked, error)
	Spam(ctx context.Context) ([]outbox.SpamLead, error)

	DueJourneys(ctx context.Context, now time.Time, n int) ([]string, error)
	NextJourneyStep(ctx context.Context) (time.Time, bool, error)
	UpdateJourney(ctx context.Context, id string, decide outbox.JourneyDecide) (lead.Journey, bool, error)
	Journeys(ctx context.Context, from, to time.Time) ([]outbox.JourneyOf, error)
}

// Config is what the clock needs to know. Clock and Practice are required;
// the rest have defaults.
type Config struct {
	Clock    hours.Clock
	Practice mail.Practice // the sender and the coordinators
	People   []lead.Person // the staff list: a lead's owner is reminded while listed
	// Care is the practice's care settings (site.yaml's care keys and the
	// cooling-off period), and CarePlans each procedure's care steps (nil
	// plans none); Surgeons are the practice's surgeons' names by slug.
	Care      care.Settings
	CarePlans func(procedure string) []lead.CareStep
	Surgeons  map[string]string
	Logger    *slog.Logger // nil discards
	// Poll is the longest Run waits between two ticks; default 1 minute.
	Poll time.Duration
	Now  func() time.Time // default time.Now
}

// Run ticks until ctx ends: when the next step or digest is due, at least
// every Poll, and at most once a second, so that a stream of leads costs
// the intake nothing: a new lead is due a whole promise later, and a step
// taken a second late is on time.
func Run(ctx context.Context, store Store, cfg Config) error {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Poll <= 0 {
		cfg.Poll = time.Minute
	}
	log := logger(cfg)
	for ctx.Err() == nil {
		next, err := Tick(ctx, store, cfg, cfg.Now())
		if err != nil && ctx.Err() == nil {
			log.Error("response clock", "err", err)
		}
		wait := cfg.Poll
		if !next.IsZero() {
			wait = min(wait, max(next.Sub(cfg.Now()), minGap))
		}
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
		case <-timer.C:
		}
		timer.Stop()
	}
	return nil
}

func logger(cfg Config) *slog.Logger {
	if cfg.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return cfg.Logger
}

// minGap is the least time between two ticks.
const minGap = time.Second

// batch is how many leads one Tick reads at a time.
const batch = 100

// Tick takes every step due at now, and queues the digest if one is due,
// and returns when the next is due (zero when nothing waits).
func Tick(ctx context.Context, store Store, cfg Config, now time.Time) (time.Time, error) {
	cfg.Clock = cfg.Clock.WithDefaults()
	for {
		due, err := store.DueSteps(ctx, now, batch)
		if err != nil {
			return time.Time{}, err
		}
		for _, t := range due {
			// A lead may have several steps due (a call and its reminder):
			// each Update takes the earliest, until none is due.
			for range len(t.Steps) {
				_, changed, err := store.Update(ctx, t.Lead.ID, take(cfg, now))
				if err != nil && !errors.Is(err, outbox.ErrNotFound) { // not a lead purged since it was read
					return time.Time{}, err
				}
				if !changed {
					break
				}
			}
		}
		if len(due) < batch {
			break
		}
	}
	if err := tickJourneys(ctx, store, cfg, now); err != nil {
		return time.Time{}, err
	}
	if err := digestIfDue(ctx, store, cfg, now); err != nil {
		return time.Time{}, err
	}
	next, ok, err := store.NextStep(ctx)
	if err != nil {
		return time.Time{}, err
	}
	if j, jok, err := store.NextJourneyStep(ctx); err != nil {
		return time.Time{}, err
	} else if jok && (!ok || j.Before(next)) {
		next, ok = j, true
	}
	if len(cfg.Clock.DigestTo) > 0 {
		if d := cfg.Clock.NextDigest(now); !ok || d.Before(next) {
			next, ok = d, true
		}
	}
	if !ok {
		return time.Time{}, nil
	}
	return next, nil
}
