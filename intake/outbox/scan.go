package outbox

import (
	"database/sql"
	"strings"
	"time"
)

// msgCols are the columns scanMsgs reads.
const msgCols = `id, coalesce(lead_id, ''), kind, env_from, env_to, raw, message_id, attempts, created_at, data`

// scanMsgs reads claimed messages (msgCols): id, lead id, kind, envelope
// sender, recipients (one a line), raw message, Message-ID, attempts and
// the time it was created, in milliseconds, and its data.
func scanMsgs(rs *sql.Rows) ([]Msg, error) {
	var out []Msg
	for rs.Next() {
		var m Msg
		var to, data string
		var created int64
		if err := rs.Scan(&m.ID, &m.LeadID, &m.Kind, &m.From, &to, &m.Raw,
			&m.MessageID, &m.Attempts, &created, &data); err != nil {
			return nil, err
		}
		if data != "" {
			m.Data = []byte(data)
		}
		m.To = strings.Split(to, "\n")
		m.Created = time.UnixMilli(created)
		out = append(out, m)
	}
	return out, rs.Err()
}

// scanSpam reads leads held as spam: id, received (milliseconds), signals
// (comma-separated), procedure and the email's domain.
func scanSpam(rs *sql.Rows) ([]SpamLead, error) {
	var out []SpamLead
	for rs.Next() {
		var l SpamLead
		var received int64
		var signals string
		if err := rs.Scan(&l.ID, &received, &signals, &l.Procedure, &l.EmailDomain); err != nil {
			return nil, err
		}
		l.Received = time.UnixMilli(received).UTC()
		if signals != "" {
			l.Signals = strings.Split(signals, ",")
		}
		out = append(out, l)
	}
	return out, rs.Err()
}
