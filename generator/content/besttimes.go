package content

import (
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// dayPart is a part of the day a patient may ask to be called in.
type dayPart struct {
	name     string
	from, to int // minutes since midnight
}

var dayParts = []dayPart{{"Morning", 0, 12 * 60}, {"Afternoon", 12 * 60, 17 * 60}, {"Early evening", 17 * 60, 24 * 60}}

// minPart is the least open time of a part of a day for it to be offered
// on that day: time for the coordinator to call.
const minPart = 90

// DefaultBestTimes are the form's best times to call of a practice
// without opening hours, which answers at any time.
var DefaultBestTimes = []string{"Morning (09:00–12:00)", "Afternoon (12:00–17:00)", "Early evening (17:00–19:00)"}

// BestTimes returns the choices of the form's "Best time to reach you",
// from the practice's opening hours: each part of the day (morning,
// afternoon, early evening) in which the practice is open at least an
// hour and a half on some day, with the hours it is open then, and the
// days when they are not all of its open days, e.g. "Early evening,
// Monday to Thursday (17:00–18:30)". Without hours (or with hours that
// cannot be read, which check reports), DefaultBestTimes.
func (c Config) BestTimes() []string {
	if len(c.Hours) == 0 {
		return DefaultBestTimes
	}
	week, _, err := hours.ParseWeek(c.Hours)
	if err != nil {
		return DefaultBestTimes
	}
	var open []time.Weekday
	for d := range week {
		if len(week[d]) > 0 {
			open = append(open, time.Weekday(d))
		}
	}
	var out []string
	for _, part := range dayParts {
		var days []time.Weekday
		from, to := part.to, part.from
		for _, d := range open {
			lo, hi, minutes := part.to, part.from, 0
			for _, sp := range week[d] {
				a, b := max(sp.From, part.from), min(sp.To, part.to)
				if b > a {
					lo, hi, minutes = min(lo, a), max(hi, b), minutes+b-a
				}
			}
			if minutes >= minPart {
				days = append(days, d)
				from, to = min(from, lo), max(to, hi)
			}
		}
		if len(days) == 0 {
			continue
		}
		label := part.name
		if len(days) < len(open) {
			label += ", " + dayList(days)
		}
		out = append(out, label+" ("+clock(from)+"–"+clock(to)+")")
	}
	return out
}

// dayList names days, Monday first: "Monday to Thursday" for a run of
// three or more, else "Monday, Wednesday and Friday".
func dayList(days []time.Weekday) string {
	monFirst := func(d time.Weekday) int { return (int(d) + 6) % 7 }
	sorted := make([]time.Weekday, len(days))
	copy(sorted, days)
	for i := range sorted { // a handful of days: insertion sort
		for j := i; j > 0 && monFirst(sorted[j]) < monFirst(sorted[j-1]); j-- {
			sorted[j], sorted[j-1] = sorted[j-1], sorted[j]
		}
	}
	run := true
	for i := 1; i < len(sorted); i++ {
		run = run && monFirst(sorted[i]) == monFirst(sorted[i-1])+1
	}
	if run && len(sorted) >= 3 {
		return dayNames[sorted[0]] + " to " + dayNames[sorted[len(sorted)-1]]
	}
	names := make([]string, len(sorted))
	for i, d := range sorted {
		names[i] = dayNames[d]
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}
