package outbox_test

import (
	"bytes"
	"context"
	"errors"
	"github.com/consultahq/consulta/intake/lead"
	"os"
	"strings"
	"testing"
	"time"
)

// fileBytes returns the bytes of the database file and of its -wal and
// -shm files, each that exists.
func fileBytes(t *testing.T, path string) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
		b, err := os.ReadFile(path + suffix)
		if err == nil {
			out["outbox.db"+suffix] = b
		} else if !errors.Is(err, os.ErrNotExist) {
			t.Fatal(err)
		}
	}
	return out
}

// TestPurgeLeavesNoTrace: once a purge has said a lead's personal data is
// gone, no byte of it is left in the database's files, for a delivered
// lead, a lead whose confirmation was dead-lettered and for spam.
func TestPurgeLeavesNoTrace(t *testing.T) {
	ctx := context.Background()
	now := t0
	s, path := open(t, &now)
	secrets := map[string]string{
		"ld_sent": "Quixotic-delivered-7781", "ld_deadconf": "Quixotic-deadconf-9912", "ld_spam": "Quixotic-spam-4410",
	}
	for id, secret := range secrets {
		l, msgs := newLead(id, id == "ld_spam")
		l.LastName, l.Message = secret+"-name", secret+"-message about my nose"
		for i := range msgs {
			msgs[i].To = []string{secret + "@mail.example"}
			msgs[i].Raw = []byte("Subject: x\r\n\r\n" + strings.Repeat(secret+" wrote a long message. ", 200))
		}
		if _, _, err := s.Enqueue(ctx, lead.Start(l), "", msgs); err != nil {
			t.Fatal(err)
		}
	}
	claimed, err := s.Claim(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range claimed {
		if m.LeadID == "ld_deadconf" && m.Kind == "patient" {
			s.Dead(ctx, m.ID, errors.New("550 no such user"))
		} else {
			s.Done(ctx, m.ID)
		}
	}
	for name, b := range fileBytes(t, path) {
		if !bytes.Contains(b, []byte("Quixotic")) && name == "outbox.db-wal" {
			t.Fatalf("%s holds no lead before the purge: the test would prove nothing", name)
		}
	}

	now = t0.Add(31 * 24 * time.Hour)
	cutoff := now.Add(-30 * 24 * time.Hour)
	if n, err := s.PurgeDelivered(ctx, cutoff); err != nil || n != 2 {
		t.Errorf("PurgeDelivered = %d, %v; want 2 (the dead-lettered confirmation does not keep its lead)", n, err)
	}
	if n, err := s.PurgeSpam(ctx, cutoff); err != nil || n != 1 {
		t.Errorf("PurgeSpam = %d, %v; want 1", n, err)
	}
	for name, b := range fileBytes(t, path) {
		for id, secret := range secrets {
			if i := bytes.Index(b, []byte(secret)); i >= 0 {
				t.Errorf("%s still holds %s's data after the purge, at byte %d", name, id, i)
			}
		}
	}
	if st := stats(t, s); st.Dead != 0 {
		t.Errorf("after the purge %d dead messages remain, want none: a requeue would send an empty email", st.Dead)
	}
}
