package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// A lead's history is a row of lead_events an event (lead.Event): who,
// when, what, the note they wrote, and, for an action by hand, the status
// before it, kept for undo. A purge blanks the notes with the rest of the
// lead's personal data.

// insertEvent keeps ev in the history of lead id.
func insertEvent(ctx context.Context, tx *sql.Tx, id string, ev lead.Event) error {
	var prior []byte
	if ev.Before != nil {
		var err error
		if prior, err = json.Marshal(ev.Before); err != nil {
			return fmt.Errorf("encode the status before: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO lead_events (lead_id, at, kind, state, actor, name, note, detail, prior)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		id, ms(ev.At), ev.Kind, ev.State, ev.By.Email, ev.By.Name, ev.Note, ev.Detail, string(prior))
	return err
}

// readHistory reads the history of lead id, newest first.
func readHistory(ctx context.Context, q querier, id string) ([]lead.Entry, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, kind, state, actor, name, note, detail, prior, undone_at
		FROM lead_events WHERE lead_id = $1 ORDER BY at DESC, id DESC`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []lead.Entry
	for rows.Next() {
		var e lead.Entry
		var at int64
		var prior string
		var undone sql.NullInt64
		if err := rows.Scan(&e.ID, &at, &e.Kind, &e.State, &e.By.Email, &e.By.Name, &e.Note, &e.Detail, &prior, &undone); err != nil {
			return nil, err
		}
		e.At, e.Undone = fromMS(sql.NullInt64{Int64: at, Valid: true}), fromMS(undone)
		if prior != "" {
			e.Before = new(lead.Status)
			if err := json.Unmarshal([]byte(prior), e.Before); err != nil {
				return nil, fmt.Errorf("entry %d: decode the status before: %w", e.ID, err)
			}
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// Attached returns the requests attached to lead id (lead.Attach), with
// their stored data, oldest first: what the patient wrote again.
func (s *Store) Attached(ctx context.Context, id string) ([]lead.Lead, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id FROM leads WHERE attached_to = $1 ORDER BY received, id`, id)
	if err != nil {
		return nil, fmt.Errorf("read the requests attached to %s: %w", id, err)
	}
	var ids []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			rows.Close()
			return nil, fmt.Errorf("read the requests attached to %s: %w", id, err)
		}
		ids = append(ids, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("read the requests attached to %s: %w", id, err)
	}
	out := make([]lead.Lead, 0, len(ids))
	for _, a := range ids {
		t, err := readLead(ctx, s.r, a, "")
		if errors.Is(err, ErrNotFound) {
			continue // purged since
		}
		if err != nil {
			return nil, fmt.Errorf("read the request %s attached to %s: %w", a, id, err)
		}
		out = append(out, t.Lead)
	}
	return out, nil
}

// Match returns the open lead (lead.OpenTo) received at or after since
// whose patient has the email address or the phone number of l
// (lead.Contact), the latest if several; false when there is none.
func (s *Store) Match(ctx context.Context, l lead.Lead, since time.Time) (lead.Tracked, bool, error) {
	email, phone := lead.Contact(l)
	args := []any{ms(since), email, phone}
	for _, st := range lead.Open {
		args = append(args, st)
	}
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT id FROM leads WHERE received >= $1
		AND ((email_key <> '' AND email_key = $2) OR (phone_key <> '' AND phone_key = $3))
		AND state IN `+inList(4, len(lead.Open))+`
		ORDER BY received DESC, id DESC LIMIT 1`, args...).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return lead.Tracked{}, false, nil
	}
	if err != nil {
		return lead.Tracked{}, false, fmt.Errorf("match a request to an open lead: %w", err)
	}
	t, err := s.Lead(ctx, id)
	if errors.Is(err, ErrNotFound) {
		return lead.Tracked{}, false, nil
	}
	return t, err == nil, err
}

// inList returns n placeholders from $from on, in parentheses: inList(4, 2)
// is "($4, $5)".
func inList(from, n int) string {
	p := make([]string, n)
	for i := range p {
		p[i] = "$" + strconv.Itoa(from+i)
	}
	return "(" + strings.Join(p, ", ") + ")"
}
