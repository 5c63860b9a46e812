package lead

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"
)

// TestLifecycleProperties drives leads through random sequences of
// actions, calls, undos, clock ticks, releases and restarts (the lead
// written out and read back, as a store does), and checks after every
// event that:
//
//   - a lead is only ever in a state the table allows, reached by an
//     allowed move (Act, Release, a call, or an undo back to where it
//     stood), and a tick never moves it;
//   - an undo restores the lead as it stood before the action it undoes,
//     and only that person's, within UndoWindow;
//   - its steps are those its state allows, one of a kind, in order;
//   - no email is sent twice (no step is doubled), and the patient is
//     told they were not reached at most once;
//   - none is lost: once the clock has ticked, open, at or after a
//     step's time, its email was sent, and no step is left behind;
//   - a lead is not reached only after the plan's calls, or a wrong number;
//   - the history keeps each change that sent or moved something.
func TestLifecycleProperties(t *testing.T) {
	p := policy(t)
	runs := 2000
	if testing.Short() {
		runs = 200
	}
	for run := range runs {
		r := rand.New(rand.NewPCG(uint64(run), 42))
		if err := lifecycleRun(r, p, 40); err != nil {
			t.Fatalf("run %d (seed %d): %v", run, run, err)
		}
	}
}

// run is one lead's random life: the lead, what was sent, and the
// history as a store keeps it.
type run struct {
	t            Tracked
	p            Policy
	now          time.Time
	sent         map[string]time.Time // email id → when it was sent
	lastOpenTick time.Time            // the latest tick while the practice was open
	nextID       int64
	befores      map[int64]Status // entry id → the status before it
}

// keep keeps change c as a store does: the lead after, the entry it
// undoes marked, and its event numbered at the head of the history.
func (r *run) keep(c Change) {
	t := c.After
	t.History = slices.Clone(t.History)
	for i := range t.History {
		if c.Undoes != 0 && t.History[i].ID == c.Undoes {
			t.History[i].Undone = c.Event.At
		}
	}
	if c.Event.Kind != "" {
		r.nextID++
		if c.Event.Before != nil {
			r.befores[r.nextID] = *c.Event.Before
		}
		t.History = append([]Entry{{ID: r.nextID, Event: c.Event}}, t.History...)
	}
	r.t = t
}

// people who act in the runs: two with their own address, and two who
// share a mailbox.
var actors = []Person{cat, {Name: "Ann Doyle", Email: "manager@harbour.example"},
	{Name: "Dan Walsh", Email: "desk@harbour.example"}, {Name: "Eve Kelly", Email: "desk@harbour.example"}}

// lifecycleRun drives one lead through n random events.
func lifecycleRun(rnd *rand.Rand, p Policy, n int) error {
	now := at(11, 27, 8, 0).Add(time.Duration(rnd.IntN(7*24*60)) * time.Minute)
	l := Lead{ID: "ld_p", Received: now, Category: "face", Spam: rnd.IntN(4) == 0, Email: "aoife@mail.example"}
	l.Due = p.Due(now)
	r := &run{t: Start(l), p: p, now: now, sent: map[string]time.Time{}, befores: map[int64]Status{}}
	for i := range n {
		before := r.t
		what, err := r.step(rnd)
		if err == nil {
			err = r.holds(before, what)
		}
		if err != nil {
			var kinds []string
			for _, e := range slices.Backward(r.t.History) {
				kinds = append(kinds, e.Kind+" "+e.State+" "+e.Detail)
			}
			return fmt.Errorf("event %d (%s at %s): %v\nhistory %q", i, what, r.now.Format(time.DateTime), err, kinds)
		}
	}
	return nil
}

