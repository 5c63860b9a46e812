package remind_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// niamh owns the leads of these tests: the staff list names her.
var niamh = lead.Person{Name: "Niamh Byrne", Email: "niamh@harbour.example"}

// withStaff gives the rig's practice its staff list.
func withStaff(r *rig) *rig {
	r.cfg.People = []lead.Person{niamh}
	r.cfg.Clock.DigestTo = nil // the digest has its own test
	return r
}

func (r *rig) policy() lead.Policy {
	return lead.Policy{Clock: r.cfg.Clock, Coordinator: r.cfg.Practice.To, People: r.cfg.People}
}

// act applies what the lead's page does at when, as the lifecycle decides.
func (r *rig) act(id string, when time.Time, decide func(t lead.Tracked, p lead.Policy) (lead.Change, bool, error)) bool {
	r.t.Helper()
	r.now = when
	_, changed, err := r.store.Update(context.Background(), id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok, err := decide(t, r.policy())
		return c, nil, ok, err
	})
	if err != nil {
		r.t.Fatal(err)
	}
	return changed
}

func (r *rig) claim(id string, when time.Time) {
	r.t.Helper()
	r.act(id, when, func(t lead.Tracked, p lead.Policy) (lead.Change, bool, error) {
		return lead.Act(t, lead.Claimed, niamh, when, p)
	})
}

func (r *rig) call(id, outcome string, back, when time.Time) {
	r.t.Helper()
	r.act(id, when, func(t lead.Tracked, p lead.Policy) (lead.Change, bool, error) {
		return lead.Call(t, outcome, back, niamh, when, p)
	})
}

func (r *rig) undo(id string, when time.Time) bool {
	r.t.Helper()
	return r.act(id, when, func(t lead.Tracked, _ lead.Policy) (lead.Change, bool, error) {
		c, ok := lead.Undo(t, niamh, when)
		return c, ok, nil
	})
}

// step ticks and flushes at when, and returns the kinds sent.
func (r *rig) step(when time.Time) []string {
	r.t.Helper()
	r.tick(when)
	return r.flush(when)
}

// expect checks that a step at each time sends what it says, in order.
func (r *rig) expect(steps ...struct {
	at   time.Time
	sent []string
}) {
	r.t.Helper()
	for _, s := range steps {
		if got := r.step(s.at); !slices.Equal(got, s.sent) {
			r.t.Errorf("at %s: sent %v, want %v", s.at.Format("Mon 15:04"), got, s.sent)
		}
	}
}

type sent = struct {
	at   time.Time
	sent []string
}

func TestAttemptsInOpenHours(t *testing.T) { onEachStore(t, testAttemptsInOpenHours) }

