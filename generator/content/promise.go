package content

import (
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// ReplyWithin is the promise patients read, completing "We reply within
// …": intake.respond_within in words, in working time when the practice
// has opening hours, e.g. "two working hours". It is written from the key
// the response clock counts by, so that the pages never promise other than
// what the clock holds the coordinators to.
func (c Config) ReplyWithin() string {
	d, err := hours.ParseDuration(c.Intake.RespondWithin)
	if c.Intake.RespondWithin == "" || err != nil {
		d = hours.DefaultRespondWithin
	}
	working := ""
	if len(c.Hours) > 0 {
		working = "working "
	}
	switch {
	case d%time.Hour == 0:
		return count(int(d/time.Hour), working+"hour")
	case d%(30*time.Minute) == 0 && d > time.Hour:
		return count(int(d/time.Hour), "") + " and a half " + working + "hours"
	}
	return count(int(d/time.Minute), working+"minute")
}

var smallNumbers = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"}

// count writes n things in words, "two working hours"; with no thing, the
// number alone.
func count(n int, thing string) string {
	num := strconv.Itoa(n)
	if n < len(smallNumbers) {
		num = smallNumbers[n]
	}
	switch {
	case thing == "":
		return num
	case n == 1:
		return "one " + thing
	}
	return num + " " + thing + "s"
}

var dayNames = []string{"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"}

// OpeningHours returns the opening hours as patients read them, Monday
// first, days of the same hours together: "Monday – Thursday
// 08:30–18:30", …, "Sunday" closed. None when hours is not set (the
// practice answers at any time) or cannot be read (check reports it).
func (c Config) OpeningHours() []OpeningLine {
	if len(c.Hours) == 0 {
		return nil
	}
	week, _, err := hours.ParseWeek(c.Hours)
	if err != nil {
		return nil
	}
	var lines []OpeningLine
	var first, last time.Weekday
	flush := func(times string) {
		days := dayNames[first]
		if last != first {
			days += " – " + dayNames[last]
		}
		lines = append(lines, OpeningLine{Days: days, Times: times})
	}
	times := func(d time.Weekday) string {
		parts := make([]string, len(week[d]))
		for i, sp := range week[d] {
			parts[i] = clock(sp.From) + "–" + clock(sp.To)
		}
		return strings.Join(parts, ", ")
	}
	for i := range 7 {
		d := time.Weekday((i + 1) % 7) // Monday first
		switch {
		case i == 0:
			first, last = d, d
		case times(d) == times(last):
			last = d
		default:
			flush(times(last))
			first, last = d, d
		}
	}
	flush(times(last))
	return lines
}

// clock writes minutes since midnight as "08:30".
func clock(m int) string {
	return strconv.Itoa(m/60/10) + strconv.Itoa(m/60%10) + ":" + strconv.Itoa(m%60/10) + strconv.Itoa(m%10)
}
