package outbox

import (
	"context"
	"fmt"
	"strings"
	"text/template"
)

// The schema is written once, as the template baseline, in the column
// types of a flavour: a new database is made from it at the flavour's
// version. A database made by an older program is brought up to date by
// the flavour's upgrades, one step a version: they are its history, and
// never change once shipped. A change of schema therefore adds one
// upgrade to each flavour and changes baseline to match; the migration
// tests open an old database of each flavour and compare it, upgraded,
// with a new one.

// schemaTypes are the column types of a flavour.
type schemaTypes struct {
	Int    string // a 64-bit integer: Unix ms
	Int32  string // a small count
	Blob   string // bytes
	Bool   string
	False  string // Bool's false, as a default
	Serial string // an integer primary key that numbers itself
	Strict string // what ends a CREATE TABLE: SQLite's " STRICT"

	// NoAttribution is true of a lead whose JSON (data) says nothing of
	// where the visit came from; Token of a source that is a short token
	// (upgradeSources).
	NoAttribution, Token string
}

// baseline is the schema at the flavours' current versions.
const baseline = `CREATE TABLE leads (
	id           TEXT PRIMARY KEY,
	idem_key     TEXT UNIQUE,                           -- NULL when the request had no key
	received     {{.Int}} NOT NULL,                     -- Unix ms
	spam         {{.Bool}} NOT NULL DEFAULT {{.False}},
	signals      TEXT NOT NULL DEFAULT '',              -- comma-separated
	procedure    TEXT NOT NULL DEFAULT '',
	email_domain TEXT NOT NULL DEFAULT '',
	data         TEXT NOT NULL,                         -- the lead as JSON; '' once purged
	purged_at    {{.Int}},
	ref          TEXT NOT NULL DEFAULT '',
	source       TEXT NOT NULL DEFAULT '',
	state        TEXT NOT NULL DEFAULT 'new',
	state_at     {{.Int}},                              -- the last change of state
	state_by     TEXT NOT NULL DEFAULT '',
	due          {{.Int}},                              -- NULL for leads kept before the clock
	acted_at     {{.Int}},                              -- the first change of state by hand
	claimed_at   {{.Int}},
	claimed_by   TEXT NOT NULL DEFAULT '',
	contacted_at {{.Int}},
	contacted_by TEXT NOT NULL DEFAULT '',
	step         TEXT NOT NULL DEFAULT '',              -- the clock's last step taken
` + leadPageLeads + `
){{.Strict}};
CREATE INDEX leads_spam_received ON leads(spam, received);
CREATE INDEX leads_state_due ON leads(state, due);
CREATE INDEX leads_received ON leads(received, id);
CREATE INDEX leads_email_key ON leads(email_key);
CREATE INDEX leads_phone_key ON leads(phone_key);
CREATE TABLE steps (
	lead_id TEXT NOT NULL REFERENCES leads(id),
	kind    TEXT NOT NULL,                              -- reminder, escalation, follow_up, …
	due_at  {{.Int}} NOT NULL,
	payload TEXT NOT NULL DEFAULT '',                   -- what the step needs besides the lead
	PRIMARY KEY (lead_id, kind)
){{.Strict}};
CREATE INDEX steps_due ON steps(due_at);
CREATE TABLE lead_events (
	id      {{.Serial}},
	lead_id TEXT NOT NULL REFERENCES leads(id),
	at      {{.Int}} NOT NULL,
	kind    TEXT NOT NULL,                              -- 'state', 'released', 'call', 'undo', 'again', or a clock step
	state   TEXT NOT NULL DEFAULT '',                   -- the state set
	actor   TEXT NOT NULL DEFAULT '',                   -- who, as the address the action was sent to; '' for the clock
` + leadPageEvents + `
){{.Strict}};
CREATE INDEX lead_events_lead ON lead_events(lead_id, at);
CREATE TABLE messages (
	id              TEXT PRIMARY KEY,
	lead_id         TEXT REFERENCES leads(id),          -- NULL for a digest
	kind            TEXT NOT NULL,                      -- coordinator, patient, reminder, …: a new kind needs no new schema
	env_from        TEXT NOT NULL,
	env_to          TEXT NOT NULL,                      -- newline-separated
	raw             {{.Blob}} NOT NULL,                 -- RFC 5322 bytes; empty when composed at delivery, and once purged
	message_id      TEXT NOT NULL,
	state           TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'held')),
	attempts        {{.Int32}} NOT NULL DEFAULT 0,
	next_attempt_at {{.Int}} NOT NULL,                  -- for 'sending', the end of the lease
	last_error      TEXT NOT NULL DEFAULT '',
	created_at      {{.Int}} NOT NULL,
	updated_at      {{.Int}} NOT NULL,
	sent_at         {{.Int}},
	data            TEXT NOT NULL DEFAULT ''            -- what the composer needs besides the lead, as JSON: the digest's
){{.Strict}};
CREATE INDEX messages_due ON messages(state, next_attempt_at);
CREATE INDEX messages_lead ON messages(lead_id);
` + journeyTables

