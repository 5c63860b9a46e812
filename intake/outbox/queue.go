package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Claim marks up to n due messages as sending and returns them: pending
// messages whose next attempt is due, and sending messages whose lease has
// run out (their worker died mid-send). Each claim holds for the lease; no
// two workers hold one message at once. Where instances share the
// database, rows that another is claiming at the same moment are skipped,
// not waited for.
func (s *Store) Claim(ctx context.Context, now time.Time, n int) ([]Msg, error) {
	var out []Msg
	err := s.tx(ctx, "claim", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `UPDATE messages
			SET state = 'sending', next_attempt_at = $1, updated_at = $2
			WHERE id IN (SELECT id FROM messages
				WHERE state IN ('pending', 'sending') AND next_attempt_at <= $2
				ORDER BY next_attempt_at LIMIT $3`+s.f.claimLock+`)
			RETURNING `+msgCols,
			ms(now.Add(s.opt.lease)), ms(now), n)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = scanMsgs(rows)
		return err
	})
	return out, err
}

// Done records that claimed message id was accepted by the mail server.
func (s *Store) Done(ctx context.Context, id string) error {
	return s.setState(ctx, "done "+id, `UPDATE messages
		SET state = 'sent', attempts = attempts + 1, last_error = '', sent_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'sending'`, ms(s.opt.now()), id)
}

// Retry records a failed attempt of claimed message id and makes it due
// again at next.
func (s *Store) Retry(ctx context.Context, id string, cause error, next time.Time) error {
	return s.setState(ctx, "retry "+id, `UPDATE messages
		SET state = 'pending', attempts = attempts + 1, last_error = $1, next_attempt_at = $2, updated_at = $3
		WHERE id = $4 AND state = 'sending'`, errText(cause), ms(next), ms(s.opt.now()), id)
}

// Dead records that claimed message id was refused permanently; Requeue
// sends it again.
func (s *Store) Dead(ctx context.Context, id string, cause error) error {
	return s.setState(ctx, "dead-letter "+id, `UPDATE messages
		SET state = 'dead', attempts = attempts + 1, last_error = $1, updated_at = $2
		WHERE id = $3 AND state = 'sending'`, errText(cause), ms(s.opt.now()), id)
}

// Release gives back a claimed message that was not attempted (the worker
// is stopping): it is due again at once, and no attempt is counted.
func (s *Store) Release(ctx context.Context, id string) error {
	return s.setState(ctx, "release "+id, `UPDATE messages
		SET state = 'pending', next_attempt_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'sending'`, ms(s.opt.now()), id)
}

// Recover makes every claimed message due now, without waiting for its
// lease, and returns how many: for a worker starting up, to resend at once
// what a crash left mid-send. Where instances share the database (the
// PostgreSQL flavour) a claim may be another instance's send in progress:
// Recover returns 0 and changes nothing, and the lease decides.
func (s *Store) Recover(ctx context.Context) (int, error) {
	if s.f.shared {
		return 0, nil
	}
	return s.requeue(ctx, "recover", Sending)
}

// Requeue makes every dead message pending and due now, and returns how many.
func (s *Store) Requeue(ctx context.Context) (int, error) {
	return s.requeue(ctx, "requeue", Dead)
}

// requeue makes every message in state pending and due now.
func (s *Store) requeue(ctx context.Context, what, state string) (int, error) {
	var n int64
	err := s.tx(ctx, what, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE messages
			SET state = 'pending', next_attempt_at = $1, updated_at = $1 WHERE state = $2`, ms(s.opt.now()), state)
		if err != nil {
			return err
		}
		if n, err = r.RowsAffected(); err != nil || n == 0 {
			return err
		}
		return s.announce(ctx, tx)
	})
	if n > 0 {
		s.signal()
	}
	return int(n), err
}

// NextDue returns when the earliest pending or claimed message falls due,
// and false when there is none.
func (s *Store) NextDue(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT min(next_attempt_at) FROM messages
		WHERE state IN ('pending', 'sending')`).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due: %w", err)
	}
	return time.UnixMilli(next.Int64), next.Valid, nil
}

// setState runs one UPDATE that must touch exactly one message.
func (s *Store) setState(ctx context.Context, what, query string, args ...any) error {
	return s.tx(ctx, what, func(tx *sql.Tx) error {
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
