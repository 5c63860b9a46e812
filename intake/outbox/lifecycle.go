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

// Tracked is a lead with where it stands.
type Tracked struct {
	// Lead is the stored lead (List fills only a few fields); its
	// personal fields are empty once purged.
	Lead   lead.Lead
	Source string // where it came from, for counts by source

	State   string    // lead.New, lead.Claimed, …
	StateAt time.Time // when the state was set
	StateBy string    // who set it: an address; "" for the service

	ActedAt     time.Time // the first change of state by hand; zero if none
	ClaimedAt   time.Time // zero until claimed (or moved past claimed)
	ClaimedBy   string
	ContactedAt time.Time
	ContactedBy string

	Step       string    // the clock's last step: "", "reminder", "escalation", "follow_up"
	NextStepAt time.Time // zero when the clock has nothing more to do
}

// trackedCols are the columns scanTracked reads, after the lead's data.
const trackedCols = `id, ref, received, due, procedure, spam, source, state, state_at, state_by,
	acted_at, claimed_at, claimed_by, contacted_at, contacted_by, step, next_step_at`

type scanner interface{ Scan(...any) error }

// scanTracked reads trackedCols into t.
func scanTracked(row scanner, t *Tracked, extra ...any) error {
	var received int64
	var due, stateAt, acted, claimed, contacted, next sql.NullInt64
	dest := append(extra, &t.Lead.ID, &t.Lead.Ref, &received, &due, &t.Lead.Procedure, &t.Lead.Spam,
		&t.Source, &t.State, &stateAt, &t.StateBy, &acted, &claimed, &t.ClaimedBy,
		&contacted, &t.ContactedBy, &t.Step, &next)
	if err := row.Scan(dest...); err != nil {
		return err
	}
	t.Lead.Received = time.UnixMilli(received).UTC()
	t.Lead.Due = fromMS(due)
	t.StateAt, t.ActedAt, t.ClaimedAt = fromMS(stateAt), fromMS(acted), fromMS(claimed)
	t.ContactedAt, t.NextStepAt = fromMS(contacted), fromMS(next)
	return nil
}

// queryRower is what *sql.DB and *sql.Tx share to read one row.
type queryRower interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}

// readLead reads lead id with its stored data through q, with the
// flavour's row lock (lock) when a write will follow.
func readLead(ctx context.Context, q queryRower, id, lock string) (Tracked, error) {
	var t Tracked
	var data string
	err := scanTracked(q.QueryRowContext(ctx, `SELECT data, `+trackedCols+` FROM leads WHERE id = $1`+lock, id), &t, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return Tracked{}, ErrNotFound
	}
	if err != nil {
		return Tracked{}, err
	}
	return t, decodeStored(&t, data)
}

// decodeStored fills t.Lead from its stored JSON, keeping the columns
// where they differ from it (a released lead is no longer spam; a due time
// reset). A purged lead has no JSON left.
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
func (s *Store) Lead(ctx context.Context, id string) (Tracked, error) {
	t, err := readLead(ctx, s.r, id, "")
	if err != nil && !errors.Is(err, ErrNotFound) {
		err = fmt.Errorf("read lead %s: %w", id, err)
	}
	return t, err
}

// SetState moves lead id to state, set by by at at, and schedules the
// clock's next step at next (none when zero). A state moves only forward
// (lead.Rank): otherwise nothing changes, and changed is false. It returns
// the lead as it stands after.
func (s *Store) SetState(ctx context.Context, id, state, by string, at, next time.Time) (Tracked, bool, error) {
	if lead.Rank(state) < 1 {
		return Tracked{}, false, fmt.Errorf("set state of %s: %q is not a state a lead can be moved to", id, state)
	}
	var t Tracked
	changed := false
	err := s.update(ctx, "set state of "+id, func(tx *sql.Tx) error {
		cur, err := readLead(ctx, tx, id, s.f.forUpdate)
		if err != nil {
			return err
		}
		t = cur
		if lead.Rank(state) <= lead.Rank(cur.State) {
			return nil
		}
		now := ms(at)
		if _, err := tx.ExecContext(ctx, `UPDATE leads SET state = $1, state_at = $2, state_by = $3,
			acted_at = coalesce(acted_at, $2),
			claimed_at = CASE WHEN claimed_at IS NULL AND $4 THEN $2 ELSE claimed_at END,
			claimed_by = CASE WHEN claimed_at IS NULL AND $4 THEN $3 ELSE claimed_by END,
			contacted_at = CASE WHEN $5 THEN $2 ELSE contacted_at END,
			contacted_by = CASE WHEN $5 THEN $3 ELSE contacted_by END,
			next_step_at = $6
			WHERE id = $7`,
			state, now, by, claims(state), state == lead.Contacted, nullMS(next), id); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, now, "state", state, by); err != nil {
			return err
		}
		changed = true
		t, err = readLead(ctx, tx, id, "")
		return err
	})
	return t, changed, err
}

