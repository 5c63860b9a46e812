package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// Open opens or creates the outbox database in the SQLite file at path, for
// one instance of the service, applies pending schema migrations, and
// starts the group-commit writer. Close releases it.
//
// Every connection runs in WAL mode with synchronous=FULL (a commit is on
// disk before Enqueue returns) and secure_delete (a purge overwrites what
// it removes); the files are readable by their owner only.
func Open(ctx context.Context, path string, opts ...Option) (*Store, error) {
	o := defaults(opts)
	if err := private(path); err != nil {
		return nil, err
	}
	w, err := openSQLite(path, o.busy, false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	r, err := openSQLite(path, o.busy, true)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	s := &Store{w: w, r: r, f: sqlite, opt: o, path: path}
	return s.start(ctx)
}

// private creates the database file at path readable and writable by its
// owner only, before SQLite opens it: SQLite gives the -wal and -shm files
// the mode of the database's. An existing file that others may read is
// made private.
func private(path string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("open %s: %w", path, err)
	}
	f.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		fi, err := os.Stat(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err == nil && fi.Mode().Perm()&0o077 != 0 {
			err = os.Chmod(p, 0o600)
		}
		if err != nil {
			return fmt.Errorf("make %s private: %w", p, err)
		}
	}
	return nil
}

// openSQLite opens path with the durability settings every connection
// needs: WAL, synchronous=FULL, a busy timeout, foreign keys,
// secure_delete (what is deleted is overwritten), and IMMEDIATE write
// transactions (so that a reader never has to upgrade its lock).
func openSQLite(path string, busy time.Duration, readOnly bool) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+fmt.Sprint(busy.Milliseconds())+")")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "foreign_keys(ON)")
	q.Add("_pragma", "secure_delete(ON)") // a purge overwrites what it removes: see purge.go
	if readOnly {
		q.Add("_pragma", "query_only(ON)")
	} else {
		q.Set("_txlock", "immediate")
	}
	db, err := sql.Open("sqlite", "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return db, nil
}
