package outbox

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// Each lead's journey after booking (package lead's Journey) is kept beside
// the lead: the journey as JSON in journeys, with its current dates as
// columns, and its clock a row a step in journey_steps. The domain decides
// every change; UpdateJourney writes what it decided, with its emails and
// its history, in one transaction, so that a restart neither loses nor
// repeats a step.

// JourneyDecide is a decision of the journey's domain about lead t's
// journey j, as they stand in the store's transaction: the change, and
// its emails as the outbox keeps them, one for each of the change's Mails
// and in their order; ok is false when nothing changes.
type JourneyDecide func(t lead.Tracked, j lead.Journey) (c lead.JourneyChange, msgs []Message, ok bool, err error)

// Journey returns lead id as it stands and its journey (empty when it has
// none); ErrNotFound when there is no lead id.
func (s *Store) Journey(ctx context.Context, id string) (lead.Tracked, lead.Journey, error) {
	t, err := readLead(ctx, s.r, id, "")
	if err != nil {
		if !errors.Is(err, ErrNotFound) {
			err = fmt.Errorf("read lead %s: %w", id, err)
		}
		return t, lead.Journey{}, err
	}
	j, err := readJourney(ctx, s.r, id)
	if err != nil {
		return t, j, fmt.Errorf("read the journey of %s: %w", id, err)
	}
	return t, j, nil
}

// readJourney reads the journey of lead id, and its steps to come.
func readJourney(ctx context.Context, q querier, id string) (lead.Journey, error) {
	var j lead.Journey
	var data string
	err := q.QueryRowContext(ctx, `SELECT data FROM journeys WHERE lead_id = $1`, id).Scan(&data)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return j, nil
	case err != nil:
		return j, err
	}
	if err := json.Unmarshal([]byte(data), &j); err != nil {
		return j, fmt.Errorf("decode: %w", err)
	}
	rows, err := q.QueryContext(ctx, `SELECT kind, name, due_at FROM journey_steps WHERE lead_id = $1 ORDER BY due_at, kind, name`, id)
	if err != nil {
		return j, err
	}
	defer rows.Close()
	for rows.Next() {
		var p lead.Pending
		var at int64
		if err := rows.Scan(&p.Kind, &p.Name, &at); err != nil {
			return j, err
		}
		p.At = time.UnixMilli(at).UTC()
		j.Pending = append(j.Pending, p)
	}
	return j, rows.Err()
}

// UpdateJourney reads lead id and its journey, asks decide what changes,
// and writes what it decided in one transaction: the journey, its steps
// to come, its emails and its history. The lead's row is locked from the
// read to the commit, as Update locks it, so that changes of one journey
// take turns. It returns the journey after, and whether anything changed;
// ErrNotFound when there is no lead id.
func (s *Store) UpdateJourney(ctx context.Context, id string, decide JourneyDecide) (lead.Journey, bool, error) {
	var after lead.Journey
	changed, wake := false, false
	err := s.tx(ctx, "update the journey of "+id, func(tx *sql.Tx) error {
		t, err := readLead(ctx, tx, id, s.f.forUpdate)
		if err != nil {
			return err
		}
		j, err := readJourney(ctx, tx, id)
		if err != nil {
			return err
		}
		after = j
		c, msgs, ok, err := decide(t, j)
		if err != nil || !ok {
			return err
		}
		if len(msgs) != len(c.Mails) {
			return fmt.Errorf("%d messages planned for %d emails", len(msgs), len(c.Mails))
		}
		if err := s.writeJourney(ctx, tx, id, c, msgs); err != nil {
			return err
		}
		after, changed = c.After, true
		if wake = len(msgs) > 0; wake {
			return s.announce(ctx, tx)
		}
		return nil
	})
	if wake && err == nil {
		s.signal()
	}
	return after, changed, err
}

// journeyStepsTable is the columns of the journey's clock, a row a step.
var journeyStepsTable = table{{"lead_id", "text[]"}, {"kind", "text[]"}, {"name", "text[]"}, {"due_at", "bigint[]"}}

// writeJourney keeps change c of lead id's journey, and its emails msgs, in tx.
func (s *Store) writeJourney(ctx context.Context, tx *sql.Tx, id string, c lead.JourneyChange, msgs []Message) error {
	j := c.After
	data, err := json.Marshal(j)
	if err != nil {
		return fmt.Errorf("encode: %w", err)
	}
	now := ms(s.opt.now())
	var consultation, surgery any
	if a, ok := j.Current(lead.Consultation); ok {
		consultation = ms(a.At)
	}
	if a, ok := j.Current(lead.Surgery); ok {
		surgery = ms(a.At)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO journeys (lead_id, data, consultation_at, surgery_at, last_step, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6)
		ON CONFLICT (lead_id) DO UPDATE SET data = excluded.data, consultation_at = excluded.consultation_at,
		surgery_at = excluded.surgery_at, last_step = excluded.last_step, updated_at = excluded.updated_at`,
		id, string(data), consultation, surgery, ms(j.LastStep()), now); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM journey_steps WHERE lead_id = $1`, id); err != nil {
		return err
	}
	if n := len(j.Pending); n > 0 {
		args := make([]any, 0, 4*n)
		for _, p := range j.Pending {
			args = append(args, id, p.Kind, p.Name, ms(p.At))
		}
		values, args := s.f.rows(journeyStepsTable, args)
		if _, err := tx.ExecContext(ctx, `INSERT INTO journey_steps (`+journeyStepsTable.names()+`) `+values, args...); err != nil {
			return err
		}
	}
	at := ms(c.Event.At)
	if c.Event.Kind == "" {
		at = now
	}
	rows := make([]msgRow, len(msgs))
	for i, m := range msgs {
		d, err := json.Marshal(c.Mails[i].Data)
		if err != nil {
			return fmt.Errorf("encode %s: %w", m.ID, err)
		}
		rows[i] = msgRow{lead: id, m: m, state: Pending, data: d}
	}
	if _, err := s.insertMessages(ctx, tx, rows, at); err != nil {
		return err
	}
	if c.Event.Kind == "" {
		return nil
	}
	return insertEvent(ctx, tx, id, c.Event)
}

