package outbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
)

// TestMigrateFromRelease1 opens a file written by the first release
// (testdata/release1.sql) with today's program: the migrations bring its
// schema to what a new file gets, and every lead and message is kept.
func TestMigrateFromRelease1(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old := filepath.Join(dir, "outbox.db")
	script, err := os.ReadFile("testdata/release1.sql")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rawDB(t, old).Exec(string(script)); err != nil {
		t.Fatalf("write release 1's file: %v", err)
	}
	now := t0
	s, err := outbox.Open(ctx, old, outbox.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatalf("open release 1's file: %v", err)
	}
	defer s.Close()
	fresh, freshFile := open(t, &now)
	fresh.Close()
	if got, want := schema(t, rawDB(t, old)), schema(t, rawDB(t, freshFile)); got != want {
		t.Errorf("schema after migrating:\n%s\nwant, as a new file:\n%s", got, want)
	}

	if got := stats(t, s); got.Pending != 1 || got.Dead != 1 || got.Held != 1 {
		t.Errorf("stats = %+v, want 1 pending, 1 dead, 1 held", got)
	}
	msgs, err := s.Claim(ctx, now, 10)
	if err != nil || len(msgs) != 1 || msgs[0].ID != "ld_pending.coordinator" || msgs[0].Attempts != 1 ||
		!strings.HasPrefix(string(msgs[0].Raw), "Subject: a\r\n") {
		t.Fatalf("Claim = %+v, %v; want ld_pending.coordinator after 1 attempt", msgs, err)
	}
	if err := s.Done(ctx, msgs[0].ID); err != nil {
		t.Error(err)
	}
	if n, err := s.Requeue(ctx); err != nil || n != 1 {
		t.Errorf("Requeue = %d, %v; want the dead patient email", n, err)
	}
	if spam, err := s.Spam(ctx); err != nil || len(spam) != 1 || spam[0].ID != "ld_spam" || spam[0].Signals[0] != "honeypot" {
		t.Errorf("Spam = %+v, %v", spam, err)
	}
	l, m := newLead("ld_new", false)
	if id, dup, err := s.Enqueue(ctx, l, "key-sent", m); err != nil || !dup || id != "ld_sent" {
		t.Errorf("Enqueue with release 1's key = %q, %v, %v; want ld_sent, dup", id, dup, err)
	}
}

// schema describes db's tables, columns and indexes, one per line.
func schema(t *testing.T, db *sql.DB) string {
	t.Helper()
	rows, err := db.Query(`SELECT m.type, m.name, m.tbl_name, coalesce(group_concat(c.name || ' ' || c.type || ' ' || c."notnull" || ' ' || coalesce(c.dflt_value, '') || ' ' || c.pk, ', '), '')
		FROM sqlite_schema m LEFT JOIN pragma_table_info(m.name) c ON m.type = 'table'
		WHERE m.name NOT LIKE 'sqlite_%' GROUP BY m.type, m.name ORDER BY m.type, m.name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var b strings.Builder
	for rows.Next() {
		var typ, name, table, cols string
		if err := rows.Scan(&typ, &name, &table, &cols); err != nil {
			t.Fatal(err)
		}
		if typ == "index" {
			cols = indexColumns(t, db, name)
		}
		fmt.Fprintf(&b, "%s %s on %s: %s\n", typ, name, table, cols)
	}
	return b.String()
}

func indexColumns(t *testing.T, db *sql.DB, index string) string {
	t.Helper()
	var cols sql.NullString
	if err := db.QueryRow(`SELECT group_concat(name, ', ') FROM pragma_index_info(?)`, index).Scan(&cols); err != nil {
		t.Fatal(err)
	}
	return cols.String
}
