package outbox

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Postgres is an outbox in PostgreSQL, for several instances of the
// service sharing one database. It keeps the promises of SQLite: a lead
// and its messages commit together before Enqueue returns (with group
// commit within each instance), and a claimed message belongs to one
// instance until its lease ends; claims skip the rows another instance is
// claiming (FOR UPDATE SKIP LOCKED) instead of waiting for them.
//
// Instances wake each other with NOTIFY when messages become due, so a
// lead stored by one may be sent by another. Recover does nothing: a
// message claimed when an instance died is sent again by any instance once
// its lease has run out, as no instance can tell a dead claim from a live
// one on another machine. Its methods are safe for concurrent use.
type Postgres struct {
	pool *pgxpool.Pool
	opt  options
	*group
	waker

	listenStop context.CancelFunc
	listenDone chan struct{}
}

var _ Store = (*Postgres)(nil)

// notifyChannel is the NOTIFY channel on which instances announce that
// messages became due.
const notifyChannel = "consulta_outbox"

// OpenPostgres connects to the PostgreSQL database at url (a postgres://
// URL or a key=value connection string, as libpq takes), applies pending
// schema migrations, and starts the group-commit writer and the listener
// for other instances' wake-ups. Close releases it.
func OpenPostgres(ctx context.Context, url string, opts ...Option) (*Postgres, error) {
	o := defaults(opts)
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err) // pgx's message does not repeat the password
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	if err := pgMigrate(ctx, pool); err != nil {
		pool.Close()
		return nil, fmt.Errorf("migrate PostgreSQL schema: %w", err)
	}
	s := &Postgres{pool: pool, opt: o, listenDone: make(chan struct{})}
	s.group = startGroup(o.maxBatch, s.insertBatch, s.signal)
	lctx, stop := context.WithCancel(context.Background())
	s.listenStop = stop
	go s.listen(lctx, cfg.ConnConfig)
	return s, nil
}

// Close stops the writer after the Enqueue calls already received, stops
// listening, and closes the connections.
func (s *Postgres) Close() error {
	s.group.stop()
	s.listenStop()
	<-s.listenDone
	s.pool.Close()
	return nil
}

// listen wakes the delivery worker when another instance (or a command
// such as requeue) announces due messages, until ctx ends. It holds one
// connection of its own, and reconnects after an error.
func (s *Postgres) listen(ctx context.Context, cfg *pgx.ConnConfig) {
	defer close(s.listenDone)
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

// notify tells every instance, after tx commits, that messages are due.
func notify(ctx context.Context, tx pgx.Tx) error {
	_, err := tx.Exec(ctx, `SELECT pg_notify($1, '')`, notifyChannel)
	return err
}

// update runs fn in one transaction.
func (s *Postgres) update(ctx context.Context, what string, fn func(pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, s.pool, fn)
	if err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// oneRow returns ErrNotFound unless the statement touched a row.
func oneRow(tag pgconn.CommandTag, err error) error {
	if err != nil {
		return err
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// pgMigrations is PostgreSQL's schema, one step per version, recorded in
// consulta_schema. Append only: never edit a step that has shipped. Its
// first step is SQLite's schema at version 2 (the lead lifecycle
// included), in PostgreSQL's types.
var pgMigrations = []string{
	// 1: leads, their history, and their messages.
	`CREATE TABLE leads (
		id           text PRIMARY KEY,
		idem_key     text UNIQUE,               -- NULL when the request had no key
		received     bigint NOT NULL,           -- Unix ms
		spam         boolean NOT NULL DEFAULT false,
		signals      text NOT NULL DEFAULT '',  -- comma-separated
		procedure    text NOT NULL DEFAULT '',
		email_domain text NOT NULL DEFAULT '',
		data         text NOT NULL,             -- the lead as JSON; '' once purged
		purged_at    bigint,
		ref          text NOT NULL DEFAULT '',
		source       text NOT NULL DEFAULT '',
		state        text NOT NULL DEFAULT 'new',
		state_at     bigint,
		state_by     text NOT NULL DEFAULT '',
		due          bigint,
		acted_at     bigint,
		claimed_at   bigint,
		claimed_by   text NOT NULL DEFAULT '',
		contacted_at bigint,
		contacted_by text NOT NULL DEFAULT '',
		step         text NOT NULL DEFAULT '',
		next_step_at bigint
	);
	CREATE INDEX leads_spam_received ON leads(spam, received);
	CREATE INDEX leads_next_step ON leads(next_step_at);
	CREATE INDEX leads_state_due ON leads(state, due);
	CREATE INDEX leads_received ON leads(received);
	CREATE TABLE lead_events (
		id      bigserial PRIMARY KEY,
		lead_id text NOT NULL REFERENCES leads(id),
		at      bigint NOT NULL,
		kind    text NOT NULL,
		state   text NOT NULL DEFAULT '',
		actor   text NOT NULL DEFAULT ''
	);
	CREATE INDEX lead_events_lead ON lead_events(lead_id, at);
	CREATE TABLE messages (
		id              text PRIMARY KEY,
		lead_id         text REFERENCES leads(id),  -- NULL for a digest
		kind            text NOT NULL CHECK (kind IN ('coordinator', 'patient', 'reminder', 'escalation', 'follow_up', 'digest')),
		env_from        text NOT NULL,
		env_to          text NOT NULL,              -- newline-separated
		raw             bytea NOT NULL,             -- RFC 5322 bytes; empty once purged
		message_id      text NOT NULL,
		state           text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'held')),
		attempts        integer NOT NULL DEFAULT 0,
		next_attempt_at bigint NOT NULL,            -- Unix ms; for 'sending', the end of the lease
		last_error      text NOT NULL DEFAULT '',
		created_at      bigint NOT NULL,
		updated_at      bigint NOT NULL,
		sent_at         bigint
	);
	CREATE INDEX messages_due ON messages(state, next_attempt_at);
	CREATE INDEX messages_lead ON messages(lead_id);`,
}

// pgMigrate applies the steps the database has not run yet, in one
// transaction, under a lock: instances starting together migrate once.
func pgMigrate(ctx context.Context, pool *pgxpool.Pool) error {
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('consulta outbox schema'))`); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS consulta_schema (version integer NOT NULL)`); err != nil {
			return err
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT version FROM consulta_schema`).Scan(&version)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return fmt.Errorf("read schema version: %w", err)
		}
		if version > len(pgMigrations) {
			return fmt.Errorf("database schema version %d is newer than this program's %d", version, len(pgMigrations))
		}
		for i := version; i < len(pgMigrations); i++ {
			if _, err := tx.Exec(ctx, pgMigrations[i]); err != nil {
				return fmt.Errorf("step %d: %w", i+1, err)
			}
		}
		if _, err := tx.Exec(ctx, `DELETE FROM consulta_schema`); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO consulta_schema (version) VALUES ($1)`, len(pgMigrations))
		return err
	})
}
