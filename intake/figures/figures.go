// Package figures computes how fast a practice reaches the patients who
// write to it: for any period, each lead with its state, claim, first
// call, when the patient was reached, calls, booking and outcome; the
// median and 90th percentile time to claim, to the first call and to
// reach the patient; the share claimed and the share reached within the
// promise; calls per lead; the share booked; the leads not reached; and
// the same figures by coordinator, by week, by procedure and by source,
// with the words that say them. It is the one place they are computed:
// `consulta intake report` prints them (package report), and the daily
// digest (package remind) tells them.
//
// Times are real (wall-clock) time from receipt; "within the promise"
// means by the lead's due time, which the response clock counted in open
// hours. The promise is kept when the patient is reached (a call recorded
// as reached, or a consultation booked), not when someone claims the lead.
package figures

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// Report is the figures of one period. Its JSON is what `consulta intake
// report --format json` prints.
type Report struct {
	Since         time.Time `json:"since"`
	Until         time.Time `json:"until"`
	Leads         []Lead    `json:"leads"`
	Summary       Summary   `json:"summary"`
	ByCoordinator []Group   `json:"by_coordinator"` // by who claimed, by name when the staff list gives one; "" for leads not claimed
	ByWeek        []Group   `json:"by_week"`        // by ISO week received, e.g. "2026-W48"
	ByProcedure   []Group   `json:"by_procedure"`
	BySource      []Group   `json:"by_source"`

	// Procedures names the procedures by their slugs, for people: the
	// caller sets it from the site; a slug it does not name is shown as
	// it is.
	Procedures map[string]string `json:"-"`
	// Journey is the figures of patients' journeys after booking in the
	// period (ComputeJourneys); nil when the report was made without them.
	Journey *Journeys `json:"journey,omitempty"`
}

// ProcedureTitle returns a procedure as people read it: "Rhinoplasty".
func (r Report) ProcedureTitle(slug string) string {
	if t, ok := r.Procedures[slug]; ok && t != "" {
		return t
	}
	return slug
}

// Lead is one lead of a report: no patient data.
type Lead struct {
	Ref            string     `json:"ref"`
	ID             string     `json:"id"`
	State          string     `json:"state"`
	Received       time.Time  `json:"received"`
	Due            *time.Time `json:"due"`        // null for leads kept before the clock
	ClaimedAt      *time.Time `json:"claimed_at"` // null until claimed
	ClaimedBy      string     `json:"claimed_by"`
	FirstAttemptAt *time.Time `json:"first_attempt_at"` // the first call recorded; null until then
	ReachedAt      *time.Time `json:"reached_at"`       // a call that reached the patient, or the booking; null until then
	Attempts       int        `json:"attempts"`         // the calls recorded
	BookedAt       *time.Time `json:"booked_at"`
	ClosedAt       *time.Time `json:"closed_at"` // closed without a booking
	Outcome        string     `json:"outcome"`   // see Outcomes
	Procedure      string     `json:"procedure"`
	Source         string     `json:"source"`

	actedAt time.Time
	owner   string // who claimed it, by name when the staff list gives one
}

// The outcomes of a lead, as a report's "outcome" names them.
const (
	Waiting    = "waiting"     // nobody has called yet
	Calling    = "calling"     // called, not reached yet
	Reached    = "reached"     // reached, neither booked nor closed yet
	Booked     = "booked"      // a consultation is booked
	Closed     = "closed"      // reached, and no consultation came of it
	NotReached = "not_reached" // every planned call went unanswered
	NotALead   = "not_a_lead"
	Spam       = "spam"
)

// OutcomeOf returns the outcome of a lead as it stands.
func OutcomeOf(t lead.Tracked) string {
	switch t.State {
	case lead.Booked:
		return Booked
	case lead.Closed:
		return Closed
	case lead.Contacted:
		return Reached
	case lead.NotReached:
		return NotReached
	case lead.NotALead:
		return NotALead
	case lead.Spam:
		return Spam
	}
	if t.Calls > 0 {
		return Calling
	}
	return Waiting
}

// outcomeWords are the outcomes as people read them.
var outcomeWords = map[string]string{
	Waiting: "Not called yet", Calling: "Called, not reached yet", Reached: "Reached", Booked: "Consultation booked",
	Closed: "Closed, no booking", NotReached: "Not reached", NotALead: "Not a lead", Spam: "Spam",
}