// testAttemptsInOpenHours calls a patient nobody answers, by the default
// plan, in a practice open Monday to Friday, 09:00 to 18:00: two open
// hours after the first call, the next morning, then day 3; then she is
// not reached, and told once how to reach the practice, after the chance
// to undo. Claiming stopped the team's reminders, not the clock: the
// owner is reminded at the due time, and the escalation follows.
func testAttemptsInOpenHours(t *testing.T, newRig func(*testing.T) *rig) {
	r := withStaff(newRig(t))
	l := r.receive("ld_1", "rhinoplasty", "", at(11, 30, 15, 0), false) // Monday; due 17:00
	r.flush(at(11, 30, 15, 0))
	r.claim("ld_1", at(11, 30, 15, 5))
	r.call("ld_1", lead.NoAnswer, time.Time{}, at(11, 30, 15, 10))
	r.expect(
		sent{at(11, 30, 16, 59), nil},
		sent{at(11, 30, 17, 0), []string{mail.Reminder}}, // to the owner: claimed, not reached
		sent{at(11, 30, 17, 10), []string{mail.Attempt}}, // call 2, two open hours after 15:10
	)
	r.call("ld_1", lead.LeftMessage, time.Time{}, at(11, 30, 17, 30))
	r.expect(
		sent{at(11, 30, 18, 0), nil}, // the escalation waits for the opening
		sent{at(11, 30, 23, 0), nil},
		sent{at(12, 1, 9, 0), []string{mail.Attempt, mail.Escalation}}, // call 3: the next morning
	)
	r.call("ld_1", lead.NoAnswer, time.Time{}, at(12, 1, 9, 5))
	r.expect(
		sent{at(12, 1, 17, 0), nil},
		sent{at(12, 2, 9, 0), []string{mail.Attempt}}, // call 4: day 3, Wednesday morning
	)
	r.call("ld_1", lead.NoAnswer, time.Time{}, at(12, 2, 9, 10))
	got, _ := r.store.Lead(context.Background(), "ld_1")
	if got.State != lead.NotReached || got.Calls != 4 {
		t.Fatalf("after the plan's last call: %s, %d calls", got.State, got.Calls)
	}
	r.expect(
		sent{at(12, 2, 9, 19), nil},
		sent{at(12, 2, 9, 20), []string{mail.Unreached}}, // once the chance to undo has passed
		sent{at(12, 9, 9, 0), nil},
	)
	r.call("ld_1", lead.NoAnswer, time.Time{}, at(12, 3, 9, 0)) // one more try: she is told once
	r.expect(sent{at(12, 4, 9, 0), nil})

	for _, tt := range []struct {
		prefix, to string
		wants      []string
	}{
		{"Reminder: ", niamh.Email, []string{"Reply due: Niamh (Rhinoplasty)", "Niamh Byrne claimed the request", "Call Niamh: +353 87 123 4567 (tel:+353871234567)"}},
		{"Call again: " + l.Ref + ", call 2 due Mon 30 Nov, 17:10", niamh.Email, []string{"Time to call again: Niamh (Rhinoplasty)",
			"Calls so far: 1, the last: No answer", "Open the lead:\nhttps://www.harbour.example/v1/actions/"}},
		{"Call again: " + l.Ref + ", call 3 due Tue 1 Dec, 09:00", niamh.Email, nil},
		{"Call again: " + l.Ref + ", call 4 due Wed 2 Dec, 09:00", niamh.Email, nil},
		{"Unanswered: " + l.Ref + " was due Mon 30 Nov, 17:00, claimed by Niamh Byrne, not reached yet", manager,
			[]string{"Overdue by 16 h: Niamh (Rhinoplasty)", "Claimed by: Niamh Byrne"}},
		{"We tried to call you", "niamh@patient.example", []string{"Dear Niamh,", "could not reach you"}},
	} {
		ms := r.mailTo(tt.prefix)
		if len(ms) != 1 || ms[0].To[0].Address != tt.to {
			t.Errorf("%q: %d emails, want one to %s", tt.prefix, len(ms), tt.to)
			continue
		}
		for _, want := range tt.wants {
			if !strings.Contains(ms[0].Text, want) {
				t.Errorf("%q has no %q:\n%s", tt.prefix, want, ms[0].Text)
			}
		}
	}
}

func TestCallBack(t *testing.T) { onEachStore(t, testCallBack) }

// testCallBack: the patient asks to be called back at a time; the
// reminders of the due time give way to one at that time, to the owner.
func testCallBack(t *testing.T, newRig func(*testing.T) *rig) {
	r := withStaff(newRig(t))
	l := r.receive("ld_1", "rhinoplasty", "", at(11, 30, 10, 0), false) // due 12:00
	r.flush(at(11, 30, 10, 0))
	r.call("ld_1", lead.CallBack, at(12, 1, 16, 30), at(11, 30, 10, 20))
	r.restart()
	r.expect(
		sent{at(11, 30, 12, 0), nil}, // no reminder at the due time
		sent{at(11, 30, 13, 0), nil}, // nor an escalation
		sent{at(12, 1, 16, 29), nil},
		sent{at(12, 1, 16, 30), []string{mail.Attempt}},
	)
	ms := r.mailTo("Call back: " + l.Ref + ", asked for Tue 1 Dec, 16:30")
	if len(ms) != 1 || ms[0].To[0].Address != niamh.Email || !strings.Contains(ms[0].Text, "Niamh (Rhinoplasty) asked to be called back at Tue 1 Dec, 16:30.") {
		t.Errorf("the call back's reminder: %+v", ms)
	}
	// Reached when called back: the follow-up is all that is left.
	r.call("ld_1", lead.Reached, time.Time{}, at(12, 1, 16, 35))
	if got, _ := r.store.Lead(context.Background(), "ld_1"); got.State != lead.Contacted || len(got.Steps) != 1 || got.Steps[0].Kind != lead.FollowUp {
		t.Errorf("reached: %s, steps %v", got.State, got.Steps)
	}
}

