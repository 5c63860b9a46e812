// Package care holds what a patient's journey after booking is timed
// by: offsets from an appointment as staff write them in content/care/
// and site.yaml ("-14d", fourteen days before; "-2h"; "+1d"; "+6w"), and
// the practice's care settings (site.yaml's care keys) with their
// defaults.
//
// Days and weeks count calendar days in the practice's time zone, across
// summer-time changes, and fall at a time of day the practice chooses
// (care.send_at); hours and minutes are elapsed time. Both halves use
// it: the generator checks what staff wrote with its parsers, and the
// intake plans a patient's journey with Offset.At. It imports nothing of
// Consulta's.
package care

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Unit is what an offset counts.
type Unit byte

// The units, as staff write them after the number.
const (
	Minute Unit = 'm'
	Hour   Unit = 'h'
	Day    Unit = 'd'
	Week   Unit = 'w'
)

// Offset is a time relative to an appointment: N units after it, or
// before it when N is negative. The zero value is the appointment itself
// (0 minutes).
type Offset struct {
	N    int
	Unit Unit
}

// Calendar reports whether the offset counts calendar days (days or
// weeks), and so falls at the practice's time of day rather than at the
// appointment's time plus a duration.
func (o Offset) Calendar() bool { return o.Unit == Day || o.Unit == Week }

// Before reports whether the offset is before the appointment.
func (o Offset) Before() bool { return o.N < 0 }

// String writes the offset as staff write it: "-14d", "+1d", "0d".
func (o Offset) String() string {
	u := o.Unit
	if u == 0 {
		u = Minute
	}
	sign := "+"
	switch {
	case o.N < 0:
		sign = "-"
	case o.N == 0:
		sign = ""
	}
	return sign + strconv.Itoa(abs(o.N)) + string(u)
}

// Duration is the offset as a length of time, each day 24 hours: for
// ordering offsets and comparing them with a deadline, not for planning
// (see At).
func (o Offset) Duration() time.Duration {
	per := map[Unit]time.Duration{Minute: time.Minute, Hour: time.Hour, Day: 24 * time.Hour, Week: 7 * 24 * time.Hour}[o.Unit]
	return time.Duration(o.N) * per
}

// Days returns the calendar days a day or week offset counts; 0 for hours
// and minutes.
func (o Offset) Days() int {
	switch o.Unit {
	case Day:
		return o.N
	case Week:
		return 7 * o.N
	}
	return 0
}

// At returns when something at offset o from the appointment at anchor
// is due. For days and weeks: the calendar day that many days from the
// anchor's date in loc, at sendAt minutes after midnight practice time,
// so that "-14d" is 09:00 fourteen days before whatever the surgery's
// hour and however the clocks change between. For hours and minutes: the
// anchor plus that much elapsed time. A nil loc means UTC.
func (o Offset) At(anchor time.Time, loc *time.Location, sendAt int) time.Time {
	if !o.Calendar() {
		return anchor.Add(o.Duration())
	}
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := anchor.In(loc).Date()
	return time.Date(y, m, d+o.Days(), 0, sendAt, 0, 0, loc)
}

// Sign says whether Parse needs a sign before the number.
type Sign int

// What Parse accepts before the number.
const (
	Signed   Sign = iota // "+" or "-" (or a zero offset without one): a care step's send
	Unsigned             // no sign, always before: a reminder, "2d" is two days before
)

// Parse reads an offset as staff write it: a sign, a whole number and a
// unit (m minutes, h hours, d days, w weeks), e.g. "-14d", "+6w". With
// Unsigned, the offset is written without a sign and is before the
// appointment: "2d" gives -2d. Its errors are written for staff, with
// how to fix them.
func Parse(s string, sign Sign) (Offset, error) {
	in := strings.TrimSpace(s)
	if in == "" {
		return Offset{}, fmt.Errorf("empty — %s", example(sign))
	}
	neg, signed := false, false
	first, size := firstRune(in)
	switch first {
	case '-', '−': // a typographic minus too, as word processors write it
		neg, signed = true, true
	case '+':
		signed = true
	}
	body := in
	if signed {
		body = in[size:]
	}
	if len(body) < 2 {
		return Offset{}, fmt.Errorf("%q is not an offset — %s", s, example(sign))
	}
	u := Unit(strings.ToLower(body[len(body)-1:])[0])
	digits := strings.TrimSpace(body[:len(body)-1])
	n, err := strconv.Atoi(digits)
	switch {
	case u != Minute && u != Hour && u != Day && u != Week:
		return Offset{}, fmt.Errorf("%q does not end in a unit — %s", s, example(sign))
	case err != nil || n < 0 || digits != strings.TrimLeft(digits, "+-"):
		return Offset{}, fmt.Errorf("%q is not an offset — %s", s, example(sign))
	case n > 5*366 && u == Day, n > 260 && u == Week, n > 24*400 && u == Hour, n > 60*24*400 && u == Minute:
		return Offset{}, fmt.Errorf("%q is more than a year or so from the appointment — check the number", s)
	}
	switch {
	case sign == Unsigned && signed && !neg:
		return Offset{}, fmt.Errorf("%q is after the appointment — a reminder comes before it: write %s", s, body)
	case sign == Unsigned:
		return Offset{N: -n, Unit: u}, nil
	case !signed && n != 0:
		return Offset{}, fmt.Errorf("%q does not say before or after — write -%s for before the surgery, +%s for after", s, body, body)
	case neg:
		n = -n
	}
	return Offset{N: n, Unit: u}, nil
}

func example(sign Sign) string {
	if sign == Unsigned {
		return "write a number and a unit, how long before the appointment: 2d (two days), 2h (two hours), 30m, 1w"
	}
	return "write a sign, a number and a unit: -14d (14 days before), -2h (2 hours before), +1d (the day after), +6w (six weeks after); m is minutes, h hours, d days, w weeks"
}

func firstRune(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// AcknowledgeDays is how many days before a surgery the patient
// acknowledges a step sent before it: by the end of that day, practice
// time, or the step becomes a task for the coordinator.
const AcknowledgeDays = 2

// AcknowledgeBy returns the deadline of the acknowledgement of a step
// sent at sent, of a surgery at surgery: for a step before the surgery,
// the end of the day AcknowledgeDays before it in loc (midnight starting
// the next day); for one after, 24 hours after it was sent.
func AcknowledgeBy(sent, surgery time.Time, loc *time.Location) time.Time {
	if !sent.Before(surgery) {
		return sent.Add(24 * time.Hour)
	}
	if loc == nil {
		loc = time.UTC
	}
	y, m, d := surgery.In(loc).Date()
	return time.Date(y, m, d-AcknowledgeDays+1, 0, 0, 0, 0, loc)
}

// AcknowledgeableBefore reports whether a step at o before a surgery is
// sent before the deadline of its acknowledgement whatever the hour of
// the surgery and of care.send_at: at AcknowledgeDays days before it or
// earlier, or as many hours.
func AcknowledgeableBefore(o Offset) bool {
	if o.Calendar() {
		return -o.Days() >= AcknowledgeDays
	}
	return -o.Duration() >= AcknowledgeDays*24*time.Hour
}
