package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// TestUpgradeStepsFromSQLite3 opens a SQLite file at schema version 3,
// as the releases with the response clock left it (release 1's file and
// the upgrades to 3), holding a lead at each point of its clock: each
// lead's next step becomes a step of the kind it was waiting for, and a
// lead with nothing left to do gets none.
func TestUpgradeStepsFromSQLite3(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "outbox.db")
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	script, err := os.ReadFile("testdata/release1.sql")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{string(script), sqlite.upgrades[1], sqlite.upgrades[2], `PRAGMA user_version = 3`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	next := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	for _, l := range []struct{ id, state, step string }{
		{"ld_due", "new", ""},                     // waiting for its reminder
		{"ld_reminded", "new", "reminder"},        // for its escalation
		{"ld_contacted", "contacted", ""},         // for its follow-up
		{"ld_followed", "contacted", "follow_up"}, // nothing left: dropped at the next tick
	} {
		if _, err := db.Exec(`INSERT INTO leads (id, received, data, state, step, next_step_at) VALUES ($1, $2, '{}', $3, $4, $5)`,
			l.id, next.Add(-time.Hour).UnixMilli(), l.state, l.step, next.UnixMilli()); err != nil {
			t.Fatal(err)
		}
	}
	s, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got := map[string]string{}
	for _, id := range []string{"ld_due", "ld_reminded", "ld_contacted", "ld_followed", "ld_pending"} {
		l, err := s.Lead(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		got[id] = fmt.Sprint(l.Steps)
	}
	at := next.Format("2006-01-02 15:04:05 +0000 UTC")
	for id, want := range map[string]string{
		"ld_due": "[{reminder " + at + " }]", "ld_reminded": "[{escalation " + at + " }]",
		"ld_contacted": "[{follow_up " + at + " }]", "ld_followed": "[]", "ld_pending": "[]",
	} {
		if got[id] != want {
			t.Errorf("%s: steps %s, want %s", id, got[id], want)
		}
	}
	if n, ok, err := s.NextStep(ctx); err != nil || !ok || !n.Equal(next) {
		t.Errorf("NextStep = %s, %v, %v", n, ok, err)
	}
}
