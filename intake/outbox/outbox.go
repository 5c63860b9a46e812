// Package outbox keeps consultation requests and the emails they produce
// durably until every email has reached its mailbox: in a SQLite file
// (Open, the default) or in PostgreSQL (OpenPostgres, for several
// instances of the service). Both implement Store.
//
// A lead and its messages are written in one transaction; concurrent calls
// to Enqueue share one transaction and one fsync (group commit), and each
// caller is answered only after its batch has committed. The delivery worker
// then claims due messages, and marks each one sent, retried or dead.
//
// Messages move through these states:
//
//	pending → sending → sent
//	            ↓  ↑
//	           dead (Requeue) · held (suspected spam; ReleaseLead)
//
// Nothing undelivered is ever deleted, except suspected spam by PurgeSpam.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"sync/atomic"
	"time"

	_ "modernc.org/sqlite" // the pure-Go SQLite driver
)

// Message states.
const (
	Pending = "pending" // waiting for its next attempt
	Sending = "sending" // claimed by a worker, until its lease runs out
	Sent    = "sent"    // accepted by the mail server
	Dead    = "dead"    // refused permanently; Requeue sends it again
	Held    = "held"    // suspected spam; ReleaseLead sends it
)

// ErrClosed is returned by Enqueue after Close.
var ErrClosed = errors.New("outbox: store closed")

// ErrNotFound is returned when an id names no lead or message in a state
// that the operation applies to.
var ErrNotFound = errors.New("outbox: not found")

// SQLite is an outbox in a SQLite file, for one instance of the service.
// Its methods are safe for concurrent use.
type SQLite struct {
	path string
	w    *sql.DB // the one writing connection
	r    *sql.DB // readers (WAL lets them run beside the writer)
	opt  options
	*group
	waker
	unwiped atomic.Bool // a purge's wipe failed: the next purge wipes again
}

type options struct {
	now      func() time.Time
	lease    time.Duration
	maxBatch int
	busy     time.Duration
}

// Option changes a default of Open.
type Option func(*options)

// WithClock sets the clock used for timestamps (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithLease sets how long a claimed message stays claimed before another
// Claim may take it again, as after a crash mid-send (default 5 minutes).
// Keep it longer than the delivery worker's send timeout.
func WithLease(d time.Duration) Option { return func(o *options) { o.lease = d } }

// WithMaxBatch caps how many Enqueue calls share one transaction (default 256).
func WithMaxBatch(n int) Option { return func(o *options) { o.maxBatch = n } }

// WithBusyTimeout sets how long to wait for another process's lock (default 10s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busy = d } }

// defaults returns the options with opts applied.
func defaults(opts []Option) options {
	o := options{now: time.Now, lease: 5 * time.Minute, maxBatch: 256, busy: 10 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	return o
}

// Open opens or creates the outbox database at path, applies pending schema
// migrations, and starts the group-commit writer. Close releases it.
func Open(ctx context.Context, path string, opts ...Option) (*SQLite, error) {
	o := defaults(opts)
	if err := private(path); err != nil {
		return nil, err
	}
	w, err := openDB(path, o.busy, false)
	if err != nil {
		return nil, err
	}
	w.SetMaxOpenConns(1)
	w.SetConnMaxIdleTime(0)
	if err := migrate(ctx, w); err != nil {
		w.Close()
		return nil, fmt.Errorf("migrate %s: %w", path, err)
	}
	r, err := openDB(path, o.busy, true)
	if err != nil {
		w.Close()
		return nil, err
	}
	r.SetMaxOpenConns(4)
	s := &SQLite{path: path, w: w, r: r, opt: o}
	s.group = startGroup(o.maxBatch, s.insertBatch, s.signal)
	return s, nil
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

// openDB opens path with the durability settings every connection needs:
// WAL, synchronous=FULL, a busy timeout, foreign keys, secure_delete (what
// is deleted is overwritten), and IMMEDIATE write transactions (so that a
// reader never has to upgrade its lock).
func openDB(path string, busy time.Duration, readOnly bool) (*sql.DB, error) {
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

// Close stops the writer after the Enqueue calls already received, and
// closes the database.
func (s *SQLite) Close() error {
	s.group.stop()
	return errors.Join(s.w.Close(), s.r.Close())
}

// ms is the stored form of a time: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// update runs fn in one write transaction.
func (s *SQLite) update(ctx context.Context, what string, fn func(*sql.Tx) error) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("%s: begin: %w", what, err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return fmt.Errorf("%s: %w", what, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("%s: commit: %w", what, err)
	}
	return nil
}
