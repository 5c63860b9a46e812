package lead

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// dublin is the practice's time zone; without it, at panics.
var dublin, _ = time.LoadLocation("Europe/Dublin")

// at is a time in Dublin in late 2026 (Dublin keeps UTC in winter).
func at(month time.Month, day, h, m int) time.Time {
	return time.Date(2026, month, day, h, m, 0, 0, dublin)
}

// policy is a practice open Monday to Friday, 09:00 to 18:00 in Dublin,
// that promises a reply within two open hours, escalates to two people,
// follows up after three working days, and calls by the default plan.
// Its staff list names Cat, and Dan and Eve, who share the desk's mailbox.
func policy(t testing.TB) Policy {
	t.Helper()
	w, _, err := hours.ParseWeek(map[string]string{"mon-fri": "09:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	return Policy{
		Clock: hours.Clock{Schedule: hours.Schedule{Location: dublin, Week: w}, RespondWithin: 2 * time.Hour,
			EscalateTo: []string{"manager@harbour.example", "owner@harbour.example"}, FollowUpAfter: 3},
		Coordinator: func(category string) string { return category + "@harbour.example" },
		People:      []Person{cat, {Name: "Dan Walsh", Email: "desk@harbour.example"}, {Name: "Eve Kelly", Email: "desk@harbour.example"}},
	}
}

// received is a lead received on Monday 30 November at 10:00, due at noon.
func received(p Policy) Tracked {
	l := Lead{ID: "ld_1", Received: at(11, 30, 10, 0), Category: "face", FirstName: "Niamh"}
	l.Due = p.Due(l.Received)
	return Start(l)
}

// forward is the rule Act must keep, written out: a lead moves by hand
// only forward, New → Claimed → NotReached → Contacted → the final
// states; nobody moves a lead by hand to New, NotReached or Attached.
var forward = map[string]int{New: 0, Claimed: 1, NotReached: 2, Contacted: 3, Booked: 4, Closed: 4, Spam: 4, NotALead: 4, Attached: 4}

// byHand are the states Act may move a lead to.
func byHand(state string) bool { return state != New && state != NotReached && state != Attached }

// cat is the member of staff who acts in the tests.
var cat = Person{Name: "Cat Byrne", Email: "cat@harbour.example"}

// sameEvent reports whether got is want, with got's Before the status
// before (nil for none).
func sameEvent(got, want Event, before *Status) bool {
	b := got.Before
	got.Before, want.Before = nil, nil
	return got == want && (b == nil) == (before == nil) && (b == nil || fmt.Sprint(*b) == fmt.Sprint(*before))
}

// TestActEveryTransition moves a lead from every state to every state.
func TestActEveryTransition(t *testing.T) {
	p := policy(t)
	now := at(11, 30, 10, 30)
	for _, from := range States {
		for _, to := range append(States, "booked ", "") {
			t.Run(from+"→"+to, func(t *testing.T) {
				before := received(p)
				before.State = from
				if from == Contacted {
					before.ContactedAt, before.ContactedBy = at(11, 30, 10, 10), "bob@harbour.example"
				}
				if from != New {
					before.ClaimedAt, before.ClaimedBy, before.ActedAt = at(11, 30, 10, 5), "ann@harbour.example", at(11, 30, 10, 5)
				}
				c, ok, err := Act(before, to, cat, now, p)
				rank, known := forward[to]
				switch {
				case !known || !byHand(to):
					if err == nil || ok {
						t.Fatalf("Act to %q: %v, %v; want an error", to, ok, err)
					}
					return
				case err != nil:
					t.Fatal(err)
				case ok != (rank > forward[from]):
					t.Fatalf("Act = %v, want %v", ok, rank > forward[from])
				case !ok:
					return
				}
				a := c.After
				if a.State != to || a.StateBy != "cat@harbour.example" || !a.StateAt.Equal(now) || c.Release ||
					!sameEvent(c.Event, Event{Kind: KindState, State: to, By: cat, At: now}, &before.Status) {
					t.Errorf("after: %+v, event %+v", a.Status, c.Event)
				}
				if wantActed := before.ActedAt; wantActed.IsZero() && !a.ActedAt.Equal(now) || !wantActed.IsZero() && !a.ActedAt.Equal(wantActed) {
					t.Errorf("acted at %s", a.ActedAt)
				}
				claimedNow := from == New && to != Spam && to != NotALead
				if claimedNow != (a.ClaimedBy == "cat@harbour.example") || claimedNow != a.ClaimedAt.Equal(now) ||
					claimedNow != (a.ClaimedName == "Cat Byrne") {
					t.Errorf("claimed by %q at %s; claimed now: %v", a.ClaimedBy, a.ClaimedAt, claimedNow)
				}
				if reachedNow := (to == Contacted || to == Booked) && from != Contacted; reachedNow != (a.ContactedBy == "cat@harbour.example") ||
					reachedNow != a.ContactedAt.Equal(now) {
					t.Errorf("reached by %q at %s", a.ContactedBy, a.ContactedAt)
				}
				want := []Step(nil)
				switch to {
				case Contacted:
					want = []Step{{Kind: FollowUp, At: at(12, 3, 10, 30)}} // three working days later
				case Claimed: // the clock runs until the patient is reached
					want = before.Steps
				}
				if fmt.Sprint(a.Steps) != fmt.Sprint(want) {
					t.Errorf("steps %v, want %v", a.Steps, want)
				}
			})
		}
	}
}

// TestReleaseEveryState releases a lead from every state: only one held
// as suspected spam is released, due by the clock from the release.
func TestReleaseEveryState(t *testing.T) {
	p := policy(t)
	now := at(11, 30, 17, 0) // due two open hours later: 10:00 on Tuesday
	for _, from := range States {
		for _, held := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s held=%v", from, held), func(t *testing.T) {
				before := received(p)
				before.State, before.Lead.Spam, before.Steps = from, held, nil
				c, ok := Release(before, Person{Email: "manager@harbour.example"}, now, p)
				if want := from == Spam && held; ok != want {
					t.Fatalf("Release = %v, want %v", ok, want)
				}
				if !ok {
					return
				}
				due := at(12, 1, 10, 0)
				if a := c.After; a.State != New || a.Lead.Spam || !a.Lead.Due.Equal(due) || a.StateBy != "manager@harbour.example" ||
					!c.Release || fmt.Sprint(a.Steps) != fmt.Sprint([]Step{st(Reminder, due)}) ||
					!sameEvent(c.Event, Event{Kind: KindReleased, State: New, By: Person{Email: "manager@harbour.example"}, At: now}, nil) {
					t.Errorf("released: %+v %+v, event %+v", a.Lead, a.Status, c.Event)
				}
			})
		}
	}
}

