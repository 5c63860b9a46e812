package figures

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

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

// Number writes a figure to two decimals at most, "1.33"; "-" for null.
func Number(v *float64) string {
	if v == nil {
		return "-"
	}
	return strconv.FormatFloat(*v, 'f', -1, 64)
}

// Words are the summary's figures in words, in order, as the text report
// and the digest say them: "Leads" "5", "Median time to reach" "1h 40m", …
func (s Summary) Words() [][2]string {
	return [][2]string{
		{"Leads", strconv.Itoa(s.Leads)},
		{"Median time to claim", Seconds(s.MedianSecondsToClaim)},
		{"90th percentile time to claim", Seconds(s.P90SecondsToClaim)},
		{"Claimed within the promise", Percent(s.WithinPromisePercent)},
		{"Median time to first call", Seconds(s.MedianSecondsToFirstAttempt)},
		{"90th percentile time to first call", Seconds(s.P90SecondsToFirstAttempt)},
		{"Median time to reach", Seconds(s.MedianSecondsToReach)},
		{"90th percentile time to reach", Seconds(s.P90SecondsToReach)},
		{"Reached within the promise", Percent(s.ReachedWithinPromisePercent)},
		{"Calls per lead", Number(s.AttemptsPerLead)},
		{"Booked", Percent(s.BookedPercent)},
		{"Not reached", strconv.Itoa(s.NotReached)},
	}
}

// Line says a group's figures in one line, for the digest: "3 leads,
// reached within the promise 67%, median to reach 40m, 1.5 calls a lead,
// booked 33%, 1 not reached"; a figure with nothing to measure is left
// out.
func (s Summary) Line() string {
	parts := []string{plural(s.Leads, "lead")}
	if p := s.ReachedWithinPromisePercent; p != nil {
		parts = append(parts, "reached within the promise "+Percent(p))
	}
	if m := s.MedianSecondsToReach; m != nil {
		parts = append(parts, "median to reach "+Seconds(m))
	}
	if c := s.AttemptsPerLead; c != nil {
		parts = append(parts, Number(c)+" calls a lead")
	}
	if b := s.BookedPercent; b != nil {
		parts = append(parts, "booked "+Percent(b))
	}
	if s.NotReached > 0 {
		parts = append(parts, strconv.Itoa(s.NotReached)+" not reached")
	}
	return strings.Join(parts, ", ")
}

// plural writes n things: "1 lead", "3 leads".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}
