package lead

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// Step is a step of the response clock scheduled for a lead: the email of
// its kind, due at At, with what it needs to know besides the lead
// (Payload, "" for the kinds of this file). A lead has at most one step
// of a kind.
type Step struct {
	Kind    string // Reminder, Escalation, Attempt, FollowUp, Unreached, …
	At      time.Time
	Payload string
}

// Next returns the earliest step to come, and false when none is.
func (s Status) Next() (Step, bool) {
	if len(s.Steps) == 0 {
		return Step{}, false
	}
	return s.Steps[0], true
}

// NextOf returns t's step of kind, and false when none is scheduled.
func (s Status) NextOf(kind string) (Step, bool) {
	i := slices.IndexFunc(s.Steps, func(st Step) bool { return st.Kind == kind })
	if i < 0 {
		return Step{}, false
	}
	return s.Steps[i], true
}

// Policy is the practice's response clock as a lead's lifecycle applies
// it: its hours and promises, its plan of calls, and who the clock's
// emails go to.
type Policy struct {
	// Clock is the practice's response clock; its zero value is always
	// open, in UTC (see hours.Clock for the defaults).
	Clock hours.Clock
	// Coordinator returns the coordinator of a procedure category, who
	// gets a lead's reminder, and its follow-up when nobody marked it
	// reached; nil sends them to nobody.
	Coordinator func(category string) string
	// People are the practice's staff by name (site.yaml's intake.staff):
	// a person's address may be their own or a mailbox they share.
	People []Person
}

// Due returns when a lead received (or released) at t must be answered.
func (p Policy) Due(t time.Time) time.Time { return p.Clock.Due(t) }

// Staff reports whether addr may act on lead t (its page, its emails), by
// today's settings alone: the coordinator of its category, the practice's
// coordinator, the escalation and digest lists, and the staff list.
// Whoever claimed it, reached it or set its state before counts for
// nothing: staff who leave lose access at once.
func (p Policy) Staff(t Tracked, addr string) bool {
	if addr == "" {
		return false
	}
	staff := append([]string{p.coordinator(t.Lead.Category), p.coordinator("")}, p.Clock.EscalateTo...)
	staff = append(staff, p.Clock.DigestTo...)
	for _, person := range p.People {
		staff = append(staff, person.Email)
	}
	return slices.ContainsFunc(staff, func(a string) bool { return a != "" && strings.EqualFold(a, addr) })
}

// Sharing returns the indexes in People of the people whose address is
// addr: more than one for a shared mailbox, whose link asks which of them
// is acting.
func (p Policy) Sharing(addr string) []int {
	var out []int
	for i, person := range p.People {
		if addr != "" && strings.EqualFold(person.Email, addr) {
			out = append(out, i)
		}
	}
	return out
}

func (p Policy) coordinator(category string) string {
	if p.Coordinator == nil {
		return ""
	}
	return p.Coordinator(category)
}

// Owner returns where the emails about lead t go: whoever claimed it,
// while they are still staff (Staff); else the coordinator of its
// category.
func (p Policy) Owner(t Tracked) string {
	if t.ClaimedBy != "" && p.Staff(t, t.ClaimedBy) {
		return t.ClaimedBy
	}
	return p.coordinator(t.Lead.Category)
}

// steps are what the clock does at each kind of step, and the states a
// lead must still be in for it: a new kind of scheduled step is one more
// row (its take returns the emails it sends and the steps it schedules
// next).
var steps = map[string]struct {
	states []string
	take   func(t Tracked, step Step, now time.Time, p Policy) ([]Send, []Step)
}{
	Reminder:   {[]string{New, Claimed}, remind},
	Escalation: {[]string{New, Claimed}, escalate},
	Attempt:    {[]string{Claimed}, attempt},
	FollowUp:   {[]string{Contacted}, followUp},
	Unreached:  {[]string{NotReached}, tellPatient},
}

// StepStates returns the states in which a step of kind is taken, and
// false for a kind this program does not know.
func StepStates(kind string) ([]string, bool) {
	do, ok := steps[kind]
	return slices.Clone(do.states), ok
}

