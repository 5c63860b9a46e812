package lead

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/care"
)

// CareStep is one step of a procedure's care plan as the site's staff
// wrote it (content/care/): what the intake schedules from a surgery's
// date. Its text reaches the composer by its Slug.
type CareStep struct {
	Slug        string      // the care file's name, "medicines-and-smoking": one step of a plan
	Title       string      // as the patient reads it
	Send        care.Offset // from the surgery
	Acknowledge bool        // the patient is asked "I have read this"
	CheckIn     bool        // the patient is asked how they feel
}

// Planned is a step of a patient's journey with the time it is sent.
type Planned struct {
	Step  string    // the CareStep's Slug
	At    time.Time // when it is sent
	AckBy time.Time // when it must be acknowledged by, or become a coordinator's task; zero when it asks for no acknowledgement
}

// Plan returns the journey of a surgery at surgery: each of steps at its
// time (care.Offset.At, in loc at s.SendAt for days and weeks), with its
// acknowledgement's deadline, earliest first, then by slug. A nil loc is
// UTC; a zero s.SendAt is care.DefaultSendAt.
func Plan(steps []CareStep, surgery time.Time, s care.Settings, loc *time.Location) []Planned {
	sendAt := cmp.Or(s.SendAt, care.DefaultSendAt)
	out := make([]Planned, 0, len(steps))
	for _, st := range steps {
		p := Planned{Step: st.Slug, At: st.Send.At(surgery, loc, sendAt)}
		if st.Acknowledge {
			p.AckBy = care.AcknowledgeBy(p.At, surgery, loc)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b Planned) int { return cmp.Or(a.At.Compare(b.At), strings.Compare(a.Step, b.Step)) })
	return out
}

// Schedule returns what a surgery booked, or moved, to surgery at now
// leaves to do: the plan's steps to send (pending), and those whose time
// has passed (missed), which are never sent late but listed for the
// coordinator to go through with the patient. Steps already sent for
// this surgery (sent, by slug) stay sent: they are in neither list.
// Cancelling a surgery leaves nothing pending.
func Schedule(steps []CareStep, surgery time.Time, sent []string, now time.Time, s care.Settings, loc *time.Location) (pending, missed []Planned) {
	for _, p := range Plan(steps, surgery, s, loc) {
		switch {
		case slices.Contains(sent, p.Step):
		case p.At.After(now):
			pending = append(pending, p)
		default:
			missed = append(missed, p)
		}
	}
	return pending, missed
}

// BookingGap is the least time between booking a consultation and a
// reminder of it: a reminder due sooner is not sent.
const BookingGap = time.Hour

// ConsultationReminders returns when the patient is reminded of a
// consultation at at, booked (or moved) at booked: at each of
// s.ConsultationReminders (care.DefaultConsultationReminders when nil),
// but none less than BookingGap after booking, and none after the
// consultation. Earliest first, each time once.
func ConsultationReminders(at, booked time.Time, s care.Settings, loc *time.Location) []time.Time {
	offsets := s.ConsultationReminders
	if offsets == nil {
		offsets = care.DefaultConsultationReminders
	}
	sendAt := cmp.Or(s.SendAt, care.DefaultSendAt)
	var out []time.Time
	for _, o := range offsets {
		t := o.At(at, loc, sendAt)
		if t.Before(booked.Add(BookingGap)) || !t.Before(at) || slices.ContainsFunc(out, t.Equal) {
			continue
		}
		out = append(out, t)
	}
	slices.SortFunc(out, time.Time.Compare)
	return out
}

// CoolingOff returns the earliest date a surgery may be booked for, after
// a patient's first consultation at first, with a cooling-off period of
// days: the start of the day, in loc, that many calendar days after the
// consultation's. A zero days, or no consultation yet, sets none (the
// zero time).
func CoolingOff(first time.Time, days int, loc *time.Location) time.Time {
	if days <= 0 || first.IsZero() {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	f := first.In(loc)
	return time.Date(f.Year(), f.Month(), f.Day()+days, 0, 0, 0, 0, loc)
}