// OutcomeWords returns an outcome as people read it.
func OutcomeWords(outcome string) string {
	if w, ok := outcomeWords[outcome]; ok {
		return w
	}
	return outcome
}

// Summary is the figures of a set of leads. A figure with nothing to
// measure (no lead claimed, no promise yet due) is null. The shares and
// the calls per lead count patients only: spam and "not a lead" aside.
type Summary struct {
	Leads                       int      `json:"leads"`
	MedianSecondsToClaim        *float64 `json:"median_seconds_to_claim"`
	P90SecondsToClaim           *float64 `json:"p90_seconds_to_claim"`
	WithinPromisePercent        *float64 `json:"within_promise_percent"` // claimed by the due time
	MedianSecondsToFirstAttempt *float64 `json:"median_seconds_to_first_attempt"`
	P90SecondsToFirstAttempt    *float64 `json:"p90_seconds_to_first_attempt"`
	MedianSecondsToReach        *float64 `json:"median_seconds_to_reach"`
	P90SecondsToReach           *float64 `json:"p90_seconds_to_reach"`
	ReachedWithinPromisePercent *float64 `json:"reached_within_promise_percent"` // reached by the due time: the promise kept
	AttemptsPerLead             *float64 `json:"attempts_per_lead"`
	BookedPercent               *float64 `json:"booked_percent"`
	NotReached                  int      `json:"not_reached"`
}

// Group is the summary of the leads that share a key.
type Group struct {
	Key string `json:"key"`
	Summary
}

// Compute makes the report of leads, received in [since, until), as it
// stands at now. Times are given in loc. It reads each lead once.
func Compute(leads []lead.Tracked, since, until, now time.Time, loc *time.Location) Report {
	if loc == nil {
		loc = time.UTC
	}
	r := Report{Since: since.In(loc), Until: until.In(loc), Leads: make([]Lead, len(leads))}
	var total acc
	groups := [4]map[string]*acc{{}, {}, {}, {}} // coordinator, week, procedure, source
	weeks := map[[3]int]string{}                 // a day's ISO week, computed once a day
	for i, t := range leads {
		l := &r.Leads[i]
		*l = Lead{Ref: t.Lead.Ref, ID: t.Lead.ID, State: t.State, Received: t.Lead.Received.In(loc),
			Due: timePtr(t.Lead.Due, loc), ClaimedAt: timePtr(t.ClaimedAt, loc), ClaimedBy: t.ClaimedBy,
			FirstAttemptAt: timePtr(t.FirstCallAt, loc), ReachedAt: timePtr(t.ContactedAt, loc), Attempts: t.Calls,
			Outcome: OutcomeOf(t), Procedure: t.Lead.Procedure, Source: t.Source, actedAt: t.ActedAt,
			owner: cmp.Or(t.ClaimedName, t.ClaimedBy)}
		switch t.State {
		case lead.Booked:
			l.BookedAt = timePtr(t.StateAt, loc)
		case lead.Closed:
			l.ClosedAt = timePtr(t.StateAt, loc)
		}
		y, m, d := l.Received.Date()
		week, ok := weeks[[3]int{y, int(m), d}]
		if !ok {
			wy, w := l.Received.ISOWeek()
			week = fmt.Sprintf("%d-W%02d", wy, w)
			weeks[[3]int{y, int(m), d}] = week
		}
		total.add(l, now)
		for g, key := range [4]string{l.owner, week, l.Procedure, l.Source} {
			a := groups[g][key]
			if a == nil {
				a = &acc{}
				groups[g][key] = a
			}
			a.add(l, now)
		}
	}
	r.Summary = total.summary()
	r.ByCoordinator, r.ByWeek, r.ByProcedure, r.BySource = sorted(groups[0]), sorted(groups[1]), sorted(groups[2]), sorted(groups[3])
	return r
}

func timePtr(t time.Time, loc *time.Location) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = t.In(loc)
	return &t
}

// Summarize computes the summary of leads at now.
func Summarize(leads []Lead, now time.Time) Summary {
	var a acc
	for i := range leads {
		a.add(&leads[i], now)
	}
	return a.summary()
}

