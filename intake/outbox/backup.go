package outbox

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/consultahq/consulta/internal/newfile"
)

// Backup writes a consistent copy of the store to the file out while the
// service goes on taking leads and sending mail: SQLite's VACUUM INTO reads
// one snapshot, and in WAL mode it blocks no writer. The copy is written
// beside out, synced, and put in place with newfile.Place, so out is
// either whole or absent, and a file that appears at out meanwhile is
// never replaced. It holds personal data: it is created readable by its owner only.
// Backup refuses an out that exists, and a PostgreSQL store, which its
// own tools back up.
func (s *Store) Backup(ctx context.Context, out string) error {
	if s.path == "" {
		return errors.New("backup copies a SQLite store; back up PostgreSQL with its own tools (pg_dump, or continuous archiving)")
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("backup: %s exists; name a new file", out)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup: %w", err)
	}
	dir := filepath.Dir(out)
	f, err := os.CreateTemp(dir, "."+filepath.Base(out)+".*") // mode 0600; VACUUM INTO takes an empty file
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	tmp := f.Name()
	f.Close()
	defer os.Remove(tmp)                             // once placed, a no-op
	db, err := openSQLite(s.path, s.opt.busy, false) // a reader, but query_only refuses VACUUM
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	_, err = db.ExecContext(ctx, `VACUUM INTO ?`, tmp)
	db.Close()
	if err != nil {
		return fmt.Errorf("backup: copy %s: %w", out, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// A file may have appeared at out since the check: it is kept, and the
	// copy refused.
	if err := newfile.Place(tmp, out); errors.Is(err, fs.ErrExist) {
		return fmt.Errorf("backup: %s appeared during the copy; name a new file", out)
	} else if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	return nil
}

// syncFile flushes a file to disk.
func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