// journeyTables keep each lead's journey after booking (package lead's
// Journey): its appointments, steps, answers and tasks as JSON, with the
// dates the digest and the purge look for as columns, and the journey's
// clock, a row a step, so that a tick reads only what is due.
const journeyTables = `CREATE TABLE journeys (
	lead_id         TEXT PRIMARY KEY REFERENCES leads(id),
	data            TEXT NOT NULL,                      -- the journey as JSON; without what identifies the patient once purged
	consultation_at {{.Int}},                           -- the consultation booked, not cancelled
	surgery_at      {{.Int}},                           -- the surgery booked, not cancelled
	last_step       {{.Int}} NOT NULL,                  -- the journey's last step, to come or past: retention counts from it
	updated_at      {{.Int}} NOT NULL,
	purged_at       {{.Int}}
){{.Strict}};
CREATE INDEX journeys_consultation ON journeys(consultation_at);
CREATE INDEX journeys_surgery ON journeys(surgery_at);
CREATE TABLE journey_steps (
	lead_id TEXT NOT NULL REFERENCES leads(id),
	kind    TEXT NOT NULL,                              -- care, reminder, ack, task
	name    TEXT NOT NULL,                              -- the step's slug, the reminder's or the task's number
	due_at  {{.Int}} NOT NULL,
	PRIMARY KEY (lead_id, kind, name)
){{.Strict}};
CREATE INDEX journey_steps_due ON journey_steps(due_at);`

// upgradeJourneys adds the journeys' tables. Both flavours take it as it is.
const upgradeJourneys = journeyTables

// inTypes returns the schema step sql in the column types t.
func inTypes(sql string, t schemaTypes) string {
	var b strings.Builder
	if err := template.Must(template.New("").Parse(sql)).Execute(&b, t); err != nil {
		panic(err) // the steps and their data are all constants
	}
	return b.String()
}

// sqliteUpgrade2 takes a SQLite file of the first release to version 2:
// the response clock, with each lead's state, due time and next step, its
// history, and messages that are reminders or a digest (which belongs to
// no lead).
const sqliteUpgrade2 = `ALTER TABLE leads ADD COLUMN ref TEXT NOT NULL DEFAULT '';
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
	CREATE INDEX messages_lead ON messages(lead_id);`

// upgradeData gives messages the data their composer needs besides the
// lead (the digest's), for emails composed when they are sent. Both
// flavours take it as it is.
const upgradeData = `ALTER TABLE messages ADD COLUMN data TEXT NOT NULL DEFAULT '';`

// upgradeSteps keeps the clock's steps to come in a table of their own, a
// row a step, so that a new kind of step is a new row rather than a new
// column: each lead's next step becomes a row of the kind it waited for.
// It also orders the leads of a period by receipt and then id, for the
// report. Both flavours take it as it is.
const upgradeSteps = `CREATE TABLE steps (
	lead_id TEXT NOT NULL REFERENCES leads(id),
	kind    TEXT NOT NULL,
	due_at  {{.Int}} NOT NULL,
	PRIMARY KEY (lead_id, kind)
){{.Strict}};
CREATE INDEX steps_due ON steps(due_at);
INSERT INTO steps (lead_id, kind, due_at)
	SELECT id, CASE WHEN state = 'new' AND step = '' THEN 'reminder'
		WHEN state = 'new' THEN 'escalation' ELSE 'follow_up' END, next_step_at
	FROM leads WHERE next_step_at IS NOT NULL
	AND (state = 'new' AND step IN ('', 'reminder') OR state = 'contacted' AND step <> 'follow_up');
DROP INDEX leads_next_step;
ALTER TABLE leads DROP COLUMN next_step_at;
DROP INDEX leads_received;
CREATE INDEX leads_received ON leads(received, id);`

// sqliteUpgradeKinds lets a SQLite file keep a message of any kind: SQLite
// drops a CHECK only by building the table again.
const sqliteUpgradeKinds = `CREATE TABLE messages_v4 (
	id              TEXT PRIMARY KEY,
	lead_id         TEXT REFERENCES leads(id),
	kind            TEXT NOT NULL,
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
	sent_at         INTEGER,
	data            TEXT NOT NULL DEFAULT ''
) STRICT;
INSERT INTO messages_v4 SELECT * FROM messages;
DROP TABLE messages;
ALTER TABLE messages_v4 RENAME TO messages;
CREATE INDEX messages_due ON messages(state, next_attempt_at);
CREATE INDEX messages_lead ON messages(lead_id);`

// postgresUpgradeKinds lets PostgreSQL keep a message of any kind.
const postgresUpgradeKinds = `ALTER TABLE messages DROP CONSTRAINT messages_kind_check;`

