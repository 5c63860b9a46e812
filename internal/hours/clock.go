package hours

import "time"

// Clock is a practice's response clock: when it answers, and what it
// promises. The zero value of each field is its documented default.
type Clock struct {
	Schedule
	// RespondWithin is the open time within which a lead is answered;
	// default DefaultRespondWithin.
	RespondWithin time.Duration
	// EscalateTo are told of a lead still unclaimed after its reminder;
	// none means no escalation.
	EscalateTo []string
	// FollowUpAfter is the working days after a lead is marked contacted
	// before its follow-up reminder; default DefaultFollowUpAfter.
	FollowUpAfter int
	// DigestTo receive the daily digest; none sends no digest.
	DigestTo []string
	// DigestAt is when the digest is sent on open days, in minutes after
	// midnight, practice time; 0 means DefaultDigestAt (midnight itself is
	// not offered).
	DigestAt int
	// Attempts is the plan of calls after one nobody answered: the n-th
	// step says when to call again after the n-th unanswered call; after
	// the last, the patient is not reached. Nil means DefaultAttempts.
	Attempts []Retry
}

// The defaults of Clock.
const (
	DefaultRespondWithin = 2 * time.Hour
	DefaultFollowUpAfter = 3         // working days
	DefaultDigestAt      = 8*60 + 30 // 08:30
)

// WithDefaults returns c with every zero field set to its default, and
// a nil Location set to UTC. Clock's methods need none of it: each reads
// a zero field as its default.
func (c Clock) WithDefaults() Clock {
	c.Location = c.loc()
	c.RespondWithin = c.respondWithin()
	c.FollowUpAfter = c.followUpAfter()
	c.DigestAt = c.digestAt()
	c.Attempts = c.attempts()
	return c
}

func (c Clock) attempts() []Retry {
	if c.Attempts == nil {
		return DefaultAttempts
	}
	return c.Attempts
}

func (c Clock) respondWithin() time.Duration {
	if c.RespondWithin <= 0 {
		return DefaultRespondWithin
	}
	return c.RespondWithin
}

func (c Clock) followUpAfter() int {
	if c.FollowUpAfter <= 0 {
		return DefaultFollowUpAfter
	}
	return c.FollowUpAfter
}

func (c Clock) digestAt() int {
	if c.DigestAt <= 0 {
		return DefaultDigestAt
	}
	return c.DigestAt
}

// Due returns when a lead received at t must be answered: t plus
// RespondWithin of open time.
func (c Clock) Due(t time.Time) time.Time {
	return c.Add(t, c.respondWithin())
}

// Escalation returns when a lead due at due and still unclaimed is
// escalated: half RespondWithin of open time after its reminder, which is
// sent at due (or at the next opening).
func (c Clock) Escalation(due time.Time) time.Time {
	return c.Add(c.NextOpen(due), c.respondWithin()/2)
}

// FollowUp returns when a lead marked contacted at t gets its follow-up
// reminder: FollowUpAfter working days later.
func (c Clock) FollowUp(t time.Time) time.Time {
	return c.AddDays(t, c.followUpAfter())
}

// NextDigest returns when the first digest after t is due.
func (c Clock) NextDigest(t time.Time) time.Time {
	return c.NextAt(t, c.digestAt())
}

// Calls is how many calls the plan makes in all: the first, and one a
// step of Attempts.
func (c Clock) Calls() int { return 1 + len(c.attempts()) }

// NextCall returns when to call a patient again after the n-th call
// (from 1) went unanswered at last, the first having been at first; false
// when the plan has no call after the n-th.
func (c Clock) NextCall(n int, first, last time.Time) (time.Time, bool) {
	plan := c.attempts()
	if n < 1 || n > len(plan) {
		return time.Time{}, false
	}
	return c.Retry(plan[n-1], first, last), true
}