// Tick takes t's earliest step if it is due at now. While the practice is
// closed, the step waits for its next opening. A step whose lead has
// moved on is dropped. It returns false when no step is due.
func Tick(t Tracked, now time.Time, p Policy) (Change, bool) {
	step, ok := t.Next()
	if !ok || step.At.After(now) {
		return Change{}, false
	}
	clk := p.Clock
	rest := t.Steps[1:]
	if !clk.Open(now) { // every step waits while the practice is closed
		t.Steps = schedule(rest, Step{Kind: step.Kind, At: clk.NextOpen(now), Payload: step.Payload})
		return Change{After: t}, true
	}
	do, known := steps[step.Kind]
	if !known || !slices.Contains(do.states, t.State) {
		t.Steps = slices.Clone(rest)
		return Change{After: t}, true
	}
	sends, next := do.take(t, step, now, p)
	t.Steps = schedule(rest, next...)
	if len(sends) == 0 { // nobody to tell: nothing left to do
		return Change{After: t}, true
	}
	t.Step = step.Kind
	return Change{After: t, Sends: sends, Event: Event{Kind: step.Kind, At: now}}, true
}

// remind sends a reminder to the lead's coordinator, or to its owner once
// claimed, and schedules the escalation half a promise after it, when the
// practice escalates.
func remind(t Tracked, _ Step, now time.Time, p Policy) ([]Send, []Step) {
	sends := []Send{{Kind: Reminder, ID: t.Lead.ID + "." + Reminder, To: p.Owner(t)}}
	if len(p.Clock.EscalateTo) == 0 {
		return sends, nil
	}
	at := p.Clock.Escalation(t.Lead.Due)
	if !at.After(now) {
		at = now.Add(time.Minute)
	}
	return sends, []Step{{Kind: Escalation, At: at}}
}

// escalate sends each address of the escalation list an escalation of its
// own, since each recipient's buttons are their own.
func escalate(t Tracked, _ Step, _ time.Time, p Policy) ([]Send, []Step) {
	var sends []Send
	for i, to := range p.Clock.EscalateTo {
		sends = append(sends, Send{Kind: Escalation, ID: t.Lead.ID + "." + Escalation + "." + strconv.Itoa(i), To: to})
	}
	return sends, nil
}

// attempt reminds the lead's owner of the next call: the plan's, or the
// call back the patient asked for. Each call's reminder is an email of
// its own, numbered by the call it asks for.
func attempt(t Tracked, _ Step, _ time.Time, p Policy) ([]Send, []Step) {
	id := t.Lead.ID + "." + Attempt + "." + strconv.Itoa(t.Calls+1)
	return []Send{{Kind: Attempt, ID: id, To: p.Owner(t)}}, nil
}

// followUp sends whoever marked the lead reached a follow-up, while they
// are still staff (Staff); else its coordinator.
func followUp(t Tracked, _ Step, _ time.Time, p Policy) ([]Send, []Step) {
	to := p.coordinator(t.Lead.Category)
	if p.Staff(t, t.ContactedBy) {
		to = t.ContactedBy
	}
	return []Send{{Kind: FollowUp, ID: t.Lead.ID + "." + FollowUp, To: to}}, nil
}

// tellPatient sends the patient of a lead not reached the one email that
// says the practice tried to call, and how to reach it. A lead whose
// personal data is gone has nobody to tell.
func tellPatient(t Tracked, _ Step, _ time.Time, _ Policy) ([]Send, []Step) {
	if t.Lead.Email == "" {
		return nil, nil
	}
	return []Send{{Kind: Unreached, ID: t.Lead.ID + "." + Unreached, To: t.Lead.Email}}, nil
}

// schedule returns steps with more added, earliest first; a step of a
// kind scheduled already replaces it.
func schedule(steps []Step, more ...Step) []Step {
	out := make([]Step, 0, len(steps)+len(more))
	for _, s := range steps {
		if !slices.ContainsFunc(more, func(m Step) bool { return m.Kind == s.Kind }) {
			out = append(out, s)
		}
	}
	out = append(out, more...)
	slices.SortStableFunc(out, func(a, b Step) int { return a.At.Compare(b.At) })
	return out
}
