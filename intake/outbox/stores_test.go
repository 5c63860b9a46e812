package outbox_test

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/pgtest"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql for PostgreSQL: the tests look at what the store wrote
)

// store is what the suite tests: the outbox and the lead lifecycle beside
// it, in either flavour.
type store = *outbox.Store

// opener opens a new, empty store whose clock reads *now and whose claims
// last a minute, and a plain connection to the same database, to look at
// what the store wrote.
type opener func(t testing.TB, now *time.Time) (store, *sql.DB)

// eachStore runs test against each implementation of the store: SQLite
// always, and a real PostgreSQL that the tests start (pgtest).
func eachStore(t *testing.T, test func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) { test(t, openSQLite) })
	t.Run("postgres", func(t *testing.T) { test(t, openPostgres) })
}

func openSQLite(t testing.TB, now *time.Time) (store, *sql.DB) {
	t.Helper()
	s, path := open(t, now)
	return s, rawDB(t, path)
}

func openPostgres(t testing.TB, now *time.Time) (store, *sql.DB) {
	t.Helper()
	url := pgtest.Start(t).Database(t)
	s, err := outbox.OpenPostgres(context.Background(), url,
		outbox.WithClock(func() time.Time { return *now }), outbox.WithLease(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return s, db
}

// open opens a SQLite store in a fresh file whose clock reads *now.
func open(t testing.TB, now *time.Time) (*outbox.Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "outbox.db")
	s, err := outbox.Open(context.Background(), path,
		outbox.WithClock(func() time.Time { return *now }), outbox.WithLease(time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, path
}

// rawDB opens a SQLite store's file directly, to look at what it wrote.
func rawDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}
