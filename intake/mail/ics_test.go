package mail_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/golden"
)

func dublinZone(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Dublin")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func consultationEvent(t *testing.T) mail.Event {
	return mail.Event{
		UID:         "ld_01JTEST.consultation.1@harbour-aesthetic.example",
		Start:       time.Date(2026, 12, 10, 10, 0, 0, 0, dublinZone(t)),
		Length:      time.Hour,
		Summary:     "Consultation with Dr Amelia Hart, Harbour Aesthetic Surgery",
		Location:    "7 Linden Quay, Dublin 2, D02 XY00, Ireland",
		Description: "Your consultation for rhinoplasty; bring photo ID; a long line that the calendar folds at seventy-five octets, as RFC 5545 asks: ü, é.",
		Organizer:   "hello@harbour-aesthetic.example",
		OrgName:     "Harbour Aesthetic Surgery",
		Attendee:    "aoife@example.org",
		Stamp:       time.Date(2026, 12, 1, 9, 15, 0, 0, time.UTC),
	}
}

// parse reads an .ics back with the library, as a calendar would.
func parse(t *testing.T, b []byte) *ics.Calendar {
	t.Helper()
	cal, err := ics.ParseCalendar(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("the calendar does not parse: %v\n%s", err, b)
	}
	return cal
}

func prop(c *ics.Calendar, p ics.Property) string {
	for _, cp := range c.CalendarProperties {
		if cp.IANAToken == string(p) {
			return cp.Value
		}
	}
	return ""
}

// TestCalendar writes a consultation's .ics and reads it back with the
// library: its UID, SEQUENCE, METHOD and start in the practice's zone,
// with the zone described for the calendar.
func TestCalendar(t *testing.T) {
	e := consultationEvent(t)
	b, err := mail.Calendar(e)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, filepath.Join("testdata", "consultation.ics"), b, *update)
	for _, line := range strings.Split(strings.TrimSuffix(string(b), "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("a line of %d octets, over RFC 5545's 75: %q", len(line), line)
		}
	}
	cal := parse(t, b)
	if m := prop(cal, ics.PropertyMethod); m != "REQUEST" {
		t.Errorf("METHOD = %q", m)
	}
	evs := cal.Events()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	ev := evs[0]
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(e.Start) || start.Location().String() != "Europe/Dublin" {
		t.Errorf("DTSTART = %v (%v), want %v in Europe/Dublin", start, err, e.Start)
	}
	if p := ev.GetProperty(ics.ComponentPropertyDtStart); p == nil || p.ICalParameters["TZID"][0] != "Europe/Dublin" || p.Value != "20261210T100000" {
		t.Errorf("DTSTART is not written in practice time with its zone: %+v", p)
	}
	end, err := ev.GetEndAt()
	if err != nil || end.Sub(start) != time.Hour {
		t.Errorf("DTEND = %v (%v)", end, err)
	}
	if ev.Id() != e.UID || ev.GetProperty(ics.ComponentPropertySequence).Value != "0" || ev.GetProperty(ics.ComponentPropertyStatus).Value != "CONFIRMED" {
		t.Errorf("UID %q, SEQUENCE %v, STATUS %v", ev.Id(), ev.GetProperty(ics.ComponentPropertySequence), ev.GetProperty(ics.ComponentPropertyStatus))
	}
	if d := ev.GetProperty(ics.ComponentPropertyDescription); d == nil || d.Value != e.Description {
		t.Errorf("DESCRIPTION = %+v, want %q", d, e.Description)
	}
	// The zone: winter time (GMT, +0000) and summer time (IST, +0100),
	// changing on the last Sundays of March and October at 01:00 UTC.
	tzs := cal.Timezones()
	if len(tzs) != 1 || tzs[0].GetProperty(ics.ComponentPropertyTzid).Value != "Europe/Dublin" {
		t.Fatalf("VTIMEZONE: %v", tzs)
	}
	var changes []string
	for _, c := range tzs[0].SubComponents() {
		kind := "STANDARD"
		if _, ok := c.(*ics.Daylight); ok {
			kind = "DAYLIGHT"
		}
		var base *ics.ComponentBase
		switch o := c.(type) {
		case *ics.Daylight:
			base = &o.ComponentBase
		case *ics.Standard:
			base = &o.ComponentBase
		}
		changes = append(changes, kind+" "+base.GetProperty(ics.ComponentPropertyDtStart).Value+" "+
			base.GetProperty(ics.ComponentProperty(ics.PropertyTzoffsetfrom)).Value+">"+base.GetProperty(ics.ComponentProperty(ics.PropertyTzoffsetto)).Value)
	}
	want := "STANDARD 20251210T100000 +0000>+0000, DAYLIGHT 20260329T010000 +0000>+0100, STANDARD 20261025T020000 +0100>+0000, DAYLIGHT 20270328T010000 +0000>+0100, STANDARD 20271031T020000 +0100>+0000"
	if got := strings.Join(changes, ", "); got != want {
		t.Errorf("the zone's observances:\n%s\nwant\n%s", got, want)
	}
}

// TestCalendarChanges: a move keeps the UID and raises SEQUENCE; a
// cancellation is METHOD:CANCEL with the same UID.
func TestCalendarChanges(t *testing.T) {
	e := consultationEvent(t)
	moved := e
	moved.Sequence, moved.Start = 1, e.Start.AddDate(0, 0, 7)
	cancelled := moved
	cancelled.Sequence, cancelled.Cancelled = 2, true
	for _, tc := range []struct {
		e              mail.Event
		method, status string
	}{{moved, "REQUEST", "CONFIRMED"}, {cancelled, "CANCEL", "CANCELLED"}} {
		b, err := mail.Calendar(tc.e)
		if err != nil {
			t.Fatal(err)
		}
		cal := parse(t, b)
		ev := cal.Events()[0]
		start, _ := ev.GetStartAt()
		if prop(cal, ics.PropertyMethod) != tc.method || ev.Id() != e.UID || ev.GetProperty(ics.ComponentPropertySequence).Value != string(rune('0'+tc.e.Sequence)) ||
			ev.GetProperty(ics.ComponentPropertyStatus).Value != tc.status || !start.Equal(moved.Start) {
			t.Errorf("%s: method %s, uid %s, sequence %s, status %s, start %s", tc.method, prop(cal, ics.PropertyMethod), ev.Id(),
				ev.GetProperty(ics.ComponentPropertySequence).Value, ev.GetProperty(ics.ComponentPropertyStatus).Value, start)
		}
		if !strings.Contains(tc.e.ContentType(), "method="+tc.method) {
			t.Errorf("content type %q", tc.e.ContentType())
		}
	}
}

// TestCalendarUTC: a practice in UTC writes UTC times, without a zone.
func TestCalendarUTC(t *testing.T) {
	e := consultationEvent(t)
	e.Start = time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC)
	b, err := mail.Calendar(e)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("DTSTART:20261210T100000Z")) || bytes.Contains(b, []byte("VTIMEZONE")) {
		t.Errorf("UTC calendar:\n%s", b)
	}
	e.UID = "x\r\nBEGIN:VEVENT"
	if _, err := mail.Calendar(e); err == nil {
		t.Error("a UID with a line break is written")
	}
}
