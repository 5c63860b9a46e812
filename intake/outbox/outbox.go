// Package outbox keeps consultation requests and the emails they produce
// durably until every email has reached its mailbox. It is one store over
// database/sql in two SQL flavours: a SQLite file (Open, the default, for
// one instance of the service) or PostgreSQL (OpenPostgres, for several
// instances sharing one database). The SQL that differs between them is
// kept in a flavour value (flavour.go); everything else is written once.
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
//
// The store keeps what it is given: the lead, its state and steps as the
// domain (package lead) decided them, and each message as planned. It
// composes no email and decides nothing.
package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
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

// Store is an outbox in SQLite (Open) or PostgreSQL (OpenPostgres). Both
// keep the same promises: Enqueue returns after the lead and its messages
// have committed together, a claimed message belongs to one worker until
// its lease ends, and nothing undelivered is deleted except spam by
// PurgeSpam. Its methods are safe for concurrent use.
type Store struct {
	w   *sql.DB // writes: SQLite's one writing connection, or PostgreSQL's pool
	r   *sql.DB // reads: SQLite's readers (WAL lets them run beside the writer), or w
	f   flavour
	opt options
	*group
	waker

	path        string      // SQLite: the database file, for Backup
	unwiped     atomic.Bool // a purge's wipe failed; the next purge wipes again
	logKeptSaid atomic.Bool // ErrLogKept was logged
	stop        func()      // ends what the flavour started besides the databases (PostgreSQL's listener)
}

type options struct {
	now      func() time.Time
	lease    time.Duration
	maxBatch int
	busy     time.Duration
}

// Option changes a default of Open and OpenPostgres.
type Option func(*options)

// WithClock sets the clock used for timestamps (default time.Now).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// DefaultLease is how long a claimed message stays claimed when WithLease
// is not given.
const DefaultLease = 5 * time.Minute

// WithLease sets how long a claimed message stays claimed before another
// Claim may take it again, as after a crash mid-send (default
// DefaultLease). Keep it longer than the delivery worker's send timeout.
func WithLease(d time.Duration) Option { return func(o *options) { o.lease = d } }

// WithMaxBatch caps how many Enqueue calls share one transaction (default
// 256, at most 500).
func WithMaxBatch(n int) Option { return func(o *options) { o.maxBatch = n } }

// WithBusyTimeout sets how long SQLite waits for another process's lock
// (default 10s).
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busy = d } }

// defaults returns the options with opts applied.
func defaults(opts []Option) options {
	o := options{now: time.Now, lease: DefaultLease, maxBatch: 256, busy: 10 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	o.maxBatch = min(max(o.maxBatch, 1), maxRows)
	return o
}

// start migrates the schema and starts the group-commit writer of a store
// whose databases and flavour are set; it closes them if it fails.
func (s *Store) start(ctx context.Context) (*Store, error) {
	if err := s.migrate(ctx); err != nil {
		s.closeDBs()
		return nil, fmt.Errorf("migrate %s schema: %w", s.f.name, err)
	}
	s.group = startGroup(s.opt.maxBatch, s.insertBatch, s.signal)
	return s, nil
}

// Close stops the writer after the Enqueue calls already received, and
// closes the database.
func (s *Store) Close() error {
	s.group.stop()
	if s.stop != nil {
		s.stop()
	}
	return s.closeDBs()
}

func (s *Store) closeDBs() error {
	if s.r != s.w {
		return errors.Join(s.w.Close(), s.r.Close())
	}
	return s.w.Close()
}

// ms is the stored form of a time: Unix milliseconds.
func ms(t time.Time) int64 { return t.UnixMilli() }

// nullMS is t as Unix ms, or NULL when t is zero.
func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}

// fromMS is the time of a nullable Unix ms column; zero when NULL.
func fromMS(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMilli(v.Int64).UTC()
}

// tx runs fn in one write transaction.
func (s *Store) tx(ctx context.Context, what string, fn func(*sql.Tx) error) error {
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

// announce tells the delivery workers of every instance, once tx commits,
// that messages are due: a NOTIFY where instances share the database.
func (s *Store) announce(ctx context.Context, tx *sql.Tx) error {
	if s.f.notify == "" {
		return nil
	}
	_, err := tx.ExecContext(ctx, s.f.notify)
	return err
}

// waker closes a channel to wake the delivery worker.
type waker struct {
	mu sync.Mutex
	ch chan struct{}
}

// Wake returns a channel that is closed when new messages become due: after
// Enqueue commits deliverable messages, after Requeue, a release of held
// spam (ReleaseLead) or a step of the clock, and, on PostgreSQL, when
// another instance announces any of these.
// Take a fresh channel after each wake-up.
func (w *waker) Wake() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == nil {
		w.ch = make(chan struct{})
	}
	return w.ch
}

func (w *waker) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch != nil {
		close(w.ch)
	}
	w.ch = make(chan struct{})
}
