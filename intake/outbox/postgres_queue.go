package outbox

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/jackc/pgx/v5"
)

// Enqueue stores l and its messages in one transaction and returns after the
// commit; see Store.
func (s *Postgres) Enqueue(ctx context.Context, l lead.Lead, key string, msgs []mail.Message) (id string, dup bool, err error) {
	return s.group.enqueue(ctx, l, key, msgs)
}

// insertBatch writes batch in one transaction of four statements, sent in
// one round trip: the leads, as arrays in one INSERT; the ids stored
// under their keys; the messages of the leads that were stored, in one
// INSERT; and a NOTIFY. A key that another instance stored first, or is
// storing now, makes the lead a duplicate of that one: the insert of the
// lead waits for the other transaction, and then does nothing.
func (s *Postgres) insertBatch(ctx context.Context, batch []*enqueueReq) ([]enqueueRes, error) {
	var ls pgLeads
	var msgs pgMessages
	firstOf := make([]int, len(batch)) // for a key seen before in this batch, its first request; else -1
	seen := make(map[string]int, len(batch))
	var keys []string
	now := ms(s.opt.now())
	deliverable := false
	for i, r := range batch {
		firstOf[i] = -1
		if r.key != "" {
			if first, ok := seen[r.key]; ok {
				firstOf[i] = first
				continue
			}
			seen[r.key] = i
			keys = append(keys, r.key)
		}
		if err := ls.add(r); err != nil {
			return nil, err
		}
		state := Pending
		if r.lead.Spam {
			state = Held
		} else if len(r.msgs) > 0 {
			deliverable = true
		}
		for _, m := range r.msgs {
			msgs.add(r.lead.ID, m, state)
		}
	}
	stored := make(map[string]string, len(keys)) // key → the lead stored under it
	b := &pgx.Batch{}
	b.Queue(`INSERT INTO leads
		(id, idem_key, received, spam, signals, procedure, email_domain, data,
		 ref, source, state, state_at, due, next_step_at)
		SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::boolean[], $5::text[], $6::text[],
			$7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $3::bigint[], $12::bigint[], $13::bigint[])
		ON CONFLICT (idem_key) DO NOTHING`,
		ls.id, ls.key, ls.received, ls.spam, ls.signals, ls.procedure, ls.domain, ls.data,
		ls.ref, ls.source, ls.state, ls.due, ls.next)
	if len(keys) > 0 {
		b.Queue(`SELECT idem_key, id FROM leads WHERE idem_key = ANY($1)`, keys).Query(func(rows pgx.Rows) error {
			var key, id string
			_, err := pgx.ForEachRow(rows, []any{&key, &id}, func() error { stored[key] = id; return nil })
			return err
		})
	}
	if len(msgs.id) > 0 {
		// Only with their lead: nothing for a lead that was a duplicate.
		b.Queue(`INSERT INTO messages
			(id, lead_id, kind, env_from, env_to, raw, message_id, state, next_attempt_at, created_at, updated_at)
			SELECT m.id, m.lead_id, m.kind, m.env_from, m.env_to, m.raw, m.message_id, m.state, $9, $9, $9
			FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bytea[], $7::text[], $8::text[])
				AS m(id, lead_id, kind, env_from, env_to, raw, message_id, state)
			WHERE EXISTS (SELECT 1 FROM leads WHERE id = m.lead_id)`,
			msgs.id, msgs.lead, msgs.kind, msgs.from, msgs.to, msgs.raw, msgs.messageID, msgs.state, now)
	}
	if deliverable {
		b.Queue(`SELECT pg_notify($1, '')`, notifyChannel)
	}
	err := s.update(ctx, "insert batch", func(tx pgx.Tx) error {
		return tx.SendBatch(ctx, b).Close()
	})
	if err != nil {
		return nil, err
	}
	res := make([]enqueueRes, len(batch))
	for i, r := range batch {
		switch id := stored[r.key]; {
		case firstOf[i] >= 0:
			res[i] = enqueueRes{id: res[firstOf[i]].id, dup: true}
		case r.key != "" && id != r.lead.ID:
			res[i] = enqueueRes{id: id, dup: true}
		default:
			res[i] = enqueueRes{id: r.lead.ID}
		}
	}
	return res, nil
}

// pgLeads are the columns of leads to insert, one array each.
type pgLeads struct {
	id, signals, procedure, domain, data, ref, source, state []string
	key                                                      []*string // NULL without a key
	received                                                 []int64
	spam                                                     []bool
	due, next                                                []*int64 // NULL when unset
}

func (p *pgLeads) add(r *enqueueReq) error {
	l := r.lead
	data, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("lead %s: encode: %w", l.ID, err)
	}
	var key *string
	var due, next *int64
	if r.key != "" {
		key = &r.key
	}
	if !l.Due.IsZero() {
		d := ms(l.Due)
		due, next = &d, &d
	}
	st := lead.New
	if l.Spam {
		st, next = lead.Spam, nil
	}
	p.id = append(p.id, l.ID)
	p.key = append(p.key, key)
	p.received = append(p.received, ms(l.Received))
	p.spam = append(p.spam, l.Spam)
	p.signals = append(p.signals, strings.Join(l.Signals, ","))
	p.procedure = append(p.procedure, l.Procedure)
	p.domain = append(p.domain, emailDomain(l.Email))
	p.data = append(p.data, string(data))
	p.ref = append(p.ref, l.Ref)
	p.source = append(p.source, sourceOf(l))
	p.state = append(p.state, st)
	p.due = append(p.due, due)
	p.next = append(p.next, next)
	return nil
}

