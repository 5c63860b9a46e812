package outbox_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/hours"
)

// tracked opens a store and enqueues lead id, due an hour after t0.
func tracked(t *testing.T, open opener, now *time.Time, ids ...string) (store, *sql.DB) {
	t.Helper()
	s, db := open(t, now)
	for _, id := range ids {
		l, msgs := newLead(id, false)
		l.Ref, l.Due = "HAS-1127-"+id, t0.Add(time.Hour)
		if _, _, err := s.Enqueue(context.Background(), lead.Start(l), "", msgs); err != nil {
			t.Fatal(err)
		}
	}
	return s, db
}

// policy is a practice always open, that promises a reply within two
// hours and escalates to its manager an hour after the reminder.
var policy = lead.Policy{Clock: hours.Clock{EscalateTo: []string{"manager@example.com"}},
	Coordinator: func(string) string { return "coordinator@example.com" }}

// setState moves lead id to state, set by by at at, as the lifecycle
// decides it (lead.Act).
func setState(s store, id, state, by string, at time.Time) (lead.Tracked, bool, error) {
	return s.Update(context.Background(), id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok, err := lead.Act(t, state, lead.Person{Email: by}, at, policy)
		return c, nil, ok, err
	})
}

// tick takes lead id's step due at at, as the response clock does
// (lead.Tick), with its emails planned.
func tick(s store, id string, at time.Time) (bool, error) {
	_, ok, err := s.Update(context.Background(), id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok := lead.Tick(t, at, policy)
		var msgs []outbox.Message
		for _, send := range c.Sends {
			msgs = append(msgs, outbox.Message{ID: send.ID, MessageID: "<" + send.ID + "@example.com>", Kind: send.Kind,
				From: "desk@example.com", To: []string{send.To}})
		}
		return c, msgs, ok, nil
	})
	return ok, err
}

// followUp is the only step of a lead marked contacted at at.
func followUp(at time.Time) []lead.Step {
	return []lead.Step{{Kind: lead.FollowUp, At: at.Add(72 * time.Hour)}} // three working days, always open
}

func TestSetState(t *testing.T) { eachStore(t, testSetState) }

func testSetState(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := tracked(t, open, &now, "ld_a")
	got, err := s.Lead(ctx, "ld_a")
	if err != nil || got.State != lead.New || !got.Lead.Due.Equal(t0.Add(time.Hour)) ||
		fmt.Sprint(got.Steps) != fmt.Sprint([]lead.Step{{Kind: lead.Reminder, At: got.Lead.Due}}) ||
		got.Lead.Ref != "HAS-1127-ld_a" || got.Lead.FirstName != "Anna" {
		t.Fatalf("new lead = %+v, %v", got, err)
	}
	steps := []struct {
		state, by string
		changed   bool
		want      string // state after
		stateBy   string
	}{
		{lead.Claimed, "ann@example.org", true, lead.Claimed, "ann@example.org"},
		{lead.Claimed, "bob@example.org", false, lead.Claimed, "ann@example.org"}, // a colleague's second click
		{lead.Contacted, "bob@example.org", true, lead.Contacted, "bob@example.org"},
		{lead.Claimed, "ann@example.org", false, lead.Contacted, "bob@example.org"}, // never backwards
		{lead.Booked, "ann@example.org", true, lead.Booked, "ann@example.org"},
		{lead.NotALead, "ann@example.org", false, lead.Booked, "ann@example.org"}, // final
	}
	for i, st := range steps {
		at := t0.Add(time.Duration(i+1) * time.Minute)
		got, changed, err := setState(s, "ld_a", st.state, st.by, at)
		if err != nil || changed != st.changed || got.State != st.want || got.StateBy != st.stateBy {
			t.Fatalf("step %d: setState(%s by %s) = %s by %s, changed %v, %v; want %s by %s, changed %v",
				i, st.state, st.by, got.State, got.StateBy, changed, err, st.want, st.stateBy, st.changed)
		}
		if stored, _ := s.Lead(ctx, "ld_a"); st.state == lead.Contacted && fmt.Sprint(stored.Steps) != fmt.Sprint(followUp(at)) {
			t.Errorf("contacted: steps %v, want the follow-up %v", stored.Steps, followUp(at))
		}
	}
	got, _ = s.Lead(ctx, "ld_a")
	if got.ClaimedBy != "ann@example.org" || !got.ClaimedAt.Equal(t0.Add(time.Minute)) || got.ContactedBy != "bob@example.org" ||
		!got.ActedAt.Equal(t0.Add(time.Minute)) || len(got.Steps) != 0 || got.Lead.FirstName != "Anna" {
		t.Errorf("after booking: %+v", got)
	}
	var events int
	db.QueryRow(`SELECT count(*) FROM lead_events WHERE lead_id = 'ld_a' AND kind = 'state'`).Scan(&events)
	if events != 3 {
		t.Errorf("%d state changes kept, want 3", events)
	}
	if _, _, err := setState(s, "ld_a", lead.New, "x@example.org", t0); err == nil {
		t.Error("setState(new): no error")
	}
	if _, _, err := setState(s, "ld_none", lead.Claimed, "x@example.org", t0); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("setState of no lead: %v, want ErrNotFound", err)
	}
}

