package outbox_test

import (
	"context"
	"database/sql"
	"errors"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
)

// tracked opens a store and enqueues lead id, due an hour after t0.
func tracked(t *testing.T, open opener, now *time.Time, ids ...string) (store, *sql.DB) {
	t.Helper()
	s, db := open(t, now)
	for _, id := range ids {
		l, msgs := newLead(id, false)
		l.Ref, l.Due = "HAS-1127-"+id, t0.Add(time.Hour)
		if _, _, err := s.Enqueue(context.Background(), l, "", msgs); err != nil {
			t.Fatal(err)
		}
	}
	return s, db
}

func TestSetState(t *testing.T) { eachStore(t, testSetState) }

func testSetState(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := tracked(t, open, &now, "ld_a")
	got, err := s.Lead(ctx, "ld_a")
	if err != nil || got.State != lead.New || !got.Lead.Due.Equal(t0.Add(time.Hour)) || !got.NextStepAt.Equal(got.Lead.Due) ||
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
		next := time.Time{}
		if st.state == lead.Contacted {
			next = at.Add(72 * time.Hour)
		}
		got, changed, err := s.SetState(ctx, "ld_a", st.state, st.by, at, next)
		if err != nil || changed != st.changed || got.State != st.want || got.StateBy != st.stateBy {
			t.Fatalf("step %d: SetState(%s by %s) = %s by %s, changed %v, %v; want %s by %s, changed %v",
				i, st.state, st.by, got.State, got.StateBy, changed, err, st.want, st.stateBy, st.changed)
		}
		if st.state == lead.Contacted && !got.NextStepAt.Equal(next) {
			t.Errorf("contacted: next step %s, want the follow-up at %s", got.NextStepAt, next)
		}
	}
	got, _ = s.Lead(ctx, "ld_a")
	if got.ClaimedBy != "ann@example.org" || !got.ClaimedAt.Equal(t0.Add(time.Minute)) || got.ContactedBy != "bob@example.org" ||
		!got.ActedAt.Equal(t0.Add(time.Minute)) || !got.NextStepAt.IsZero() {
		t.Errorf("after booking: %+v", got)
	}
	var events int
	db.QueryRow(`SELECT count(*) FROM lead_events WHERE lead_id = 'ld_a' AND kind = 'state'`).Scan(&events)
	if events != 3 {
		t.Errorf("%d state changes kept, want 3", events)
	}
	if _, _, err := s.SetState(ctx, "ld_a", lead.New, "x@example.org", t0, time.Time{}); err == nil {
		t.Error("SetState(new): no error")
	}
	if _, _, err := s.SetState(ctx, "ld_none", lead.Claimed, "x@example.org", t0, time.Time{}); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("SetState of no lead: %v, want ErrNotFound", err)
	}
}

func reminder(id string) []outbox.Message {
	return []outbox.Message{{ID: id + ".reminder", MessageID: "<" + id + ".reminder@example.com>", Kind: "reminder",
		From: "desk@example.com", To: []string{"coordinator@example.com"}, Raw: []byte("Subject: reminder\r\n\r\n")}}
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
	if ok, err := s.RecordStep(ctx, due[0], "reminder", reminder("ld_a"), at, at.Add(time.Hour)); !ok || err != nil {
		t.Fatalf("RecordStep = %v, %v", ok, err)
	}
	// The same step again (a second worker, or a run that read before
	// the first committed) does nothing.
	if ok, err := s.RecordStep(ctx, due[0], "reminder", reminder("ld_a"), at, at.Add(time.Hour)); ok || err != nil {
		t.Errorf("RecordStep again = %v, %v; want false", ok, err)
	}
	// A colleague claims ld_b after the clock read it: its step is not taken.
	if _, _, err := s.SetState(ctx, "ld_b", lead.Claimed, "ann@example.org", at, time.Time{}); err != nil {
		t.Fatal(err)
	}
	if ok, err := s.RecordStep(ctx, due[1], "reminder", reminder("ld_b"), at, at.Add(time.Hour)); ok || err != nil {
		t.Errorf("RecordStep of a claimed lead = %v, %v; want false", ok, err)
	}
	var n int
	db.QueryRow(`SELECT count(*) FROM messages WHERE kind = 'reminder'`).Scan(&n)
	if n != 1 {
		t.Errorf("%d reminders queued, want 1", n)
	}
	got, _ := s.Lead(ctx, "ld_a")
	if got.Step != "reminder" || !got.NextStepAt.Equal(at.Add(time.Hour)) {
		t.Errorf("after the reminder: step %q next %s", got.Step, got.NextStepAt)
	}
	if n, err := s.Overdue(ctx, at.Add(time.Minute)); err != nil || n != 1 {
		t.Errorf("Overdue = %d, %v; want 1 (ld_b is claimed)", n, err)
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
	if _, _, err := s.Enqueue(ctx, l, "", msgs); err != nil {
		t.Fatal(err)
	}
	got, _ := s.Lead(ctx, "ld_spam")
	if got.State != lead.Spam || !got.NextStepAt.IsZero() {
		t.Fatalf("held lead: state %s, next step %s", got.State, got.NextStepAt)
	}
	due := t0.Add(5 * time.Hour)
	got, changed, err := s.ReleaseLead(ctx, "ld_spam", "manager@example.org", t0.Add(3*time.Hour), due)
	if err != nil || !changed || got.State != lead.New || got.Lead.Spam || !got.Lead.Due.Equal(due) || got.StateBy != "manager@example.org" {
		t.Fatalf("ReleaseLead = %+v, %v, %v", got, changed, err)
	}
	if _, changed, err := s.ReleaseLead(ctx, "ld_spam", "other@example.org", t0.Add(4*time.Hour), due); changed || err != nil {
		t.Errorf("second ReleaseLead: changed %v, %v", changed, err)
	}
	if st := stats(t, s); st.Pending != 2 || st.Held != 0 {
		t.Errorf("after release: %+v", st)
	}
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
