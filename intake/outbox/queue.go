package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/consultahq/consulta/intake/mail"
)

// Msg is a claimed message with what the worker needs besides the email.
type Msg struct {
	mail.Message
	LeadID   string
	Attempts int       // attempts finished before this one
	Created  time.Time // when it was enqueued
}

// Claim marks up to n due messages as sending and returns them: pending
// messages whose next attempt is due, and sending messages whose lease has
// run out (their worker died mid-send). Each claim holds for the lease.
func (s *SQLite) Claim(ctx context.Context, now time.Time, n int) ([]Msg, error) {
	var out []Msg
	err := s.update(ctx, "claim", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE messages
			SET state = 'sending', next_attempt_at = ?, updated_at = ?
			WHERE id IN (SELECT id FROM messages
				WHERE state IN ('pending', 'sending') AND next_attempt_at <= ?
				ORDER BY next_attempt_at LIMIT ?)
			RETURNING id, coalesce(lead_id, ''), kind, env_from, env_to, raw, message_id, attempts, created_at`,
			ms(now.Add(s.opt.lease)), ms(now), ms(now), n)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = scanMsgs(rows)
		return err
	})
	return out, err
}

// Done records that message id was accepted by the mail server.
func (s *SQLite) Done(ctx context.Context, id string) error {
	now := ms(s.opt.now())
	return s.setState(ctx, "done "+id, `UPDATE messages
		SET state = 'sent', attempts = attempts + 1, last_error = '', sent_at = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, now, now, id)
}

// Retry records a failed attempt of message id and makes it due again at next.
func (s *SQLite) Retry(ctx context.Context, id string, cause error, next time.Time) error {
	return s.setState(ctx, "retry "+id, `UPDATE messages
		SET state = 'pending', attempts = attempts + 1, last_error = ?, next_attempt_at = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, errText(cause), ms(next), ms(s.opt.now()), id)
}

// Dead records that message id was refused permanently; Requeue sends it again.
func (s *SQLite) Dead(ctx context.Context, id string, cause error) error {
	return s.setState(ctx, "dead-letter "+id, `UPDATE messages
		SET state = 'dead', attempts = attempts + 1, last_error = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, errText(cause), ms(s.opt.now()), id)
}

// Release gives back a claimed message that was not attempted (the worker is
// stopping): it is due again at once, and no attempt is counted.
func (s *SQLite) Release(ctx context.Context, id string) error {
	now := ms(s.opt.now())
	return s.setState(ctx, "release "+id, `UPDATE messages
		SET state = 'pending', next_attempt_at = ?, updated_at = ?
		WHERE id = ? AND state = 'sending'`, now, now, id)
}

// Recover makes every claimed message due now, without waiting for its
// lease: for a worker starting up, when no other worker uses this database,
// to resend at once what a crash left mid-send. It returns how many.
func (s *SQLite) Recover(ctx context.Context) (int, error) {
	return s.requeue(ctx, "recover", Sending)
}

// Requeue makes every dead message pending and due now, and returns how many.
func (s *SQLite) Requeue(ctx context.Context) (int, error) {
	return s.requeue(ctx, "requeue", Dead)
}

// requeue makes every message in state pending and due now.
func (s *SQLite) requeue(ctx context.Context, what, state string) (int, error) {
	now := ms(s.opt.now())
	var n int64
	err := s.update(ctx, what, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE messages
			SET state = 'pending', next_attempt_at = ?, updated_at = ? WHERE state = ?`, now, now, state)
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	if n > 0 {
		s.signal()
	}
	return int(n), err
}

// NextDue returns when the earliest pending or claimed message falls due,
// and false when there is none.
func (s *SQLite) NextDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT min(next_attempt_at) FROM messages
		WHERE state IN ('pending', 'sending')`).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due: %w", err)
	}
	return time.UnixMilli(next.Int64), next.Valid, nil
}

// setState runs one UPDATE that must touch exactly one message.
func (s *SQLite) setState(ctx context.Context, what, query string, args ...any) error {
	return s.update(ctx, what, func(tx *sql.Tx) error {
		return one(tx.ExecContext(ctx, query, args...))
	})
}

// one returns ErrNotFound unless the statement touched a row.
func one(r sql.Result, err error) error {
	if err != nil {
		return err
	}
	if n, err := r.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		return ErrNotFound
	}
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
