package mail

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
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
	f, err := os.CreateTemp(d.Path, ".tmp-*.eml")
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
