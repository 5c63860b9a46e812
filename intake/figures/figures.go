// Package figures computes how fast a practice answers its leads: for any
// period, each lead with its state and time to claim, the median and 90th
// percentile time to claim, the share answered within the promise, and the
// same figures by coordinator, by week, by procedure and by source, with
// the words that say them. It is the one place they are computed: `consulta
// intake report` prints them (package report), and the daily digest
// (package remind) tells them.
//
// Times to claim are real (wall-clock) time from receipt to claim; "within
// the promise" means claimed by the lead's due time, which the response
// clock counted in open hours.
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
	ByCoordinator []Group   `json:"by_coordinator"` // by who claimed; "" for leads not claimed
	ByWeek        []Group   `json:"by_week"`        // by ISO week received, e.g. "2026-W48"
	ByProcedure   []Group   `json:"by_procedure"`
	BySource      []Group   `json:"by_source"`
}

// Lead is one lead of a report: no patient data.
type Lead struct {
	Ref       string     `json:"ref"`
	ID        string     `json:"id"`
	State     string     `json:"state"`
	Received  time.Time  `json:"received"`
	Due       *time.Time `json:"due"`        // null for leads kept before the clock
	ClaimedAt *time.Time `json:"claimed_at"` // null until claimed
	ClaimedBy string     `json:"claimed_by"`
	Procedure string     `json:"procedure"`
	Source    string     `json:"source"`

	actedAt time.Time
}

// Summary is the figures of a set of leads. A figure with nothing to
// measure (no lead claimed, no promise yet due) is null.
type Summary struct {
	Leads                int      `json:"leads"`
	MedianSecondsToClaim *float64 `json:"median_seconds_to_claim"`
	P90SecondsToClaim    *float64 `json:"p90_seconds_to_claim"`
	WithinPromisePercent *float64 `json:"within_promise_percent"`
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
			Procedure: t.Lead.Procedure, Source: t.Source, actedAt: t.ActedAt}
		y, m, d := l.Received.Date()
		week, ok := weeks[[3]int{y, int(m), d}]
		if !ok {
			wy, w := l.Received.ISOWeek()
			week = fmt.Sprintf("%d-W%02d", wy, w)
			weeks[[3]int{y, int(m), d}] = week
		}
		total.add(l, now)
		for g, key := range [4]string{l.ClaimedBy, week, l.Procedure, l.Source} {
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
	leads            int
	toClaim          []float64 // seconds
	within, promised int
}

func (a *acc) add(l *Lead, now time.Time) {
	a.leads++
	if l.ClaimedAt != nil {
		a.toClaim = append(a.toClaim, l.ClaimedAt.Sub(l.Received).Seconds())
	}
	if l.Due == nil || l.State == lead.Spam || l.State == lead.NotALead {
		return // no promise, or not a patient
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
}

func (a *acc) summary() Summary {
	s := Summary{Leads: a.leads}
	if n := len(a.toClaim); n > 0 {
		slices.Sort(a.toClaim)
		s.MedianSecondsToClaim = ptr(median(a.toClaim))
		s.P90SecondsToClaim = ptr(a.toClaim[int(math.Ceil(0.9*float64(n)))-1])
	}
	if a.promised > 0 {
		s.WithinPromisePercent = ptr(math.Round(1000*float64(a.within)/float64(a.promised)) / 10)
	}
	return s
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

// FirstAction returns how long after receipt lead l was first acted on by
// hand (claimed, or marked), and false if it has not been.
func (l Lead) FirstAction() (time.Duration, bool) {
	if l.actedAt.IsZero() {
		return 0, false
	}
	return l.actedAt.Sub(l.Received), true
}
