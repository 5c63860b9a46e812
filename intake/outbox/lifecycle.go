package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// The lead lifecycle the store keeps beside its outbox: each lead's state
// and who set it, its due time, the clock's steps to come (a row of steps
// each), and its history (lead_events). The domain (package lead) decides
// every change; Update writes what it decided, with its emails and its
// history, in one transaction, so that a restart neither loses nor repeats
// a step.

// trackedCols are the columns scanTracked reads, after the lead's data.
const trackedCols = `id, ref, received, due, procedure, spam, source, state, state_at, state_by,
	acted_at, claimed_at, claimed_by, contacted_at, contacted_by, step,
	claimed_name, first_call_at, calls, last_call, attached_to`

type scanner interface{ Scan(...any) error }

// scanTracked reads trackedCols into t.
func scanTracked(row scanner, t *lead.Tracked, extra ...any) error {
	var received int64
	var due, stateAt, acted, claimed, contacted, firstCall sql.NullInt64
	dest := append(extra, &t.Lead.ID, &t.Lead.Ref, &received, &due, &t.Lead.Procedure, &t.Lead.Spam,
		&t.Source, &t.State, &stateAt, &t.StateBy, &acted, &claimed, &t.ClaimedBy,
		&contacted, &t.ContactedBy, &t.Step, &t.ClaimedName, &firstCall, &t.Calls, &t.LastCall, &t.AttachedTo)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	t.Lead.Received = time.UnixMilli(received).UTC()
	t.Lead.Due = fromMS(due)
	t.StateAt, t.ActedAt, t.ClaimedAt = fromMS(stateAt), fromMS(acted), fromMS(claimed)
	t.ContactedAt, t.FirstCallAt = fromMS(contacted), fromMS(firstCall)
	return nil
}

// querier is what *sql.DB and *sql.Tx share to read.
type querier interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
	QueryContext(context.Context, string, ...any) (*sql.Rows, error)
}

