package outbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"github.com/consultahq/consulta/intake/lead"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/pgtest"
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
	if id, dup, err := s.Enqueue(ctx, lead.Start(l), "key-sent", m); err != nil || !dup || id != "ld_sent" {
		t.Errorf("Enqueue with release 1's key = %q, %v, %v; want ld_sent, dup", id, dup, err)
	}
}

// schema describes db's tables, columns, checks, foreign keys and
// indexes, one per line.
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
		if typ == "table" {
			fmt.Fprintf(&b, "  checks: %s\n  references: %s\n", checks(t, db, name), references(t, db, name))
		}
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

// checks lists the CHECK constraints of table, as written.
func checks(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var create string
	if err := db.QueryRow(`SELECT sql FROM sqlite_schema WHERE name = ?`, table).Scan(&create); err != nil {
		t.Fatal(err)
	}
	return strings.Join(regexp.MustCompile(`CHECK \([^()]*(\([^()]*\))?[^()]*\)`).FindAllString(create, -1), "; ")
}

// references lists the foreign keys of table.
func references(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	var refs sql.NullString
	if err := db.QueryRow(`SELECT group_concat("from" || ' → ' || "table" || '(' || "to" || ')', ', ')
		FROM pragma_foreign_key_list(?)`, table).Scan(&refs); err != nil {
		t.Fatal(err)
	}
	return refs.String
}

// TestMigratePostgres opens a database written by the first release that
// kept leads in PostgreSQL (testdata/postgres1.sql) with today's program:
// its schema becomes what a new database gets, and every lead, message
// and step is kept.
func TestMigratePostgres(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.Start(t)
	oldURL, freshURL := srv.Database(t), srv.Database(t)
	script, err := os.ReadFile("testdata/postgres1.sql")
	if err != nil {
		t.Fatal(err)
	}
	old, err := sql.Open("pgx", oldURL)
	if err != nil {
		t.Fatal(err)
	}
	defer old.Close()
	if _, err := old.ExecContext(ctx, string(script)); err != nil {
		t.Fatalf("write the first release's database: %v", err)
	}
	now := t0
	s, err := outbox.OpenPostgres(ctx, oldURL, outbox.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatalf("open the first release's database: %v", err)
	}
	defer s.Close()
	fresh, err := outbox.OpenPostgres(ctx, freshURL)
	if err != nil {
		t.Fatal(err)
	}
	fresh.Close()
	freshDB, err := sql.Open("pgx", freshURL)
	if err != nil {
		t.Fatal(err)
	}
	defer freshDB.Close()
	if got, want := pgSchema(t, old), pgSchema(t, freshDB); got != want {
		t.Errorf("schema after migrating:\n%s\nwant, as a new database:\n%s", got, want)
	}
	if got := stats(t, s); got.Pending != 1 || got.Dead != 1 || got.Held != 1 {
		t.Errorf("stats = %+v, want 1 pending, 1 dead, 1 held", got)
	}
	if due, err := s.DueSteps(ctx, time.UnixMilli(1795782600000), 10); err != nil || len(due) != 2 {
		t.Errorf("DueSteps = %+v, %v; want the new lead's and the reminded lead's", due, err)
	}
	l, m := newLead("ld_again", false)
	if id, dup, err := s.Enqueue(ctx, lead.Start(l), "key-reminded", m); err != nil || !dup || id != "ld_reminded" {
		t.Errorf("Enqueue with the old key = %q, %v, %v; want ld_reminded, dup", id, dup, err)
	}
}

