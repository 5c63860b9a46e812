package hours

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// An error of this package's parsers reads "what is wrong — how to fix it",
// written for the staff who edit site.yaml.

var dayNames = map[string]time.Weekday{
	"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
	"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
}

// ParseDays parses the days of an hours key: a day ("sat"), a range
// ("mon-fri", wrapping past Sunday) or a comma list of either
// ("mon,wed-thu"). Days are written as their first three letters.
func ParseDays(s string) ([]time.Weekday, error) {
	var out []time.Weekday
	for part := range strings.SplitSeq(s, ",") {
		part = strings.ToLower(strings.TrimSpace(part))
		from, to, isRange := strings.Cut(part, "-")
		a, ok := dayNames[strings.TrimSpace(from)]
		b := a
		if isRange {
			var okTo bool
			b, okTo = dayNames[strings.TrimSpace(to)]
			ok = ok && okTo
		}
		if !ok {
			return nil, fmt.Errorf("%q is not a day or a range of days — write days as mon, tue, wed, thu, fri, sat, sun, e.g. mon-fri or sat", s)
		}
		for d := a; ; d = (d + 1) % 7 {
			out = append(out, d)
			if d == b {
				break
			}
		}
	}
	return out, nil
}

// ParseSpans parses the open hours of a day: "09:00-18:00", or several
// spans separated by commas ("09:00-13:00, 14:00-18:00"). "00:00-24:00" is
// the whole day.
func ParseSpans(s string) ([]Span, error) {
	var out []Span
	for part := range strings.SplitSeq(s, ",") {
		from, to, ok := strings.Cut(strings.TrimSpace(part), "-")
		a, errA := ParseClock(strings.TrimSpace(from))
		b, errB := parseClock(strings.TrimSpace(to), true)
		if !ok || errA != nil || errB != nil {
			return nil, fmt.Errorf("%q is not a span of hours — write opening and closing times as \"09:00-18:00\" (\"00:00-24:00\" for the whole day)", s)
		}
		if b <= a {
			return nil, fmt.Errorf("%q closes before it opens — write the opening time first, e.g. \"09:00-18:00\"", s)
		}
		if n := len(out); n > 0 && a < out[n-1].To {
			return nil, fmt.Errorf("%q has spans out of order or overlapping — list them from morning to evening, e.g. \"09:00-13:00, 14:00-18:00\"", s)
		}
		out = append(out, Span{a, b})
	}
	return out, nil
}

// ParseClock parses a time of day, "08:30", as minutes since midnight.
func ParseClock(s string) (int, error) { return parseClock(s, false) }

func parseClock(s string, allow24 bool) (int, error) {
	hh, mm, ok := strings.Cut(s, ":")
	h, errH := strconv.Atoi(hh)
	m, errM := strconv.Atoi(mm)
	bad := !ok || errH != nil || errM != nil || len(mm) != 2 || h < 0 || m < 0 || m > 59 || h > 24
	if bad || (h == 24 && (m != 0 || !allow24)) {
		return 0, fmt.Errorf("%q is not a time of day — write it as hours:minutes on the 24-hour clock, e.g. \"08:30\"", s)
	}
	return h*60 + m, nil
}

// ParseDuration parses an amount of open time: "2h", "90m", "1h30m".
func ParseDuration(s string) (time.Duration, error) {
	d, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil || d <= 0 || strings.ContainsAny(s, "d") {
		return 0, fmt.Errorf("%q is not an amount of time — write hours or minutes, e.g. 2h, 90m or 1h30m", s)
	}
	return d, nil
}

// ParseWorkingDays parses a number of working days: "3d".
func ParseWorkingDays(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSuffix(strings.TrimSpace(s), "d"))
	if err != nil || n <= 0 || !strings.HasSuffix(strings.TrimSpace(s), "d") {
		return 0, fmt.Errorf("%q is not a number of working days — write it as days, e.g. 3d", s)
	}
	return n, nil
}

// ParseWeek builds a Week from keys of days and values of spans, as
// site.yaml's intake.hours writes them. Days no key names are closed. It
// returns the first problem and the key it is in.
func ParseWeek(m map[string]string) (Week, string, error) {
	var w Week
	named := map[time.Weekday]string{}
	for _, key := range slices.Sorted(maps.Keys(m)) {
		days, err := ParseDays(key)
		if err != nil {
			return Week{}, key, err
		}
		spans, err := ParseSpans(m[key])
		if err != nil {
			return Week{}, key, err
		}
		for _, d := range days {
			if other, ok := named[d]; ok {
				return Week{}, key, fmt.Errorf("%s is also in %q — name each day once", d, other)
			}
			named[d] = key
			w[d] = spans
		}
	}
	return w, "", nil
}