func TestClaimedNotReached(t *testing.T) { onEachStore(t, testClaimedNotReached) }

// testClaimedNotReached: a lead claimed and never called is reminded to
// its owner at the due time, then escalated, as an unclaimed one is.
func testClaimedNotReached(t *testing.T, newRig func(*testing.T) *rig) {
	r := withStaff(newRig(t))
	l := r.receive("ld_1", "rhinoplasty", "", at(11, 30, 10, 0), false)
	r.flush(at(11, 30, 10, 0))
	r.claim("ld_1", at(11, 30, 10, 5))
	r.expect(
		sent{at(11, 30, 12, 0), []string{mail.Reminder}},
		sent{at(11, 30, 13, 0), []string{mail.Escalation}},
		sent{at(11, 30, 17, 0), nil},
	)
	if rem := r.mailTo("Reminder: " + l.Ref + " is claimed, not reached yet, due Mon 30 Nov, 12:00"); len(rem) != 1 ||
		rem[0].To[0].Address != niamh.Email {
		t.Errorf("the owner's reminder: %+v", rem)
	}
	if esc := r.mailTo("Unanswered: "); len(esc) != 1 || esc[0].To[0].Address != manager ||
		!strings.Contains(esc[0].Text, "Overdue by 1 h: Niamh (Rhinoplasty)") {
		t.Errorf("the escalation: %+v", esc)
	}
	// Once Niamh leaves the staff list, her leads' reminders go to the
	// coordinator of their category.
	r.receive("ld_2", "rhinoplasty", "", at(11, 30, 14, 0), false)
	r.flush(at(11, 30, 14, 0))
	r.claim("ld_2", at(11, 30, 14, 5))
	r.cfg.People = nil
	r.expect(sent{at(11, 30, 16, 0), []string{mail.Reminder}})
	if rem := r.mailTo("Reminder: "); len(rem) != 2 || rem[1].To[0].Address != coordinator && rem[0].To[0].Address != coordinator {
		t.Errorf("the reminder of a lead whose owner left: %+v", rem)
	}
}

func TestUndoWindow(t *testing.T) { onEachStore(t, testUndoWindow) }

// testUndoWindow: a wrong number recorded by mistake and undone within
// ten minutes tells the patient nothing; one left for ten minutes can no
// longer be undone, and the patient is told.
func testUndoWindow(t *testing.T, newRig func(*testing.T) *rig) {
	r := withStaff(newRig(t))
	r.receive("ld_1", "rhinoplasty", "", at(11, 30, 10, 0), false)
	r.flush(at(11, 30, 10, 0))
	r.call("ld_1", lead.WrongNumber, time.Time{}, at(11, 30, 10, 30))
	r.restart()
	if !r.undo("ld_1", at(11, 30, 10, 39)) {
		t.Fatal("no undo nine minutes on")
	}
	got, _ := r.store.Lead(context.Background(), "ld_1")
	if got.State != lead.New || got.Calls != 0 || len(got.Steps) != 1 || got.Steps[0].Kind != lead.Reminder {
		t.Errorf("undone: %s, %d calls, steps %v", got.State, got.Calls, got.Steps)
	}
	r.expect(sent{at(11, 30, 10, 45), nil}, sent{at(11, 30, 12, 0), []string{mail.Reminder}})

	r.call("ld_1", lead.WrongNumber, time.Time{}, at(11, 30, 12, 10))
	if r.undo("ld_1", at(11, 30, 12, 20)) {
		t.Error("undone ten minutes on")
	}
	r.expect(sent{at(11, 30, 12, 20), []string{mail.Unreached}})
	if got, _ := r.store.Lead(context.Background(), "ld_1"); got.State != lead.NotReached {
		t.Errorf("after the window: %s", got.State)
	}
}

