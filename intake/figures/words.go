package figures

import (
	"fmt"
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
