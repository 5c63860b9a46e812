package lead

import (
	"fmt"
	"slices"
	"time"
)

// The states of a lead. A lead moves New → Claimed → Contacted → Booked or
// Closed, and to Spam or NotALead by hand; a lead held as suspected spam
// starts in Spam, and is released to New. Otherwise a state only ever
// moves forward: Booked, Closed, Spam and NotALead are final.
const (
	New       = "new"        // received, nobody has taken it yet
	Claimed   = "claimed"    // a coordinator is handling it
	Contacted = "contacted"  // the patient has been answered
	Booked    = "booked"     // a consultation is booked
	Closed    = "closed"     // answered, and no consultation came of it
	Spam      = "spam"       // not a patient: held, or marked by hand
	NotALead  = "not_a_lead" // a real message, but not a consultation request
)

// States lists every state, in the order a lead moves through them.
var States = []string{New, Claimed, Contacted, Booked, Closed, Spam, NotALead}

// moves are the states a lead may be moved to by hand (Act), from each
// state. A state that is no key is final. Release, the one move back,
// takes a lead held as spam to New.
var moves = map[string][]string{
	New:       {Claimed, Contacted, Booked, Closed, Spam, NotALead},
	Claimed:   {Contacted, Booked, Closed, Spam, NotALead},
	Contacted: {Booked, Closed, Spam, NotALead},
}

// CanMove reports whether a lead in state from may be moved to state to
// by hand.
func CanMove(from, to string) bool { return slices.Contains(moves[from], to) }

// Final reports whether nothing moves a lead in state by hand.
func Final(state string) bool { return len(moves[state]) == 0 }

// claims says whether moving to state means someone took the lead on:
// every state a coordinator moves it to, but spam and not a lead.
func claims(state string) bool {
	return state == Claimed || state == Contacted || state == Booked || state == Closed
}

// Status is where a lead stands in its lifecycle.
type Status struct {
	State   string    // New, Claimed, …
	StateAt time.Time // when the state was set
	StateBy string    // who set it: an address; "" for the service

	ActedAt     time.Time // the first change of state by hand; zero if none
	ClaimedAt   time.Time // zero until claimed (or moved past claimed)
	ClaimedBy   string
	ContactedAt time.Time
	ContactedBy string

	Step  string // the clock's last step taken: "", Reminder, Escalation, FollowUp
	Steps []Step // the clock's steps to come, earliest first
}

// Tracked is a lead with where it stands.
type Tracked struct {
	// Lead is the stored lead (a list of leads fills only a few fields);
	// its personal fields are empty once purged.
	Lead   Lead
	Source string // where it came from, as a category (SourceOf), for counts by source
	Status
}

// Change is what an event does to a lead, as the lifecycle decides it:
// the lead as it stands after (its Steps are all the steps it then has),
// what the history keeps of it, the emails it sends, and whether the
// lead's held emails become due. A store keeps it as it is, in one
// transaction.
type Change struct {
	After   Tracked
	Event   Event  // zero when the history keeps nothing (a step put off)
	Sends   []Send // the emails to queue
	Release bool   // the lead's held emails become due
}

// Event is a change of a lead as its history keeps it.
type Event struct {
	Kind  string // "state", "released", or the step taken (Reminder, …)
	State string // the state set; "" for a step
	By    string // who: the address an action was sent to; "" for the clock
	At    time.Time
}

// Send is an email a change sends: one of its kind, to one recipient.
type Send struct {
	Kind string // Reminder, Escalation, FollowUp, …
	ID   string // unique among the emails of every lead: "<lead id>.<kind>[.<n>]"
	To   string // a bare address
}

// Start returns l as it starts its lifecycle, received and due at l.Due
// (by the practice's clock, Policy.Due): new, with its reminder
// scheduled at its due time; or, held as suspected spam, in Spam with
// nothing scheduled until someone releases it. Its source is a category
// (SourceOf), answers being the form's fixed answers to "How did you hear
// of us?".
func Start(l Lead, answers ...string) Tracked {
	t := Tracked{Lead: l, Source: SourceOf(l, answers...), Status: Status{State: New, StateAt: l.Received}}
	switch {
	case l.Spam:
		t.State = Spam
	case !l.Due.IsZero():
		t.Steps = []Step{{Kind: Reminder, At: l.Due}}
	}
	return t
}

// Act moves t to state, as by asked at now by hand (an action link): the
// state and who set it, when it was first acted on, claimed and
// contacted; every step to come is dropped, and a lead marked contacted
// gets its follow-up. It returns false when the move is no move forward
// (a colleague's second click, or a lead past it), and an error for a
// state nobody may move a lead to.
func Act(t Tracked, state, by string, now time.Time, p Policy) (Change, bool, error) {
	if state == New || !slices.Contains(States, state) {
		return Change{}, false, fmt.Errorf("%q is not a state a lead can be moved to", state)
	}
	if !CanMove(t.State, state) {
		return Change{}, false, nil
	}
	s := t.Status
	s.State, s.StateAt, s.StateBy = state, now, by
	if s.ActedAt.IsZero() {
		s.ActedAt = now
	}
	if s.ClaimedAt.IsZero() && claims(state) {
		s.ClaimedAt, s.ClaimedBy = now, by
	}
	s.Steps = nil
	if state == Contacted {
		s.ContactedAt, s.ContactedBy = now, by
		s.Steps = []Step{{Kind: FollowUp, At: p.Clock.FollowUp(now)}}
	}
	t.Status = s
	return Change{After: t, Event: Event{Kind: "state", State: state, By: by, At: now}}, true, nil
}

// Release delivers t, held as suspected spam, as by asked at now: a new
// lead, no longer marked, due by the practice's clock from now, with its
// reminder scheduled then and its held emails due at once. It returns
// false for a lead that is not held.
func Release(t Tracked, by string, now time.Time, p Policy) (Change, bool) {
	if !t.Lead.Spam || t.State != Spam {
		return Change{}, false
	}
	due := p.Due(now)
	t.Lead.Spam, t.Lead.Due = false, due
	t.State, t.StateAt, t.StateBy = New, now, by
	t.Steps = []Step{{Kind: Reminder, At: due}}
	return Change{After: t, Event: Event{Kind: "released", State: New, By: by, At: now}, Release: true}, true
}
