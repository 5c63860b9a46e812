package newfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"testing"
)

// TestPlaceRace: many files placed at one path at once: exactly one gets
// there, whole, and every other is refused with fs.ErrExist.
func TestPlaceRace(t *testing.T) {
	for try := range 20 {
		dir := t.TempDir()
		path := filepath.Join(dir, "out")
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			tmp := filepath.Join(dir, fmt.Sprintf(".tmp%d", i))
			if err := os.WriteFile(tmp, []byte(fmt.Sprint(i)), 0o600); err != nil {
				t.Fatal(err)
			}
			wg.Go(func() { errs[i] = Place(tmp, path) })
		}
		wg.Wait()
		winner := -1
		for i, err := range errs {
			switch {
			case err == nil && winner >= 0:
				t.Fatalf("try %d: both %d and %d were placed", try, winner, i)
			case err == nil:
				winner = i
			case !errors.Is(err, fs.ErrExist):
				t.Fatalf("try %d: %d: %v, want fs.ErrExist", try, i, err)
			}
		}
		got, _ := os.ReadFile(path)
		if winner < 0 || string(got) != fmt.Sprint(winner) {
			t.Fatalf("try %d: path holds %q, placed %d", try, got, winner)
		}
		if _, err := os.Stat(filepath.Join(dir, fmt.Sprintf(".tmp%d", winner))); !errors.Is(err, fs.ErrNotExist) {
			t.Errorf("try %d: the placed file is still at its temporary name", try)
		}
	}
}

// TestWrite: a new file, whole, with its mode; an existing one is kept.
func TestWrite(t *testing.T) {
	path := filepath.Join(t.TempDir(), "secret")
	if err := Write(path, []byte("first"), 0o600); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("%v, %v; want mode 0600", fi, err)
	}
	if err := Write(path, []byte("second"), 0o600); !errors.Is(err, fs.ErrExist) {
		t.Errorf("Write over an existing file: %v, want fs.ErrExist", err)
	}
	if got, _ := os.ReadFile(path); string(got) != "first" {
		t.Errorf("the file holds %q, want the first", got)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}
