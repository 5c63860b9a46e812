package outbox

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/jackc/pgx/v5"
)

// The lead lifecycle (Leads) in PostgreSQL: the same statements as
// SQLite's, in PostgreSQL's placeholders and types. Every change that
// reads a lead first locks its row (FOR UPDATE), so two instances acting
// on one lead take turns, and the second sees the first's change.

var _ Leads = (*Postgres)(nil)

// pgReadLead reads lead id with its stored data; lock takes its row lock.
func pgReadLead(ctx context.Context, q interface {
	QueryRow(context.Context, string, ...any) pgx.Row
}, id string, lock bool) (Tracked, error) {
	query := `SELECT data, ` + trackedCols + ` FROM leads WHERE id = $1`
	if lock {
		query += ` FOR UPDATE`
	}
	var t Tracked
	var data string
	err := scanTracked(q.QueryRow(ctx, query, id), &t, &data)
	if errors.Is(err, pgx.ErrNoRows) {
		return Tracked{}, ErrNotFound
	}
	if err != nil {
		return Tracked{}, err
	}
	return t, decodeStored(&t, data)
}

// decodeStored fills t.Lead from its stored JSON, keeping the columns
// where they differ from it (a released lead is no longer spam; a due time
// reset).
func decodeStored(t *Tracked, data string) error {
	if data == "" {
		return nil
	}
	stored := t.Lead
	if err := json.Unmarshal([]byte(data), &t.Lead); err != nil {
		return fmt.Errorf("decode lead %s: %w", stored.ID, err)
	}
	t.Lead.Spam, t.Lead.Due, t.Lead.Ref = stored.Spam, stored.Due, stored.Ref
	return nil
}

// Lead returns lead id as it stands.
func (s *Postgres) Lead(ctx context.Context, id string) (Tracked, error) {
	t, err := pgReadLead(ctx, s.pool, id, false)
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("read lead %s: %w", id, err)
	}
	return t, err
}

// SetState moves lead id forward to state; see Leads.
func (s *Postgres) SetState(ctx context.Context, id, state, by string, at, next time.Time) (Tracked, bool, error) {
	if lead.Rank(state) < 1 {
		return Tracked{}, false, fmt.Errorf("set state of %s: %q is not a state a lead can be moved to", id, state)
	}
	var t Tracked
	changed := false
	err := s.update(ctx, "set state of "+id, func(tx pgx.Tx) error {
		cur, err := pgReadLead(ctx, tx, id, true)
		if err != nil {
			return err
		}
		t = cur
		if lead.Rank(state) <= lead.Rank(cur.State) {
			return nil
		}
		now := ms(at)
		claim, contact := claims(state), state == lead.Contacted
		if _, err := tx.Exec(ctx, `UPDATE leads SET state = $1, state_at = $2, state_by = $3,
			acted_at = coalesce(acted_at, $2),
			claimed_at = CASE WHEN claimed_at IS NULL AND $4 THEN $2 ELSE claimed_at END,
			claimed_by = CASE WHEN claimed_at IS NULL AND $4 THEN $3 ELSE claimed_by END,
			contacted_at = CASE WHEN $5 THEN $2 ELSE contacted_at END,
			contacted_by = CASE WHEN $5 THEN $3 ELSE contacted_by END,
			next_step_at = $6
			WHERE id = $7`,
			state, now, by, claim, contact, nullMS(next), id); err != nil {
			return err
		}
		if err := pgAddEvent(ctx, tx, id, now, "state", state, by); err != nil {
			return err
		}
		changed = true
		t, err = pgReadLead(ctx, tx, id, false)
		return err
	})
	return t, changed, err
}

func pgAddEvent(ctx context.Context, tx pgx.Tx, id string, at int64, kind, state, actor string) error {
	_, err := tx.Exec(ctx, `INSERT INTO lead_events (lead_id, at, kind, state, actor)
		VALUES ($1, $2, $3, $4, $5)`, id, at, kind, state, actor)
	return err
}