func TestDuplicatesAttached(t *testing.T) { onEachStore(t, testDuplicatesAttached) }

// testDuplicatesAttached: the patient writes again while her lead is
// open: the new request joins it, its owner is told with the lead's own
// links, no clock of its own starts, and the report counts one lead.
func testDuplicatesAttached(t *testing.T, newRig func(*testing.T) *rig) {
	r := withStaff(newRig(t))
	ctx := context.Background()
	first := r.receive("ld_1", "rhinoplasty", "", at(11, 30, 10, 0), false)
	r.flush(at(11, 30, 10, 0))
	r.claim("ld_1", at(11, 30, 10, 5))
	r.expect(sent{at(11, 30, 12, 0), []string{mail.Reminder}}, sent{at(11, 30, 13, 0), []string{mail.Escalation}})
	// Tuesday: the same patient, by her phone number, another address.
	r.now = at(12, 1, 9, 30)
	again := lead.Lead{ID: "ld_2", Received: r.now.UTC(), Due: r.cfg.Clock.Due(r.now), FirstName: "Niamh", LastName: "O'Brien",
		Email: "n.obrien@patient.example", Phone: "+353871234567", Procedure: "rhinoplasty", Message: "Can I come on Saturday?"}
	orig, ok, err := r.store.Match(ctx, again, again.Received.Add(-lead.AgainWithin))
	if err != nil || !ok || orig.Lead.ID != "ld_1" {
		t.Fatalf("Match = %s, %v, %v", orig.Lead.ID, ok, err)
	}
	joined, send := lead.Attach(orig, again, r.policy())
	m, err := planned(r, send)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.store.Enqueue(ctx, joined, "", []outbox.Message{m}); err != nil {
		t.Fatal(err)
	}
	if got := r.flush(at(12, 1, 9, 30)); !slices.Equal(got, []string{mail.Again}) {
		t.Errorf("sent %v, want the owner told", got)
	}
	ms := r.mailTo("Niamh O'Brien wrote again: " + first.Ref)
	if len(ms) != 1 || ms[0].To[0].Address != niamh.Email || !strings.Contains(ms[0].Text, "Can I come on Saturday?") ||
		!strings.Contains(ms[0].Text, "Open the lead:\nhttps://www.harbour.example/v1/actions/") {
		t.Fatalf("the owner's email: %+v", ms)
	}
	i := strings.Index(ms[0].Text, "Open the lead:\nhttps://www.harbour.example/v1/actions/")
	token := strings.Fields(ms[0].Text[i+len("Open the lead:\nhttps://www.harbour.example/v1/actions/"):])[0]
	if tok, err := r.signs.Verify(token); err != nil || tok.Lead != "ld_1" {
		t.Errorf("the link opens %+v, %v; want the first lead's page", tok, err)
	}
	list, err := r.store.List(ctx, at(11, 29, 0, 0), at(12, 2, 0, 0))
	if err != nil || len(list) != 1 {
		t.Errorf("the report's leads: %d, %v; want one", len(list), err)
	}
	// No clock of its own: only the first lead's steps go on.
	r.expect(sent{at(12, 1, 11, 30), nil})
	if got, _ := r.store.Lead(ctx, "ld_1"); got.History[0].Kind != lead.KindAgain || got.History[0].Detail != "ld_2" {
		t.Errorf("the first lead's history: %+v", got.History)
	}
	// A request of another patient is no match.
	other := again
	other.Email, other.Phone = "someone@patient.example", "+353861111111"
	if _, ok, _ := r.store.Match(ctx, other, other.Received.Add(-lead.AgainWithin)); ok {
		t.Error("another patient's request matched")
	}
	// Thirty days on, the patient's lead takes nothing in.
	if _, ok, _ := r.store.Match(ctx, again, again.Received.Add(lead.AgainWithin)); ok {
		t.Error("a request matched a lead older than thirty days")
	}
}

// planned is the email a send of the lifecycle queues, as the intake
// plans it.
func planned(r *rig, s lead.Send) (outbox.Message, error) {
	m, err := mail.Envelope(s.Kind, s.ID, s.To, r.cfg.Practice)
	return outbox.Message(m), err
}
