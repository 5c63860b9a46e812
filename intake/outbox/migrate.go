package outbox

import (
	"context"
	"database/sql"
	"fmt"
)

// migrations is the schema, one step per version; user_version records how
// many have run. Append only: never edit a step that has shipped.
var migrations = []string{
	// 1: leads and their messages.
	`CREATE TABLE leads (
		id           TEXT PRIMARY KEY,
		idem_key     TEXT UNIQUE,               -- NULL when the request had no key
		received     INTEGER NOT NULL,          -- Unix ms
		spam         INTEGER NOT NULL DEFAULT 0,
		signals      TEXT NOT NULL DEFAULT '',  -- comma-separated
		procedure    TEXT NOT NULL DEFAULT '',
		email_domain TEXT NOT NULL DEFAULT '',
		data         TEXT NOT NULL,             -- the lead as JSON; '' once purged
		purged_at    INTEGER
	) STRICT;
	CREATE INDEX leads_spam_received ON leads(spam, received);
	CREATE TABLE messages (
		id              TEXT PRIMARY KEY,
		lead_id         TEXT NOT NULL REFERENCES leads(id),
		kind            TEXT NOT NULL CHECK (kind IN ('coordinator', 'patient')),
		env_from        TEXT NOT NULL,
		env_to          TEXT NOT NULL,          -- newline-separated
		raw             BLOB NOT NULL,          -- RFC 5322 bytes; empty once purged
		message_id      TEXT NOT NULL,
		state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'held')),
		attempts        INTEGER NOT NULL DEFAULT 0,
		next_attempt_at INTEGER NOT NULL,       -- Unix ms; for 'sending', the end of the lease
		last_error      TEXT NOT NULL DEFAULT '',
		created_at      INTEGER NOT NULL,
		updated_at      INTEGER NOT NULL,
		sent_at         INTEGER
	) STRICT;
	CREATE INDEX messages_due ON messages(state, next_attempt_at);
	CREATE INDEX messages_lead ON messages(lead_id);`,

	// 2: the response clock: each lead's state, due time and next step,
	// its history, and messages that are reminders or a digest (which
	// belongs to no lead).
	`ALTER TABLE leads ADD COLUMN ref TEXT NOT NULL DEFAULT '';
	ALTER TABLE leads ADD COLUMN source TEXT NOT NULL DEFAULT '';
	ALTER TABLE leads ADD COLUMN state TEXT NOT NULL DEFAULT 'new';
	ALTER TABLE leads ADD COLUMN state_at INTEGER;          -- Unix ms of the last change of state
	ALTER TABLE leads ADD COLUMN state_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE leads ADD COLUMN due INTEGER;               -- Unix ms; NULL for leads kept before the clock
	ALTER TABLE leads ADD COLUMN acted_at INTEGER;          -- the first change of state by hand
	ALTER TABLE leads ADD COLUMN claimed_at INTEGER;
	ALTER TABLE leads ADD COLUMN claimed_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE leads ADD COLUMN contacted_at INTEGER;
	ALTER TABLE leads ADD COLUMN contacted_by TEXT NOT NULL DEFAULT '';
	ALTER TABLE leads ADD COLUMN step TEXT NOT NULL DEFAULT '';  -- the clock's last step: '', reminder, escalation, follow_up
	ALTER TABLE leads ADD COLUMN next_step_at INTEGER;      -- when the clock acts next; NULL when it has nothing to do
	UPDATE leads SET state = 'spam' WHERE spam = 1;
	CREATE INDEX leads_next_step ON leads(next_step_at);
	CREATE INDEX leads_state_due ON leads(state, due);
	CREATE INDEX leads_received ON leads(received);
	CREATE TABLE lead_events (
		id      INTEGER PRIMARY KEY,
		lead_id TEXT NOT NULL REFERENCES leads(id),
		at      INTEGER NOT NULL,                -- Unix ms
		kind    TEXT NOT NULL,                   -- 'state', 'released', or a clock step
		state   TEXT NOT NULL DEFAULT '',        -- the state set
		actor   TEXT NOT NULL DEFAULT ''         -- who, as the address the action was sent to; '' for the clock
	) STRICT;
	CREATE INDEX lead_events_lead ON lead_events(lead_id, at);
	CREATE TABLE messages_v2 (
		id              TEXT PRIMARY KEY,
		lead_id         TEXT REFERENCES leads(id),  -- NULL for a digest
		kind            TEXT NOT NULL CHECK (kind IN ('coordinator', 'patient', 'reminder', 'escalation', 'follow_up', 'digest')),
		env_from        TEXT NOT NULL,
		env_to          TEXT NOT NULL,
		raw             BLOB NOT NULL,
		message_id      TEXT NOT NULL,
		state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'held')),
		attempts        INTEGER NOT NULL DEFAULT 0,
		next_attempt_at INTEGER NOT NULL,
		last_error      TEXT NOT NULL DEFAULT '',
		created_at      INTEGER NOT NULL,
		updated_at      INTEGER NOT NULL,
		sent_at         INTEGER
	) STRICT;
	INSERT INTO messages_v2 SELECT * FROM messages;
	DROP TABLE messages;
	ALTER TABLE messages_v2 RENAME TO messages;
	CREATE INDEX messages_due ON messages(state, next_attempt_at);
	CREATE INDEX messages_lead ON messages(lead_id);`,
}

// migrate applies the steps that db has not run yet, in one transaction.
func migrate(ctx context.Context, db *sql.DB) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	var version int
	if err := tx.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&version); err != nil {
		return fmt.Errorf("read user_version: %w", err)
	}
	if version > len(migrations) {
		return fmt.Errorf("database schema version %d is newer than this program's %d", version, len(migrations))
	}
	for i := version; i < len(migrations); i++ {
		if _, err := tx.ExecContext(ctx, migrations[i]); err != nil {
			return fmt.Errorf("step %d: %w", i+1, err)
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(`PRAGMA user_version = %d`, len(migrations))); err != nil {
		return fmt.Errorf("set user_version: %w", err)
	}
	return tx.Commit()
}
