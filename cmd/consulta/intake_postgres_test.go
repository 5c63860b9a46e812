package main

import (
	"context"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/mailpit"
	"github.com/consultahq/consulta/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// TestTwoInstancesOnPostgres runs two intake services on one PostgreSQL
// and one Mailpit, streams leads to both, and kills one with SIGKILL in
// the middle. Every lead answered 202, by either, reaches Mailpit: the
// survivor sends what the dead one had stored, and, once their lease has
// run out, what it was sending. An email reaches Mailpit twice only if it
// was being sent at the kill; the test reports how many did.
func TestTwoInstancesOnPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	ctx := context.Background()
	db := pgtest.Start(t).Database(t)
	mp := mailpit.Start(t)
	site, _ := filepath.Abs("../..")
	env := []string{"CONSULTA_SMTP_URL=smtp://" + mp.SMTP + "?tls=none", "CONSULTA_DATABASE_URL=" + db,
		"CONSULTA_FORM_SECRET=" + strings.Repeat("s3cret", 8)}
	const lease = 4 * time.Second
	args := []string{"-s", site, "--addr", "127.0.0.1:0", "--rate-every", "1ms", "--rate-burst", "100000",
		"--lease", lease.String()}
	a := startIntake(t, env, append(args, "--data", filepath.Join(t.TempDir(), "data"))...)
	b := startIntake(t, env, append(args, "--data", filepath.Join(t.TempDir(), "data"))...)

	toA := streamLeads(a.url, 2, 300)
	toB := streamLeads(b.url, 2, 300)
	toA.waitFor(t, 60)
	toB.waitFor(t, 60)
	a.cmd.Process.Signal(syscall.SIGKILL)
	a.cmd.Wait()
	inFlight := sending(t, db) // what either instance was sending at the kill
	toA.stop()
	toB.waitFor(t, len(toB.accepted())+30) // the survivor goes on taking leads
	toB.stop()
	accepted := append(toA.accepted(), toB.accepted()...)

	wait, cancel := context.WithTimeout(ctx, 90*time.Second)
	defer cancel()
	if missing := waitDelivered(wait, mp, accepted); len(missing) > 0 {
		t.Fatalf("%d emails of the %d leads answered 202 are not in Mailpit: %v\nsurvivor's log:\n%s",
			len(missing), len(accepted), missing, b.logs)
	}
	got, err := mp.MessageIDs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var twice []string
	for id, n := range got {
		if n > 1 {
			twice = append(twice, id)
			if !inFlight[id] {
				t.Errorf("%s reached Mailpit %d times but was not being sent at the kill", id, n)
			}
		}
	}
	// The commands reach the same database.
	if out, err := intakeCmd(t, "requeue", "--database", db); err != nil || !strings.Contains(out, "requeued 0 emails") {
		t.Errorf("requeue --database: %v\n%s", err, out)
	}
	if out, err := intakeCmd(t, "spam", "--database", db); err != nil || !strings.Contains(out, "no suspected spam") {
		t.Errorf("spam --database: %v\n%s", err, out)
	}
	if out, err := intakeCmd(t, "report", "--database", db, "--format", "csv"); err != nil || strings.Count(out, "\n") < len(accepted) {
		t.Errorf("report --database: %v; want a line for each of %d leads:\n%s", err, len(accepted), out)
	}
	sort.Strings(twice)
	t.Logf("%d leads answered 202 (%d by the killed instance); %d emails were being sent at the kill; %d reached Mailpit twice %v",
		len(accepted), len(toA.accepted()), len(inFlight), len(twice), twice)
}

// sending returns the Message-IDs of the emails claimed for sending now.
func sending(t *testing.T, url string) map[string]bool {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, `SELECT message_id FROM messages WHERE state = 'sending'`)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, id := range ids {
		out[strings.Trim(id, "<>")] = true
	}
	return out
}

// TestDatabasePasswordNotShown checks that -help, which prints the flags'
// defaults, shows CONSULTA_DATABASE_URL without its password.
func TestDatabasePasswordNotShown(t *testing.T) {
	getenv := func(k string) string {
		if k == "CONSULTA_DATABASE_URL" {
			return "postgres://consulta:hunter2@db.internal/consulta"
		}
		return ""
	}
	for _, args := range [][]string{{"intake", "-help"}, {"intake", "requeue", "-help"}} {
		var out strings.Builder
		run(context.Background(), args, getenv, strings.NewReader(""), &out, &out)
		if strings.Contains(out.String(), "hunter2") || !strings.Contains(out.String(), "postgres://consulta:xxxxx@db.internal/consulta") {
			t.Errorf("%v shows:\n%s", args, out.String())
		}
	}
}
