package hours

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Retry is one step of a practice's plan of call attempts
// (site.yaml's intake.attempts): when to call a patient again after a call
// that nobody answered. Exactly one of its fields is set.
type Retry struct {
	// After is open time after the unanswered call: "2h".
	After time.Duration
	// NextMorning calls again at the practice's first opening on the next
	// open day: "next morning".
	NextMorning bool
	// Day calls again at the opening of the Day-th open day, counting the
	// day of the first attempt as day 1: "day 3".
	Day int
}

// DefaultAttempts is the plan when intake.attempts is not set: two open
// hours later, then the next morning, then day 3.
var DefaultAttempts = []Retry{{After: 2 * time.Hour}, {NextMorning: true}, {Day: 3}}

// String writes r as site.yaml does.
func (r Retry) String() string {
	switch {
	case r.NextMorning:
		return "next morning"
	case r.Day > 0:
		return "day " + strconv.Itoa(r.Day)
	}
	return strings.TrimSuffix(strings.TrimSuffix(r.After.String(), "0s"), "0m")
}

// ParseRetry reads one step of intake.attempts: an amount of open time
// ("2h", "90m"), "next morning", or "day N" (N at least 2).
func ParseRetry(s string) (Retry, error) {
	t := strings.ToLower(strings.Join(strings.Fields(s), " "))
	switch {
	case t == "next morning":
		return Retry{NextMorning: true}, nil
	case strings.HasPrefix(t, "day "):
		n, err := strconv.Atoi(strings.TrimPrefix(t, "day "))
		if err != nil || n < 2 || n > 30 {
			return Retry{}, fmt.Errorf("%q is not a day to call again — write day 2 to day 30, counting the day of the first call as day 1, e.g. day 3", s)
		}
		return Retry{Day: n}, nil
	}
	d, err := ParseDuration(s)
	if err != nil {
		return Retry{}, fmt.Errorf("%q is not a time to call again — write open time (2h, 90m), \"next morning\" or \"day 3\"", s)
	}
	return Retry{After: d}, nil
}

// Retry returns when a patient is called again by plan step r, after an
// unanswered call at last, the first call having been at first: always in
// open hours, and always after last.
func (s Schedule) Retry(r Retry, first, last time.Time) time.Time {
	var at time.Time
	switch {
	case r.NextMorning:
		at = s.Morning(last, 1)
	case r.Day > 0:
		at = s.Morning(first, r.Day-1)
	default:
		at = s.Add(last, r.After)
	}
	if !at.After(last) { // day 3 when the last call was on day 3 or later
		at = s.Morning(last, 1)
	}
	return at
}

// Morning returns the practice's first opening on the n-th open day after
// t's date, in its zone (n = 1 is the next morning); for n = 0, the next
// opening from t on.
func (s Schedule) Morning(t time.Time, n int) time.Time {
	if n <= 0 {
		return s.NextOpen(t)
	}
	loc := s.loc()
	d := s.openDays(dayOf(t.In(loc)), n)
	return s.NextOpen(time.Date(d.y, d.m, d.d, 0, 0, 0, 0, loc))
}