// step takes one random event, and says what it was.
func (r *run) step(rnd *rand.Rand) (string, error) {
	by := actors[rnd.IntN(len(actors))]
	switch k := rnd.IntN(100); {
	case k < 30: // the clock ticks, as often as it takes at one moment
		for {
			c, ok := Tick(r.t, r.now, r.p)
			if !ok {
				break
			}
			if c.After.State != r.t.State || c.Release {
				return "tick", fmt.Errorf("a tick moved the lead: %s → %s", r.t.State, c.After.State)
			}
			for _, s := range c.Sends {
				if when, twice := r.sent[s.ID]; twice {
					return "tick", fmt.Errorf("%s sent again at %s, first at %s", s.ID, r.now, when)
				}
				r.sent[s.ID] = r.now
			}
			if (len(c.Sends) > 0) != (c.Event.Kind != "") {
				return "tick", fmt.Errorf("sends %v with event %+v", c.Sends, c.Event)
			}
			r.keep(c)
		}
		if r.p.Clock.Open(r.now) {
			r.lastOpenTick = r.now
		}
		if next, ok := r.t.Next(); ok && !next.At.After(r.now) {
			return "tick", fmt.Errorf("step %+v is left behind at %s", next, r.now)
		}
		return "tick", nil
	case k < 45: // someone presses a button
		to := States[rnd.IntN(len(States))]
		c, ok, err := Act(r.t, to, by, r.now, r.p)
		if (err != nil) != !byHand(to) {
			return "act " + to, fmt.Errorf("Act(%s): %v", to, err)
		}
		if ok != CanMove(r.t.State, to) {
			return "act " + to, fmt.Errorf("Act(%s → %s) = %v", r.t.State, to, ok)
		}
		if ok {
			r.keep(c)
		}
		return "act " + to, nil
	case k < 65: // someone records a call
		outcome := Outcomes[rnd.IntN(len(Outcomes))]
		back := r.now.Add(time.Duration(1+rnd.IntN(48*60)) * time.Minute)
		c, ok, err := Call(r.t, outcome, back, by, r.now, r.p)
		if err != nil || ok != CanCall(r.t.State) {
			return "call " + outcome, fmt.Errorf("Call(%s) in %s = %v, %v", outcome, r.t.State, ok, err)
		}
		if ok {
			r.keep(c)
		}
		return "call " + outcome, nil
	case k < 75: // someone presses Undo, soon after
		if rnd.IntN(2) == 0 && len(r.t.History) > 0 {
			by = r.t.History[0].By
		}
		e, may := r.t.Undoable(by, r.now)
		c, ok := Undo(r.t, by, r.now)
		if ok != may {
			return "undo", fmt.Errorf("Undo = %v, Undoable = %v", ok, may)
		}
		if ok {
			if e.By != by || r.now.Sub(e.At) >= UndoWindow || e.Before == nil {
				return "undo", fmt.Errorf("%s undid %+v at %s", by, e, r.now)
			}
			want := r.befores[e.ID]
			if c.After.State != want.State || c.After.Calls != want.Calls || !sameSteps(c.After.Steps, want.Steps) {
				return "undo", fmt.Errorf("undo of entry %d: %+v, want %+v", e.ID, c.After.Status, want)
			}
			r.keep(c)
		}
		return "undo", nil
	case k < 80:
		c, ok := Release(r.t, by, r.now, r.p)
		if ok {
			r.keep(c)
		}
		return "release", nil
	case k < 85: // a restart: the lead as a store writes and reads it
		b, err := json.Marshal(r.t)
		if err != nil {
			return "restart", err
		}
		var back Tracked
		if err := json.Unmarshal(b, &back); err != nil {
			return "restart", err
		}
		r.t = back
		return "restart", nil
	case k < 93: // a moment passes
		r.now = r.now.Add(time.Duration(1+rnd.IntN(15)) * time.Minute)
		return "wait", nil
	default: // time passes
		r.now = r.now.Add(time.Duration(1+rnd.IntN(3*24*60)) * time.Minute)
		return "wait long", nil
	}
}

// sameSteps reports whether a and b are the same steps at the same times.
func sameSteps(a, b []Step) bool {
	return slices.EqualFunc(a, b, func(x, y Step) bool { return x.Kind == y.Kind && x.At.Equal(y.At) && x.Payload == y.Payload })
}

