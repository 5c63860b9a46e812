package outbox_test

import (
	"bufio"
	"context"
	"fmt"
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
// checks that every Enqueue that returned before the kill is in the file.
func TestCrashSafety(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "outbox.db")
	cmd := exec.Command(os.Args[0])
	cmd.Env = append(os.Environ(), "OUTBOX_CRASH_DB="+path)
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

	s, err := outbox.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	db := rawDB(t, path)
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
// when OUTBOX_CRASH_DB names the database to fill.
func TestMain(m *testing.M) {
	if path := os.Getenv("OUTBOX_CRASH_DB"); path != "" {
		if err := crashChild(path); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// crashChild enqueues leads from several goroutines until killed, printing
// each id once Enqueue has returned.
func crashChild(path string) error {
	s, err := outbox.Open(context.Background(), path)
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
				if _, _, err := s.Enqueue(context.Background(), l, id, msgs); err != nil {
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
