package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// DueSteps returns up to n leads with a step of the clock due at now,
// with their stored lead and their steps, the earliest step first.
// Several instances may read the same lead: Update lets one of them take
// the step, and the others find it taken.
func (s *Store) DueSteps(ctx context.Context, now time.Time, n int) ([]lead.Tracked, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT lead_id FROM steps WHERE due_at <= $1
		GROUP BY lead_id ORDER BY min(due_at), lead_id LIMIT $2`, ms(now), n)
	if err != nil {
		return nil, fmt.Errorf("due steps: %w", err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, fmt.Errorf("due steps: %w", err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due steps: %w", err)
	}
	out := make([]lead.Tracked, 0, len(ids))
	for _, id := range ids {
		t, err := readLead(ctx, s.r, id, "")
		if err != nil {
			return nil, fmt.Errorf("due steps: lead %s: %w", id, err)
		}
		out = append(out, t)
	}
	return out, nil
}

// NextStep returns when the clock's earliest step is due, and false when
// no lead waits for one.
func (s *Store) NextStep(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT min(due_at) FROM steps`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next step: %w", err)
	}
	return fromMS(next), next.Valid, nil
}

// QueueDigest queues the digest's messages, one a recipient, with data,
// what they say (for their composer), in one transaction, unless they are
// queued already, by this instance or another (their ids name their day),
// and reports whether it queued any.
func (s *Store) QueueDigest(ctx context.Context, msgs []Message, data []byte, at time.Time) (bool, error) {
	var n int64
	err := s.tx(ctx, "queue digest", func(tx *sql.Tx) error {
		rows := make([]msgRow, len(msgs))
		for i, m := range msgs {
			rows[i] = msgRow{m: m, state: Pending, data: data}
		}
		var err error
		if n, err = s.insertMessages(ctx, tx, rows, ms(at)); err != nil || n == 0 {
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
