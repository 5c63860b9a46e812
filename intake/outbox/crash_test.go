package outbox_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"github.com/consultahq/consulta/intake/lead"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/pgtest"
)

// TestCrashSafety kills a process that is enqueuing leads with SIGKILL and
// checks that every Enqueue that returned before the kill is stored: in a
// SQLite file, and in PostgreSQL.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "outbox.db")
		crash(t, "OUTBOX_CRASH_DB="+path, func() *sql.DB { return rawDB(t, path) })
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.Start(t).Database(t)
		crash(t, "OUTBOX_CRASH_PG="+url, func() *sql.DB {
			db, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
}

// crash runs the child with env, kills it once it has acknowledged 500
// leads, and checks each acknowledged lead in the database that open opens.
func crash(t *testing.T, env string, open func() *sql.DB) {
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), env)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := map[string]bool{}
	lines := bufio.NewScanner(out)
	for lines.Scan() {
		acked[lines.Text()] = true
		if len(acked) == 500 {
			cmd.Process.Signal(syscall.SIGKILL)
		}
	}
	err = cmd.Wait()
	if len(acked) < 500 {
		t.Fatalf("child acknowledged %d leads before exiting (%v), want at least 500", len(acked), err)
	}
	db := open()
	stored := map[string]bool{}
	rows, err := db.Query(`SELECT id FROM leads`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		rows.Scan(&id)
		stored[id] = true
	}
	rows.Close()
	for id := range acked {
		if !stored[id] {
			t.Errorf("lead %s was acknowledged but is not stored", id)
		}
	}
	t.Logf("%d acknowledged, %d stored", len(acked), len(stored))
}

// TestMain runs the test binary as the child process of TestCrashSafety
// when OUTBOX_CRASH_DB names the SQLite file to fill, or OUTBOX_CRASH_PG
// the PostgreSQL database.
func TestMain(m *testing.M) {
	path, url := os.Getenv("OUTBOX_CRASH_DB"), os.Getenv("OUTBOX_CRASH_PG")
	if path != "" || url != "" {
		if err := crashChild(path, url); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// crashChild enqueues leads into the SQLite file at path, or else the
// PostgreSQL database at url, from several goroutines until killed,
// printing each id once Enqueue has returned.
func crashChild(path, url string) error {
	open := func() (*outbox.Store, error) { return outbox.Open(context.Background(), path) }
	if path == "" {
		open = func() (*outbox.Store, error) { return outbox.OpenPostgres(context.Background(), url) }
	}
	s, err := open()
	if err != nil {
		return err
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	errc := make(chan error, 8)
	deadline := time.Now().Add(20 * time.Second)
	for g := range 8 {
		wg.Go(func() {
			for i := 0; time.Now().Before(deadline); i++ {
				id := fmt.Sprintf("ld_%d_%d", g, i)
				l, msgs := newLead(id, false)
				if _, _, err := s.Enqueue(context.Background(), lead.Start(l), id, msgs); err != nil {
					errc <- err
					return
				}
				mu.Lock()
				fmt.Fprintln(os.Stdout, id)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	close(errc)
	return <-errc
}
