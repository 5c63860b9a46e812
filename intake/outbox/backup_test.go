package outbox_test

import (
	"context"
	"github.com/consultahq/consulta/intake/lead"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
)

func TestBackup(t *testing.T) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	enqueue(t, s, "ld_1", "k1", false)
	enqueue(t, s, "ld_2", "k2", true)
	out := filepath.Join(t.TempDir(), "copy.db")
	if err := s.Backup(ctx, out); err != nil {
		t.Fatal(err)
	}
	enqueue(t, s, "ld_after", "k3", false) // not in the copy
	if fi, err := os.Stat(out); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("backup file: %v, %v; want mode 0600", fi, err)
	}
	c, err := outbox.Open(ctx, out, outbox.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if got := stats(t, c); got.Pending != 2 || got.Held != 2 {
		t.Errorf("copy holds %+v, want 2 pending, 2 held", got)
	}
	l, msgs := newLead("ld_again", false)
	if id, dup, err := c.Enqueue(ctx, lead.Start(l), "k1", msgs); err != nil || !dup || id != "ld_1" {
		t.Errorf("copy forgot key k1: %q, %v, %v", id, dup, err)
	}
	if err := s.Backup(ctx, out); err == nil {
		t.Error("Backup overwrote an existing file")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