// DueJourneys returns leads whose journey has a step due at now, the
// earliest first: those of the n earliest steps due, each once, and none
// when nothing is due. It reads the steps by their due time alone, so that
// its cost is the steps due, however many journeys wait. Several
// instances may read the same one: UpdateJourney lets one of them take
// the step, and the others find it taken.
func (s *Store) DueJourneys(ctx context.Context, now time.Time, n int) ([]string, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT lead_id FROM journey_steps WHERE due_at <= $1
		ORDER BY due_at LIMIT $2`, ms(now), n)
	if err != nil {
		return nil, fmt.Errorf("due journeys: %w", err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("due journeys: %w", err)
		}
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("due journeys: %w", err)
	}
	return ids, nil
}

// NextJourneyStep returns when the earliest step of any journey is due,
// and false when none waits.
func (s *Store) NextJourneyStep(ctx context.Context) (time.Time, bool, error) {
	var next sql.NullInt64
	if err := s.r.QueryRowContext(ctx, `SELECT min(due_at) FROM journey_steps`).Scan(&next); err != nil {
		return time.Time{}, false, fmt.Errorf("next journey step: %w", err)
	}
	return fromMS(next), next.Valid, nil
}

// JourneyOf is a journey as the digest and the report read it, with its
// lead's reference, procedure and first name (empty once purged).
type JourneyOf struct {
	Lead    lead.Tracked
	Journey lead.Journey
}

// Journeys returns the journeys with an appointment, to come or past,
// in [from, to): with a consultation or a surgery booked then, or booked,
// moved or cancelled then. It reads each lead's reference, procedure and
// first name, not its other data.
func (s *Store) Journeys(ctx context.Context, from, to time.Time) ([]JourneyOf, error) {
	rows, err := s.r.QueryContext(ctx, `SELECT j.lead_id, j.data, l.ref, l.procedure, l.data FROM journeys j
		JOIN leads l ON l.id = j.lead_id
		WHERE (j.consultation_at >= $1 AND j.consultation_at < $2) OR (j.surgery_at >= $1 AND j.surgery_at < $2)
		OR (j.updated_at >= $1 AND j.updated_at < $2) OR (j.last_step >= $1)
		ORDER BY j.lead_id`, ms(from), ms(to))
	if err != nil {
		return nil, fmt.Errorf("list journeys: %w", err)
	}
	defer rows.Close()
	var out []JourneyOf
	for rows.Next() {
		var jo JourneyOf
		var data, leadData string
		if err := rows.Scan(&jo.Lead.Lead.ID, &data, &jo.Lead.Lead.Ref, &jo.Lead.Lead.Procedure, &leadData); err != nil {
			return nil, fmt.Errorf("list journeys: %w", err)
		}
		if err := json.Unmarshal([]byte(data), &jo.Journey); err != nil {
			return nil, fmt.Errorf("list journeys: %s: %w", jo.Lead.Lead.ID, err)
		}
		if leadData != "" {
			var l struct {
				FirstName string `json:"first_name"`
			}
			if err := json.Unmarshal([]byte(leadData), &l); err == nil {
				jo.Lead.Lead.FirstName = l.FirstName
			}
		}
		out = append(out, jo)
	}
	return out, rows.Err()
}

// purgeJourneys strips the journeys of the leads purged at now of what
// identifies the patient, and drops their steps to come.
func purgeJourneys(ctx context.Context, tx *sql.Tx, now int64) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM journey_steps
		WHERE lead_id IN (SELECT id FROM leads WHERE purged_at = $1)`, now); err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT lead_id, data FROM journeys
		WHERE lead_id IN (SELECT id FROM leads WHERE purged_at = $1)`, now)
	if err != nil {
		return err
	}
	stripped := map[string]string{}
	for rows.Next() {
		var id, data string
		var j lead.Journey
		if err := rows.Scan(&id, &data); err != nil {
			rows.Close()
			return err
		}
		if err := json.Unmarshal([]byte(data), &j); err != nil {
			rows.Close()
			return fmt.Errorf("decode the journey of %s: %w", id, err)
		}
		b, err := json.Marshal(j.Stripped())
		if err != nil {
			rows.Close()
			return err
		}
		stripped[id] = string(b)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for id, data := range stripped {
		if _, err := tx.ExecContext(ctx, `UPDATE journeys SET data = $1, purged_at = $2 WHERE lead_id = $3`, data, now, id); err != nil {
			return err
		}
	}
	return nil
}

// LeadByRef returns the id of the lead whose reference is ref, as staff
// read it ("HAS-1129-7K2Q", any case); ErrNotFound when none has it.
func (s *Store) LeadByRef(ctx context.Context, ref string) (string, error) {
	var id string
	err := s.r.QueryRowContext(ctx, `SELECT id FROM leads WHERE ref = $1 ORDER BY received DESC LIMIT 1`, strings.ToUpper(strings.TrimSpace(ref))).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("find lead %s: %w", ref, err)
	}
	return id, nil
}
