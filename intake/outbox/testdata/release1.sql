-- The outbox's schema as the first release left it (user_version 1), with
-- a few rows in every state: TestMigrateFromRelease1 opens it with today's
-- program. Never edit it: it stands for files that exist.
CREATE TABLE leads (
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
CREATE INDEX messages_lead ON messages(lead_id);

INSERT INTO leads (id, idem_key, received, spam, signals, procedure, email_domain, data) VALUES
	('ld_pending', 'key-pending', 1795771800000, 0, '', 'rhinoplasty', 'example.org',
	 '{"id":"ld_pending","received":"2026-11-27T09:30:00Z","first_name":"Anna","email":"anna@example.org","procedure":"rhinoplasty"}'),
	('ld_sent', 'key-sent', 1795771800000, 0, '', 'facelift', 'example.org',
	 '{"id":"ld_sent","received":"2026-11-27T09:30:00Z","first_name":"Bea","email":"bea@example.org","procedure":"facelift"}'),
	('ld_spam', NULL, 1795771800000, 1, 'honeypot', 'rhinoplasty', 'spam.example',
	 '{"id":"ld_spam","received":"2026-11-27T09:30:00Z","first_name":"X","email":"x@spam.example","procedure":"rhinoplasty","spam":true}');
INSERT INTO messages (id, lead_id, kind, env_from, env_to, raw, message_id, state, attempts,
	next_attempt_at, last_error, created_at, updated_at, sent_at) VALUES
	('ld_pending.coordinator', 'ld_pending', 'coordinator', 'desk@example.com', 'x@example.com',
	 CAST('Subject: a' || char(13, 10, 13, 10) || 'hi' || char(13, 10) AS BLOB),
	 '<ld_pending.coordinator@example.com>', 'pending', 1, 1795771800000, '451 try later', 1795771800000, 1795771800000, NULL),
	('ld_pending.patient', 'ld_pending', 'patient', 'desk@example.com', 'anna@example.org',
	 CAST('Subject: b' || char(13, 10, 13, 10) || 'hi' || char(13, 10) AS BLOB),
	 '<ld_pending.patient@example.com>', 'dead', 1, 1795771800000, '550 no such user', 1795771800000, 1795771800000, NULL),
	('ld_sent.coordinator', 'ld_sent', 'coordinator', 'desk@example.com', 'x@example.com',
	 CAST('Subject: c' || char(13, 10, 13, 10) || 'hi' || char(13, 10) AS BLOB),
	 '<ld_sent.coordinator@example.com>', 'sent', 1, 1795771800000, '', 1795771800000, 1795771800000, 1795771801000),
	('ld_spam.coordinator', 'ld_spam', 'coordinator', 'desk@example.com', 'x@example.com',
	 CAST('Subject: d' || char(13, 10, 13, 10) || 'hi' || char(13, 10) AS BLOB),
	 '<ld_spam.coordinator@example.com>', 'held', 0, 1795771800000, '', 1795771800000, 1795771800000, NULL);
PRAGMA user_version = 1;