// pgMessages are the columns of messages to insert, one array each.
type pgMessages struct {
	id, lead, kind, from, to, messageID, state []string
	raw                                        [][]byte
}

func (p *pgMessages) add(leadID string, m mail.Message, state string) {
	p.id = append(p.id, m.ID)
	p.lead = append(p.lead, leadID)
	p.kind = append(p.kind, m.Kind)
	p.from = append(p.from, m.From)
	p.to = append(p.to, strings.Join(m.To, "\n"))
	p.raw = append(p.raw, m.Raw)
	p.messageID = append(p.messageID, m.MessageID)
	p.state = append(p.state, state)
}

// Claim marks up to n due messages as sending and returns them; see Store.
// Rows that another instance is claiming at the same moment are skipped,
// not waited for.
func (s *Postgres) Claim(ctx context.Context, now time.Time, n int) ([]Msg, error) {
	var out []Msg
	err := s.update(ctx, "claim", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `UPDATE messages
			SET state = 'sending', next_attempt_at = $1, updated_at = $2
			WHERE id IN (SELECT id FROM messages
				WHERE state IN ('pending', 'sending') AND next_attempt_at <= $2
				ORDER BY next_attempt_at LIMIT $3
				FOR UPDATE SKIP LOCKED)
			RETURNING id, coalesce(lead_id, ''), kind, env_from, env_to, raw, message_id, attempts, created_at`,
			ms(now.Add(s.opt.lease)), ms(now), n)
		if err != nil {
			return err
		}
		defer rows.Close()
		out, err = scanMsgs(rows)
		return err
	})
	return out, err
}

// Done records that message id was accepted by the mail server.
func (s *Postgres) Done(ctx context.Context, id string) error {
	now := ms(s.opt.now())
	return s.setState(ctx, "done "+id, `UPDATE messages
		SET state = 'sent', attempts = attempts + 1, last_error = '', sent_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'sending'`, now, id)
}

// Retry records a failed attempt of message id and makes it due again at next.
func (s *Postgres) Retry(ctx context.Context, id string, cause error, next time.Time) error {
	return s.setState(ctx, "retry "+id, `UPDATE messages
		SET state = 'pending', attempts = attempts + 1, last_error = $1, next_attempt_at = $2, updated_at = $3
		WHERE id = $4 AND state = 'sending'`, errText(cause), ms(next), ms(s.opt.now()), id)
}

// Dead records that message id was refused permanently; Requeue sends it again.
func (s *Postgres) Dead(ctx context.Context, id string, cause error) error {
	return s.setState(ctx, "dead-letter "+id, `UPDATE messages
		SET state = 'dead', attempts = attempts + 1, last_error = $1, updated_at = $2
		WHERE id = $3 AND state = 'sending'`, errText(cause), ms(s.opt.now()), id)
}

// Release gives back a claimed message that was not attempted (the worker is
// stopping): it is due again at once, and no attempt is counted.
func (s *Postgres) Release(ctx context.Context, id string) error {
	now := ms(s.opt.now())
	return s.setState(ctx, "release "+id, `UPDATE messages
		SET state = 'pending', next_attempt_at = $1, updated_at = $1
		WHERE id = $2 AND state = 'sending'`, now, id)
}

// Recover returns 0 and changes nothing: on a database that several
// instances share, a claimed message may be another instance's send in
// progress. A message claimed by an instance that died is claimed again
// once its lease runs out.
func (s *Postgres) Recover(ctx context.Context) (int, error) { return 0, nil }

// Requeue makes every dead message pending and due now, and returns how many.
func (s *Postgres) Requeue(ctx context.Context) (int, error) {
	now := ms(s.opt.now())
	var n int64
	err := s.update(ctx, "requeue", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE messages
			SET state = 'pending', next_attempt_at = $1, updated_at = $1 WHERE state = 'dead'`, now)
		if err != nil {
			return err
		}
		if n = tag.RowsAffected(); n > 0 {
			return notify(ctx, tx)
		}
		return nil
	})
	if n > 0 {
		s.signal()
	}
	return int(n), err
}

// NextDue returns when the earliest pending or claimed message falls due,
// and false when there is none.
func (s *Postgres) NextDue(ctx context.Context) (time.Time, bool, error) {
	var next *int64
	err := s.pool.QueryRow(ctx, `SELECT min(next_attempt_at) FROM messages
		WHERE state IN ('pending', 'sending')`).Scan(&next)
	if err != nil {
		return time.Time{}, false, fmt.Errorf("next due: %w", err)
	}
	if next == nil {
		return time.Time{}, false, nil
	}
	return time.UnixMilli(*next), true, nil
}

// setState runs one UPDATE that must touch exactly one message.
func (s *Postgres) setState(ctx context.Context, what, query string, args ...any) error {
	return s.update(ctx, what, func(tx pgx.Tx) error {
		return oneRow(tx.Exec(ctx, query, args...))
	})
}
