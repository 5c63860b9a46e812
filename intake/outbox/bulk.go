package outbox

import (
	"strconv"
	"strings"
)

// A batch of rows is written in one statement. Each flavour takes the
// rows its own way: SQLite as a list of values, (?, ?), (?, ?); PostgreSQL
// as one array a column, unnest($1::text[], $2::bigint[]), so that the
// statement is the same whatever the number of rows, and each connection
// prepares it once.

// table is the columns of a batch's rows, each with its PostgreSQL array
// type.
type table []struct{ name, array string }

// names are the columns, for an INSERT.
func (t table) names() string {
	var b strings.Builder
	for i, c := range t {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(c.name)
	}
	return b.String()
}

// The tables of the batches.
var (
	leadsTable = table{{"id", "text[]"}, {"idem_key", "text[]"}, {"received", "bigint[]"}, {"spam", "boolean[]"},
		{"signals", "text[]"}, {"procedure", "text[]"}, {"email_domain", "text[]"}, {"data", "text[]"}, {"ref", "text[]"},
		{"source", "text[]"}, {"state", "text[]"}, {"state_at", "bigint[]"}, {"due", "bigint[]"},
		{"attached_to", "text[]"}, {"email_key", "text[]"}, {"phone_key", "text[]"}}
	stepsTable    = table{{"lead_id", "text[]"}, {"kind", "text[]"}, {"due_at", "bigint[]"}, {"payload", "text[]"}}
	messagesTable = table{{"id", "text[]"}, {"lead_id", "text[]"}, {"kind", "text[]"}, {"env_from", "text[]"},
		{"env_to", "text[]"}, {"raw", "bytea[]"}, {"message_id", "text[]"}, {"state", "text[]"},
		{"next_attempt_at", "bigint[]"}, {"created_at", "bigint[]"}, {"updated_at", "bigint[]"}, {"data", "text[]"}}
)

// rows returns the rows of t whose values are args, one row after
// another, as the flavour takes them after INSERT INTO … (names), and the
// statement's arguments.
func (f flavour) rows(t table, args []any) (string, []any) {
	n := len(args) / len(t)
	if !f.arrays {
		return "VALUES " + placeholders(n, len(t)), args
	}
	columns := make([]any, len(t))
	casts := make([]string, len(t))
	for j := range t {
		col := make([]any, n)
		for i := range n {
			col[i] = args[i*len(t)+j]
		}
		columns[j], casts[j] = col, "$"+strconv.Itoa(j+1)+"::"+t[j].array
	}
	return "SELECT * FROM unnest(" + strings.Join(casts, ", ") + ")", columns
}

// in returns the test that a text column is one of values, as the flavour
// takes it, and its arguments.
func (f flavour) in(values []any) (string, []any) {
	if !f.arrays {
		return "IN " + placeholders(1, len(values)), values
	}
	return "= ANY($1::text[])", []any{values}
}

// placeholders returns rows groups of cols anonymous placeholders: (?, ?).
// SQLite reads ? faster than $n, which it looks up by name.
func placeholders(rows, cols int) string {
	group := "(" + strings.Repeat("?, ", cols-1) + "?)"
	return strings.Repeat(group+", ", rows-1) + group
}
