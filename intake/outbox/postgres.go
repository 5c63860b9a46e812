package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// notifyChannel is the NOTIFY channel on which instances announce that
// messages became due.
const notifyChannel = "consulta_outbox"

// OpenPostgres connects to the PostgreSQL database at url (a postgres://
// URL or a key=value connection string, as libpq takes), applies pending
// schema migrations, and starts the group-commit writer and the listener
// for other instances' wake-ups. Close releases it.
//
// Several instances of the service may share the database. A lead and its
// messages commit together before Enqueue returns (with group commit
// within each instance), and a claimed message belongs to one instance
// until its lease ends: claims skip the rows another instance is claiming
// (FOR UPDATE SKIP LOCKED) instead of waiting for them. Instances wake
// each other with NOTIFY when messages become due, so a lead stored by one
// may be sent by another. Recover does nothing: a message claimed when an
// instance died is sent again by any instance once its lease has run out,
// as no instance can tell a dead claim from a live one on another machine.
func OpenPostgres(ctx context.Context, url string, opts ...Option) (*Store, error) {
	o := defaults(opts)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err) // pgx's message does not repeat the password
	}
	db := stdlib.OpenDB(*cfg)
	db.SetMaxOpenConns(8)
	db.SetMaxIdleConns(8)
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	s := &Store{w: db, r: db, f: postgres, opt: o}
	if _, err := s.start(ctx); err != nil {
		return nil, err
	}
	lctx, stop := context.WithCancel(context.Background())
	done := make(chan struct{})
	go s.listen(lctx, cfg, done)
	s.stop = func() { stop(); <-done }
	return s, nil
}

// listen wakes the delivery worker when another instance (or a command
// such as requeue) announces due messages, until ctx ends. It holds one
// connection of its own, outside the pool, and reconnects after an error.
func (s *Store) listen(ctx context.Context, cfg *pgx.ConnConfig, done chan<- struct{}) {
	defer close(done)
	wait := 100 * time.Millisecond
	for ctx.Err() == nil {
		conn, err := pgx.ConnectConfig(ctx, cfg)
		if err == nil {
			if _, err = conn.Exec(ctx, "LISTEN "+notifyChannel); err == nil {
				wait = 100 * time.Millisecond
				s.signal() // anything announced while not listening is due now
				for err == nil {
					_, err = conn.WaitForNotification(ctx)
					if err == nil {
						s.signal()
					}
				}
			}
			conn.Close(context.Background())
		}
		select {
		case <-ctx.Done():
		case <-time.After(wait):
			wait = min(2*wait, 10*time.Second)
		}
	}
}

// insufficientPrivilege reports whether PostgreSQL refused err's statement
// to the database user (SQLSTATE 42501).
func insufficientPrivilege(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "42501"
}
