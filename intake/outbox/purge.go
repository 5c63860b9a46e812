package outbox

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"
)

// Retention is how long the outbox keeps personal data.
type Retention struct {
	// Delivered is how long a lead's personal data is kept, counted from
	// its receipt, once its emails were delivered.
	Delivered time.Duration
	// Spam is how long suspected spam is kept, counted from its receipt.
	Spam time.Duration
}

// PurgeLoop purges from s what r no longer keeps, at once and then every interval,
// until ctx ends, and logs how many leads each purge removed. After each
// purge it calls each of also with the cutoff of delivered leads, for
// copies of their data kept elsewhere (e.g. a folder of .eml files).
func PurgeLoop(ctx context.Context, s *Store, log *slog.Logger, every time.Duration, r Retention,
	also ...func(ctx context.Context, before time.Time) (int, error)) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		purgeOnce(ctx, s, log, r, also)
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// purgeOnce is one round of PurgeLoop.
func purgeOnce(ctx context.Context, s *Store, log *slog.Logger, r Retention,
	also []func(ctx context.Context, before time.Time) (int, error)) {
	now := time.Now()
	report := func(what string, n int, err error) {
		switch {
		case errors.Is(err, ErrLogKept), errors.Is(err, ErrLogRecycled):
			if !s.logKeptSaid.Swap(true) { // once: it is the database's settings to change
				log.Warn(err.Error())
			}
		case err != nil:
			log.Error("purge "+what, "err", err)
			return
		}
		if n > 0 {
			log.Info("purged "+what, "leads", n)
		}
	}
	n, err := s.PurgeSpam(ctx, now.Add(-r.Spam))
	report("spam", n, err)
	before := now.Add(-r.Delivered)
	n, err = s.PurgeDelivered(ctx, before)
	report("the personal data of delivered leads", n, err)
	for _, f := range also {
		if n, err := f(ctx, before); err != nil {
			log.Error("purge copies of delivered leads", "err", err)
		} else if n > 0 {
			log.Info("purged copies of delivered leads", "files", n)
		}
	}
}

// PurgeSpam deletes the suspected spam leads received before cutoff, with
// their held messages, and returns how many leads it deleted. What it
// deletes is overwritten in the database's files (see wipe).
func (s *Store) PurgeSpam(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := s.tx(ctx, "purge spam", func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages WHERE state = 'held' AND lead_id IN
			(SELECT id FROM leads WHERE spam = $1 AND received < $2)`, true, ms(before)); err != nil {
			return err
		}
		for _, table := range []string{"lead_events", "steps"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table+` WHERE lead_id IN
				(SELECT id FROM leads WHERE spam = $1 AND received < $2
				AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id))`, true, ms(before)); err != nil {
				return err
			}
		}
		r, err := tx.ExecContext(ctx, `DELETE FROM leads WHERE spam = $1 AND received < $2
			AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id)`, true, ms(before))
		if err != nil {
			return err
		}
		n, err = r.RowsAffected()
		return err
	})
	if err == nil && (n > 0 || s.unwiped.Load()) {
		err = s.wipe(ctx)
	}
	return int(n), err
}

// PurgeDelivered removes the personal data of the leads received before
// cutoff whose coordinator's email has been delivered, whatever became of
// the others (a confirmation refused for good must not keep a lead's
// health data forever): the lead's JSON (every field the patient filled
// in), its email domain, its contact keys (lead.Contact) and its
// idempotency key (a client may send any) are blanked, so that a retry of
// it thirty days on is a new lead; the notes of its history are blanked;
// its sent messages' bytes, recipients and last errors are
// blanked, its messages never sent are deleted, and its clock's steps are
// dropped; its journey, kept until a retention period after its last
// step, is stripped (lead.Journey.Stripped). What is left is what the
// report shows: its id, reference, times, state, calls, procedure and
// source category (lead.SourceOf), with the delivery history. A lead
// with a message being sent waits
// for the next purge. It returns how many leads it purged; what it removes
// is overwritten in the database's files (see wipe).
func (s *Store) PurgeDelivered(ctx context.Context, before time.Time) (int, error) {
	now := ms(s.opt.now())
	var n int64
	err := s.tx(ctx, "purge delivered", func(tx *sql.Tx) error {
		r, err := tx.ExecContext(ctx, `UPDATE leads SET data = '', email_domain = '', email_key = '', phone_key = '', idem_key = NULL, purged_at = $1
			WHERE purged_at IS NULL AND spam = $2 AND received < $3
			AND EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id AND m.kind = 'coordinator' AND m.state = 'sent')
			AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.lead_id = leads.id
				AND (m.state = 'sending' OR (m.kind = 'coordinator' AND m.state <> 'sent')))
			AND NOT EXISTS (SELECT 1 FROM journeys j WHERE j.lead_id = leads.id AND j.last_step >= $3)`,
			now, false, ms(before))
		if err != nil {
			return err
		}
		if n, err = r.RowsAffected(); err != nil || n == 0 {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM messages
			WHERE lead_id IN (SELECT id FROM leads WHERE purged_at = $1) AND state <> 'sent'`, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM steps
			WHERE lead_id IN (SELECT id FROM leads WHERE purged_at = $1)`, now); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE lead_events SET note = ''
			WHERE lead_id IN (SELECT id FROM leads WHERE purged_at = $1) AND note <> ''`, now); err != nil {
			return err
		}
		if err := purgeJourneys(ctx, tx, now); err != nil {
			return err
		}
		// Every message kept, composed at delivery or not: its recipients
		// (the patient's address), its last error, which a mail server
		// may have written with the address in it, and what it said
		// besides the lead (a journey's email: what the patient wrote).
		_, err = tx.ExecContext(ctx, `UPDATE messages SET raw = $1, env_to = '', last_error = '', data = '', updated_at = $2
			WHERE lead_id IN (SELECT id FROM leads WHERE purged_at = $2)`, []byte{}, now)
		return err
	})
	if err == nil && (n > 0 || s.unwiped.Load()) {
		err = s.wipe(ctx)
	}
	return int(n), err
}

