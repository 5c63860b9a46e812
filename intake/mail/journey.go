package mail

import (
	"bytes"
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"time"

	"github.com/jordan-wright/email"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/internal/care"
)

// The emails of a patient's journey after booking: to the patient, a
// booking, move or cancellation of an appointment (with its .ics), a
// consultation's reminder and each care step; to staff, the tasks the
// journey makes (an acknowledgement overdue, a question, a change asked
// for, steps missed), their escalation, and a patient who is worried.

// The kinds of a journey's email, as package lead names them.
const (
	Appointment          = lead.AppointmentMail
	ConsultationReminder = lead.ConsultationReminder
	CareStep             = lead.CareStepMail
	CareTask             = lead.CareTask
	CareEscalation       = lead.CareEscalation
	CareWorry            = lead.CareWorry
)

// JourneyLetter is what a journey's email says besides the lead: what
// the store kept with it (lead.MailData), and what the caller reads of the
// site and signs when it is sent.
type JourneyLetter struct {
	lead.MailData
	Care      *CareText // a care step's text; an appointment's note (content/care/…/consultation.md), if any
	Surgeon   string    // the surgeon's name: "Dr Amelia Hart"
	Procedure string    // the surgery's procedure: "Rhinoplasty"
	StepTitle string    // a task's step, as the patient read it
	Missed    []string  // a TaskMissed's steps, by title
	Links     JourneyLinks
}

// CareText is a care step (or the consultation's note) as staff wrote
// it in content/care/.
type CareText struct {
	Slug        string      // the file's name: "medicines-and-smoking"
	Send        care.Offset // from the surgery
	Title       string
	HTML        htmltemplate.HTML // its text, rendered by the site's Markdown
	Text        string            // its text as written: Markdown reads as plain text
	WhatToBring []string
	Acknowledge bool
	CheckIn     bool
}

// JourneyLinks are the links of a journey's email, each signed by the
// caller for the patient and the step, or for the member of staff.
type JourneyLinks struct {
	Page        string // the step's printable page; its check-in or its acknowledgement
	Acknowledge string // "I have read this"
	CheckIn     string // "How are you feeling today?"
	Change      string // ask to change the appointment
	Done        string // staff: the task is done
	Lead        string // staff: the lead's page
}

// patientView is the data of the emails to the patient of a journey.
type patientView struct {
	Subject   string
	P         Practice
	C         Colours
	Greeting  string
	Ref       string
	Kind      string // Consultation or Surgery
	Cancelled bool
	Moved     bool
	When      string // "Thursday 10 December 2026 at 10:00 (Dublin time)"
	Where     string // the address; "" for a video consultation
	Video     htmltemplate.URL
	VideoText string
	With      string
	Procedure string
	Care      *CareText
	Links     JourneyLinks
	Tel       htmltemplate.URL
}

func (v *patientView) setSubject(s string) { v.Subject = s }

// preparePatientJourney prepares a journey's email to the patient: To the
// patient's address alone, Reply-To the coordinator.
func preparePatientJourney(l Letter, p Practice, _ string, h *header) (any, Colours, error) {
	j := l.Journey
	if j == nil {
		return nil, Colours{}, fmt.Errorf("a journey's email without its data")
	}
	v, err := newPatientView(l, p, h)
	if err != nil {
		return nil, Colours{}, err
	}
	loc := zone(p)
	v.Care, v.Links = j.Care, j.Links
	v.With, v.Procedure = j.Surgeon, j.Procedure
	a := j.Appointment
	if l.Kind == CareStep {
		a = j.Surgery
		if j.Care == nil {
			return nil, Colours{}, fmt.Errorf("care step %q has no text", j.Step)
		}
	}
	if a != nil {
		v.Kind, v.Cancelled, v.Moved = a.Kind, a.Cancelled, a.Moves > 0 && a.Sequence > 0
		v.When = Appointed(a.At, loc)
		switch {
		case a.Mode == lead.Video && strings.HasPrefix(a.Place, "https://"):
			v.Video, v.VideoText = htmltemplate.URL(a.Place), a.Place
		case a.Place != "":
			v.Where = a.Place
		default:
			v.Where = p.Address
		}
	}
	return v, v.C, nil
}

// newPatientView returns the data of a letter (the "letter" layout) to
// the patient of l, and sets its headers: To the patient's address alone
// (the submitter chose it), Reply-To the coordinator.
func newPatientView(l Letter, p Practice, h *header) (*patientView, error) {
	if err := checkLead(l.Lead, p); err != nil {
		return nil, err
	}
	var err error
	h.envelopeTo = cmp.Or(l.To, l.Lead.Email)
	if h.to, err = address("email", "", h.envelopeTo); err != nil {
		return nil, err
	}
	if h.replyTo, err = address("coordinator", p.CoordinatorName, p.To(l.Lead.Category)); err != nil {
		return nil, err
	}
	return &patientView{P: p, C: p.Colours.WithDefaults(), Greeting: greetingName(l.Lead.FirstName), Ref: l.Lead.Ref,
		Tel: TelURL(p.Phone)}, nil
}

