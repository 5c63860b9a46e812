package outbox_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
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

// TestPurgeBlanksEveryColumn: on both stores, once a lead composed at
// delivery is purged, no column of any row of its tables holds what the
// patient or their client sent: not the recipient of its confirmation,
// not a mail server's error naming that address, not the idempotency key.
func TestPurgeBlanksEveryColumn(t *testing.T) { eachStore(t, testPurgeBlanksEveryColumn) }

func testPurgeBlanksEveryColumn(t *testing.T, open opener) {
	ctx := context.Background()
	now := t0
	s, db := open(t, &now)
	const mark = "qzmcolumn"
	l, msgs := newLead("ld_cols", false)
	l.Email, l.LastName = mark+"mail@"+mark+"dom.example", mark+"last"
	for i := range msgs {
		msgs[i].Raw = nil // composed at delivery, as the service does
		if msgs[i].Kind == "patient" {
			msgs[i].To = []string{l.Email}
		}
	}
	if _, _, err := s.Enqueue(ctx, lead.Start(l), mark+"idem", msgs); err != nil {
		t.Fatal(err)
	}
	claimed, err := s.Claim(ctx, now, 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range claimed {
		if m.Kind == "patient" {
			s.Dead(ctx, m.ID, errors.New("550 5.1.1 <"+l.Email+">: Recipient address rejected"))
		} else {
			s.Done(ctx, m.ID)
		}
	}
	if got := rowsHolding(t, db, mark); len(got) == 0 {
		t.Fatal("no row holds the lead before the purge: the test would prove nothing")
	}
	now = t0.Add(31 * 24 * time.Hour)
	if n, err := s.PurgeDelivered(ctx, now.Add(-30*24*time.Hour)); n != 1 || err != nil && !errors.Is(err, outbox.ErrLogKept) {
		t.Fatalf("PurgeDelivered = %d, %v; want 1", n, err)
	}
	if got := rowsHolding(t, db, mark); len(got) > 0 {
		t.Errorf("after the purge, rows still hold the patient's data: %v", got)
	}
}

// rowsHolding returns "table: row" for each row of the store's tables of
// leads and messages, any column of which, as text, holds mark.
func rowsHolding(t *testing.T, db *sql.DB, mark string) []string {
	t.Helper()
	var out []string
	for _, table := range []string{"leads", "messages", "lead_events", "steps"} {
		rows, err := db.Query(`SELECT * FROM ` + table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				if b, ok := v.([]byte); ok {
					vals[i] = string(b)
				}
			}
			line := fmt.Sprint(vals...)
			if strings.Contains(line, mark) {
				out = append(out, table+": "+line)
			}
		}
		rows.Close()
	}
	return out
}
