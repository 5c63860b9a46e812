// Package report prints the figures of a period (package figures) for
// `consulta intake report`: as text for people, as CSV, or as JSON.
package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/consultahq/consulta/intake/figures"
)

// WriteJSON writes r as one JSON object, on one line: as encoding/json
// would write it, but with the leads written straight out (encoding/json
// would check and compact each one again).
func WriteJSON(w io.Writer, r figures.Report) error {
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
		buf = l.AppendJSON(buf[:0])
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

// WriteCSV writes one row per lead, with a header row. Every cell is
// text to a spreadsheet (see csvCell).
func WriteCSV(w io.Writer, r figures.Report) error {
	bw := bufio.NewWriter(w)
	writeCSVRow(bw, "ref", "id", "state", "received", "due", "claimed_at", "claimed_by", "procedure", "source")
	for _, l := range r.Leads {
		writeCSVRow(bw, l.Ref, l.ID, l.State, l.Received.Format(time.RFC3339), timeText(l.Due, time.RFC3339),
			timeText(l.ClaimedAt, time.RFC3339), l.ClaimedBy, l.Procedure, l.Source)
	}
	return bw.Flush()
}

// writeCSVRow writes one row of cells (csvCell), ended by a line feed.
func writeCSVRow(w *bufio.Writer, cells ...string) {
	for i, c := range cells {
		if i > 0 {
			w.WriteByte(',')
		}
		w.WriteString(csvCell(c))
	}
	w.WriteByte('\n')
}

// formulaStarts are what a cell may begin with for a spreadsheet to read
// it as a formula, or to skip to one: OWASP's =, +, -, @, tab and carriage
// return, the line feed and NUL besides, and the full-width forms that
// some spreadsheets read as the others.
var formulaStarts = []string{"=", "+", "-", "@", "\t", "\r", "\n", "\x00", "＝", "＋", "－", "＠"}

// csvCell returns v as a CSV cell that every spreadsheet reads as text,
// as OWASP recommends: an apostrophe before a value that begins with one
// of formulaStarts, and always in double quotes, with the quotes inside
// doubled (RFC 4180), so that no separator or quote in v can begin a
// cell of its own.
func csvCell(v string) string {
	for _, s := range formulaStarts {
		if strings.HasPrefix(v, s) {
			v = "'" + v
			break
		}
	}
	return `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
}

// WriteText writes r for people: the summary, the groups, then the leads.
func WriteText(w io.Writer, r figures.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Leads received %s to %s\n\n", r.Since.Format("Mon 2 Jan 2006 15:04"), r.Until.Format("Mon 2 Jan 2006 15:04"))
	fmt.Fprintf(tw, "Leads\t%d\n", r.Summary.Leads)
	fmt.Fprintf(tw, "Median time to claim\t%s\n", figures.Seconds(r.Summary.MedianSecondsToClaim))
	fmt.Fprintf(tw, "90th percentile time to claim\t%s\n", figures.Seconds(r.Summary.P90SecondsToClaim))
	fmt.Fprintf(tw, "Answered within the promise\t%s\n", figures.Percent(r.Summary.WithinPromisePercent))
	for _, g := range []struct {
		title  string
		groups []figures.Group
	}{{"By coordinator", r.ByCoordinator}, {"By week", r.ByWeek}, {"By procedure", r.ByProcedure}, {"By source", r.BySource}} {
		fmt.Fprintf(tw, "\n%s\tleads\tmedian to claim\tp90 to claim\twithin promise\n", g.title)
		for _, x := range g.groups {
			key := x.Key
			if key == "" {
				key = "(none)"
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\n", key, x.Leads, figures.Seconds(x.MedianSecondsToClaim),
				figures.Seconds(x.P90SecondsToClaim), figures.Percent(x.WithinPromisePercent))
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