// prepareUnreached prepares the one email to a patient every planned call
// missed: that the practice tried to call, and how to reach it.
func prepareUnreached(l Letter, p Practice, _ string, h *header) (any, Colours, error) {
	v, err := newPatientView(l, p, h)
	if err != nil {
		return nil, Colours{}, err
	}
	if l.Lead.Procedure != lead.NotSure {
		v.Procedure = cmp.Or(l.Lead.ProcedureTitle, p.procedureName(l.Lead.Procedure))
	}
	h.lang = pickLanguage(l.Kind, l.Lead.Language, p.Language)
	return v, v.C, nil
}

// Appointed writes an appointment's time as the patient reads it:
// "Thursday 10 December 2026 at 10:00 (Dublin time)".
func Appointed(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	city := loc.String()
	if i := strings.LastIndexByte(city, '/'); i >= 0 {
		city = strings.ReplaceAll(city[i+1:], "_", " ")
	}
	return t.In(loc).Format("Monday 2 January 2006 at 15:04") + " (" + city + " time)"
}

func zone(p Practice) *time.Location {
	if p.TimeZone == nil {
		return time.UTC
	}
	return p.TimeZone
}

// prepareCareNotice prepares a journey's email to staff: a task, its
// escalation, or a worried patient. It shows what the coordinator needs to
// act without opening anything else: the patient's name and phone (a
// tap-to-call button), the step, what the patient wrote, and when it is due.
func prepareCareNotice(l Letter, p Practice, domain string, h *header) (any, Colours, error) {
	j := l.Journey
	if j == nil || j.Task == nil {
		return nil, Colours{}, fmt.Errorf("a task's email without its task")
	}
	if !AddressOK(l.To) {
		return nil, Colours{}, fmt.Errorf("invalid or non-ASCII address")
	}
	h.envelopeTo, h.to = l.To, l.To
	loc := zone(p)
	when := func(t time.Time) string { return t.In(loc).Format(StaffTime) }
	t := j.Task
	v := &noticeView{Practice: p.Name, C: p.Colours.WithDefaults(), Ref: cmp.Or(l.Lead.Ref, l.Lead.ID), Who: who(l.Lead), Due: when(t.Due)}
	name := strings.TrimSpace(l.Lead.FirstName + " " + l.Lead.LastName)
	v.Facts = []Figure{{"Reference", v.Ref}}
	if name != "" {
		v.Facts = append(v.Facts, Figure{"Patient", name})
	}
	if j.StepTitle != "" {
		v.Facts = append(v.Facts, Figure{"Step", j.StepTitle})
	}
	if t.Kind == lead.TaskChange {
		v.Facts = append(v.Facts, Figure{"Appointment", map[string]string{lead.Consultation: "Consultation", lead.Surgery: "Surgery"}[t.Step]})
	}
	if len(j.Missed) > 0 {
		v.Facts = append(v.Facts, Figure{"Steps missed", strings.Join(j.Missed, "; ")})
	}
	if t.Text != "" {
		v.Facts = append(v.Facts, Figure{"The patient wrote", t.Text})
	}
	v.Facts = append(v.Facts, Figure{"Written", when(t.Created)})
	if l.Kind != CareWorry {
		v.Facts = append(v.Facts, Figure{"Due", v.Due})
	}
	v.Call = callOf(l.Lead, p.Region)
	if j.Links.Lead != "" {
		v.Links = append(v.Links, noticeLink{Label: "Open the lead", URL: htmltemplate.URL(j.Links.Lead)})
	}
	if j.Links.Done != "" && l.Kind != CareEscalation {
		v.Links = append(v.Links, noticeLink{Label: "Done", URL: htmltemplate.URL(j.Links.Done)})
	}
	v.Task = t.Kind // the templates word each kind of task
	h.inReplyTo = "<" + l.Lead.ID + "." + Coordinator + "@" + domain + ">"
	return v, v.C, nil
}

// appointmentLength is how long a consultation lasts in the patient's
// calendar; a surgery has a start alone, its length being the surgeon's.
const appointmentLength = time.Hour

// attachCalendar attaches the .ics of an appointment's email: the event
// with a UID stable across its changes, its SEQUENCE, and METHOD:CANCEL
// once cancelled.
func attachCalendar(e *email.Email, l Letter, p Practice, domain string) error {
	a := l.Journey.Appointment
	if a == nil {
		return fmt.Errorf("an appointment's email without its appointment")
	}
	ev := Event{UID: a.UID(l.Lead.ID) + "@" + domain, Sequence: a.Sequence, Cancelled: a.Cancelled,
		Start: a.At.In(zone(p)), Organizer: p.From, OrgName: p.Name, Attendee: cmp.Or(l.To, l.Lead.Email), Stamp: l.Date}
	what := "Consultation"
	if a.Kind == lead.Surgery {
		what = cmp.Or(l.Journey.Procedure, "Surgery")
	} else {
		ev.Length = appointmentLength
	}
	if l.Journey.Surgeon != "" {
		what += " with " + l.Journey.Surgeon
	}
	ev.Summary = what + ", " + p.Name
	ev.Location = cmp.Or(a.Place, p.Address)
	ev.Description = "Your reference: " + l.Lead.Ref + ". To change it, use the link in our email"
	if p.Phone != "" {
		ev.Description += " or call " + p.Phone
	}
	ev.Description += "."
	ics, err := Calendar(ev)
	if err != nil {
		return err
	}
	name := "consultation.ics"
	if a.Kind == lead.Surgery {
		name = "surgery.ics"
	}
	_, err = e.Attach(bytes.NewReader(ics), name, ev.ContentType())
	return err
}
