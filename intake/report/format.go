// Package report prints the figures of a period (package figures) for
// `consulta intake report`: as text for people, as CSV, or as JSON.
package report

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/lead"
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
	if r.Journey != nil {
		if err := field(",", "journey", r.Journey); err != nil {
			return err
		}
	}
	bw.WriteString("}\n")
	return bw.Flush()
}

// WriteCSV writes one row per lead, with a header row: times in practice
// time with their offset, states, outcomes and procedures by their labels.
// Every cell is text to a spreadsheet (see csvCell).
func WriteCSV(w io.Writer, r figures.Report) error {
	bw := bufio.NewWriter(w)
	writeCSVRow(bw, "ref", "id", "state", "received", "due", "claimed_at", "claimed_by", "first_attempt_at", "reached_at",
		"attempts", "booked_at", "closed_at", "outcome", "procedure", "source")
	for _, l := range r.Leads {
		writeCSVRow(bw, l.Ref, l.ID, lead.Label(l.State), l.Received.Format(time.RFC3339), timeText(l.Due, time.RFC3339),
			timeText(l.ClaimedAt, time.RFC3339), l.ClaimedBy, timeText(l.FirstAttemptAt, time.RFC3339),
			timeText(l.ReachedAt, time.RFC3339), strconv.Itoa(l.Attempts), timeText(l.BookedAt, time.RFC3339),
			timeText(l.ClosedAt, time.RFC3339), figures.OutcomeWords(l.Outcome), r.ProcedureTitle(l.Procedure), l.Source)
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

// WriteText writes r for people: the summary, the groups, then the leads,
// with states, outcomes and procedures by their labels.
func WriteText(w io.Writer, r figures.Report) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "Leads received %s to %s\n\n", r.Since.Format("Mon 2 Jan 2006 15:04"), r.Until.Format("Mon 2 Jan 2006 15:04"))
	for _, f := range r.Summary.Words() {
		fmt.Fprintf(tw, "%s\t%s\n", f[0], f[1])
	}
	for _, g := range []struct {
		title  string
		groups []figures.Group
		name   func(string) string
	}{{"By coordinator", r.ByCoordinator, nil}, {"By week", r.ByWeek, nil}, {"By procedure", r.ByProcedure, r.ProcedureTitle},
		{"By source", r.BySource, nil}} {
		fmt.Fprintf(tw, "\n%s\tleads\tmedian to claim\tmedian to first call\tmedian to reach\tp90 to reach\t"+
			"reached within promise\tcalls per lead\tbooked\tnot reached\n", g.title)
		for _, x := range g.groups {
			key := x.Key
			if g.name != nil {
				key = g.name(key)
			}
			fmt.Fprintf(tw, "  %s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", cmpOr(key, "(none)"), x.Leads,
				figures.Seconds(x.MedianSecondsToClaim), figures.Seconds(x.MedianSecondsToFirstAttempt),
				figures.Seconds(x.MedianSecondsToReach), figures.Seconds(x.P90SecondsToReach),
				figures.Percent(x.ReachedWithinPromisePercent), figures.Number(x.AttemptsPerLead),
				figures.Percent(x.BookedPercent), x.NotReached)
		}
	}
	if j := r.Journey; j != nil {
		writeJourneyText(tw, j)
	}
	const at = "2 Jan 15:04"
	fmt.Fprintf(tw, "\nReference\tState\tReceived\tDue\tClaimed\tBy\tFirst call\tReached\tCalls\tOutcome\tProcedure\tSource\n")
	for _, l := range r.Leads {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\t%s\t%s\n", cmpOr(l.Ref, l.ID), lead.Label(l.State),
			l.Received.Format(at), timeText(l.Due, at), timeText(l.ClaimedAt, at), cmpOr(l.Owner(), "-"),
			timeText(l.FirstAttemptAt, at), timeText(l.ReachedAt, at), l.Attempts, figures.OutcomeWords(l.Outcome),
			r.ProcedureTitle(l.Procedure), l.Source)
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

// writeJourneyText writes the journey's figures for people.
func writeJourneyText(tw io.Writer, j *figures.Journeys) {
	fmt.Fprintf(tw, "\nPatients' journeys\n")
	for _, f := range []struct {
		label string
		n     int
	}{{"Consultations booked", j.ConsultationsBooked}, {"Consultations held", j.ConsultationsHeld},
		{"Surgeries booked", j.SurgeriesBooked}, {"Surgeries cancelled", j.SurgeriesCancelled},
		{"Surgery dates moved", j.SurgeriesMoved}, {"Cooling-off overrides", j.CoolingOffOverrides},
		{"Care steps sent", j.StepsSent}, {"Check-ins: doing well", j.CheckIns.DoingWell},
		{"Check-ins: a question", j.CheckIns.Question}, {"Check-ins: worried", j.CheckIns.Worried}} {
		fmt.Fprintf(tw, "%s\t%d\n", f.label, f.n)
	}
	fmt.Fprintf(tw, "Acknowledged\t%s of %d\n", figures.Percent(j.AcknowledgedPercent), j.AcknowledgementsAsked)
	fmt.Fprintf(tw, "Median time to acknowledge\t%s\n", figures.Seconds(j.MedianSecondsToAcknowledge))
	if len(j.ByStep) > 0 {
		fmt.Fprintf(tw, "\nStep\tprocedure\tsent\tacknowledged\tmedian to acknowledge\n")
		for _, s := range j.ByStep {
			fmt.Fprintf(tw, "  %s\t%s\t%d\t%s\t%s\n", s.Step, cmpOr(s.Procedure, "-"), s.Sent, figures.Percent(s.AcknowledgedPercent),
				figures.Seconds(s.MedianSecondsToAcknowledge))
		}
	}
}