// claims reports whether moving to state means someone took the lead on:
// every forward state but spam and not-a-lead.
func claims(state string) bool {
	return state == lead.Claimed || state == lead.Contacted || state == lead.Booked || state == lead.Closed
}

// addEvent keeps a change of lead id in its history.
func addEvent(ctx context.Context, tx *sql.Tx, id string, at int64, kind, state, actor string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO lead_events (lead_id, at, kind, state, actor)
		VALUES ($1, $2, $3, $4, $5)`, id, at, kind, state, actor)
	return err
}

// ReleaseLead delivers lead id, held as suspected spam: its held messages
// become due, and it is a new lead due at due. changed is false when it
// was not held.
func (s *Store) ReleaseLead(ctx context.Context, id, by string, at, due time.Time) (Tracked, bool, error) {
	var t Tracked
	changed := false
	err := s.update(ctx, "release "+id, func(tx *sql.Tx) error {
		cur, err := readLead(ctx, tx, id, s.f.forUpdate)
		if err != nil {
			return err
		}
		t = cur
		if !cur.Lead.Spam || cur.State != lead.Spam {
			return nil
		}
		l := cur.Lead
		l.Spam = false
		data, err := json.Marshal(l) // kept only where the lead's data is
		if err != nil {
			return fmt.Errorf("encode: %w", err)
		}
		now := ms(at)
		if _, err := tx.ExecContext(ctx, `UPDATE leads SET spam = $1,
			data = CASE WHEN data = '' THEN '' ELSE $2 END,
			state = 'new', state_at = $3, state_by = $4, due = $5, next_step_at = $5
			WHERE id = $6`, false, string(data), now, by, ms(due), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE messages SET state = 'pending', next_attempt_at = $1, updated_at = $1
			WHERE lead_id = $2 AND state = 'held'`, now, id); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, id, now, "released", lead.New, by); err != nil {
			return err
		}
		if err := s.announce(ctx, tx); err != nil {
			return err
		}
		changed = true
		t, err = readLead(ctx, tx, id, "")
		return err
	})
	if changed {
		s.signal()
	}
	return t, changed, err
}

// List returns the leads received in [from, to), oldest first, without
// their personal data, for reports and the digest: it fills ID, Ref,
// Received, Due and Procedure of the lead, and Source, State, ActedAt,
// ClaimedAt and ClaimedBy. It reads only the columns a report needs, and
// sizes its answer first: it must read 100,000 leads well within a second.
func (s *Store) List(ctx context.Context, from, to time.Time) ([]Tracked, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM leads WHERE received >= $1 AND received < $2`,
		ms(from), ms(to)).Scan(&n); err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, ref, received, due, procedure, source, state,
		acted_at, claimed_at, claimed_by FROM leads
		WHERE received >= $1 AND received < $2 ORDER BY received`, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	defer rows.Close()
	out := make([]Tracked, 0, n)
	for rows.Next() {
		out = append(out, Tracked{})
		t := &out[len(out)-1]
		var received int64
		var due, acted, claimed sql.NullInt64
		if err := rows.Scan(&t.Lead.ID, &t.Lead.Ref, &received, &due, &t.Lead.Procedure, &t.Source, &t.State,
			&acted, &claimed, &t.ClaimedBy); err != nil {
			return nil, fmt.Errorf("list leads: %w", err)
		}
		t.Lead.Received, t.Lead.Due = time.UnixMilli(received).UTC(), fromMS(due)
		t.ActedAt, t.ClaimedAt = fromMS(acted), fromMS(claimed)
		t.Lead.Spam = t.State == lead.Spam
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	return out, nil
}

// Overdue counts the leads still new after their due time.
func (s *Store) Overdue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM leads
		WHERE state = 'new' AND due IS NOT NULL AND due < $1`, ms(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count overdue leads: %w", err)
	}
	return n, nil
}
