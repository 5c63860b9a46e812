package lead

import (
	"fmt"
	"slices"
	"time"
)

// The states of a lead. A lead moves New → Claimed → Contacted (the
// patient was reached) → Booked or Closed, and to Spam or NotALead by
// hand; calls nobody answered take it to NotReached once the practice's
// plan of attempts is spent (Call). A lead held as suspected spam starts
// in Spam, and is released to New. A request from the patient of an open
// lead starts Attached to it, and stays so. Otherwise a state only moves
// forward: Booked, Closed, Spam, NotALead and Attached are final.
const (
	New        = "new"         // received, nobody has taken it yet
	Claimed    = "claimed"     // a coordinator is handling it
	NotReached = "not_reached" // every planned call went unanswered
	Contacted  = "contacted"   // the patient was reached
	Booked     = "booked"      // a consultation is booked
	Closed     = "closed"      // answered, and no consultation came of it
	Spam       = "spam"        // not a patient: held, or marked by hand
	NotALead   = "not_a_lead"  // a real message, but not a consultation request
	Attached   = "attached"    // the same patient wrote again: kept with the open lead it joined (Status.AttachedTo)
)

// States lists every state, in the order a lead moves through them.
var States = []string{New, Claimed, NotReached, Contacted, Booked, Closed, Spam, NotALead, Attached}

// labels are the states as people read them, in reports, emails and the
// lead's page.
var labels = map[string]string{
	New: "New", Claimed: "Claimed", NotReached: "Not reached", Contacted: "Reached",
	Booked: "Consultation booked", Closed: "Closed, no booking", Spam: "Spam", NotALead: "Not a lead",
	Attached: "Wrote again",
}

// Label returns a state as people read it: "Not a lead"; a state this
// program does not know, as it is.
func Label(state string) string {
	if l, ok := labels[state]; ok {
		return l
	}
	return state
}

// moves are the states a lead may be moved to by hand (Act), from each
// state. A state that is no key is final. Release, the one move back,
// takes a lead held as spam to New; a call moves a lead to NotReached
// (Call).
var moves = map[string][]string{
	New:        {Claimed, Contacted, Booked, Closed, Spam, NotALead},
	Claimed:    {Contacted, Booked, Closed, Spam, NotALead},
	NotReached: {Contacted, Booked, Closed, Spam, NotALead},
	Contacted:  {Booked, Closed, Spam, NotALead},
}

// CanMove reports whether a lead in state from may be moved to state to
// by hand.
func CanMove(from, to string) bool { return slices.Contains(moves[from], to) }

// Final reports whether nothing moves a lead in state by hand.
func Final(state string) bool { return len(moves[state]) == 0 }

// Moves returns the states a lead in state may be moved to by hand, in
// order.
func Moves(state string) []string { return slices.Clone(moves[state]) }

// claims says whether moving to state means someone took the lead on:
// every state a coordinator moves it to, but spam and not a lead.
func claims(state string) bool {
	return state == Claimed || state == Contacted || state == Booked || state == Closed
}

// reaches says whether moving to state means the patient was reached.
func reaches(state string) bool { return state == Contacted || state == Booked }

// Person is a member of staff: the address their links were sent to, and
// their name when the practice's staff list (Policy.People) gives one; a
// shared mailbox's link is acted on by one of the people listed with it.
type Person struct {
	Name  string
	Email string
}

// String is how the history names p: by name, else by address.
func (p Person) String() string {
	if p.Name != "" {
		return p.Name
	}
	return p.Email
}

// Status is where a lead stands in its lifecycle.
type Status struct {
	State   string    // New, Claimed, …
	StateAt time.Time // when the state was set
	StateBy string    // who set it: an address; "" for the service

	ActedAt     time.Time // the first change of state by hand; zero if none
	ClaimedAt   time.Time // zero until claimed (or moved past claimed)
	ClaimedBy   string    // the owner's address: the owner's reminders go to it
	ClaimedName string    // the owner's name, when the staff list names them
	ContactedAt time.Time // when the patient was reached (a call, or a booking); zero until then
	ContactedBy string

	FirstCallAt time.Time // the first call recorded; zero until then
	Calls       int       // the calls recorded
	LastCall    string    // the outcome of the last call: Reached, NoAnswer, …

	AttachedTo string // for an Attached lead: the open lead it joined

	Step  string // the clock's last step taken: "", Reminder, Escalation, …
	Steps []Step // the clock's steps to come, earliest first
}

// Tracked is a lead with where it stands.
type Tracked struct {
	// Lead is the stored lead (a list of leads fills only a few fields);
	// its personal fields are empty once purged.
	Lead   Lead
	Source string // where it came from, as a category (SourceOf), for counts by source
	Status
	// History is what happened to the lead, newest first, as a store
	// reads one lead (a list of leads leaves it empty).
	History []Entry
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
	Undoes  int64  // the entry of the history this change undoes (Undo); 0 for none
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

// Act moves t to state, as by asked at now by hand (the lead's page): the
// state and who set it, when it was first acted on, claimed and reached.
// A claim keeps the clock running (the reminder at the due time goes to
// the owner, then the escalation); any other move drops every step to
// come, and a lead marked reached gets its follow-up. It returns false
// when the move is no move forward (a colleague's second click, or a lead
// past it), and an error for a state nobody may move a lead to.
func Act(t Tracked, state string, by Person, now time.Time, p Policy) (Change, bool, error) {
	if state == New || state == Attached || state == NotReached || !slices.Contains(States, state) {
		return Change{}, false, fmt.Errorf("%q is not a state a lead can be moved to", state)
	}
	if !CanMove(t.State, state) {
		return Change{}, false, nil
	}
	before := t.Status
	t.Status = moved(t.Status, state, by, now)
	switch state {
	case Claimed: // the clock runs until the patient is reached
	case Contacted:
		t.Steps = []Step{{Kind: FollowUp, At: p.Clock.FollowUp(now)}}
	default:
		t.Steps = nil
	}
	return Change{After: t, Event: Event{Kind: KindState, State: state, By: by, At: now, Before: &before}}, true, nil
}

// moved returns s moved to state by by at now: who set it, when it was
// first acted on, claimed and reached.
func moved(s Status, state string, by Person, now time.Time) Status {
	s.State, s.StateAt, s.StateBy = state, now, by.Email
	if s.ActedAt.IsZero() {
		s.ActedAt = now
	}
	if s.ClaimedAt.IsZero() && claims(state) {
		s.ClaimedAt, s.ClaimedBy, s.ClaimedName = now, by.Email, by.Name
	}
	if s.ContactedAt.IsZero() && reaches(state) {
		s.ContactedAt, s.ContactedBy = now, by.Email
	}
	return s
}

// Release delivers t, held as suspected spam, as by asked at now: a new
// lead, no longer marked, due by the practice's clock from now, with its
// reminder scheduled then and its held emails due at once. It returns
// false for a lead that is not held.
func Release(t Tracked, by Person, now time.Time, p Policy) (Change, bool) {
	if !t.Lead.Spam || t.State != Spam {
		return Change{}, false
	}
	due := p.Due(now)
	t.Lead.Spam, t.Lead.Due = false, due
	t.State, t.StateAt, t.StateBy = New, now, by.Email
	t.Steps = []Step{{Kind: Reminder, At: due}}
	return Change{After: t, Event: Event{Kind: KindReleased, State: New, By: by, At: now}, Release: true}, true
}
