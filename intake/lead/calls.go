package lead

import (
	"fmt"
	"slices"
	"time"
)

// The outcomes of a call to the patient, as the lead's page records them.
const (
	Reached     = "reached"      // the patient answered
	NoAnswer    = "no_answer"    // nobody answered, no message left
	LeftMessage = "left_message" // nobody answered; a message was left
	WrongNumber = "wrong_number" // the number is not the patient's
	CallBack    = "call_back"    // the patient asked to be called back at a time
)

// Outcomes lists the outcomes of a call, in the order the page offers them.
var Outcomes = []string{Reached, NoAnswer, LeftMessage, WrongNumber, CallBack}

// outcomeLabels are the outcomes as people read them.
var outcomeLabels = map[string]string{
	Reached: "Reached", NoAnswer: "No answer", LeftMessage: "No answer, left a message",
	WrongNumber: "Wrong number", CallBack: "Asked to call back",
}

// OutcomeLabel returns a call's outcome as people read it: "No answer".
func OutcomeLabel(outcome string) string {
	if l, ok := outcomeLabels[outcome]; ok {
		return l
	}
	return outcome
}

// CanCall reports whether a call may be recorded on a lead in state: one
// not yet reached, nor closed.
func CanCall(state string) bool { return state == New || state == Claimed || state == NotReached }

// Call records a call to t's patient made by by at now, with its outcome,
// and for CallBack the time the patient asked for (back). A call claims
// a new lead. Reached moves the lead to Contacted, as Act does. An
// unanswered call schedules the next attempt of the practice's plan
// (Policy.Clock.Attempts), whose reminder goes to the owner; after the
// plan's last call, or a wrong number, the lead is not reached, and the
// patient is told how to reach the practice once the chance to undo has
// passed. A call back replaces the reminders with one at the time the
// patient asked for. It returns false for a lead no call is recorded on
// (CanCall), and an error for an outcome that is none, or a call back
// without a time after now.
func Call(t Tracked, outcome string, back time.Time, by Person, now time.Time, p Policy) (Change, bool, error) {
	if !slices.Contains(Outcomes, outcome) {
		return Change{}, false, fmt.Errorf("%q is not the outcome of a call", outcome)
	}
	if outcome == CallBack && !back.After(now) {
		return Change{}, false, fmt.Errorf("a call back needs a time after now")
	}
	if !CanCall(t.State) {
		return Change{}, false, nil
	}
	before := t.Status
	s := &t.Status
	s.Calls++
	s.LastCall = outcome
	if s.FirstCallAt.IsZero() {
		s.FirstCallAt = now
	}
	ev := Event{Kind: KindCall, By: by, At: now, Detail: outcome, Before: &before}
	state := s.State
	switch outcome {
	case Reached:
		state = Contacted
		s.Steps = []Step{{Kind: FollowUp, At: p.Clock.FollowUp(now)}}
	case CallBack:
		state = Claimed
		s.Steps = schedule(without(s.Steps, Reminder, Escalation, Unreached), Step{Kind: Attempt, At: back})
		ev.Detail += " " + back.UTC().Format(time.RFC3339)
	case WrongNumber:
		state, s.Steps = notReached(t, now)
	default: // no answer, with or without a message
		next, more := p.Clock.NextCall(s.Calls, s.FirstCallAt, now)
		switch {
		case t.State == NotReached: // told already: the lead waits for the patient
		case more:
			state = Claimed
			s.Steps = schedule(s.Steps, Step{Kind: Attempt, At: next})
		default:
			state, s.Steps = notReached(t, now)
		}
	}
	if s.ClaimedAt.IsZero() { // whoever calls takes the lead on
		s.ClaimedAt, s.ClaimedBy, s.ClaimedName = now, by.Email, by.Name
	}
	if state != s.State {
		*s = moved(*s, state, by, now)
		ev.State = state
	}
	return Change{After: t, Event: ev}, true, nil
}

// notReached returns the state and steps of lead t once the practice
// gave up calling at now: NotReached, and the patient's email, sent when
// the chance to undo has passed, unless it is scheduled already or was
// sent: the patient is told once.
func notReached(t Tracked, now time.Time) (string, []Step) {
	told := slices.ContainsFunc(t.History, func(e Entry) bool { return e.Kind == Unreached })
	if _, scheduled := t.NextOf(Unreached); scheduled || told {
		return NotReached, without(t.Steps, Reminder, Escalation, Attempt)
	}
	return NotReached, []Step{{Kind: Unreached, At: now.Add(UndoWindow)}}
}

// without returns steps less those of kinds.
func without(steps []Step, kinds ...string) []Step {
	return slices.DeleteFunc(slices.Clone(steps), func(s Step) bool { return slices.Contains(kinds, s.Kind) })
}