// acc gathers the figures of a set of leads, one lead at a time.
type acc struct {
	leads                      int
	toClaim, toFirst, toReach  []float64 // seconds
	within, promised           int       // claimed by the due time, of those due
	reachedWithin, toBeReached int       // reached by the due time, of those due or reached
	patients, calls, booked    int       // spam and not a lead aside
	notReached                 int
}

func (a *acc) add(l *Lead, now time.Time) {
	a.leads++
	if l.ClaimedAt != nil {
		a.toClaim = append(a.toClaim, l.ClaimedAt.Sub(l.Received).Seconds())
	}
	if l.FirstAttemptAt != nil {
		a.toFirst = append(a.toFirst, l.FirstAttemptAt.Sub(l.Received).Seconds())
	}
	if l.ReachedAt != nil {
		a.toReach = append(a.toReach, l.ReachedAt.Sub(l.Received).Seconds())
	}
	if l.State == lead.Spam || l.State == lead.NotALead {
		return // not a patient
	}
	a.patients++
	a.calls += l.Attempts
	if l.State == lead.Booked {
		a.booked++
	}
	if l.State == lead.NotReached {
		a.notReached++
	}
	if l.Due == nil {
		return // no promise
	}
	switch {
	case l.ClaimedAt != nil:
		a.promised++
		if !l.ClaimedAt.After(*l.Due) {
			a.within++
		}
	case now.After(*l.Due):
		a.promised++ // due, and still nobody has it
	}
	switch {
	case l.ReachedAt != nil:
		a.toBeReached++
		if !l.ReachedAt.After(*l.Due) {
			a.reachedWithin++
		}
	case now.After(*l.Due):
		a.toBeReached++ // due, and not reached yet
	}
}

func (a *acc) summary() Summary {
	s := Summary{Leads: a.leads, NotReached: a.notReached}
	s.MedianSecondsToClaim, s.P90SecondsToClaim = spread(a.toClaim)
	s.MedianSecondsToFirstAttempt, s.P90SecondsToFirstAttempt = spread(a.toFirst)
	s.MedianSecondsToReach, s.P90SecondsToReach = spread(a.toReach)
	s.WithinPromisePercent = percent(a.within, a.promised)
	s.ReachedWithinPromisePercent = percent(a.reachedWithin, a.toBeReached)
	s.BookedPercent = percent(a.booked, a.patients)
	if a.patients > 0 {
		s.AttemptsPerLead = ptr(math.Round(100*float64(a.calls)/float64(a.patients)) / 100)
	}
	return s
}

// spread returns the median and the 90th percentile of xs, which it
// sorts; nil for none.
func spread(xs []float64) (*float64, *float64) {
	n := len(xs)
	if n == 0 {
		return nil, nil
	}
	slices.Sort(xs)
	return ptr(median(xs)), ptr(xs[int(math.Ceil(0.9*float64(n)))-1])
}

// percent returns part of whole in percent, to a tenth; nil for a whole
// of none.
func percent(part, whole int) *float64 {
	if whole == 0 {
		return nil
	}
	return ptr(math.Round(1000*float64(part)/float64(whole)) / 10)
}

// median of sorted xs, which is not empty.
func median(xs []float64) float64 {
	n := len(xs)
	if n%2 == 1 {
		return xs[n/2]
	}
	return (xs[n/2-1] + xs[n/2]) / 2
}

func ptr(f float64) *float64 { return &f }

// sorted returns the groups' summaries, the keys with most leads first.
func sorted(by map[string]*acc) []Group {
	out := make([]Group, 0, len(by))
	for k, a := range by {
		out = append(out, Group{Key: k, Summary: a.summary()})
	}
	slices.SortFunc(out, func(a, b Group) int {
		return cmp.Or(b.Leads-a.Leads, cmp.Compare(a.Key, b.Key))
	})
	return out
}

// Owner returns who claimed l, by name when the staff list gives one; ""
// while nobody has.
func (l Lead) Owner() string { return l.owner }

// FirstAction returns how long after receipt lead l was first acted on by
// hand (claimed, or marked), and false if it has not been.
func (l Lead) FirstAction() (time.Duration, bool) {
	if l.actedAt.IsZero() {
		return 0, false
	}
	return l.actedAt.Sub(l.Received), true
}