func TestRecordStepOnce(t *testing.T) { eachStore(t, testRecordStepOnce) }

func testRecordStepOnce(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := tracked(t, open, &now, "ld_a", "ld_b")
	if due, err := s.DueSteps(ctx, t0.Add(59*time.Minute), 10); err != nil || len(due) != 0 {
		t.Fatalf("before due: %d steps, %v", len(due), err)
	}
	if next, ok, err := s.NextStep(ctx); err != nil || !ok || !next.Equal(t0.Add(time.Hour)) {
		t.Errorf("NextStep = %s, %v, %v", next, ok, err)
	}
	due, err := s.DueSteps(ctx, t0.Add(time.Hour), 10)
	if err != nil || len(due) != 2 || due[0].Lead.FirstName != "Anna" {
		t.Fatalf("at due: %+v, %v", due, err)
	}
	at := t0.Add(time.Hour)
	if ok, err := tick(s, due[0].Lead.ID, at); !ok || err != nil {
		t.Fatalf("tick = %v, %v", ok, err)
	}
	// The same step again (a second worker, or a run that read before
	// the first committed) does nothing.
	if ok, err := tick(s, due[0].Lead.ID, at); ok || err != nil {
		t.Errorf("tick again = %v, %v; want false", ok, err)
	}
	// A colleague marks ld_b reached after the clock read it: its step is
	// not taken. (A claim alone keeps the clock running.)
	if _, _, err := setState(s, "ld_b", lead.Contacted, "ann@example.org", at); err != nil {
		t.Fatal(err)
	}
	if ok, err := tick(s, due[1].Lead.ID, at); ok || err != nil {
		t.Errorf("tick of a lead reached = %v, %v; want false", ok, err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM messages WHERE kind = 'reminder'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d reminders queued, want 1", n)
	}
	got, _ := s.Lead(ctx, "ld_a")
	if want := []lead.Step{{Kind: lead.Escalation, At: at.Add(time.Hour)}}; got.Step != "reminder" || fmt.Sprint(got.Steps) != fmt.Sprint(want) {
		t.Errorf("after the reminder: step %q, steps %v; want the escalation %v", got.Step, got.Steps, want)
	}
	var events int
	db.QueryRow(`SELECT count(*) FROM lead_events WHERE lead_id = 'ld_a' AND kind = 'reminder'`).Scan(&events)
	if events != 1 {
		t.Errorf("%d reminders in the history, want 1", events)
	}
	if n, err := s.Overdue(ctx, at.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("Overdue = %d, %v; want 1 (ld_b is reached)", n, err)
	}
	msgs, err := s.Claim(ctx, at, 10)
	if err != nil || len(msgs) != 5 {
		t.Errorf("Claim = %d messages, %v; want the reminder beside the two leads' four", len(msgs), err)
	}
}

func TestReleaseLead(t *testing.T) { eachStore(t, testReleaseLead) }

func testReleaseLead(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	l, msgs := newLead("ld_spam", true)
	l.Due = t0.Add(time.Hour)
	if _, _, err := s.Enqueue(ctx, lead.Start(l), "", msgs); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Lead(ctx, "ld_spam")
	if got.State != lead.Spam || len(got.Steps) != 0 {
		t.Fatalf("held lead: state %s, steps %v", got.State, got.Steps)
	}
	due := t0.Add(5 * time.Hour) // two hours after the release
	got, changed, err := release(s, "ld_spam", "manager@example.org", t0.Add(3*time.Hour))
	if err != nil || !changed || got.State != lead.New || got.Lead.Spam || !got.Lead.Due.Equal(due) || got.StateBy != "manager@example.org" {
		t.Fatalf("release = %+v, %v, %v", got, changed, err)
	}
	if stored, _ := s.Lead(ctx, "ld_spam"); fmt.Sprint(stored.Steps) != fmt.Sprint([]lead.Step{{Kind: lead.Reminder, At: due}}) || stored.Lead.Spam {
		t.Errorf("released lead as stored: %+v", stored)
	}
	if _, changed, err := release(s, "ld_spam", "other@example.org", t0.Add(4*time.Hour)); changed || err != nil {
		t.Errorf("second release: changed %v, %v", changed, err)
	}
	if st := stats(t, s); st.Pending != 2 || st.Held != 0 {
		t.Errorf("after release: %+v", st)
	}
}

// release delivers lead id, held as spam, as by asked at at (lead.Release).
func release(s store, id, by string, at time.Time) (lead.Tracked, bool, error) {
	return s.Update(context.Background(), id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok := lead.Release(t, lead.Person{Email: by}, at, policy)
		return c, nil, ok, nil
	})
}

