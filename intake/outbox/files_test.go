package outbox_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
)

// TestFilesArePrivate: the database and its -wal and -shm files are
// created readable by their owner only, even in a folder that others may
// enter (systemd's StateDirectory= is 0755 unless told otherwise), and an
// existing file that others may read is made private.
func TestFilesArePrivate(t *testing.T) {
	dir := t.TempDir()
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "outbox.db")
	now := t0
	s, _ := openAt(t, path, &now)
	enqueue(t, s, "ld_1", "", false) // the WAL and shared-memory files exist once written
	for _, name := range []string{"outbox.db", "outbox.db-wal", "outbox.db-shm"} {
		fi, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if perm := fi.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %04o, want 0600", name, perm)
		}
	}
	s.Close()
	os.Chmod(path, 0o644)
	s, _ = openAt(t, path, &now)
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o600 {
		t.Errorf("reopened: mode %04o, want 0600", fi.Mode().Perm())
	}
	s.Close()
}

// openAt opens the store at path, whose clock reads *now.
func openAt(t *testing.T, path string, now *time.Time) (*outbox.Store, string) {
	t.Helper()
	s, err := outbox.Open(context.Background(), path, outbox.WithClock(func() time.Time { return *now }))
	if err != nil {
		t.Fatal(err)
	}
	return s, path
}
