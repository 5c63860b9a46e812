package mail

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Dir writes each message as <ID>.eml into a folder, for running without
// a mail server. A file appears whole or not at all.
type Dir struct {
	Path string
}

// Send writes m to Path/<m.ID>.eml, replacing an earlier copy.
func (d Dir) Send(ctx context.Context, m Message) error {
	if m.ID == "" || strings.ContainsAny(m.ID, `/\`) || strings.HasPrefix(m.ID, ".") {
		return fmt.Errorf("write message: bad id %q", m.ID)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := os.MkdirAll(d.Path, 0o700); err != nil {
		return fmt.Errorf("write message %s: %w", m.ID, err)
	}
	f, err := os.CreateTemp(d.Path, tmpPrefix+"*.eml")
	if err != nil {
		return fmt.Errorf("write message %s: %w", m.ID, err)
	}
	defer os.Remove(f.Name()) // after a successful rename, there is nothing left to remove
	_, err = f.Write(m.Raw)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), filepath.Join(d.Path, m.ID+".eml"))
	}
	if err == nil {
		err = syncDir(d.Path)
	}
	if err != nil {
		return fmt.Errorf("write message %s: %w", m.ID, err)
	}
	return nil
}

func syncDir(path string) error {
	dir, err := os.Open(path)
	if err != nil {
		return err
	}
	defer dir.Close()
	return dir.Sync()
}

// tmpPrefix begins the name of a message while Send writes it.
const tmpPrefix = ".tmp-"

// writing is how long a message being written is left alone by Purge: a
// temporary file older than that was left by a crash, and is removed.
const writing = time.Minute

// Purge removes the messages written before cutoff, and returns how many:
// they hold personal data, kept no longer than the leads they came from.
// Files that are not messages are left alone, and so is a message Send is
// writing at the moment (a short retention must not pull it from under
// the rename).
func (d Dir) Purge(ctx context.Context, before time.Time) (int, error) {
	entries, err := os.ReadDir(d.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("purge messages: %w", err)
	}
	n := 0
	for _, e := range entries {
		if ctx.Err() != nil {
			return n, ctx.Err()
		}
		if !e.Type().IsRegular() || !strings.HasSuffix(e.Name(), ".eml") {
			continue
		}
		info, err := e.Info()
		if err != nil || !info.ModTime().Before(before) {
			continue
		}
		if strings.HasPrefix(e.Name(), tmpPrefix) && time.Since(info.ModTime()) < writing {
			continue // a message being written: Send renames it, or removes it when it fails
		}
		if err := os.Remove(filepath.Join(d.Path, e.Name())); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return n, fmt.Errorf("purge messages: %w", err)
		}
		n++
	}
	return n, nil
}
