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
// actions, clock ticks, releases and restarts (the lead written out and
// read back, as a store does), and checks after every event that:
//
//   - a lead is only ever in a state the table allows, reached by an
//     allowed move, and a tick never moves it;
//   - its steps are those its state allows, one of a kind, in order;
//   - no email is sent twice (no step is doubled);
//   - none is lost: once the clock has ticked, open, at or after a
//     step's time, its email was sent, and no step is left behind;
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

// lifecycleRun drives one lead through n random events.
func lifecycleRun(r *rand.Rand, p Policy, n int) error {
	now := at(11, 27, 8, 0).Add(time.Duration(r.IntN(7*24*60)) * time.Minute)
	l := Lead{ID: "ld_p", Received: now, Category: "face", Spam: r.IntN(4) == 0}
	l.Due = p.Due(now)
	t := Start(l)
	sent := map[string]time.Time{} // email id → when it was sent
	var lastOpenTick time.Time     // the latest tick while the practice was open
	var history []string
	for i := range n {
		before := t
		var what string
		switch k := r.IntN(100); {
		case k < 40: // the clock ticks, as often as it takes at one moment
			what = "tick"
			for {
				c, ok := Tick(t, now, p)
				if !ok {
					break
				}
				if c.After.State != t.State || c.Release {
					return fmt.Errorf("event %d: a tick moved the lead: %s → %s", i, t.State, c.After.State)
				}
				for _, s := range c.Sends {
					if when, twice := sent[s.ID]; twice {
						return fmt.Errorf("event %d: %s sent again at %s, first at %s", i, s.ID, now, when)
					}
					sent[s.ID] = now
				}
				if (len(c.Sends) > 0) != (c.Event.Kind != "") {
					return fmt.Errorf("event %d: sends %v with event %+v", i, c.Sends, c.Event)
				}
				if c.Event.Kind != "" {
					history = append(history, c.Event.Kind)
				}
				t = c.After
			}
			if p.Clock.Open(now) {
				lastOpenTick = now
			}
			if next, ok := t.Next(); ok && !next.At.After(now) {
				return fmt.Errorf("event %d: step %+v is left behind at %s", i, next, now)
			}
		case k < 65: // someone presses a button
			to := States[r.IntN(len(States))]
			what = "act " + to
			c, ok, err := Act(t, to, "staff@harbour.example", now, p)
			if (err != nil) != (to == New) {
				return fmt.Errorf("event %d: Act(%s): %v", i, to, err)
			}
			if ok != CanMove(t.State, to) {
				return fmt.Errorf("event %d: Act(%s → %s) = %v", i, t.State, to, ok)
			}
			if ok {
				t = c.After
				history = append(history, "state "+to)
			}
		case k < 75:
			what = "release"
			if c, ok := Release(t, "manager@harbour.example", now, p); ok {
				if before.State != Spam || !before.Lead.Spam {
					return fmt.Errorf("event %d: released a lead that was not held: %+v", i, before.Status)
				}
				t = c.After
				history = append(history, "released")
			}
		case k < 80: // a restart: the lead as a store writes and reads it
			what = "restart"
			b, err := json.Marshal(t)
			if err != nil {
				return err
			}
			var back Tracked
			if err := json.Unmarshal(b, &back); err != nil {
				return err
			}
			t = back
		default: // time passes
			what = "wait"
			now = now.Add(time.Duration(1+r.IntN(3*24*60)) * time.Minute)
		}
		if err := lifecycleHolds(t, before, p, sent, lastOpenTick); err != nil {
			return fmt.Errorf("event %d (%s at %s): %v\nhistory %v", i, what, now.Format(time.DateTime), err, history)
		}
	}
	return nil
}

// lifecycleHolds checks what must hold of lead t, which was before.
func lifecycleHolds(t, before Tracked, p Policy, sent map[string]time.Time, lastOpenTick time.Time) error {
	if !slices.Contains(States, t.State) {
		return fmt.Errorf("state %q is no state", t.State)
	}
	moved := t.State != before.State
	released := before.State == Spam && before.Lead.Spam && t.State == New
	if moved && !CanMove(before.State, t.State) && !released {
		return fmt.Errorf("moved %s → %s", before.State, t.State)
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
		if want := steps[s.Kind].state; want != t.State {
			return fmt.Errorf("a %s step in state %s", s.Kind, t.State)
		}
		if _, done := sent[t.Lead.ID+"."+s.Kind]; done {
			return fmt.Errorf("a %s step scheduled after its email was sent", s.Kind)
		}
	}
	// Nothing lost: what was due at the last open tick was sent.
	reminder, reminded := sent[t.Lead.ID+"."+Reminder]
	if t.State == New && !t.Lead.Due.IsZero() && !t.Lead.Due.After(lastOpenTick) && !reminded {
		return fmt.Errorf("new, due %s, ticked open at %s, and no reminder", t.Lead.Due, lastOpenTick)
	}
	if t.State == New && reminded {
		escalation := p.Clock.Escalation(t.Lead.Due)
		if !escalation.After(reminder) {
			escalation = reminder.Add(time.Minute)
		}
		if _, escalated := sent[t.Lead.ID+"."+Escalation+".0"]; !escalated && !escalation.After(lastOpenTick) {
			return fmt.Errorf("reminded at %s, escalation due %s, ticked open at %s, and no escalation", reminder, escalation, lastOpenTick)
		}
	}
	if _, followed := sent[t.Lead.ID+"."+FollowUp]; t.State == Contacted && !followed &&
		!p.Clock.FollowUp(t.ContactedAt).After(lastOpenTick) {
		return fmt.Errorf("contacted at %s, ticked open at %s, and no follow-up", t.ContactedAt, lastOpenTick)
	}
	return nil
}