func TestQueueDigestOnce(t *testing.T) { eachStore(t, testQueueDigestOnce) }

func testQueueDigestOnce(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	if _, ok, err := s.LastDigest(ctx); ok || err != nil {
		t.Fatalf("LastDigest of a new store: %v, %v", ok, err)
	}
	m := outbox.Message{ID: "digest.2026-11-27", MessageID: "<digest.2026-11-27@example.com>", Kind: "digest",
		From: "desk@example.com", To: []string{"manager@example.com"}}
	data := []byte(`{"leads":[]}`)
	for i, want := range []bool{true, false} {
		if ok, err := s.QueueDigest(ctx, []outbox.Message{m}, data, t0); ok != want || err != nil {
			t.Errorf("QueueDigest #%d = %v, %v; want %v", i+1, ok, err, want)
		}
	}
	if last, ok, err := s.LastDigest(ctx); !ok || err != nil || !last.Equal(t0) {
		t.Errorf("LastDigest = %s, %v, %v", last, ok, err)
	}
	msgs, err := s.Claim(ctx, t0, 10)
	if err != nil || len(msgs) != 1 || msgs[0].LeadID != "" || msgs[0].Kind != "digest" || string(msgs[0].Data) != string(data) ||
		len(msgs[0].Raw) != 0 {
		t.Fatalf("Claim = %+v, %v; want the digest, planned, with its data", msgs, err)
	}
	if err := s.Done(ctx, msgs[0].ID); err != nil {
		t.Error(err)
	}
}

func TestMatchAndHistory(t *testing.T) { eachStore(t, testMatchAndHistory) }