// readLead reads lead id with its stored data, its steps and its history
// through q, with the flavour's row lock (lock) when a write will follow.
func readLead(ctx context.Context, q querier, id, lock string) (lead.Tracked, error) {
	var t lead.Tracked
	var data string
	err := scanTracked(q.QueryRowContext(ctx, `SELECT data, `+trackedCols+` FROM leads WHERE id = $1`+lock, id), &t, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return lead.Tracked{}, ErrNotFound
	}
	if err != nil {
		return lead.Tracked{}, err
	}
	if err := decodeStored(&t, data); err != nil {
		return lead.Tracked{}, err
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, due_at, payload FROM steps WHERE lead_id = $1 ORDER BY due_at, kind`, id)
	if err != nil {
		return lead.Tracked{}, fmt.Errorf("steps: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s lead.Step
		var at int64
		if err := rows.Scan(&s.Kind, &at, &s.Payload); err != nil {
			return lead.Tracked{}, fmt.Errorf("steps: %w", err)
		}
		s.At = time.UnixMilli(at).UTC()
		t.Steps = append(t.Steps, s)
	}
	if err := rows.Err(); err != nil {
		return lead.Tracked{}, fmt.Errorf("steps: %w", err)
	}
	if t.History, err = readHistory(ctx, q, id); err != nil {
		return lead.Tracked{}, fmt.Errorf("history: %w", err)
	}
	return t, nil
}

// decodeStored fills t.Lead from its stored JSON, keeping the columns
// where they differ from it (a released lead is no longer spam; a due time
// reset). A purged lead has no JSON left.
func decodeStored(t *lead.Tracked, data string) error {
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

// Lead returns lead id as it stands; ErrNotFound when there is none.
func (s *Store) Lead(ctx context.Context, id string) (lead.Tracked, error) {
	t, err := readLead(ctx, s.r, id, "")
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("read lead %s: %w", id, err)
	}
	return t, err
}

// Decide is a decision of the lifecycle (package lead) about lead t as it
// stands in the store's transaction: the change, and the emails it sends
// as the outbox keeps them; ok is false when nothing changes.
type Decide func(t lead.Tracked) (c lead.Change, msgs []Message, ok bool, err error)

// Update reads lead id, asks decide what changes, and writes what it
// decided in one transaction: the lead as it stands after, its steps to
// come, its emails (pending, and its held ones due when it is released),
// and its history. Where instances share the database, the lead's row is
// locked from the read to the commit, so that two changes of one lead take
// turns and the second is decided on the first's result. It returns the
// lead as it stands after, and whether anything changed; ErrNotFound when
// there is no lead id.
func (s *Store) Update(ctx context.Context, id string, decide Decide) (lead.Tracked, bool, error) {
	var after lead.Tracked
	changed, wake := false, false
	err := s.tx(ctx, "update lead "+id, func(tx *sql.Tx) error {
		cur, err := readLead(ctx, tx, id, s.f.forUpdate)
		if err != nil {
			return err
		}
		after = cur
		c, msgs, ok, err := decide(cur)
		if err != nil || !ok {
			return err
		}
		if err := s.write(ctx, tx, c, msgs); err != nil {
			return err
		}
		after, changed = c.After, true
		if wake = len(msgs) > 0 || c.Release; wake {
			return s.announce(ctx, tx)
		}
		return nil
	})
	if wake && err == nil {
		s.signal()
	}
	return after, changed, err
}

// write keeps change c of a lead, and its emails msgs, in tx.
func (s *Store) write(ctx context.Context, tx *sql.Tx, c lead.Change, msgs []Message) error {
	t := c.After
	id := t.Lead.ID
	data, err := json.Marshal(t.Lead)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	email, phone := lead.Contact(t.Lead) // a corrected lead is known by its corrected details
	if _, err := tx.ExecContext(ctx, `UPDATE leads SET spam = $1, due = $2,
		data = CASE WHEN data = '' THEN '' ELSE $3 END,
		state = $4, state_at = $5, state_by = $6, acted_at = $7, claimed_at = $8, claimed_by = $9,
		contacted_at = $10, contacted_by = $11, step = $12,
		claimed_name = $13, first_call_at = $14, calls = $15, last_call = $16,
		email_key = CASE WHEN data = '' THEN '' ELSE $17 END, phone_key = CASE WHEN data = '' THEN '' ELSE $18 END
		WHERE id = $19`,
		t.Lead.Spam, nullMS(t.Lead.Due), string(data), t.State, nullMS(t.StateAt), t.StateBy, nullMS(t.ActedAt),
		nullMS(t.ClaimedAt), t.ClaimedBy, nullMS(t.ContactedAt), t.ContactedBy, t.Step,
		t.ClaimedName, nullMS(t.FirstCallAt), t.Calls, t.LastCall, email, phone, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM steps WHERE lead_id = $1`, id); err != nil {
		return err
	}
	steps := make([]any, 0, len(stepsTable)*len(t.Steps))
	for _, st := range t.Steps {
		steps = append(steps, id, st.Kind, ms(st.At), st.Payload)
	}
	if err := s.insertSteps(ctx, tx, steps); err != nil {
		return err
	}
	at := ms(c.Event.At)
	if c.Event.Kind == "" {
		at = ms(s.opt.now())
	}
	rows := make([]msgRow, len(msgs))
	for i, m := range msgs {
		rows[i] = msgRow{lead: id, m: m, state: Pending}
	}
	if _, err := s.insertMessages(ctx, tx, rows, at); err != nil {
		return err
	}
	if c.Release {
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET state = 'pending', next_attempt_at = $1, updated_at = $1
			WHERE lead_id = $2 AND state = 'held'`, at, id); err != nil {
			return err
		}
	}
	if c.Undoes != 0 {
		if _, err := tx.ExecContext(ctx, `UPDATE lead_events SET undone_at = $1 WHERE id = $2 AND lead_id = $3`,
			at, c.Undoes, id); err != nil {
			return err
		}
	}
	if c.Event.Kind == "" {
		return nil
	}
	return insertEvent(ctx, tx, id, c.Event)
}

// insertSteps schedules steps, the values of stepsTable one row after
// another.
func (s *Store) insertSteps(ctx context.Context, tx *sql.Tx, steps []any) error {
	if len(steps) == 0 {
		return nil
	}
	values, args := s.f.rows(stepsTable, steps)
	if _, err := tx.ExecContext(ctx, `INSERT INTO steps (`+stepsTable.names()+`) `+values, args...); err != nil {
		return fmt.Errorf("insert steps: %w", err)
	}
	return nil
}