// ReleaseLead delivers a lead held as suspected spam; see Leads.
func (s *Postgres) ReleaseLead(ctx context.Context, id, by string, at, due time.Time) (Tracked, bool, error) {
	var t Tracked
	changed := false
	err := s.update(ctx, "release "+id, func(tx pgx.Tx) error {
		cur, err := pgReadLead(ctx, tx, id, true)
		if err != nil {
			return err
		}
		t = cur
		if !cur.Lead.Spam || cur.State != lead.Spam {
			return nil
		}
		now := ms(at)
		if _, err := tx.Exec(ctx, `UPDATE leads SET spam = false,
			data = CASE WHEN data = '' THEN '' ELSE jsonb_set(data::jsonb, '{spam}', 'false')::text END,
			state = 'new', state_at = $1, state_by = $2, due = $3, next_step_at = $3
			WHERE id = $4`, now, by, ms(due), id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE messages SET state = 'pending', next_attempt_at = $1, updated_at = $1
			WHERE lead_id = $2 AND state = 'held'`, now, id); err != nil {
			return err
		}
		if err := pgAddEvent(ctx, tx, id, now, "released", lead.New, by); err != nil {
			return err
		}
		if err := notify(ctx, tx); err != nil {
			return err
		}
		changed = true
		t, err = pgReadLead(ctx, tx, id, false)
		return err
	})
	if changed {
		s.signal()
	}
	return t, changed, err
}

// List returns the leads received in [from, to); see Leads.
func (s *Postgres) List(ctx context.Context, from, to time.Time) ([]Tracked, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+trackedCols+` FROM leads
		WHERE received >= $1 AND received < $2 ORDER BY received, id`, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	defer rows.Close()
	var out []Tracked
	for rows.Next() {
		var t Tracked
		if err := scanTracked(rows, &t); err != nil {
			return nil, fmt.Errorf("list leads: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	return out, nil
}

// Overdue counts the leads still new after their due time.
func (s *Postgres) Overdue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM leads
		WHERE state = 'new' AND due IS NOT NULL AND due < $1`, ms(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count overdue leads: %w", err)
	}
	return n, nil
}

// DueSteps returns the leads whose clock's next step is due; see Leads.
// Several instances may read the same lead: RecordStep lets one of them
// take the step.
func (s *Postgres) DueSteps(ctx context.Context, now time.Time, n int) ([]Tracked, error) {
	rows, err := s.pool.Query(ctx, `SELECT data, `+trackedCols+` FROM leads
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

// NextStep returns when the clock's earliest next step is due.
func (s *Postgres) NextStep(ctx context.Context) (time.Time, bool, error) {
	var next *int64
	if err := s.pool.QueryRow(ctx, `SELECT min(next_step_at) FROM leads`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next step: %w", err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(*next).UTC(), true, nil
}

// RecordStep records a step of the clock with its messages; see Leads. Of
// two instances recording the same step, the second finds the lead moved
// and does nothing.
func (s *Postgres) RecordStep(ctx context.Context, t Tracked, step string, msgs []mail.Message, at, next time.Time) (bool, error) {
	done := false
	err := s.update(ctx, "record "+step+" of "+t.Lead.ID, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE leads SET step = $1, next_step_at = $2
			WHERE id = $3 AND state = $4 AND step = $5 AND next_step_at IS NOT DISTINCT FROM $6`,
			step, nullMS(next), t.Lead.ID, t.State, t.Step, nullMS(t.NextStepAt))
		if err != nil || tag.RowsAffected() == 0 {
			return err // moved since it was read: a colleague acted, or another instance took the step
		}
		done = true
		if len(msgs) == 0 { // a step put off, or nothing left to do
			return nil
		}
		now := ms(at)
		for _, m := range msgs {
			if _, err := tx.Exec(ctx, `INSERT INTO messages
				(id, lead_id, kind, env_from, env_to, raw, message_id, state, next_attempt_at, created_at, updated_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, 'pending', $8, $8, $8)
				ON CONFLICT (id) DO NOTHING`,
				m.ID, t.Lead.ID, m.Kind, m.From, strings.Join(m.To, "\n"), m.Raw, m.MessageID, now); err != nil {
				return fmt.Errorf("message %s: %w", m.ID, err)
			}
		}
		if err := notify(ctx, tx); err != nil {
			return err
		}
		return pgAddEvent(ctx, tx, t.Lead.ID, now, step, "", "")
	})
	if done && len(msgs) > 0 {
		s.signal()
	}
	return done, err
}

// QueueDigest queues the digest's messages unless they are queued already,
// by this instance or another (their ids name their day); see Leads.
func (s *Postgres) QueueDigest(ctx context.Context, msgs []mail.Message, at time.Time) (bool, error) {
	var n int64
	err := s.update(ctx, "queue digest", func(tx pgx.Tx) error {
		for _, m := range msgs {
			tag, err := tx.Exec(ctx, `INSERT INTO messages
				(id, lead_id, kind, env_from, env_to, raw, message_id, state, next_attempt_at, created_at, updated_at)
				VALUES ($1, NULL, 'digest', $2, $3, $4, $5, 'pending', $6, $6, $6)
				ON CONFLICT (id) DO NOTHING`,
				m.ID, m.From, strings.Join(m.To, "\n"), m.Raw, m.MessageID, ms(at))
			if err != nil {
				return err
			}
			n += tag.RowsAffected()
		}
		if n > 0 {
			return notify(ctx, tx)
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
func (s *Postgres) LastDigest(ctx context.Context) (time.Time, bool, error) {
	var last *int64
	if err := s.pool.QueryRow(ctx, `SELECT max(created_at) FROM messages WHERE kind = 'digest'`).Scan(&last); err != nil {
		return time.Time{}, false, fmt.Errorf("last digest: %w", err)
	}
	if last == nil {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(*last).UTC(), true, nil
}
