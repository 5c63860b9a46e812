package lead

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// Step is a step of the response clock scheduled for a lead: the email of
// its kind, due at At. A lead has at most one step of a kind.
type Step struct {
	Kind string // Reminder, Escalation, FollowUp
	At   time.Time
}

// Next returns the earliest step to come, and false when none is.
func (s Status) Next() (Step, bool) {
	if len(s.Steps) == 0 {
		return Step{}, false
	}
	return s.Steps[0], true
}

// Policy is the practice's response clock as a lead's lifecycle applies
// it: its hours and promises, and who the clock's emails go to.
type Policy struct {
	// Clock is the practice's response clock; its zero value is always
	// open, in UTC (see hours.Clock for the defaults).
	Clock hours.Clock
	// Coordinator returns the coordinator of a procedure category, who
	// gets a lead's reminder, and its follow-up when nobody marked it
	// contacted; nil sends them to nobody.
	Coordinator func(category string) string
}

// Due returns when a lead received (or released) at t must be answered.
func (p Policy) Due(t time.Time) time.Time { return p.Clock.Due(t) }

// Staff reports whether addr may act on lead t (its action links, its
// emails), by today's settings alone: the coordinator of its category,
// the practice's coordinator, and the escalation and digest lists.
// Whoever claimed it, marked it contacted or set its state before counts
// for nothing: staff who leave lose access at once.
func (p Policy) Staff(t Tracked, addr string) bool {
	if addr == "" {
		return false
	}
	staff := append([]string{p.coordinator(t.Lead.Category), p.coordinator("")}, p.Clock.EscalateTo...)
	staff = append(staff, p.Clock.DigestTo...)
	return slices.ContainsFunc(staff, func(a string) bool { return a != "" && strings.EqualFold(a, addr) })
}

func (p Policy) coordinator(category string) string {
	if p.Coordinator == nil {
		return ""
	}
	return p.Coordinator(category)
}

// steps are what the clock does at each kind of step, and the state a lead
// must still be in for it: a new kind of scheduled step is one more row.
var steps = map[string]struct {
	state string
	take  func(t Tracked, now time.Time, p Policy) ([]Send, []Step)
}{
	Reminder:   {New, remind},
	Escalation: {New, escalate},
	FollowUp:   {Contacted, followUp},
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
		t.Steps = schedule(rest, Step{Kind: step.Kind, At: clk.NextOpen(now)})
		return Change{After: t}, true
	}
	do, known := steps[step.Kind]
	if !known || t.State != do.state {
		t.Steps = slices.Clone(rest)
		return Change{After: t}, true
	}
	sends, next := do.take(t, now, p)
	t.Steps = schedule(rest, next...)
	if len(sends) == 0 { // nobody to tell: nothing left to do
		return Change{After: t}, true
	}
	t.Step = step.Kind
	return Change{After: t, Sends: sends, Event: Event{Kind: step.Kind, At: now}}, true
}

// remind sends the lead's coordinator a reminder, and schedules the
// escalation half a promise after it, when the practice escalates.
func remind(t Tracked, now time.Time, p Policy) ([]Send, []Step) {
	sends := []Send{{Kind: Reminder, ID: t.Lead.ID + "." + Reminder, To: p.coordinator(t.Lead.Category)}}
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
func escalate(t Tracked, _ time.Time, p Policy) ([]Send, []Step) {
	var sends []Send
	for i, to := range p.Clock.EscalateTo {
		sends = append(sends, Send{Kind: Escalation, ID: t.Lead.ID + "." + Escalation + "." + strconv.Itoa(i), To: to})
	}
	return sends, nil
}

// followUp sends whoever marked the lead contacted a follow-up, while
// they are still staff (Staff); else its coordinator.
func followUp(t Tracked, _ time.Time, p Policy) ([]Send, []Step) {
	to := p.coordinator(t.Lead.Category)
	if p.Staff(t, t.ContactedBy) {
		to = t.ContactedBy
	}
	return []Send{{Kind: FollowUp, ID: t.Lead.ID + "." + FollowUp, To: to}}, nil
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
