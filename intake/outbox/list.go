package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// List returns the leads received in [from, to), oldest first, without
// their personal data, for reports and the digest: it fills ID, Ref,
// Received, Due and Procedure of the lead, and Source, State, StateAt,
// ActedAt, ClaimedAt, ClaimedBy, ClaimedName, ContactedAt, FirstCallAt,
// Calls and LastCall. A request attached to an open lead is no lead of
// its own, and is left out. It reads only the columns a report needs, and
// sizes its answer first: it must read 100,000 leads well within a
// second.
func (s *Store) List(ctx context.Context, from, to time.Time) ([]lead.Tracked, error) {
	var n int
	if err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM leads WHERE received >= $1 AND received < $2`,
		ms(from), ms(to)).Scan(&n); err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	rows, err := s.r.QueryContext(ctx, `SELECT id, ref, received, due, procedure, source, state, state_at,
		acted_at, claimed_at, claimed_by, claimed_name, contacted_at, first_call_at, calls, last_call FROM leads
		WHERE received >= $1 AND received < $2 AND state <> $3 ORDER BY received, id`, ms(from), ms(to), lead.Attached)
	if err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	defer rows.Close()
	out := make([]lead.Tracked, 0, n)
	for rows.Next() {
		out = append(out, lead.Tracked{})
		t := &out[len(out)-1]
		var received int64
		var due, stateAt, acted, claimed, contacted, firstCall sql.NullInt64
		if err := rows.Scan(&t.Lead.ID, &t.Lead.Ref, &received, &due, &t.Lead.Procedure, &t.Source, &t.State, &stateAt,
			&acted, &claimed, &t.ClaimedBy, &t.ClaimedName, &contacted, &firstCall, &t.Calls, &t.LastCall); err != nil {
			return nil, fmt.Errorf("list leads: %w", err)
		}
		t.Lead.Received, t.Lead.Due = time.UnixMilli(received).UTC(), fromMS(due)
		t.StateAt, t.ActedAt, t.ClaimedAt = fromMS(stateAt), fromMS(acted), fromMS(claimed)
		t.ContactedAt, t.FirstCallAt = fromMS(contacted), fromMS(firstCall)
		t.Lead.Spam = t.State == lead.Spam
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("list leads: %w", err)
	}
	return out, nil
}

// Overdue counts the leads not reached after their due time: still new,
// or claimed and not yet reached.
func (s *Store) Overdue(ctx context.Context, now time.Time) (int, error) {
	var n int
	err := s.r.QueryRowContext(ctx, `SELECT count(*) FROM leads
		WHERE state IN ($1, $2) AND due IS NOT NULL AND due < $3`, lead.New, lead.Claimed, ms(now)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count overdue leads: %w", err)
	}
	return n, nil
}
