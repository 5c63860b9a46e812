package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/consultahq/consulta/intake/lead"
)

// Enqueue stores lead t as it starts its lifecycle (lead.Start, or
// lead.Attach, whose event the open lead's history then keeps), with its
// steps and its messages, in one transaction, and returns after the
// commit. A key already stored returns the first lead's id with dup set,
// and stores nothing. The messages of a lead marked as spam are held, not
// sent. An empty key disables the duplicate check.
func (s *Store) Enqueue(ctx context.Context, t lead.Tracked, key string, msgs []Message) (id string, dup bool, err error) {
	return s.group.enqueue(ctx, t, key, msgs)
}

// insertBatch writes batch in one transaction, for the group's writer: the
// leads in one INSERT, the steps and the messages of the leads it stored
// in one each, and the announcement that they are due. A key stored
// before, or by another instance at the same moment, makes its lead a
// duplicate of that one: the INSERT skips it (on PostgreSQL, after waiting
// for the other transaction), and the lead stored under the key is read
// back.
func (s *Store) insertBatch(ctx context.Context, batch []*enqueueReq) ([]enqueueRes, error) {
	firstOf := make([]int, len(batch)) // for a key seen before in this batch, its first request; else -1
	seen := make(map[string]int, len(batch))
	var leads []any
	for i, r := range batch {
		firstOf[i] = -1
		if r.key != "" {
			if first, ok := seen[r.key]; ok {
				firstOf[i] = first
				continue
			}
			seen[r.key] = i
		}
		row, err := leadRow(r)
		if err != nil {
			return nil, err
		}
		leads = append(leads, row...)
	}
	now := ms(s.opt.now())
	stored := make(map[string]bool, len(batch)) // ids of the leads this batch stored
	byKey := map[string]string{}                // key → the lead stored under it before
	err := s.tx(ctx, "insert batch", func(tx *sql.Tx) error {
		values, args := s.f.rows(leadsTable, leads)
		rows, err := tx.QueryContext(ctx, `INSERT INTO leads (`+leadsTable.names()+`) `+values+
			` ON CONFLICT (idem_key) DO NOTHING RETURNING id`, args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id string
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return err
			}
			stored[id] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var keys, steps []any
		var msgs []msgRow
		deliverable := false
		for i, r := range batch {
			l := r.lead.Lead
			switch {
			case firstOf[i] >= 0:
			case !stored[l.ID]:
				keys = append(keys, r.key)
			default:
				state := Pending
				if l.Spam {
					state = Held
				} else if len(r.msgs) > 0 {
					deliverable = true
				}
				for _, m := range r.msgs {
					msgs = append(msgs, msgRow{lead: l.ID, m: m, state: state})
				}
				for _, st := range r.lead.Steps {
					steps = append(steps, l.ID, st.Kind, ms(st.At), st.Payload)
				}
				if to, ev, ok := r.lead.Joined(); ok {
					if err := insertEvent(ctx, tx, to, ev); err != nil {
						return fmt.Errorf("the history of %s: %w", to, err)
					}
				}
			}
		}
		if err := s.readKeys(ctx, tx, keys, byKey); err != nil {
			return err
		}
		if err := s.insertSteps(ctx, tx, steps); err != nil {
			return err
		}
		if _, err := s.insertMessages(ctx, tx, msgs, now); err != nil {
			return err
		}
		if deliverable {
			return s.announce(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	res := make([]enqueueRes, len(batch))
	for i, r := range batch {
		switch id := r.lead.Lead.ID; {
		case firstOf[i] >= 0:
			res[i] = enqueueRes{id: res[firstOf[i]].id, dup: true}
		case stored[id]:
			res[i] = enqueueRes{id: id}
		case byKey[r.key] != "":
			res[i] = enqueueRes{id: byKey[r.key], dup: true}
		default:
			return nil, fmt.Errorf("lead %s: neither stored nor a duplicate", id)
		}
	}
	return res, nil
}

// leadRow returns the values of leadsTable for r's lead.
func leadRow(r *enqueueReq) ([]any, error) {
	t, l := r.lead, r.lead.Lead
	data, err := json.Marshal(l)
	if err != nil {
		return nil, fmt.Errorf("lead %s: encode: %w", l.ID, err)
	}
	var key any
	if r.key != "" {
		key = r.key
	}
	email, phone := lead.Contact(l)
	return []any{l.ID, key, ms(l.Received), l.Spam, strings.Join(l.Signals, ","), l.Procedure,
		emailDomain(l.Email), string(data), l.Ref, t.Source, t.State, ms(t.StateAt), nullMS(l.Due),
		t.AttachedTo, email, phone}, nil
}

// readKeys adds to byKey the lead stored under each of keys.
func (s *Store) readKeys(ctx context.Context, tx *sql.Tx, keys []any, byKey map[string]string) error {
	if len(keys) == 0 {
		return nil
	}
	in, args := s.f.in(keys)
	rows, err := tx.QueryContext(ctx, `SELECT idem_key, id FROM leads WHERE idem_key `+in, args...)
	if err != nil {
		return fmt.Errorf("find keys: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var key, id string
		if err := rows.Scan(&key, &id); err != nil {
			return fmt.Errorf("find keys: %w", err)
		}
		byKey[key] = id
	}
	return rows.Err()
}

// msgRow is a message to insert: of lead lead ("" for none), in state,
// with data for its composer.
type msgRow struct {
	lead  string
	m     Message
	state string
	data  []byte
}

// maxRows bounds the rows of one INSERT, well within SQLite's limit on
// the values of one statement.
const maxRows = 500

// insertMessages inserts rows, due at now, and returns how many it
// inserted: a message whose id is stored already is skipped, so that a
// step or a digest is never queued twice.
func (s *Store) insertMessages(ctx context.Context, tx *sql.Tx, rows []msgRow, now int64) (int64, error) {
	var n int64
	for len(rows) > 0 {
		part := rows[:min(len(rows), maxRows)]
		rows = rows[len(part):]
		args := make([]any, 0, len(part)*len(messagesTable))
		for _, r := range part {
			var lid any
			if r.lead != "" {
				lid = r.lead
			}
			raw := r.m.Raw
			if raw == nil {
				raw = []byte{}
			}
			args = append(args, r.m.ID, lid, r.m.Kind, r.m.From, strings.Join(r.m.To, "\n"), raw,
				r.m.MessageID, r.state, now, now, now, string(r.data))
		}
		values, args := s.f.rows(messagesTable, args)
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (`+messagesTable.names()+`) `+values+
			` ON CONFLICT (id) DO NOTHING`, args...)
		if err != nil {
			return n, fmt.Errorf("insert messages: %w", err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return n, fmt.Errorf("insert messages: %w", err)
		}
		n += k
	}
	return n, nil
}

// emailDomain is the part of an address after the last @, lower-cased: it
// helps judge spam without showing who wrote.
func emailDomain(addr string) string {
	if i := strings.LastIndexByte(addr, '@'); i >= 0 {
		return strings.ToLower(addr[i+1:])
	}
	return ""
}
