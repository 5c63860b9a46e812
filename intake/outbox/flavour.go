package outbox

// flavour is what differs between the store's two SQL databases. Every
// statement is written once, with $1-style placeholders, which both
// drivers read; a flavour holds only the words and statements that one
// database has and the other has not.
type flavour struct {
	name string // "SQLite", "PostgreSQL": for errors

	// types are the column types of the schema (schema.go).
	types schemaTypes
	// upgrades are the schema's steps from older versions, by the version
	// they start from; version is the schema's version now.
	upgrades map[int]string
	version  int

	// lockSchema, when set, makes instances starting together migrate
	// one at a time. versionTable is created before the version is read;
	// readVersion returns it, and setVersion (a format taking the number)
	// records it.
	lockSchema, versionTable, readVersion, setVersion string

	// claimLock ends the claim's choice of messages: rows another
	// instance is claiming at the same moment are skipped, not waited for.
	claimLock string
	// forUpdate ends a read of a lead that a write transaction will
	// change: two instances acting on one lead take turns.
	forUpdate string
	// notify, when set, announces to the other instances, at commit, that
	// messages became due.
	notify string
	// shared says several instances may use the database at once, so that
	// no instance can tell another's claim from a dead one's: Recover
	// leaves claims to their lease.
	shared bool
	// checkpoint, when set, makes a purge final on disk (see wipe).
	checkpoint string
	// vacuum, when set, are run after a purge, outside any transaction,
	// to make it final in the tables' and indexes' files; flushLog then
	// ends the write-ahead log's segment and checkpoints, so that the
	// segments holding the purged rows as they were inserted are let go
	// (see wipe).
	vacuum, flushLog []string
	// logRecycled, when set, reads whether the database keeps its old log
	// segments for reuse, bytes and all: "on" or "off".
	logRecycled string
	// arrays says the flavour takes a batch of rows as arrays (see rows).
	arrays bool
}

// sqlite is the flavour of a SQLite file, for one instance.
var sqlite = flavour{
	name: "SQLite",
	types: schemaTypes{Int: "INTEGER", Int32: "INTEGER", Blob: "BLOB", Bool: "INTEGER", False: "0", Serial: "INTEGER PRIMARY KEY", Strict: " STRICT",
		NoAttribution: `json_extract(data, '$.attribution') IS NULL`,
		Token:         `length(source) <= 32 AND lower(source) NOT GLOB '*[^a-z0-9._-]*'`},
	upgrades: map[int]string{
		1: sqliteUpgrade2,
		2: upgradeData,
		3: upgradeSteps + "\n" + sqliteUpgradeKinds,
		4: upgradeSources,
		5: upgradeLeadPage + sqliteContactKeys,
		6: upgradeJourneys,
	},
	version:     7,
	readVersion: `PRAGMA user_version`,
	setVersion:  `PRAGMA user_version = %d`,
	checkpoint:  `PRAGMA wal_checkpoint(TRUNCATE)`,
}

// postgres is the flavour of PostgreSQL, shared by several instances.
var postgres = flavour{
	name: "PostgreSQL",
	types: schemaTypes{Int: "bigint", Int32: "integer", Blob: "bytea", Bool: "boolean", False: "false", Serial: "bigserial PRIMARY KEY",
		NoAttribution: `(data::jsonb -> 'attribution') IS NULL`,
		Token:         `source ~ '^[A-Za-z0-9._-]{1,32}$'`},
	upgrades:     map[int]string{1: upgradeData, 2: upgradeSteps + "\n" + postgresUpgradeKinds, 3: upgradeSources, 4: upgradeLeadPage + postgresContactKeys, 5: upgradeJourneys},
	version:      6,
	lockSchema:   `SELECT pg_advisory_xact_lock(hashtext('consulta outbox schema'))`,
	versionTable: `CREATE TABLE IF NOT EXISTS consulta_schema (version integer NOT NULL)`,
	readVersion:  `SELECT coalesce(max(version), 0) FROM consulta_schema`,
	setVersion:   `DELETE FROM consulta_schema; INSERT INTO consulta_schema (version) VALUES (%d)`,
	claimLock:    ` FOR UPDATE SKIP LOCKED`,
	forUpdate:    ` FOR UPDATE`,
	notify:       `SELECT pg_notify('` + notifyChannel + `', '')`,
	shared:       true,
	vacuum:       []string{`VACUUM (FULL) leads, messages, journeys`},
	flushLog:     []string{`SELECT pg_switch_wal()`, `CHECKPOINT`},
	logRecycled:  `SHOW wal_recycle`,
	arrays:       true,
}