// holds checks what must hold of the lead, which was before.
func (r *run) holds(before Tracked, what string) error {
	t, p := r.t, r.p
	if !slices.Contains(States, t.State) {
		return fmt.Errorf("state %q is no state", t.State)
	}
	var kind string
	if len(t.History) > len(before.History) {
		kind = t.History[0].Kind
	}
	switch from, to := before.State, t.State; {
	case from == to:
	case kind == KindState && CanMove(from, to):
	case kind == KindReleased && from == Spam && before.Lead.Spam && to == New:
	case kind == KindCall && CanCall(from) && (to == Claimed || to == NotReached || to == Contacted):
	case kind == KindUndo:
	default:
		return fmt.Errorf("moved %s → %s by %q", from, to, kind)
	}
	if t.State == NotReached && before.State != NotReached && t.History[0].Kind == KindCall {
		if o := t.History[0].Outcome(); o != WrongNumber && t.Calls < p.Clock.Calls() {
			return fmt.Errorf("not reached after %d calls, the last %s; the plan makes %d", t.Calls, o, p.Clock.Calls())
		}
	}
	if t.Lead.Spam && t.State != Spam {
		return fmt.Errorf("held as spam in state %s", t.State)
	}
	kinds := map[string]bool{}
	for i, s := range t.Steps {
		if kinds[s.Kind] {
			return fmt.Errorf("two steps of kind %s: %v", s.Kind, t.Steps)
		}
		kinds[s.Kind] = true
		if i > 0 && s.At.Before(t.Steps[i-1].At) {
			return fmt.Errorf("steps out of order: %v", t.Steps)
		}
		if states, _ := StepStates(s.Kind); !slices.Contains(states, t.State) && kind != KindUndo {
			// An undo may bring back a step whose state is gone by then;
			// the clock drops it when it is due.
			return fmt.Errorf("a %s step in state %s", s.Kind, t.State)
		}
		if _, done := r.sent[t.Lead.ID+"."+s.Kind]; done && s.Kind != Attempt {
			return fmt.Errorf("a %s step scheduled after its email was sent", s.Kind)
		}
	}
	if what == "tick" {
		return r.nothingLost()
	}
	return nil
}

// nothingLost checks that what was due at the last open tick was sent.
func (r *run) nothingLost() error {
	t, p, sent, tick := r.t, r.p, r.sent, r.lastOpenTick
	for _, s := range t.Steps {
		if !s.At.After(tick) {
			return fmt.Errorf("a %s step due %s, ticked open at %s", s.Kind, s.At, tick)
		}
	}
	reminder, reminded := sent[t.Lead.ID+"."+Reminder]
	// A call back replaces the reminders at the due time for good.
	askedBack := slices.ContainsFunc(t.History, func(e Entry) bool { return e.Outcome() == CallBack })
	waiting := (t.State == New || t.State == Claimed) && !askedBack && !hasUndo(t)
	if waiting && !t.Lead.Due.IsZero() && !t.Lead.Due.After(tick) && !reminded {
		return fmt.Errorf("%s, due %s, ticked open at %s, and no reminder", t.State, t.Lead.Due, tick)
	}
	if waiting && reminded && len(p.Clock.EscalateTo) > 0 {
		escalation := p.Clock.Escalation(t.Lead.Due)
		if !escalation.After(reminder) {
			escalation = reminder.Add(time.Minute)
		}
		if _, escalated := sent[t.Lead.ID+"."+Escalation+".0"]; !escalated && !escalation.After(tick) {
			return fmt.Errorf("reminded at %s, escalation due %s, ticked open at %s, and no escalation", reminder, escalation, tick)
		}
	}
	if _, told := sent[t.Lead.ID+"."+Unreached]; t.State == NotReached && !told && !hasUndo(t) && t.Lead.Email != "" {
		if e := lastMove(t); e != nil && !e.At.Add(UndoWindow).After(tick) {
			return fmt.Errorf("not reached at %s, ticked open at %s, and the patient not told", e.At, tick)
		}
	}
	return nil
}

// hasUndo says whether t's history holds an undo, after which the steps
// are those of an earlier moment, and the rules above need not hold.
func hasUndo(t Tracked) bool {
	return slices.ContainsFunc(t.History, func(e Entry) bool { return e.Kind == KindUndo })
}

// lastMove returns the latest entry that set t's state, or nil.
func lastMove(t Tracked) *Entry {
	for i, e := range t.History {
		if e.State != "" && e.Undone.IsZero() {
			return &t.History[i]
		}
	}
	return nil
}
