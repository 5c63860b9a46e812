// Package newfile puts files in place whole, and never in place of
// another: a file that appears at the same path first, even a moment
// before, is kept, and the one being placed is refused.
//
// It imports nothing of Consulta's.
package newfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Place moves the file tmp to path, unless something is at path already,
// in which case it returns an error that is fs.ErrExist and leaves both
// as they are. The check and the move are one step: a hard link, which
// the system refuses where path exists, then the removal of tmp. (A check
// before a rename would leave a moment in which another file could
// appear at path and be replaced.) tmp and path must be in one folder, or
// at least on one file system; the folder is synced, so that the move
// outlives a crash.
func Place(tmp, path string) error {
	if err := os.Link(tmp, path); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%s exists: %w", path, fs.ErrExist)
		}
		return err
	}
	if err := os.Remove(tmp); err != nil {
		return err
	}
	return syncDir(filepath.Dir(path))
}

// Write writes data to a new file at path, readable and writable as perm
// allows: into a temporary file beside it, synced, then put in place with
// Place. So path is whole or absent, never half written, and never a file
// that was there before (fs.ErrExist).
func Write(path string, data []byte, perm fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer os.Remove(tmp) // once placed, there is nothing left to remove
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	return Place(tmp, path)
}

// syncDir flushes a folder's entries to disk.
func syncDir(path string) error {
	d, err := os.Open(path)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
