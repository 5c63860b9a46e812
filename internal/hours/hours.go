// Package hours is the practice's response clock: when the practice answers
// (its open hours, in its time zone, less its closed dates), and the
// arithmetic on it: a time plus so much open time, plus so many working
// days, the next digest time.
//
// Every function is pure. Open periods are turned into instants with
// time.Date in the practice's zone, so a day with a daylight-saving change
// counts the open time it really has.
//
// Both halves use it: the generator checks site.yaml's intake keys with its
// parsers, and the intake service runs the clock. It imports nothing of
// Consulta's.
package hours

import (
	"slices"
	"time"
)

// Span is an open period of a day: [From, To) in minutes since midnight,
// with To at most 1440 ("24:00").
type Span struct{ From, To int }

// Week is the open spans of each weekday, indexed by time.Weekday, in order.
type Week [7][]Span

// Schedule is when a practice answers. The zero value is always open, in UTC.
type Schedule struct {
	// Location is the practice's time zone; nil means UTC.
	Location *time.Location
	// Week is the open hours; a Week without any span means always open.
	Week Week
	// Closed are dates on which the practice is closed all day, whatever
	// Week says; only their year, month and day count.
	Closed []time.Time
}

// maxDays bounds every search for an open period. A schedule with at least
// one open span finds one within a week of its closed dates.
const maxDays = 3 * 366

func (s Schedule) loc() *time.Location {
	if s.Location == nil {
		return time.UTC
	}
	return s.Location
}

// always reports whether the schedule has no hours, that is, is always open.
func (s Schedule) always() bool {
	for _, d := range s.Week {
		if len(d) > 0 {
			return false
		}
	}
	return true
}

// day is one calendar day in the practice's zone.
type day struct {
	y int
	m time.Month
	d int
}

func dayOf(t time.Time) day {
	y, m, d := t.Date()
	return day{y, m, d}
}

func (d day) next() day { return dayOf(time.Date(d.y, d.m, d.d+1, 12, 0, 0, 0, time.UTC)) }

func (d day) weekday() time.Weekday {
	return time.Date(d.y, d.m, d.d, 12, 0, 0, 0, time.UTC).Weekday()
}

func (s Schedule) closed(d day) bool {
	return slices.ContainsFunc(s.Closed, func(c time.Time) bool { return dayOf(c) == d })
}

// spans returns the open periods of day d as instants, in order.
func (s Schedule) spans(d day) [][2]time.Time {
	if s.closed(d) {
		return nil
	}
	loc := s.loc()
	if s.always() {
		return [][2]time.Time{{time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc), time.Date(d.y, d.m, d.d+1, 0, 0, 0, 0, loc)}}
	}
	var out [][2]time.Time
	for _, sp := range s.Week[d.weekday()] {
		a := time.Date(d.y, d.m, d.d, 0, sp.From, 0, 0, loc)
		b := time.Date(d.y, d.m, d.d, 0, sp.To, 0, 0, loc)
		if b.After(a) {
			out = append(out, [2]time.Time{a, b})
		}
	}
	return out
}

// OpenDay reports whether the practice opens at all on t's date in its zone.
func (s Schedule) OpenDay(t time.Time) bool {
	return len(s.spans(dayOf(t.In(s.loc())))) > 0
}

// Open reports whether the practice is open at t.
func (s Schedule) Open(t time.Time) bool {
	for _, sp := range s.spans(dayOf(t.In(s.loc()))) {
		if !t.Before(sp[0]) && t.Before(sp[1]) {
			return true
		}
	}
	return false
}

// Add returns t plus d of open time: the clock runs only while the
// practice is open. When d is 0 it returns t if the practice is open then,
// else the next opening. If the schedule never opens, it returns t+d.
func (s Schedule) Add(t time.Time, d time.Duration) time.Time {
	loc := s.loc()
	t = t.In(loc)
	left := max(d, 0)
	// Start the day before: a span of yesterday may still be running
	// (it cannot in a Week, but a DST gap can shift an end past midnight).
	dd := dayOf(t.AddDate(0, 0, -1))
	for range maxDays {
		for _, sp := range s.spans(dd) {
			if !sp[1].After(t) {
				continue
			}
			start := sp[0]
			if t.After(start) {
				start = t
			}
			if end := start.Add(left); !end.After(sp[1]) {
				return end
			}
			left -= sp[1].Sub(start)
		}
		dd = dd.next()
	}
	return t.Add(d)
}

// NextOpen returns t if the practice is open then, else its next opening.
func (s Schedule) NextOpen(t time.Time) time.Time { return s.Add(t, 0) }

// AddDays returns the time n working days after t: the same time of day on
// the n-th open day after t's date, or the next opening after it when the
// practice is closed at that time.
func (s Schedule) AddDays(t time.Time, n int) time.Time {
	loc := s.loc()
	t = t.In(loc)
	d := s.openDays(dayOf(t), n)
	h, m, sec := t.Clock()
	return s.NextOpen(time.Date(d.y, d.m, d.d, h, m, sec, t.Nanosecond(), loc))
}

// openDays returns the n-th open day after d.
func (s Schedule) openDays(d day, n int) day {
	for i := 0; n > 0 && i < maxDays; i++ {
		d = d.next()
		if len(s.spans(d)) > 0 {
			n--
		}
	}
	return d
}

// NextAt returns the first time after t that is minute minutes past
// midnight, practice time, on an open day: when the daily digest is due.
func (s Schedule) NextAt(t time.Time, minute int) time.Time {
	loc := s.loc()
	t = t.In(loc)
	d := dayOf(t)
	for range maxDays {
		at := time.Date(d.y, d.m, d.d, 0, minute, 0, 0, loc)
		if at.After(t) && len(s.spans(d)) > 0 {
			return at
		}
		d = d.next()
	}
	return t.Add(24 * time.Hour)
}

// Between returns the open time from a to b; 0 when b is not after a.
func (s Schedule) Between(a, b time.Time) time.Duration {
	if !b.After(a) {
		return 0
	}
	loc := s.loc()
	a, b = a.In(loc), b.In(loc)
	var total time.Duration
	for d := dayOf(a.AddDate(0, 0, -1)); ; d = d.next() {
		for _, sp := range s.spans(d) {
			lo, hi := sp[0], sp[1]
			if lo.Before(a) {
				lo = a
			}
			if hi.After(b) {
				hi = b
			}
			if hi.After(lo) {
				total += hi.Sub(lo)
			}
		}
		if dd := dayOf(b); d == dd || d.y > dd.y+1 {
			return total
		}
	}
}
