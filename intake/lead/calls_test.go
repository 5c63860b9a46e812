package lead

import (
	"fmt"
	"testing"
	"time"
)

// TestCall records each outcome of a call on a lead in each state it may
// be in, by the default plan: two open hours after the first unanswered
// call, the next morning, then day 3; then not reached.
func TestCall(t *testing.T) {
	p := policy(t)
	now := at(11, 30, 10, 5) // Monday; due at noon
	claimed := func(l *Tracked) { l.Status = moved(l.Status, Claimed, cat, at(11, 30, 10, 1)) }
	calls := func(n int) func(*Tracked) {
		return func(l *Tracked) { claimed(l); l.Calls, l.FirstCallAt, l.LastCall = n, at(11, 30, 10, 2), NoAnswer }
	}
	due := st(Reminder, at(11, 30, 12, 0))
	tests := []struct {
		name    string
		edit    func(*Tracked)
		outcome string
		back    time.Time
		ok      bool
		state   string
		steps   []Step
		calls   int
	}{
		{"reached, on a new lead: claimed and reached", nil, Reached, time.Time{}, true, Contacted,
			[]Step{st(FollowUp, at(12, 3, 10, 5))}, 1},
		{"no answer, on a new lead: claimed, the next call two open hours on, the clock still running", nil, NoAnswer,
			time.Time{}, true, Claimed, []Step{due, st(Attempt, at(11, 30, 12, 5))}, 1},
		{"left a message: the same", claimed, LeftMessage, time.Time{}, true, Claimed,
			[]Step{due, st(Attempt, at(11, 30, 12, 5))}, 1},
		{"the second unanswered call: the next morning", calls(1), NoAnswer, time.Time{}, true, Claimed,
			[]Step{due, st(Attempt, at(12, 1, 9, 0))}, 2},
		{"the third: day 3", calls(2), NoAnswer, time.Time{}, true, Claimed,
			[]Step{due, st(Attempt, at(12, 2, 9, 0))}, 3},
		{"the fourth: not reached, the patient told once undo has passed", calls(3), NoAnswer, time.Time{}, true,
			NotReached, []Step{st(Unreached, at(11, 30, 10, 15))}, 4},
		{"wrong number: not reached at once", claimed, WrongNumber, time.Time{}, true, NotReached,
			[]Step{st(Unreached, at(11, 30, 10, 15))}, 1},
		{"call back: the reminders give way to one at the time asked for", calls(1), CallBack, at(12, 1, 16, 0), true,
			Claimed, []Step{st(Attempt, at(12, 1, 16, 0))}, 2},
		{"no answer once not reached: the lead waits for the patient", func(l *Tracked) {
			calls(4)(l)
			l.State, l.Steps = NotReached, nil
			l.History = []Entry{{ID: 9, Event: Event{Kind: Unreached}}}
		}, NoAnswer, time.Time{}, true, NotReached, nil, 5},
		{"reached once not reached", func(l *Tracked) { calls(4)(l); l.State = NotReached }, Reached, time.Time{}, true,
			Contacted, []Step{st(FollowUp, at(12, 3, 10, 5))}, 5},
		{"a call on a reached lead is not recorded", func(l *Tracked) { l.State = Contacted }, NoAnswer, time.Time{}, false, Contacted, nil, 0},
		{"nor on a booked one", func(l *Tracked) { l.State = Booked }, Reached, time.Time{}, false, Booked, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := received(p)
			if tt.edit != nil {
				tt.edit(&l)
			}
			before := l.Status
			c, ok, err := Call(l, tt.outcome, tt.back, cat, now, p)
			if err != nil || ok != tt.ok {
				t.Fatalf("Call = %v, %v; want %v", ok, err, tt.ok)
			}
			if !ok {
				return
			}
			a := c.After
			if a.State != tt.state || fmt.Sprint(a.Steps) != fmt.Sprint(tt.steps) || a.Calls != tt.calls || a.LastCall != tt.outcome {
				t.Errorf("after: %s, steps %v, calls %d, last %s\nwant %s, steps %v, calls %d", a.State, a.Steps, a.Calls, a.LastCall,
					tt.state, tt.steps, tt.calls)
			}
			if a.ClaimedBy == "" || a.FirstCallAt.IsZero() || (before.FirstCallAt.IsZero() && !a.FirstCallAt.Equal(now)) {
				t.Errorf("claimed by %q, first call at %s", a.ClaimedBy, a.FirstCallAt)
			}
			if (tt.state == Contacted) != a.ContactedAt.Equal(now) {
				t.Errorf("reached at %s", a.ContactedAt)
			}
			wantState := ""
			if tt.state != before.State {
				wantState = tt.state
			}
			if c.Event.Kind != KindCall || c.Event.Outcome() != tt.outcome || c.Event.State != wantState || c.Event.By != cat ||
				c.Event.Before == nil || c.Event.Before.Calls != before.Calls {
				t.Errorf("event %+v", c.Event)
			}
			if back, ok := c.Event.CallBackAt(); ok != (tt.outcome == CallBack) || ok && !back.Equal(tt.back) {
				t.Errorf("call back at %s, %v", back, ok)
			}
		})
	}
	for _, bad := range []struct {
		outcome string
		back    time.Time
	}{{"answered", time.Time{}}, {CallBack, time.Time{}}, {CallBack, now}} {
		if _, ok, err := Call(received(p), bad.outcome, bad.back, cat, now, p); err == nil || ok {
			t.Errorf("Call(%q, %s) = %v, %v; want an error", bad.outcome, bad.back, ok, err)
		}
	}
}

