package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DueSteps returns up to n leads whose clock's next step is due at now,
// with their stored lead, earliest first. Several instances may read the
// same lead: RecordStep lets one of them take the step.
func (s *Store) DueSteps(ctx context.Context, now time.Time, n int) ([]Tracked, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT data, `+trackedCols+` FROM leads
		WHERE next_step_at IS NOT NULL AND next_step_at <= $1 ORDER BY next_step_at, id LIMIT $2`, ms(now), n)
	if err != nil {
		return nil, fmt.Errorf("due steps: %w", err)
	}
	defer rows.Close()
	var out []Tracked
	for rows.Next() {
		var t Tracked
		var data string
		if err := scanTracked(rows, &t, &data); err != nil {
			return nil, fmt.Errorf("due steps: %w", err)
		}
		if err := decodeStored(&t, data); err != nil {
			return nil, fmt.Errorf("due steps: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due steps: %w", err)
	}
	return out, nil
}

// NextStep returns when the clock's earliest next step is due, and false
// when no lead waits for one.
func (s *Store) NextStep(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT min(next_step_at) FROM leads`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next step: %w", err)
	}
	return fromMS(next), next.Valid, nil
}

// RecordStep records that the clock took step for lead t at at: it queues
// msgs, keeps the step in the history and schedules the next step at next
// (none when zero), in one transaction. It does nothing and returns false
// when the lead has moved since t was read: a colleague acted, or another
// run or instance took the step.
func (s *Store) RecordStep(ctx context.Context, t Tracked, step string, msgs []Message, at, next time.Time) (bool, error) {
	done := false
	err := s.update(ctx, "record "+step+" of "+t.Lead.ID, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE leads SET step = $1, next_step_at = $2
			WHERE id = $3 AND state = $4 AND step = $5 AND next_step_at IS NOT DISTINCT FROM $6`,
			step, nullMS(next), t.Lead.ID, t.State, t.Step, nullMS(t.NextStepAt))
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			return err
		}
		done = true
		if len(msgs) == 0 { // a step put off, or nothing left to do
			return nil
		}
		now := ms(at)
		rows := make([]msgRow, len(msgs))
		for i, m := range msgs {
			rows[i] = msgRow{lead: t.Lead.ID, m: m, state: Pending}
		}
		if _, err := insertMessages(ctx, tx, rows, now); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, t.Lead.ID, now, step, "", ""); err != nil {
			return err
		}
		return s.announce(ctx, tx)
	})
	if done && len(msgs) > 0 {
		s.signal()
	}
	return done, err
}

// QueueDigest queues the digest's messages, one a recipient, with data,
// what they say (for their composer), in one transaction, unless they are
// queued already, by this instance or another (their ids name their day),
// and reports whether it queued any.
func (s *Store) QueueDigest(ctx context.Context, msgs []Message, data []byte, at time.Time) (bool, error) {
	var n int64
	err := s.update(ctx, "queue digest", func(tx *sql.Tx) error {
		rows := make([]msgRow, len(msgs))
		for i, m := range msgs {
			rows[i] = msgRow{m: m, state: Pending, data: data}
		}
		var err error
		if n, err = insertMessages(ctx, tx, rows, ms(at)); err != nil || n == 0 {
			return err
		}
		return s.announce(ctx, tx)
	})
	if n > 0 {
		s.signal()
	}
	return n > 0, err
}

// LastDigest returns when the latest digest was queued, and false when
// none ever was.
func (s *Store) LastDigest(ctx context.Context) (time.Time, bool, error) {
	var last sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT max(created_at) FROM messages WHERE kind = 'digest'`).Scan(&last); err != nil {
		return time.Time{}, false, fmt.Errorf("last digest: %w", err)
	}
	return fromMS(last), last.Valid, nil
}