// TestStart: a lead starts new with its reminder at its due time, or held
// with nothing scheduled.
func TestStart(t *testing.T) {
	p := policy(t)
	l := received(p)
	if l.State != New || fmt.Sprint(l.Steps) != fmt.Sprint([]Step{st(Reminder, at(11, 30, 12, 0))}) || l.Source != "direct" {
		t.Errorf("new lead: %+v", l.Status)
	}
	l.Lead.Spam = true
	if held := Start(l.Lead); held.State != Spam || len(held.Steps) != 0 {
		t.Errorf("held lead: %+v", held.Status)
	}
	l.Lead.Spam, l.Lead.Due, l.Lead.Source = false, time.Time{}, "social media"
	if old := Start(l.Lead, "Social media"); old.State != New || len(old.Steps) != 0 || old.Source != "Social media" {
		t.Errorf("a lead without a due time: %+v, source %q", old.Status, old.Source)
	}
}

// st is a step of kind at at.
func st(kind string, at time.Time) Step { return Step{Kind: kind, At: at} }

// TestTick takes each kind of step, in each state, open and closed.
func TestTick(t *testing.T) {
	p := policy(t)
	noEscalation := p
	noEscalation.Clock.EscalateTo = nil
	contacted := func(by string) func(*Tracked) {
		return func(l *Tracked) {
			l.State, l.ContactedAt, l.ContactedBy = Contacted, at(11, 30, 10, 20), by
			l.Steps = []Step{st(FollowUp, at(12, 3, 10, 20))}
		}
	}
	claimedBy := func(by string) func(*Tracked) {
		return func(l *Tracked) { l.State, l.ClaimedAt, l.ClaimedBy = Claimed, at(11, 30, 10, 5), by }
	}
	reminded := func(l *Tracked) { l.Step, l.Steps = Reminder, []Step{st(Escalation, at(11, 30, 13, 0))} }
	calling := func(calls int) func(*Tracked) {
		return func(l *Tracked) {
			claimedBy("cat@harbour.example")(l)
			l.Calls, l.Steps = calls, []Step{st(Attempt, at(11, 30, 12, 5)), st(Escalation, at(11, 30, 13, 0))}
		}
	}
	notReached := func(email string) func(*Tracked) {
		return func(l *Tracked) {
			l.State, l.Lead.Email, l.Steps = NotReached, email, []Step{st(Unreached, at(11, 30, 11, 40))}
		}
	}
	tests := []struct {
		name  string
		p     Policy
		edit  func(*Tracked)
		now   time.Time
		taken bool
		sends []Send
		step  string // the last step after
		steps []Step
	}{
		{"not yet due", p, nil, at(11, 30, 11, 59), false, nil, "", []Step{st(Reminder, at(11, 30, 12, 0))}},
		{"reminder, then the escalation", p, nil, at(11, 30, 12, 0), true,
			[]Send{{Reminder, "ld_1.reminder", "face@harbour.example"}}, Reminder, []Step{st(Escalation, at(11, 30, 13, 0))}},
		{"reminder taken late: the escalation a minute on", p, nil, at(11, 30, 15, 0), true,
			[]Send{{Reminder, "ld_1.reminder", "face@harbour.example"}}, Reminder, []Step{st(Escalation, at(11, 30, 15, 1))}},
		{"reminder, nobody to escalate to", noEscalation, nil, at(11, 30, 12, 0), true,
			[]Send{{Reminder, "ld_1.reminder", "face@harbour.example"}}, Reminder, nil},
		{"reminder while closed waits for the opening", p, nil, at(11, 30, 19, 0), true, nil, "", []Step{st(Reminder, at(12, 1, 9, 0))}},
		{"reminder of a claimed lead not reached: to its owner", p, claimedBy("cat@harbour.example"), at(11, 30, 12, 0), true,
			[]Send{{Reminder, "ld_1.reminder", "cat@harbour.example"}}, Reminder, []Step{st(Escalation, at(11, 30, 13, 0))}},
		{"reminder of a lead claimed by someone who left: to its coordinator", p, claimedBy("left@harbour.example"),
			at(11, 30, 12, 0), true, []Send{{Reminder, "ld_1.reminder", "face@harbour.example"}}, Reminder,
			[]Step{st(Escalation, at(11, 30, 13, 0))}},
		{"reminder of a reached lead is dropped", p, func(l *Tracked) { l.State = Contacted }, at(11, 30, 12, 0), true, nil, "", nil},
		{"escalation, one each", p, reminded, at(11, 30, 13, 0), true, []Send{
			{Escalation, "ld_1.escalation.0", "manager@harbour.example"}, {Escalation, "ld_1.escalation.1", "owner@harbour.example"}},
			Escalation, nil},
		{"escalation of a claimed lead not reached", p, func(l *Tracked) { reminded(l); claimedBy("cat@harbour.example")(l) },
			at(11, 30, 13, 0), true, []Send{
				{Escalation, "ld_1.escalation.0", "manager@harbour.example"}, {Escalation, "ld_1.escalation.1", "owner@harbour.example"}},
			Escalation, nil},
		{"escalation, nobody to escalate to any more", noEscalation, reminded, at(11, 30, 13, 0), true, nil, Reminder, nil},
		{"the next call, to the owner, numbered", p, calling(1), at(11, 30, 12, 5), true,
			[]Send{{Attempt, "ld_1.attempt.2", "cat@harbour.example"}}, Attempt, []Step{st(Escalation, at(11, 30, 13, 0))}},
		{"the next call of a lead reached meanwhile is dropped", p, func(l *Tracked) { calling(1)(l); l.State = Contacted },
			at(11, 30, 12, 5), true, nil, "", []Step{st(Escalation, at(11, 30, 13, 0))}},
		{"not reached: the patient is told", p, notReached("aoife@mail.example"), at(11, 30, 11, 40), true,
			[]Send{{Unreached, "ld_1.unreached", "aoife@mail.example"}}, Unreached, nil},
		{"not reached, purged: nobody to tell", p, notReached(""), at(11, 30, 11, 40), true, nil, "", nil},
		{"follow-up, to whoever marked it reached", p, contacted("manager@harbour.example"), at(12, 3, 10, 20), true,
			[]Send{{FollowUp, "ld_1.follow_up", "manager@harbour.example"}}, FollowUp, nil},
		{"follow-up, to the coordinator when whoever reached it no longer gets leads", p, contacted("bob@harbour.example"),
			at(12, 3, 10, 20), true, []Send{{FollowUp, "ld_1.follow_up", "face@harbour.example"}}, FollowUp, nil},
		{"follow-up, else to the coordinator", p, contacted(""), at(12, 3, 10, 20), true,
			[]Send{{FollowUp, "ld_1.follow_up", "face@harbour.example"}}, FollowUp, nil},
		{"follow-up of a booked lead is dropped", p, func(l *Tracked) { contacted("b@x.example")(l); l.State = Booked },
			at(12, 3, 10, 20), true, nil, "", nil},
		{"the earliest of two steps", p, func(l *Tracked) { l.Steps = append(l.Steps, st("check_in", at(12, 7, 9, 0))) },
			at(11, 30, 12, 0), true, []Send{{Reminder, "ld_1.reminder", "face@harbour.example"}}, Reminder,
			[]Step{st(Escalation, at(11, 30, 13, 0)), st("check_in", at(12, 7, 9, 0))}},
		{"a kind of step this program does not know is dropped", p, func(l *Tracked) { l.Steps = []Step{st("postcard", at(11, 30, 11, 0))} },
			at(11, 30, 12, 0), true, nil, "", nil},
		{"a step waiting for the opening keeps its payload", p,
			func(l *Tracked) { l.Steps = []Step{{Kind: Attempt, At: at(11, 30, 18, 30), Payload: "x"}} },
			at(11, 30, 18, 30), true, nil, "", []Step{{Kind: Attempt, At: at(12, 1, 9, 0), Payload: "x"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := received(tt.p)
			if tt.edit != nil {
				tt.edit(&l)
			}
			before := l.State
			c, ok := Tick(l, tt.now, tt.p)
			if ok != tt.taken {
				t.Fatalf("Tick = %v, want %v", ok, tt.taken)
			}
			if !ok {
				return
			}
			if fmt.Sprint(c.Sends) != fmt.Sprint(tt.sends) || c.After.Step != tt.step || fmt.Sprint(c.After.Steps) != fmt.Sprint(tt.steps) ||
				c.After.State != before || c.Release {
				t.Errorf("Tick: sends %v, step %q, steps %v, state %s\nwant sends %v, step %q, steps %v", c.Sends, c.After.Step,
					c.After.Steps, c.After.State, tt.sends, tt.step, tt.steps)
			}
			if wantEvent := len(tt.sends) > 0; wantEvent != (c.Event.Kind != "") || wantEvent && c.Event != (Event{Kind: tt.step, At: tt.now}) {
				t.Errorf("event %+v", c.Event)
			}
		})
	}
}

// TestMoves: the table of moves is the forward order, and the final
// states are final.
func TestMoves(t *testing.T) {
	for _, from := range States {
		for _, to := range States {
			if got, want := CanMove(from, to), forward[to] > forward[from] && byHand(to) && !Final(from); got != want {
				t.Errorf("CanMove(%s, %s) = %v, want %v", from, to, got, want)
			}
		}
		if got, want := Final(from), forward[from] == 4; got != want {
			t.Errorf("Final(%s) = %v, want %v", from, got, want)
		}
	}
	if !slices.Equal(States, []string{New, Claimed, NotReached, Contacted, Booked, Closed, Spam, NotALead, Attached}) {
		t.Errorf("States = %v", States)
	}
}

// TestStaff: who may act on a lead is decided by today's settings alone
// (the coordinators, the escalation and digest lists, the staff list):
// whoever marked it contacted, claimed it or set its state before counts
// for nothing once the settings no longer name them.
func TestStaff(t *testing.T) {
	p := policy(t)
	p.Clock.DigestTo = []string{"digest@harbour.example"}
	l := received(p)
	l.State, l.ClaimedBy, l.ContactedBy, l.StateBy = Contacted, "left@harbour.example", "left@harbour.example", "left@harbour.example"
	for addr, want := range map[string]bool{
		"face@harbour.example":    true, // the coordinator of its category
		"FACE@harbour.example":    true,
		"@harbour.example":        true, // the practice's coordinator (the policy's for no category)
		"manager@harbour.example": true, // escalations
		"digest@harbour.example":  true, // the digest
		"left@harbour.example":    false,
		"skin@harbour.example":    false, // another category's coordinator
		"cat@harbour.example":     true,  // the staff list
		"DESK@harbour.example":    true,  // a mailbox the staff list's people share
		"":                        false,
	} {
		if got := p.Staff(l, addr); got != want {
			t.Errorf("Staff(%q) = %v, want %v", addr, got, want)
		}
	}
}
