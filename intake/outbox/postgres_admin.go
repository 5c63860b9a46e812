package outbox

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Spam lists the leads held as suspected spam, oldest first.
func (s *Postgres) Spam(ctx context.Context) ([]SpamLead, error) {
	rows, err := s.pool.Query(ctx, `SELECT id, received, signals, procedure, email_domain
		FROM leads WHERE spam ORDER BY received, id`)
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

// PurgeSpam deletes the suspected spam leads received before cutoff, with
// their held messages and history, and returns how many leads it deleted.
func (s *Postgres) PurgeSpam(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.update(ctx, "purge spam", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM messages WHERE state = 'held' AND lead_id IN
			(SELECT id FROM leads WHERE spam AND received < $1)`, ms(before)); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM lead_events WHERE lead_id IN
			(SELECT id FROM leads WHERE spam AND received < $1
			 AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id))`, ms(before)); err != nil {
			return err
		}
		tag, err := tx.Exec(ctx, `DELETE FROM leads WHERE spam AND received < $1
			AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id)`, ms(before))
		n = tag.RowsAffected()
		return err
	})
	return int(n), err
}

// PurgeDelivered removes the personal data of leads received before cutoff
// whose coordinator's email has been sent, as SQLite's does (see there),
// and returns how many leads it purged.
func (s *Postgres) PurgeDelivered(ctx context.Context, before time.Time) (int, error) {
	now := ms(s.opt.now())
	var n int64
	err := s.update(ctx, "purge delivered", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE leads SET data = '', email_domain = '', purged_at = $1, next_step_at = NULL
			WHERE purged_at IS NULL AND NOT spam AND received < $2
			AND EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id AND m.kind = 'coordinator' AND m.state = 'sent')
			AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id
				AND (m.state = 'sending' OR (m.kind = 'coordinator' AND m.state <> 'sent')))
			RETURNING id`, now, ms(before))
		if err != nil {
			return err
		}
		ids, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil || len(ids) == 0 {
			return err
		}
		n = int64(len(ids))
		if _, err := tx.Exec(ctx, `DELETE FROM messages WHERE lead_id = ANY($1) AND state <> 'sent'`, ids); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE messages SET raw = '', env_to = '', updated_at = $1
			WHERE lead_id = ANY($2) AND length(raw) > 0`, now, ids)
		return err
	})
	return int(n), err
}

// Stats counts the messages by state.
func (s *Postgres) Stats(ctx context.Context) (Stats, error) {
	var st Stats
	var oldest *int64
	err := s.pool.QueryRow(ctx, `SELECT
		count(*) FILTER (WHERE state IN ('pending', 'sending')),
		count(*) FILTER (WHERE state = 'dead'),
		count(*) FILTER (WHERE state = 'held'),
		min(created_at) FILTER (WHERE state IN ('pending', 'sending', 'dead'))
		FROM messages WHERE state IN ('pending', 'sending', 'dead', 'held')`).Scan(&st.Pending, &st.Dead, &st.Held, &oldest)
	if err != nil {
		return Stats{}, fmt.Errorf("stats: %w", err)
	}
	if oldest != nil {
		st.OldestUndelivered = max(0, s.opt.now().Sub(time.UnixMilli(*oldest)))
	}
	return st, nil
}
