package outbox_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
)

var t0 = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

// newLead returns a lead with id and its two messages.
func newLead(id string, spam bool) (lead.Lead, []outbox.Message) {
	l := lead.Lead{ID: id, Received: t0, FirstName: "Anna", Email: "anna@example.org",
		Procedure: "rhinoplasty", Spam: spam}
	if spam {
		l.Signals = []string{"honeypot", "too-fast"}
	}
	var msgs []outbox.Message
	for _, kind := range []string{"coordinator", "patient"} {
		msgs = append(msgs, outbox.Message{ID: id + "." + kind, MessageID: "<" + id + "." + kind + "@example.com>",
			From: "desk@example.com", To: []string{"x@example.com"}, Raw: []byte("Subject: " + id + "\r\n\r\nhi\r\n"), Kind: kind})
	}
	return l, msgs
}

func enqueue(t testing.TB, s *outbox.Store, id, key string, spam bool) {
	t.Helper()
	l, msgs := newLead(id, spam)
	if _, _, err := s.Enqueue(context.Background(), lead.Start(l), key, msgs); err != nil {
		t.Fatal(err)
	}
}

func stats(t *testing.T, s *outbox.Store) outbox.Stats {
	t.Helper()
	st, err := s.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestClaimDone(t *testing.T) { eachStore(t, testClaimDone) }

func testClaimDone(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	enqueue(t, s, "ld_1", "k1", false)
	now = t0.Add(90 * time.Second)
	if got, want := stats(t, s), (outbox.Stats{Pending: 2, OldestUndelivered: 90 * time.Second}); got != want {
		t.Errorf("stats = %+v, want %+v", got, want)
	}
	msgs, err := s.Claim(ctx, now, 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("Claim = %d messages, %v; want 2", len(msgs), err)
	}
	m := msgs[0]
	if m.LeadID != "ld_1" || m.Attempts != 0 || string(m.Raw) == "" || len(m.To) != 1 || m.To[0] != "x@example.com" {
		t.Errorf("claimed %+v", m)
	}
	if again, _ := s.Claim(ctx, now, 10); len(again) != 0 {
		t.Errorf("second Claim within the lease = %d messages, want 0", len(again))
	}
	for _, m := range msgs {
		if err := s.Done(ctx, m.ID); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Done(ctx, m.ID); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("Done twice: %v, want ErrNotFound", err)
	}
	if got := stats(t, s); got != (outbox.Stats{}) {
		t.Errorf("stats after Done = %+v, want zero", got)
	}
}

func TestLeaseExpires(t *testing.T) { eachStore(t, testLeaseExpires) }

func testLeaseExpires(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	enqueue(t, s, "ld_1", "", false)
	if msgs, _ := s.Claim(ctx, now, 1); len(msgs) != 1 {
		t.Fatalf("claimed %d", len(msgs))
	}
	// The worker died mid-send: after the lease, the message is due again.
	msgs, err := s.Claim(ctx, now.Add(61*time.Second), 10)
	if err != nil || len(msgs) != 2 {
		t.Fatalf("Claim after lease = %d messages, %v; want 2", len(msgs), err)
	}
	// A worker starting up takes them back at once, where it is the only
	// worker (SQLite). Instances sharing PostgreSQL cannot tell a dead
	// claim from another's send in progress: the lease decides.
	want := 2
	if strings.HasSuffix(t.Name(), "/postgres") {
		want = 0
	}
	if n, err := s.Recover(ctx); err != nil || n != want {
		t.Errorf("Recover = %d, %v; want %d", n, err, want)
	}
	if msgs, _ := s.Claim(ctx, now, 10); len(msgs) != want {
		t.Errorf("Claim after Recover = %d messages, want %d", len(msgs), want)
	}
}

func TestRetryDeadRequeue(t *testing.T) { eachStore(t, testRetryDeadRequeue) }

func testRetryDeadRequeue(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	enqueue(t, s, "ld_1", "", false)
	msgs, _ := s.Claim(ctx, now, 10)
	if err := s.Retry(ctx, msgs[0].ID, errors.New("451 try later"), now.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.Dead(ctx, msgs[1].ID, errors.New("550 no such user")); err != nil {
		t.Fatal(err)
	}
	if next, ok, err := s.NextDue(ctx); err != nil || !ok || !next.Equal(now.Add(time.Hour)) {
		t.Errorf("NextDue = %v, %v, %v; want %v", next, ok, err, now.Add(time.Hour))
	}
	if due, _ := s.Claim(ctx, now.Add(59*time.Minute), 10); len(due) != 0 {
		t.Errorf("claimed %d before the retry time", len(due))
	}
	if got := stats(t, s); got.Pending != 1 || got.Dead != 1 {
		t.Errorf("stats = %+v, want 1 pending, 1 dead", got)
	}
	wake := s.Wake()
	if n, err := s.Requeue(ctx); err != nil || n != 1 {
		t.Fatalf("Requeue = %d, %v; want 1", n, err)
	}
	select {
	case <-wake:
	default:
		t.Error("Requeue did not wake the worker")
	}
	due, _ := s.Claim(ctx, now, 10)
	if len(due) != 1 || due[0].ID != msgs[1].ID || due[0].Attempts != 1 {
		t.Errorf("after Requeue claimed %+v, want %s with 1 attempt", due, msgs[1].ID)
	}
}

func TestEnqueueIdempotent(t *testing.T) { eachStore(t, testEnqueueIdempotent) }

func testEnqueueIdempotent(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	enqueue(t, s, "ld_first", "key-1", false)
	l, msgs := newLead("ld_second", false)
	id, dup, err := s.Enqueue(ctx, lead.Start(l), "key-1", msgs)
	if err != nil || !dup || id != "ld_first" {
		t.Errorf("Enqueue again = %q, %v, %v; want ld_first, dup", id, dup, err)
	}

	// Many at once with one key: they share a batch, and one lead wins.
	var wg sync.WaitGroup
	ids := make([]string, 50)
	dups := make([]bool, 50)
	for i := range ids {
		wg.Go(func() {
			l, msgs := newLead(fmt.Sprintf("ld_c%d", i), false)
			var err error
			ids[i], dups[i], err = s.Enqueue(ctx, lead.Start(l), "key-2", msgs)
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	firsts := 0
	for i := range ids {
		if ids[i] != ids[0] {
			t.Errorf("caller %d got %q, caller 0 got %q", i, ids[i], ids[0])
		}
		if !dups[i] {
			firsts++
		}
	}
	if firsts != 1 {
		t.Errorf("%d callers were told they were first, want 1", firsts)
	}
	if got := stats(t, s); got.Pending != 4 {
		t.Errorf("pending = %d, want 4 (two leads)", got.Pending)
	}
}

func TestSpamHeldAndReleased(t *testing.T) { eachStore(t, testSpamHeldAndReleased) }

func testSpamHeldAndReleased(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := open(t, &now)
	enqueue(t, s, "ld_spam", "", true)
	enqueue(t, s, "ld_old", "", true)
	if got := stats(t, s); got.Held != 4 || got.Pending != 0 {
		t.Errorf("stats = %+v, want 4 held", got)
	}
	if due, _ := s.Claim(ctx, now.Add(time.Hour), 10); len(due) != 0 {
		t.Errorf("claimed %d held messages", len(due))
	}
	spam, err := s.Spam(ctx)
	if err != nil || len(spam) != 2 {
		t.Fatalf("Spam = %v, %v", spam, err)
	}
	want := outbox.SpamLead{ID: "ld_old", Received: t0, Signals: []string{"honeypot", "too-fast"},
		Procedure: "rhinoplasty", EmailDomain: "example.org"}
	if fmt.Sprint(spam[0]) != fmt.Sprint(want) {
		t.Errorf("Spam[0] = %+v, want %+v", spam[0], want)
	}
	if _, changed, err := release(s, "ld_spam", "cli", now); err != nil || !changed {
		t.Fatalf("release: changed %v, %v", changed, err)
	}
	if _, changed, err := release(s, "ld_spam", "cli", now); err != nil || changed {
		t.Errorf("second release: changed %v, %v; want nothing changed", changed, err)
	}
	if _, _, err := release(s, "ld_nope", "cli", now); !errors.Is(err, outbox.ErrNotFound) {
		t.Errorf("release of an unknown lead: %v, want ErrNotFound", err)
	}
	if due, _ := s.Claim(ctx, now, 10); len(due) != 2 || due[0].LeadID != "ld_spam" {
		t.Errorf("after release claimed %+v", due)
	}
	if n, err := s.PurgeSpam(ctx, t0.Add(time.Second)); err != nil || n != 1 {
		t.Errorf("PurgeSpam = %d, %v; want 1", n, err)
	}
	var leads int
	var data string
	var stored struct{ Spam bool }
	db.QueryRow(`SELECT count(*) FROM leads`).Scan(&leads)
	db.QueryRow(`SELECT data FROM leads WHERE id = 'ld_spam'`).Scan(&data)
	if err := json.Unmarshal([]byte(data), &stored); err != nil || leads != 1 || stored.Spam {
		t.Errorf("after purge: %d leads (want 1), released lead's JSON spam = %v (%v)", leads, stored.Spam, err)
	}
}

func TestPurgeDelivered(t *testing.T) { eachStore(t, testPurgeDelivered) }

func testPurgeDelivered(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := open(t, &now)
	enqueue(t, s, "ld_sent", "k1", false)
	enqueue(t, s, "ld_unsent", "k2", false)
	enqueue(t, s, "ld_deadconf", "k3", false) // its confirmation is refused for good
	msgs, _ := s.Claim(ctx, now, 10)
	for _, m := range msgs {
		switch {
		case m.LeadID == "ld_sent", m.LeadID == "ld_deadconf" && m.Kind == "coordinator":
			s.Done(ctx, m.ID)
		case m.LeadID == "ld_deadconf":
			s.Dead(ctx, m.ID, errors.New("550"))
		default:
			s.Retry(ctx, m.ID, errors.New("451"), now)
		}
	}
	if n, err := s.PurgeDelivered(ctx, t0); err != nil || n != 0 {
		t.Errorf("PurgeDelivered(received time) = %d, %v; want 0: not older", n, err)
	}
	now = t0.Add(31 * 24 * time.Hour)
	if n, err := s.PurgeDelivered(ctx, now.Add(-30*24*time.Hour)); err != nil || n != 2 {
		t.Errorf("PurgeDelivered = %d, %v; want 2: a lead whose coordinator's email was sent, whatever became of its confirmation", n, err)
	}
	if st, err := s.Stats(ctx); err != nil || st.Dead != 0 {
		t.Errorf("stats %+v, %v: the purged lead's dead confirmation remains, which a requeue would send empty", st, err)
	}
	rows, err := db.Query(`SELECT l.id, l.data, l.email_domain, m.env_to, length(m.raw)
		FROM leads l JOIN messages m ON m.lead_id = l.id ORDER BY l.id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, data, domain, to string
		var raw int
		rows.Scan(&id, &data, &domain, &to, &raw)
		blank := data == "" && domain == "" && to == "" && raw == 0
		if blank != (id == "ld_sent" || id == "ld_deadconf") {
			t.Errorf("%s: data %q, domain %q, to %q, raw %d bytes", id, data, domain, to, raw)
		}
	}
	// The idempotency key, which a client may fill with anything, goes
	// with the purge: the same key thirty days on is a new lead.
	l, m := newLead("ld_again", false)
	if id, dup, _ := s.Enqueue(ctx, lead.Start(l), "k1", m); dup || id != "ld_again" {
		t.Errorf("Enqueue after purge = %q, %v; want ld_again, a new lead", id, dup)
	}
}

func TestReopenKeepsSchema(t *testing.T) {
	ctx := context.Background()
	now := t0
	s, path := open(t, &now)
	enqueue(t, s, "ld_1", "k", false)
	s.Close()
	if _, _, err := s.Enqueue(ctx, lead.Start(lead.Lead{ID: "x"}), "", nil); !errors.Is(err, outbox.ErrClosed) {
		t.Errorf("Enqueue after Close: %v, want ErrClosed", err)
	}
	s2, err := outbox.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	if st := stats(t, s2); st.Pending != 2 {
		t.Errorf("after reopen pending = %d, want 2", st.Pending)
	}
	var version int
	var journal string
	db := rawDB(t, path)
	db.QueryRow(`PRAGMA user_version`).Scan(&version)
	db.QueryRow(`PRAGMA journal_mode`).Scan(&journal)
	if version != 7 || journal != "wal" {
		t.Errorf("user_version %d, journal_mode %q; want 7, wal", version, journal)
	}
	// A file from a newer program is left alone.
	s2.Close()
	if _, err := db.Exec(`PRAGMA user_version = 99`); err != nil {
		t.Fatal(err)
	}
	if s3, err := outbox.Open(ctx, path); err == nil {
		s3.Close()
		t.Error("Open accepted a schema newer than its own")
	}
}
