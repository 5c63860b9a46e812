package report

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
)

// WriteJSON writes r as one JSON object, on one line: as encoding/json
// would write it, but with the leads written straight out (encoding/json
// would check and compact each one again).
func WriteJSON(w io.Writer, r Report) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	field := func(sep, key string, v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		bw.WriteString(sep + `"` + key + `":`)
		bw.Write(b)
		return nil
	}
	if err := errors.Join(field("{", "since", r.Since), field(",", "until", r.Until)); err != nil {
		return err
	}
	bw.WriteString(`,"leads":[`)
	buf := make([]byte, 0, 512)
	for i, l := range r.Leads {
		if i > 0 {
			bw.WriteByte(',')
		}
		buf = l.appendJSON(buf[:0])
		bw.Write(buf)
	}
	bw.WriteByte(']')
	if err := errors.Join(field(",", "summary", r.Summary), field(",", "by_coordinator", r.ByCoordinator),
		field(",", "by_week", r.ByWeek), field(",", "by_procedure", r.ByProcedure), field(",", "by_source", r.BySource)); err != nil {
		return err
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// WriteCSV writes one row per lead, with a header row.
func WriteCSV(w io.Writer, r Report) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"ref", "id", "state", "received", "due", "claimed_at", "claimed_by", "procedure", "source"})
	for _, l := range r.Leads {
		cw.Write([]string{l.Ref, l.ID, l.State, l.Received.Format(time.RFC3339), timeText(l.Due, time.RFC3339),
			timeText(l.ClaimedAt, time.RFC3339), l.ClaimedBy, l.Procedure, l.Source})
	}
	cw.Flush()
	return cw.Error()
}

// WriteText writes r for people: the summary, the groups, then the leads.
func WriteText(w io.Writer, r Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Leads received %s to %s\n\n", r.Since.Format("Mon 2 Jan 2006 15:04"), r.Until.Format("Mon 2 Jan 2006 15:04"))
	fmt.Fprintf(tw, "Leads\t%d\n", r.Summary.Leads)
	fmt.Fprintf(tw, "Median time to claim\t%s\n", Seconds(r.Summary.MedianSecondsToClaim))
	fmt.Fprintf(tw, "90th percentile time to claim\t%s\n", Seconds(r.Summary.P90SecondsToClaim))
	fmt.Fprintf(tw, "Answered within the promise\t%s\n", Percent(r.Summary.WithinPromisePercent))
	for _, g := range []struct {
		title  string
		groups []Group
	}{{"By coordinator", r.ByCoordinator}, {"By week", r.ByWeek}, {"By procedure", r.ByProcedure}, {"By source", r.BySource}} {
		fmt.Fprintf(tw, "\n%s\tleads\tmedian to claim\tp90 to claim\twithin promise\n", g.title)
		for _, x := range g.groups {
			key := x.Key
			if key == "" {
				key = "(none)"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\n", key, x.Leads, Seconds(x.MedianSecondsToClaim),
				Seconds(x.P90SecondsToClaim), Percent(x.WithinPromisePercent))
		}
	}
	fmt.Fprintf(tw, "\nReference\tState\tReceived\tDue\tClaimed\tBy\tProcedure\tSource\n")
	for _, l := range r.Leads {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", cmpOr(l.Ref, l.ID), l.State, l.Received.Format("2 Jan 15:04"),
			timeText(l.Due, "2 Jan 15:04"), timeText(l.ClaimedAt, "2 Jan 15:04"), cmpOr(l.ClaimedBy, "-"), l.Procedure, l.Source)
	}
	return tw.Flush()
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func timeText(t *time.Time, layout string) string {
	if t == nil {
		return ""
	}
	return t.Format(layout)
}

// Seconds writes a number of seconds as a duration people read, "1h 5m";
// "-" for null.
func Seconds(s *float64) string {
	if s == nil {
		return "-"
	}
	return Duration(time.Duration(*s) * time.Second)
}

// Duration writes d rounded to the minute: "45m", "2h 05m", "3d 4h".
func Duration(d time.Duration) string {
	d = d.Round(time.Minute)
	switch {
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh %02dm", int(d.Hours()), int(d.Minutes())%60)
	}
	return fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24)
}

// Percent writes a percentage, "87.5%"; "-" for null.
func Percent(p *float64) string {
	if p == nil {
		return "-"
	}
	return strings.TrimSuffix(fmt.Sprintf("%.1f", *p), ".0") + "%"
}

// MarshalJSON writes the lead with the fields of its tags, by hand: a
// report of 100,000 leads spends most of its JSON time here otherwise.
func (l Lead) MarshalJSON() ([]byte, error) {
	return l.appendJSON(make([]byte, 0, 320)), nil
}

// appendJSON appends the lead's JSON to b.
func (l Lead) appendJSON(b []byte) []byte {
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