// upgradeSources keeps of each lead's source only a category, as
// lead.SourceOf now writes it, never what the patient typed: the form's
// fixed answers to "How did you hear of us?" as the form writes them;
// "direct" and the ad networks' words as they are; the patient's own
// words (a lead not purged, whose source came from its answer, since it
// says nothing else of where it came from) as "other"; a short token
// (a campaign's utm_source, a referrer's host) in lower case; anything
// else as "other". No column changes. Each flavour fills in its own test
// of a lead's JSON without an attribution ({{.NoAttribution}}) and of a
// short token ({{.Token}}).
const upgradeSources = `UPDATE leads SET source = CASE
	WHEN source = '' THEN ''
	WHEN lower(source) = 'search engine' THEN 'Search engine'
	WHEN lower(source) = 'social media' THEN 'Social media'
	WHEN lower(source) = 'a friend or family member' THEN 'A friend or family member'
	WHEN lower(source) = 'my doctor' THEN 'My doctor'
	WHEN lower(source) = 'press or magazine' THEN 'Press or magazine'
	WHEN lower(source) = 'other' THEN 'Other'
	WHEN source IN ('direct', 'google-ads', 'meta-ads', 'microsoft-ads') THEN source
	WHEN CASE WHEN data = '' THEN false ELSE {{.NoAttribution}} END THEN 'other'
	WHEN {{.Token}} THEN lower(source)
	ELSE 'other' END;`

// The lead's page: who owns a lead by name, its calls, the lead a later
// request joined, the keys by which the patient is known again (personal
// data: blanked by a purge), each step's payload, and a history that
// keeps each action's person, note and detail, the status before it (for
// undo), and when it was undone.
const (
	leadPageLeads = `	claimed_name  TEXT NOT NULL DEFAULT '',
	first_call_at {{.Int}},
	calls         {{.Int32}} NOT NULL DEFAULT 0,
	last_call     TEXT NOT NULL DEFAULT '',             -- the outcome of the last call
	attached_to   TEXT NOT NULL DEFAULT '',             -- an attached lead's open lead
	email_key     TEXT NOT NULL DEFAULT '',             -- the patient's address, normalised; '' once purged
	phone_key     TEXT NOT NULL DEFAULT ''              -- the patient's phone, E.164; '' once purged`
	leadPageEvents = `	name    TEXT NOT NULL DEFAULT '',                   -- the person's name, when the staff list gives it
	note    TEXT NOT NULL DEFAULT '',                   -- what they wrote with it; '' once purged
	detail  TEXT NOT NULL DEFAULT '',                   -- a call's outcome, the entry undone, the lead that joined
	prior   TEXT NOT NULL DEFAULT '',                   -- the status before an action by hand, as JSON, for undo
	undone_at {{.Int}}`
)

// upgradeLeadPage adds the lead page's columns (leadPageLeads,
// leadPageEvents) and the step's payload; the flavour's own statement
// then fills the keys of the leads kept so far.
var upgradeLeadPage = addColumns("leads", leadPageLeads) + addColumns("lead_events", leadPageEvents) +
	`ALTER TABLE steps ADD COLUMN payload TEXT NOT NULL DEFAULT '';
CREATE INDEX leads_email_key ON leads(email_key);
CREATE INDEX leads_phone_key ON leads(phone_key);
`

// Each flavour reads the patient's keys out of the stored JSON its own way.
const (
	sqliteContactKeys = `UPDATE leads SET email_key = lower(trim(coalesce(json_extract(data, '$.email'), ''))),
	phone_key = coalesce(json_extract(data, '$.phone'), '') WHERE data <> '';`
	postgresContactKeys = `UPDATE leads SET email_key = lower(trim(coalesce(data::json->>'email', ''))),
	phone_key = coalesce(data::json->>'phone', '') WHERE data <> '';`
)

// addColumns turns the column definitions cols, one a line, into ALTER
// TABLE statements on table.
func addColumns(table, cols string) string {
	var b strings.Builder
	for line := range strings.Lines(cols) {
		def, _, _ := strings.Cut(line, "--")
		def = strings.TrimSuffix(strings.TrimSpace(def), ",")
		b.WriteString("ALTER TABLE " + table + " ADD COLUMN " + def + ";\n")
	}
	return b.String()
}

// migrate brings the database's schema to the flavour's version, in one
// transaction: a new database gets baseline, an older one its upgrades.
func (s *Store) migrate(ctx context.Context) error {
	f := s.f
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback()
	for _, q := range []string{f.lockSchema, f.versionTable} {
		if q == "" {
			continue
		}
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	var version int
	if err := tx.QueryRowContext(ctx, f.readVersion).Scan(&version); err != nil {
		return fmt.Errorf("read the schema version: %w", err)
	}
	switch {
	case version > f.version:
		return fmt.Errorf("database schema version %d is newer than this program's %d", version, f.version)
	case version == 0:
		if _, err := tx.ExecContext(ctx, inTypes(baseline, f.types)); err != nil {
			return fmt.Errorf("create the schema: %w", err)
		}
	default:
		for v := version; v < f.version; v++ {
			if _, err := tx.ExecContext(ctx, inTypes(f.upgrades[v], f.types)); err != nil {
				return fmt.Errorf("step %d: %w", v+1, err)
			}
		}
	}
	if _, err := tx.ExecContext(ctx, fmt.Sprintf(f.setVersion, f.version)); err != nil {
		return fmt.Errorf("record the schema version: %w", err)
	}
	return tx.Commit()
}