// ErrLogKept reports a purge that is final in PostgreSQL's tables and
// indexes, while its write-ahead log still holds the purged rows as they
// were first written, until PostgreSQL recycles those segments: the
// database user may not end a segment and checkpoint (pg_switch_wal,
// CHECKPOINT). docs/intake.md says what to grant.
var ErrLogKept = errors.New("purge: the database user may not run pg_switch_wal() and CHECKPOINT, so PostgreSQL's write-ahead log keeps the purged rows until it recycles its segments: " +
	"GRANT EXECUTE ON FUNCTION pg_switch_wal() TO the service's user, and GRANT pg_checkpoint TO it")

// ErrLogRecycled reports a purge that is final in PostgreSQL's tables and
// indexes, whose write-ahead log segments holding the purged rows are
// kept for reuse, bytes and all (wal_recycle = on, PostgreSQL's default),
// until new records overwrite them.
var ErrLogRecycled = errors.New("purge: PostgreSQL keeps its old write-ahead log segments for reuse (wal_recycle = on), and with them the purged rows until they are overwritten: " +
	"set wal_recycle = off in postgresql.conf, so that it removes them")

// wipe makes a purge final on disk.
//
// SQLite: every connection runs with secure_delete, so that SQLite
// overwrites deleted content with zeros; but the write-ahead log still
// holds the pages as they were before, until a checkpoint copies the new
// ones into the database and truncates it. A reader in the middle of a
// query can hold the log for a moment, so wipe tries a few times.
//
// PostgreSQL keeps a row's old versions in the table's pages until a
// VACUUM, and even then the bytes of what it frees stay in the pages: a
// VACUUM (FULL) of the tables that held the lead writes them anew,
// without them. Its write-ahead log holds every row as it was inserted;
// wipe ends the log's segment and checkpoints, after which PostgreSQL
// lets the older segments go (with wal_recycle = off it removes them,
// rather than keeping them for reuse with their bytes). A database user
// that may not do so gets ErrLogKept, and a database that recycles its
// segments ErrLogRecycled, once the rest is done.
func (s *Store) wipe(ctx context.Context) error {
	for _, q := range s.f.vacuum {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			s.unwiped.Store(true)
			return fmt.Errorf("purge: %s: %w", q, err)
		}
	}
	for _, q := range s.f.flushLog {
		if _, err := s.w.ExecContext(ctx, q); err != nil {
			if insufficientPrivilege(err) { // the tables are done; the log is the grants' to fix
				s.unwiped.Store(false)
				return ErrLogKept
			}
			s.unwiped.Store(true)
			return fmt.Errorf("purge: %s: %w", q, err)
		}
	}
	s.unwiped.Store(false)
	if s.f.logRecycled != "" {
		var recycle string
		if err := s.w.QueryRowContext(ctx, s.f.logRecycled).Scan(&recycle); err == nil && recycle == "on" {
			return ErrLogRecycled
		}
	}
	if s.f.checkpoint == "" {
		return nil
	}
	s.unwiped.Store(true)
	for try := 0; ; try++ {
		var busy, logFrames, done int
		err := s.w.QueryRowContext(ctx, s.f.checkpoint).Scan(&busy, &logFrames, &done)
		switch {
		case err != nil:
			return fmt.Errorf("purge: checkpoint the write-ahead log: %w", err)
		case busy == 0:
			s.unwiped.Store(false)
			return nil
		case try == 4:
			return errors.New("purge: checkpoint the write-ahead log: readers kept it busy; the next purge tries again")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