// testMatchAndHistory: the store finds the open lead of a patient by her
// address or number as they stand (a correction included), keeps each
// step's person, note, detail and the status before it, and marks the
// step an undo undid; a purge blanks the notes and the keys.
func testMatchAndHistory(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := tracked(t, open, &now, "ld_a")
	again := lead.Lead{ID: "ld_b", Received: t0.Add(time.Hour), Email: " ANNA@example.org", Phone: "+353871112222"}
	if got, ok, err := s.Match(ctx, again, t0.Add(-time.Hour)); err != nil || !ok || got.Lead.ID != "ld_a" {
		t.Fatalf("Match by address = %q, %v, %v", got.Lead.ID, ok, err)
	}
	ann := lead.Person{Name: "Ann Doyle", Email: "ann@example.org"}
	// The patient corrects her details: she is known by the new ones.
	if _, _, err := s.Update(ctx, "ld_a", func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok := lead.Correct(t, "+353871112222", "anna.new@example.org", t0.Add(time.Minute), policy)
		return c, nil, ok, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, ok, _ := s.Match(ctx, lead.Lead{Email: "anna@example.org"}, t0.Add(-time.Hour)); ok {
		t.Error("matched by the address she corrected")
	}
	if got, ok, _ := s.Match(ctx, lead.Lead{Phone: "+353871112222"}, t0.Add(-time.Hour)); !ok || got.Lead.ID != "ld_a" {
		t.Error("not matched by her corrected number")
	}
	if _, _, err := s.Update(ctx, "ld_a", func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok, err := lead.Call(t, lead.CallBack, t0.Add(26*time.Hour), ann, t0.Add(2*time.Minute), policy)
		c.Event.Note = "After five, on her mobile"
		return c, nil, ok, err
	}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Lead(ctx, "ld_a")
	if err != nil {
		t.Fatal(err)
	}
	h := got.History[0]
	if back, ok := h.CallBackAt(); h.Kind != lead.KindCall || h.By != ann || h.Note != "After five, on her mobile" || !ok ||
		!back.Equal(t0.Add(26*time.Hour)) || h.Before == nil || h.Before.State != lead.New || got.ClaimedName != "Ann Doyle" ||
		fmt.Sprint(got.Steps) != fmt.Sprint([]lead.Step{{Kind: lead.Attempt, At: t0.Add(26 * time.Hour)}}) {
		t.Fatalf("after a call back: %+v, steps %v, entry %+v", got.Status, got.Steps, h)
	}
	if _, changed, err := s.Update(ctx, "ld_a", func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok := lead.Undo(t, ann, t0.Add(5*time.Minute))
		return c, nil, ok, nil
	}); err != nil || !changed {
		t.Fatalf("undo: %v, %v", changed, err)
	}
	got, _ = s.Lead(ctx, "ld_a")
	if got.State != lead.New || got.Calls != 0 || got.History[0].Kind != lead.KindUndo || got.History[1].Undone.IsZero() ||
		fmt.Sprint(got.Steps) != fmt.Sprint([]lead.Step{{Kind: lead.Reminder, At: t0.Add(time.Hour)}}) {
		t.Errorf("undone: %+v, steps %v, history %+v", got.Status, got.Steps, got.History)
	}
	// The purge leaves no note and no key.
	if _, err := db.Exec(`UPDATE messages SET state = 'sent' WHERE kind = 'coordinator'`); err != nil {
		t.Fatal(err)
	}
	if n, err := s.PurgeDelivered(ctx, t0.Add(48*time.Hour)); err != nil || n != 1 {
		t.Fatalf("PurgeDelivered = %d, %v", n, err)
	}
	var notes, keys int
	db.QueryRow(`SELECT count(*) FROM lead_events WHERE note <> ''`).Scan(&notes)
	db.QueryRow(`SELECT count(*) FROM leads WHERE email_key <> '' OR phone_key <> ''`).Scan(&keys)
	if notes != 0 || keys != 0 {
		t.Errorf("after the purge: %d notes, %d leads with keys", notes, keys)
	}
	if _, ok, _ := s.Match(ctx, lead.Lead{Phone: "+353871112222"}, t0.Add(-time.Hour)); ok {
		t.Error("a purged lead matched")
	}
}