// pgSchema describes the tables, columns, constraints and indexes of the
// schema that db's connections use, one per line, without the schema's
// name.
func pgSchema(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b strings.Builder
	for _, q := range []string{
		`SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' || is_nullable || ' ' || coalesce(column_default, '')
			FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
		`SELECT 'constraint ' || conrelid::regclass::text || ' ' || contype::text || ' ' || pg_get_constraintdef(oid)
			FROM pg_constraint WHERE connamespace = current_schema()::regnamespace ORDER BY 1`,
		`SELECT 'index ' || indexname || ' ' || replace(indexdef, current_schema() || '.', '')
			FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname`,
	} {
		rows, err := db.Query(q)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var line string
			if err := rows.Scan(&line); err != nil {
				t.Fatal(err)
			}
			b.WriteString(line + "\n")
		}
		rows.Close()
	}
	return b.String()
}

// TestMigrateSources: the leads a release before kept with what the
// patient typed as their source keep only a category once migrated, on
// both stores.
func TestMigrateSources(t *testing.T) {
	cases := []struct{ source, data, want string }{
		{"my friend Siobhan, who had her breasts done with you", `{"source":"my friend Siobhan, who had her breasts done with you"}`, "other"},
		{"siobhan", `{"source":"siobhan"}`, "other"}, // the patient's own word, not a campaign's
		{"search engine", `{"source":"search engine"}`, "Search engine"},
		{"Newsletter", `{"source":"","attribution":{"utm_source":"Newsletter"}}`, "newsletter"},
		{"google.com", `{"source":"x","attribution":{"referrer":"https://www.google.com/"}}`, "google.com"},
		{"=HYPERLINK(\"x\")", `{"source":"","attribution":{"utm_source":"=HYPERLINK(\"x\")"}}`, "other"},
		{"meta-ads", `{"attribution":{"fbclid":"x"}}`, "meta-ads"},
		{"direct", `{"source":""}`, "direct"},
		{"my friend Siobhan", ``, "other"}, // purged
		{"instagram", ``, "instagram"},     // purged, a token: kept
		{"", `{}`, ""},
	}
	check := func(t *testing.T, db *sql.DB) {
		for i, c := range cases {
			var got string
			if err := db.QueryRow(`SELECT source FROM leads WHERE id = $1`, fmt.Sprintf("ld_%d", i)).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Errorf("%q: source %q after migrating, want %q", c.source, got, c.want)
			}
		}
	}
	insert := func(t *testing.T, db *sql.DB) {
		for i, c := range cases {
			if _, err := db.Exec(`INSERT INTO leads (id, received, data, source) VALUES ($1, 0, $2, $3)`,
				fmt.Sprintf("ld_%d", i), c.data, c.source); err != nil {
				t.Fatal(err)
			}
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		now := t0
		s, path := open(t, &now)
		s.Close()
		db := rawDB(t, path)
		insert(t, db)
		withoutJourneys(t, db)
		downgradeLeadPage(t, db)
		if _, err := db.Exec(`PRAGMA user_version = 4`); err != nil {
			t.Fatal(err)
		}
		again, err := outbox.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		again.Close()
		check(t, db)
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Start(t).Database(t)
		s, err := outbox.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		s.Close()
		db, err := sql.Open("pgx", url)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		insert(t, db)
		withoutJourneys(t, db)
		downgradeLeadPage(t, db)
		if _, err := db.Exec(`UPDATE consulta_schema SET version = 3`); err != nil {
			t.Fatal(err)
		}
		again, err := outbox.OpenPostgres(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		again.Close()
		check(t, db)
	})
}

// downgradeLeadPage takes db, made by this program, back to the schema
// before the lead page's step (SQLite 6, PostgreSQL 5), so that a test
// may run the steps from an earlier version again.
func downgradeLeadPage(t *testing.T, db *sql.DB) {
	t.Helper()
	stmts := []string{`DROP INDEX leads_email_key`, `DROP INDEX leads_phone_key`, `ALTER TABLE steps DROP COLUMN payload`}
	for _, col := range []string{"claimed_name", "first_call_at", "calls", "last_call", "attached_to", "email_key", "phone_key"} {
		stmts = append(stmts, `ALTER TABLE leads DROP COLUMN `+col)
	}
	for _, col := range []string{"name", "note", "detail", "prior", "undone_at"} {
		stmts = append(stmts, `ALTER TABLE lead_events DROP COLUMN `+col)
	}
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// withoutJourneys takes a database of the current schema back to the
// schema before the journeys' upgrade, for a test of an earlier upgrade.
func withoutJourneys(t *testing.T, db *sql.DB) {
	t.Helper()
	for _, q := range []string{`DROP TABLE journey_steps`, `DROP TABLE journeys`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}
