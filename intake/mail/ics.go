package mail

import (
	"errors"
	"fmt"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"
)

// Event is an appointment as the patient's calendar keeps it: what an
// email of a booking, a move or a cancellation attaches as an .ics file
// (RFC 5545).
type Event struct {
	UID         string        // stable for the appointment across every change: "<lead id>.consultation.1@domain"
	Sequence    int           // 0 when booked, raised on each change: a calendar keeps the highest
	Cancelled   bool          // the appointment is cancelled: METHOD:CANCEL
	Start       time.Time     // in the practice's zone: the calendar shows it with its zone
	Length      time.Duration // 0 for none: the event has a start alone
	Summary     string        // "Consultation with Dr Amelia Hart"
	Location    string        // the address, or the video link
	Description string        // plain text
	Organizer   string        // the practice's address, bare
	OrgName     string        // the practice's name
	Attendee    string        // the patient's address, bare
	Stamp       time.Time     // when the event was written (DTSTAMP)
}

// calendarMethod is the iTIP method of a booking: the practice, as
// organizer, sends the patient its appointment; a cancellation cancels it.
func (e Event) calendarMethod() ics.Method {
	if e.Cancelled {
		return ics.MethodCancel
	}
	return ics.MethodRequest
}

// ContentType is the MIME type of the .ics attachment of e.
func (e Event) ContentType() string {
	return "text/calendar; charset=UTF-8; method=" + string(e.calendarMethod())
}

// Calendar writes e as an iCalendar object (RFC 5545) with a VTIMEZONE
// for the zone of its start, written from Go's zone data, so that the
// patient's calendar shows it at the practice's time wherever they are.
func Calendar(e Event) ([]byte, error) {
	switch {
	case e.UID == "" || e.Start.IsZero() || e.Organizer == "":
		return nil, errors.New("calendar: an event needs a UID, a start and an organizer")
	case strings.ContainsAny(e.UID+e.Organizer+e.Attendee, "\r\n:;\""):
		return nil, fmt.Errorf("calendar: %q: a UID or an address holds a character iCalendar cannot carry", e.UID)
	}
	loc := e.Start.Location()
	cal := ics.NewCalendarFor("Consulta")
	cal.SetProductId("-//Consulta//Patient appointments//EN")
	cal.SetMethod(e.calendarMethod())
	cal.SetCalscale("GREGORIAN")
	tzid := ""
	if loc != time.UTC {
		tzid = loc.String()
		cal.AddVTimezone(vtimezone(loc, e.Start))
	}
	ev := cal.AddEvent(e.UID)
	ev.SetDtStampTime(e.Stamp)
	ev.SetSequence(e.Sequence)
	setTime(ev, ics.ComponentPropertyDtStart, e.Start, tzid)
	if e.Length > 0 {
		setTime(ev, ics.ComponentPropertyDtEnd, e.Start.Add(e.Length), tzid)
	}
	ev.SetSummary(e.Summary)
	if e.Location != "" {
		ev.SetLocation(e.Location)
	}
	if e.Description != "" {
		ev.SetDescription(e.Description)
	}
	ev.SetOrganizer("mailto:"+e.Organizer, ics.WithCN(e.OrgName))
	if e.Attendee != "" {
		ev.AddAttendee("mailto:"+e.Attendee, ics.ParticipationRoleReqParticipant, ics.ParticipationStatusAccepted, ics.WithRSVP(false))
	}
	if e.Cancelled {
		ev.SetStatus(ics.ObjectStatusCancelled)
	} else {
		ev.SetStatus(ics.ObjectStatusConfirmed)
	}
	return []byte(cal.Serialize(ics.WithNewLine("\r\n"))), nil // RFC 5545 lines end in CRLF
}

// setTime sets a date-time property in the zone tzid names, as local time
// with its TZID; in UTC when tzid is "".
func setTime(ev *ics.VEvent, prop ics.ComponentProperty, t time.Time, tzid string) {
	if tzid == "" {
		ev.SetProperty(prop, t.UTC().Format("20060102T150405Z"))
		return
	}
	ev.SetProperty(prop, t.Format("20060102T150405"), ics.WithTZID(tzid))
}

// vtimezone describes loc for a year either side of around: the
// observance in force at its start, then each change of offset, each with
// its onset in the local time before it, as RFC 5545 wants it. The
// observance of the greater offset of a change is the summer time
// (DAYLIGHT), whatever the zone data calls it.
func vtimezone(loc *time.Location, around time.Time) *ics.VTimezone {
	tz := ics.NewTimezone(loc.String())
	from, to := around.AddDate(-1, 0, 0).In(loc), around.AddDate(1, 0, 0)
	name, off := from.Zone()
	tz.Components = append(tz.Components, observance(false, from, off, off, name))
	for t := from; t.Before(to); {
		_, end := t.ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		_, before := end.Add(-time.Second).Zone()
		name, after := end.In(loc).Zone()
		tz.Components = append(tz.Components, observance(after > before, end, before, after, name))
		t = end.In(loc)
	}
	return tz
}

// observance is a STANDARD or DAYLIGHT observance starting at the instant
// onset, changing the offset from before to after (in seconds east).
func observance(daylight bool, onset time.Time, before, after int, name string) ics.Component {
	base := ics.ComponentBase{}
	base.SetProperty(ics.ComponentPropertyDtStart, onset.UTC().Add(time.Duration(before)*time.Second).Format("20060102T150405"))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom), utcOffset(before))
	base.SetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto), utcOffset(after))
	if name != "" {
		base.SetProperty(ics.ComponentProperty(ics.PropertyTzname), name)
	}
	if daylight {
		return &ics.Daylight{ComponentBase: base}
	}
	return &ics.Standard{ComponentBase: base}
}

// utcOffset writes an offset in seconds east of UTC as iCalendar's UTC-OFFSET: "+0100".
func utcOffset(sec int) string {
	sign := '+'
	if sec < 0 {
		sign, sec = '-', -sec
	}
	s := fmt.Sprintf("%c%02d%02d", sign, sec/3600, sec/60%60)
	if sec%60 != 0 {
		s += fmt.Sprintf("%02d", sec%60)
	}
	return s
}
