package figures

import (
	"encoding/json"
	"strconv"
	"time"
)

// MarshalJSON writes the lead with the fields of its tags, by hand: a
// report of 100,000 leads spends most of its JSON time here otherwise.
func (l Lead) MarshalJSON() ([]byte, error) {
	return l.AppendJSON(make([]byte, 0, 320)), nil
}

// AppendJSON appends the lead's JSON, as MarshalJSON writes it, to b.
func (l Lead) AppendJSON(b []byte) []byte {
	str := func(key, v string) {
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":`...)
		b = appendJSONString(b, v)
		b = append(b, ',')
	}
	tm := func(key string, t *time.Time) {
		b = append(b, '"')
		b = append(b, key...)
		b = append(b, `":`...)
		if t == nil {
			b = append(b, "null,"...)
			return
		}
		b = append(b, '"')
		b = t.AppendFormat(b, time.RFC3339Nano)
		b = append(b, `",`...)
	}
	b = append(b, '{')
	str("ref", l.Ref)
	str("id", l.ID)
	str("state", l.State)
	tm("received", &l.Received)
	tm("due", l.Due)
	tm("claimed_at", l.ClaimedAt)
	str("claimed_by", l.ClaimedBy)
	tm("first_attempt_at", l.FirstAttemptAt)
	tm("reached_at", l.ReachedAt)
	b = append(b, `"attempts":`...)
	b = strconv.AppendInt(b, int64(l.Attempts), 10)
	b = append(b, ',')
	tm("booked_at", l.BookedAt)
	tm("closed_at", l.ClosedAt)
	str("outcome", l.Outcome)
	str("procedure", l.Procedure)
	str("source", l.Source)
	b[len(b)-1] = '}'
	return b
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters included).
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}
