package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/mail"
)

// DueSteps returns the leads whose clock's next step is due; see Leads.
func (s *SQLite) DueSteps(ctx context.Context, now time.Time, n int) ([]Tracked, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT data, `+trackedCols+` FROM leads
		WHERE next_step_at IS NOT NULL AND next_step_at <= ? ORDER BY next_step_at, id LIMIT ?`, ms(now), n)
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
		if data != "" {
			stored := t.Lead
			if err := json.Unmarshal([]byte(data), &t.Lead); err != nil {
				return nil, fmt.Errorf("due steps: decode lead %s: %w", t.Lead.ID, err)
			}
			t.Lead.Spam, t.Lead.Due, t.Lead.Ref = stored.Spam, stored.Due, stored.Ref
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due steps: %w", err)
	}
	return out, nil
}

// NextStep returns when the clock's earliest next step is due.
func (s *SQLite) NextStep(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT min(next_step_at) FROM leads`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next step: %w", err)
	}
	return fromMS(next), next.Valid, nil
}

// RecordStep records a step of the clock with its messages; see Leads.
func (s *SQLite) RecordStep(ctx context.Context, t Tracked, step string, msgs []mail.Message, at, next time.Time) (bool, error) {
	done := false
	err := s.update(ctx, "record "+step+" of "+t.Lead.ID, func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE leads SET step = ?, next_step_at = ?
			WHERE id = ? AND state = ? AND step = ? AND next_step_at = ?`,
			step, nullMS(next), t.Lead.ID, t.State, t.Step, nullMS(t.NextStepAt))
		if err != nil {
			return err
		}
		if n, err := r.RowsAffected(); err != nil || n == 0 {
			return err // moved since it was read: a colleague acted, or another run took the step
		}
		done = true
		if len(msgs) == 0 { // a step put off, or nothing left to do
			return nil
		}
		now := ms(at)
		if err := insertMessages(ctx, tx, t.Lead.ID, msgs, now); err != nil {
			return err
		}
		return addEvent(ctx, tx, t.Lead.ID, now, step, "", "")
	})
	if done && len(msgs) > 0 {
		s.signal()
	}
	return done, err
}

// insertMessages queues msgs, pending and due at now. A message whose id
// is already stored is skipped: a step is never sent twice.
func insertMessages(ctx context.Context, tx *sql.Tx, leadID string, msgs []mail.Message, now int64) error {
	var lid any
	if leadID != "" {
		lid = leadID
	}
	for _, m := range msgs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO messages
			(id, lead_id, kind, env_from, env_to, raw, message_id, state, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)
			ON CONFLICT (id) DO NOTHING`,
			m.ID, lid, m.Kind, m.From, strings.Join(m.To, "\n"), m.Raw, m.MessageID, now, now, now); err != nil {
			return fmt.Errorf("message %s: %w", m.ID, err)
		}
	}
	return nil
}

// QueueDigest queues the digest's messages unless they are queued already;
// see Leads.
func (s *SQLite) QueueDigest(ctx context.Context, msgs []mail.Message, at time.Time) (bool, error) {
	var n int64
	err := s.update(ctx, "queue digest", func(tx *sql.Tx) error {
		for _, m := range msgs {
			r, err := tx.ExecContext(ctx, `INSERT INTO messages
				(id, lead_id, kind, env_from, env_to, raw, message_id, state, next_attempt_at, created_at, updated_at)
				VALUES (?, NULL, 'digest', ?, ?, ?, ?, 'pending', ?, ?, ?)
				ON CONFLICT (id) DO NOTHING`,
				m.ID, m.From, strings.Join(m.To, "\n"), m.Raw, m.MessageID, ms(at), ms(at), ms(at))
			if err != nil {
				return err
			}
			k, err := r.RowsAffected()
			if err != nil {
				return err
			}
			n += k
		}
		return nil
	})
	if n > 0 {
		s.signal()
	}
	return n > 0, err
}

// LastDigest returns when the latest digest was queued, and false when
// none ever was.
func (s *SQLite) LastDigest(ctx context.Context) (time.Time, bool, error) {
	var last sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT max(created_at) FROM messages WHERE kind = 'digest'`).Scan(&last); err != nil {
		return time.Time{}, false, fmt.Errorf("last digest: %w", err)
	}
	return fromMS(last), last.Valid, nil
}
