package outbox

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// SpamLead is what an operator needs to judge a suspected spam lead, and no
// more personal data than that.
type SpamLead struct {
	ID          string
	Received    time.Time
	Signals     []string // e.g. "honeypot", "too-fast"
	Procedure   string
	EmailDomain string
}

// Spam lists the leads held as suspected spam, oldest first.
func (s *Store) Spam(ctx context.Context) ([]SpamLead, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT id, received, signals, procedure, email_domain
		FROM leads WHERE spam = $1 ORDER BY received, id`, true)
	if err != nil {
		return nil, fmt.Errorf("list spam: %w", err)
	}
	defer rows.Close()
	out, err := scanSpam(rows)
	if err != nil {
		return nil, fmt.Errorf("list spam: %w", err)
	}
	return out, nil
}

// Stats is the state of the queue, for readiness checks and metrics.
type Stats struct {
	Pending int // pending or being sent
	Dead    int // refused permanently, waiting for Requeue
	Held    int // suspected spam
	// OldestUndelivered is the age of the oldest message that is pending,
	// being sent or dead; zero when there is none.
	OldestUndelivered time.Duration
}

// Stats counts the messages by state.
func (s *Store) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	var oldest sql.NullInt64
	err := s.r.QueryRowContext(ctx, `SELECT
		count(*) FILTER (WHERE state IN ('pending', 'sending')),
		count(*) FILTER (WHERE state = 'dead'),
		count(*) FILTER (WHERE state = 'held'),
		min(created_at) FILTER (WHERE state IN ('pending', 'sending', 'dead'))
		FROM messages WHERE state IN ('pending', 'sending', 'dead', 'held')`).Scan(&st.Pending, &st.Dead, &st.Held, &oldest)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	if oldest.Valid {
		st.OldestUndelivered = max(0, s.opt.now().Sub(time.UnixMilli(oldest.Int64)))
	}
	return st, nil
}
