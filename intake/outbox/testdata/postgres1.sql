-- PostgreSQL's schema as the first release that kept leads there left it
-- (consulta_schema version 1), with a lead in each state of its clock and a
-- message in each state: TestMigratePostgres opens it with today's program.
-- Never edit it: it stands for databases that exist.
CREATE TABLE leads (
	id           text PRIMARY KEY,
	idem_key     text UNIQUE,               -- NULL when the request had no key
	received     bigint NOT NULL,           -- Unix ms
	spam         boolean NOT NULL DEFAULT false,
	signals      text NOT NULL DEFAULT '',  -- comma-separated
	procedure    text NOT NULL DEFAULT '',
	email_domain text NOT NULL DEFAULT '',
	data         text NOT NULL,             -- the lead as JSON; '' once purged
	purged_at    bigint,
	ref          text NOT NULL DEFAULT '',
	source       text NOT NULL DEFAULT '',
	state        text NOT NULL DEFAULT 'new',
	state_at     bigint,
	state_by     text NOT NULL DEFAULT '',
	due          bigint,
	acted_at     bigint,
	claimed_at   bigint,
	claimed_by   text NOT NULL DEFAULT '',
	contacted_at bigint,
	contacted_by text NOT NULL DEFAULT '',
	step         text NOT NULL DEFAULT '',
	next_step_at bigint
);
CREATE INDEX leads_spam_received ON leads(spam, received);
CREATE INDEX leads_next_step ON leads(next_step_at);
CREATE INDEX leads_state_due ON leads(state, due);
CREATE INDEX leads_received ON leads(received);
CREATE TABLE lead_events (
	id      bigserial PRIMARY KEY,
	lead_id text NOT NULL REFERENCES leads(id),
	at      bigint NOT NULL,
	kind    text NOT NULL,
	state   text NOT NULL DEFAULT '',
	actor   text NOT NULL DEFAULT ''
);
CREATE INDEX lead_events_lead ON lead_events(lead_id, at);
CREATE TABLE messages (
	id              text PRIMARY KEY,
	lead_id         text REFERENCES leads(id),  -- NULL for a digest
	kind            text NOT NULL CHECK (kind IN ('coordinator', 'patient', 'reminder', 'escalation', 'follow_up', 'digest')),
	env_from        text NOT NULL,
	env_to          text NOT NULL,              -- newline-separated
	raw             bytea NOT NULL,             -- RFC 5322 bytes; empty once purged
	message_id      text NOT NULL,
	state           text NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'dead', 'held')),
	attempts        integer NOT NULL DEFAULT 0,
	next_attempt_at bigint NOT NULL,            -- Unix ms; for 'sending', the end of the lease
	last_error      text NOT NULL DEFAULT '',
	created_at      bigint NOT NULL,
	updated_at      bigint NOT NULL,
	sent_at         bigint
);
CREATE INDEX messages_due ON messages(state, next_attempt_at);
CREATE INDEX messages_lead ON messages(lead_id);

CREATE TABLE consulta_schema (version integer NOT NULL);
INSERT INTO consulta_schema (version) VALUES (1);

INSERT INTO leads (id, idem_key, received, spam, signals, procedure, email_domain, data, ref, source,
	state, state_at, due, step, next_step_at) VALUES
	('ld_new', 'key-new', 1795771800000, false, '', 'rhinoplasty', 'example.org',
	 '{"id":"ld_new","received":"2026-11-27T09:30:00Z","first_name":"Anna","email":"anna@example.org","procedure":"rhinoplasty"}',
	 'HAS-1127-AAAA', 'direct', 'new', 1795771800000, 1795779000000, '', 1795779000000),
	('ld_reminded', 'key-reminded', 1795771800000, false, '', 'facelift', 'example.org',
	 '{"id":"ld_reminded","received":"2026-11-27T09:30:00Z","first_name":"Bea","email":"bea@example.org","procedure":"facelift"}',
	 'HAS-1127-BBBB', 'google', 'new', 1795771800000, 1795779000000, 'reminder', 1795782600000),
	('ld_spam', NULL, 1795771800000, true, 'honeypot', 'rhinoplasty', 'spam.example',
	 '{"id":"ld_spam","received":"2026-11-27T09:30:00Z","first_name":"X","email":"x@spam.example","procedure":"rhinoplasty","spam":true}',
	 'HAS-1127-CCCC', 'direct', 'spam', 1795771800000, 1795779000000, '', NULL);
INSERT INTO messages (id, lead_id, kind, env_from, env_to, raw, message_id, state, attempts,
	next_attempt_at, last_error, created_at, updated_at, sent_at) VALUES
	('ld_new.coordinator', 'ld_new', 'coordinator', 'desk@example.com', 'x@example.com', convert_to('Subject: a' || chr(13) || chr(10) || chr(13) || chr(10) || 'hi', 'UTF8'),
	 '<ld_new.coordinator@example.com>', 'pending', 1, 1795771800000, '451 try later', 1795771800000, 1795771800000, NULL),
	('ld_new.patient', 'ld_new', 'patient', 'desk@example.com', 'anna@example.org', ''::bytea,
	 '<ld_new.patient@example.com>', 'dead', 1, 1795771800000, '550 no such user', 1795771800000, 1795771800000, NULL),
	('ld_reminded.reminder', 'ld_reminded', 'reminder', 'desk@example.com', 'x@example.com', ''::bytea,
	 '<ld_reminded.reminder@example.com>', 'sent', 1, 1795779000000, '', 1795779000000, 1795779000000, 1795779001000),
	('ld_spam.coordinator', 'ld_spam', 'coordinator', 'desk@example.com', 'x@example.com', ''::bytea,
	 '<ld_spam.coordinator@example.com>', 'held', 0, 1795771800000, '', 1795771800000, 1795771800000, NULL);
INSERT INTO lead_events (lead_id, at, kind, state, actor) VALUES
	('ld_reminded', 1795779000000, 'reminder', '', '');
