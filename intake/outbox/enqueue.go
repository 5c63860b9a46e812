package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
)

// Enqueue stores l and its messages in one transaction and returns after the
// commit. A key already stored returns the first lead's id with dup set, and
// stores nothing. The messages of a lead marked as spam are held, not sent.
// An empty key disables the duplicate check.
func (s *SQLite) Enqueue(ctx context.Context, l lead.Lead, key string, msgs []mail.Message) (id string, dup bool, err error) {
	return s.group.enqueue(ctx, l, key, msgs)
}

// insertBatch writes batch in one transaction: for the group's writer.
func (s *SQLite) insertBatch(ctx context.Context, batch []*enqueueReq) ([]enqueueRes, error) {
	res := make([]enqueueRes, len(batch))
	err := s.update(ctx, "insert batch", func(tx *sql.Tx) error {
		findKey, err := tx.PrepareContext(ctx, `SELECT id FROM leads WHERE idem_key = ?`)
		if err != nil {
			return err
		}
		insLead, err := tx.PrepareContext(ctx, `INSERT INTO leads
			(id, idem_key, received, spam, signals, procedure, email_domain, data,
			 ref, source, state, state_at, due, next_step_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		insMsg, err := tx.PrepareContext(ctx, `INSERT INTO messages
			(id, lead_id, kind, env_from, env_to, raw, message_id, state, next_attempt_at, created_at, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
		if err != nil {
			return err
		}
		now := ms(s.opt.now())
		seen := make(map[string]string, len(batch)) // key → lead id, within this batch
		for i, r := range batch {
			if r.key != "" {
				if id, ok := seen[r.key]; ok {
					res[i] = enqueueRes{id: id, dup: true}
					continue
				}
				var id string
				switch err := findKey.QueryRowContext(ctx, r.key).Scan(&id); {
				case err == nil:
					res[i] = enqueueRes{id: id, dup: true}
					continue
				case !errors.Is(err, sql.ErrNoRows):
					return fmt.Errorf("find key: %w", err)
				}
				seen[r.key] = r.lead.ID
			}
			if err := insertLead(ctx, insLead, insMsg, r, now); err != nil {
				return fmt.Errorf("lead %s: %w", r.lead.ID, err)
			}
			res[i] = enqueueRes{id: r.lead.ID}
		}
		return nil
	})
	return res, err
}

func insertLead(ctx context.Context, insLead, insMsg *sql.Stmt, r *enqueueReq, now int64) error {
	l := r.lead
	data, err := json.Marshal(l)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	var key any
	if r.key != "" {
		key = r.key
	}
	st, due, next := lead.New, nullMS(l.Due), nullMS(l.Due)
	if l.Spam {
		st, next = lead.Spam, nil
	}
	if _, err := insLead.ExecContext(ctx, l.ID, key, ms(l.Received), l.Spam,
		strings.Join(l.Signals, ","), l.Procedure, emailDomain(l.Email), string(data),
		l.Ref, sourceOf(l), st, ms(l.Received), due, next); err != nil {
		return err
	}
	state := Pending
	if l.Spam {
		state = Held
	}
	for _, m := range r.msgs {
		if _, err := insMsg.ExecContext(ctx, m.ID, l.ID, m.Kind, m.From, strings.Join(m.To, "\n"),
			m.Raw, m.MessageID, state, now, now, now); err != nil {
			return fmt.Errorf("message %s: %w", m.ID, err)
		}
	}
	return nil
}

// emailDomain is the part of an address after the last @, lower-cased: it
// helps judge spam without showing who wrote.
func emailDomain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}

// sourceOf is where a lead came from, for counts by source: the campaign
// or referrer the site's script recorded, else the patient's own answer.
func sourceOf(l lead.Lead) string {
	if l.Attribution == nil && l.Source != "" {
		return l.Source
	}
	return l.Attribution.Source()
}

// nullMS is t as Unix ms, or NULL when t is zero.
func nullMS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return ms(t)
}
