package pgtest_test

import (
	"context"
	"os"
	"testing"

	"github.com/consultahq/consulta/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// TestDatabase starts the server and gives two tests' worth of schemas:
// each sees only its own tables.
func TestDatabase(t *testing.T) {
	ctx := context.Background()
	srv := pgtest.Start(t)
	a, b := srv.Database(t), srv.Database(t)
	ca, err := pgx.Connect(ctx, a)
	if err != nil {
		t.Fatal(err)
	}
	defer ca.Close(ctx)
	if _, err := ca.Exec(ctx, `CREATE TABLE x (n int); INSERT INTO x VALUES (1)`); err != nil {
		t.Fatal(err)
	}
	cb, err := pgx.Connect(ctx, b)
	if err != nil {
		t.Fatal(err)
	}
	defer cb.Close(ctx)
	if _, err := cb.Exec(ctx, `SELECT * FROM x`); err == nil {
		t.Error("the second schema sees the first one's table")
	}
	var super bool
	var user string
	ca.QueryRow(ctx, `SELECT current_user, usesuper FROM pg_user WHERE usename = current_user`).Scan(&user, &super)
	if user != "postgres" || !super {
		t.Errorf("connected as %q (superuser %v), want postgres", user, super)
	}
}