// TestUndo: the latest action can be undone for ten minutes, by the
// person who took it, and the lead stands as before, steps and all.
func TestUndo(t *testing.T) {
	p := policy(t)
	now := at(11, 30, 10, 5)
	l := received(p)
	c, _, _ := Call(l, NoAnswer, time.Time{}, cat, now, p)
	l = c.After
	l.History = []Entry{{ID: 7, Event: c.Event}, {ID: 6, Event: Event{Kind: KindState, State: Claimed, By: cat, At: now.Add(-time.Hour), Before: &Status{}}}}
	dan, eve := Person{Name: "Dan Walsh", Email: "desk@harbour.example"}, Person{Name: "Eve Kelly", Email: "desk@harbour.example"}
	tests := []struct {
		name string
		by   Person
		at   time.Duration
		ok   bool
	}{
		{"at once", cat, 0, true},
		{"nine minutes on", cat, 9*time.Minute + 59*time.Second, true},
		{"ten minutes on", cat, 10 * time.Minute, false},
		{"the address in other capitals", Person{Name: "Cat Byrne", Email: "CAT@harbour.example"}, time.Minute, true},
		{"by someone else", dan, time.Minute, false},
		{"by the same address, another person", Person{Email: "cat@harbour.example"}, time.Minute, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, ok := Undo(l, tt.by, now.Add(tt.at))
			if ok != tt.ok {
				t.Fatalf("Undo = %v, want %v", ok, tt.ok)
			}
			if !ok {
				return
			}
			if u.After.State != New || u.After.Calls != 0 || fmt.Sprint(u.After.Steps) != fmt.Sprint([]Step{st(Reminder, at(11, 30, 12, 0))}) ||
				u.Undoes != 7 || u.Event.Kind != KindUndo || u.Event.Detail != "7" || u.Event.State != New || u.Event.Before != nil {
				t.Errorf("undone: %+v, undoes %d, event %+v", u.After.Status, u.Undoes, u.Event)
			}
		})
	}
	// Once undone, the action before it may be undone in turn, when it is
	// recent; an older one may not; nor may anything be after a tick.
	l.History = append([]Entry{{ID: 8, Event: Event{Kind: KindUndo, By: cat, At: now}}}, l.History...)
	l.History[1].Undone = now
	if _, ok := Undo(l, cat, now.Add(time.Minute)); ok {
		t.Error("undid an action an hour old")
	}
	l.History[2].At = now.Add(-5 * time.Minute)
	if e, ok := l.Undoable(cat, now.Add(time.Minute)); !ok || e.ID != 6 {
		t.Errorf("Undoable = %d, %v; want 6", e.ID, ok)
	}
	l.History = append([]Entry{{ID: 9, Event: Event{Kind: Reminder, At: now}}}, l.History...)
	if _, ok := Undo(l, cat, now.Add(time.Minute)); ok {
		t.Error("undid an action past a step of the clock")
	}
	// Dan and Eve share a mailbox: each undoes only their own.
	c, _, _ = Act(received(p), Claimed, dan, now, p)
	d := c.After
	d.History = []Entry{{ID: 1, Event: c.Event}}
	if _, ok := Undo(d, eve, now); ok {
		t.Error("Eve undid Dan's claim")
	}
	if u, ok := Undo(d, dan, now); !ok || u.After.State != New {
		t.Errorf("Dan's undo of his claim: %v, %s", ok, u.After.State)
	}
}

// TestAttach: a later request of the same patient joins the open lead:
// no clock of its own, an event in the open lead's history, and an email
// to its owner.
func TestAttach(t *testing.T) {
	p := policy(t)
	orig := received(p)
	again := Lead{ID: "ld_2", Received: at(12, 1, 9, 30), Email: " Aoife@Mail.example", Phone: "+353871234567", Message: "Me again"}
	again.Due = p.Due(again.Received)
	for _, owner := range []struct{ claimedBy, to string }{{"", "face@harbour.example"}, {"cat@harbour.example", "cat@harbour.example"},
		{"left@harbour.example", "face@harbour.example"}} {
		orig.ClaimedBy = owner.claimedBy
		a, send := Attach(orig, again, p)
		if a.State != Attached || a.AttachedTo != "ld_1" || len(a.Steps) != 0 || a.Lead.Message != "Me again" {
			t.Errorf("attached: %+v", a.Status)
		}
		if to, ev, ok := a.Joined(); !ok || to != "ld_1" || ev != (Event{Kind: KindAgain, At: again.Received, Detail: "ld_2"}) {
			t.Errorf("joined %s, %+v, %v", to, ev, ok)
		}
		if send != (Send{Kind: Again, ID: "ld_2.again", To: owner.to}) {
			t.Errorf("claimed by %q: send %+v", owner.claimedBy, send)
		}
	}
	if _, _, ok := orig.Joined(); ok {
		t.Error("a lead of its own joined another")
	}
	if email, phone := Contact(again); email != "aoife@mail.example" || phone != "+353871234567" {
		t.Errorf("Contact = %q, %q", email, phone)
	}
	for _, s := range States {
		if want := s == New || s == Claimed || s == NotReached || s == Contacted; OpenTo(s) != want {
			t.Errorf("OpenTo(%s) = %v", s, !want)
		}
	}
}

// TestLabels: every state and outcome has a label of its own.
func TestLabels(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range append(append([]string{}, States...), Outcomes...) {
		l := Label(s)
		if s == l {
			l = OutcomeLabel(s)
		}
		if l == s || seen[l] && s != Reached {
			t.Errorf("%s is labelled %q", s, l)
		}
		seen[l] = true
	}
	if Label(NotALead) != "Not a lead" || Label("x") != "x" {
		t.Errorf("Label(not_a_lead) = %q", Label(NotALead))
	}
}
