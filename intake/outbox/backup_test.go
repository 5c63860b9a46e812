package outbox_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/consultahq/consulta/intake/lead"
	"os"
	"path/filepath"
	"runtime"
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

// TestBackupNeverReplaces races Backup against a file that appears at OUT
// while the copy is being made: whoever comes second must lose. When the
// other file got there, it is still there, whole, and Backup said so.
func TestBackupNeverReplaces(t *testing.T) {
	ctx := context.Background()
	now := t0
	s, _ := open(t, &now)
	for i := range 20 {
		enqueue(t, s, fmt.Sprintf("ld_%d", i), fmt.Sprintf("k%d", i), false)
	}
	intruder := []byte("not the backup")
	raced := 0
	for try := range 30 {
		dir := t.TempDir()
		out := filepath.Join(dir, "copy.db")
		// The other file appears as soon as the copy has begun: when
		// Backup's temporary file is there.
		won, done := make(chan bool), make(chan struct{})
		go func() {
			for {
				var finished bool
				select {
				case <-done: // the backup is over: it has its answer, and OUT its file
					finished = true
				default:
				}
				if tmp, _ := filepath.Glob(filepath.Join(dir, ".copy.db.*")); len(tmp) > 0 || finished || try%3 == 0 {
					f, err := os.OpenFile(out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
					if err != nil {
						won <- false
						return
					}
					f.Write(intruder)
					f.Close()
					won <- true
					return
				}
				runtime.Gosched()
			}
		}()
		err := s.Backup(ctx, out)
		close(done)
		if !<-won {
			continue // the backup was there first
		}
		raced++
		if got, _ := os.ReadFile(out); !bytes.Equal(got, intruder) {
			t.Fatalf("try %d: Backup replaced a file that appeared at OUT during the copy (Backup said %v)", try, err)
		}
		if err == nil {
			t.Fatalf("try %d: Backup said it wrote OUT, but another file is there", try)
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
			t.Errorf("try %d: temporary files left: %v", try, left)
		}
	}
	if raced == 0 {
		t.Fatal("no try raced: the test tested nothing")
	}
}
