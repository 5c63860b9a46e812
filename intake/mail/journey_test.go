package mail_test

import (
	"bytes"
	"encoding/base64"
	"html/template"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"path/filepath"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/consultahq/consulta/intake/lead"
	cmail "github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/golden"
)

// journeyLetters are the emails of Anna's journey, as the delivery worker
// composes them from what the store kept, with their links signed (shown
// whole here).
func journeyLetters() map[string]cmail.Letter {
	l := anna()
	london, _ := time.LoadLocation("Europe/London")
	booked := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	consult := lead.Appointment{Kind: lead.Consultation, N: 1, At: time.Date(2026, 12, 10, 10, 0, 0, 0, london), Mode: lead.InPerson,
		Surgeon: "dr-hart", BookedAt: booked}
	video := consult
	video.Mode, video.Place, video.Sequence, video.Moves, video.At = lead.Video, "https://meet.example/r/anna-7k2q", 1, 1, consult.At.AddDate(0, 0, 2)
	cancelled := video
	cancelled.Cancelled, cancelled.Sequence = true, 2
	surgery := lead.Appointment{Kind: lead.Surgery, N: 1, At: time.Date(2027, 1, 12, 7, 30, 0, 0, london), Surgeon: "dr-hart",
		Procedure: "rhinoplasty", Place: "Harley Day Surgery, 12 Wimpole Street, London W1G 9SL", BookedAt: booked}
	link := func(what string) string { return "https://harley.example/v1/care/p1.ld_01JDEMO." + what + ".sig" }
	consultNote := &cmail.CareText{Title: "Your consultation", WhatToBring: []string{"Photo ID", "A list of the medicines you take"},
		HTML: template.HTML("<p>Your consultation lasts about an hour. Nothing is decided on the day.</p>\n"),
		Text: "Your consultation lasts about an hour. Nothing is decided on the day."}
	medicines := &cmail.CareText{Title: "Two weeks to go: medicines and smoking", Acknowledge: true,
		HTML: template.HTML("<p>Your surgery is two weeks away.</p>\n<h2>Stop smoking and vaping now</h2>\n<ul>\n<li>aspirin, and ibuprofen;</li>\n<li>fish oil.</li>\n</ul>\n"),
		Text: "Your surgery is two weeks away.\n\n## Stop smoking and vaping now\n\n- aspirin, and ibuprofen;\n- fish oil."}
	firstDay := &cmail.CareText{Title: "The day after your rhinoplasty", CheckIn: true,
		HTML: template.HTML("<p>Today is for rest, with your head raised.</p>\n"), Text: "Today is for rest, with your head raised."}
	task := func(kind, step, text string) *lead.Task {
		return &lead.Task{ID: "2", Kind: kind, Step: step, Text: text, Created: time.Date(2027, 1, 11, 0, 0, 0, 0, time.UTC),
			Due: time.Date(2027, 1, 11, 11, 0, 0, 0, time.UTC)}
	}
	staff := cmail.JourneyLinks{Lead: "https://harley.example/v1/actions/ld_01JDEMO.lead.face.sig", Done: "https://harley.example/v1/care/t1.ld_01JDEMO.2.sig"}
	jl := func(d lead.MailData, j cmail.JourneyLetter) *cmail.JourneyLetter {
		j.MailData = d
		return &j
	}
	return map[string]cmail.Letter{
		"anna.consultation-booked": {Kind: cmail.Appointment, ID: "ld_01JDEMO.consultation.1.0", To: l.Email, Date: booked, Lead: l,
			Journey: jl(lead.MailData{Appointment: &consult}, cmail.JourneyLetter{Surgeon: "Dr Amelia Hart", Care: consultNote,
				Links: cmail.JourneyLinks{Change: link("change.consultation")}})},
		"anna.consultation-moved": {Kind: cmail.Appointment, ID: "ld_01JDEMO.consultation.1.1", To: l.Email, Date: booked.Add(time.Hour), Lead: l,
			Journey: jl(lead.MailData{Appointment: &video}, cmail.JourneyLetter{Surgeon: "Dr Amelia Hart", Care: consultNote,
				Links: cmail.JourneyLinks{Change: link("change.consultation")}})},
		"anna.consultation-cancelled": {Kind: cmail.Appointment, ID: "ld_01JDEMO.consultation.1.2", To: l.Email, Date: booked.Add(2 * time.Hour), Lead: l,
			Journey: jl(lead.MailData{Appointment: &cancelled}, cmail.JourneyLetter{Surgeon: "Dr Amelia Hart"})},
		"anna.surgery-booked": {Kind: cmail.Appointment, ID: "ld_01JDEMO.surgery.1.0", To: l.Email, Date: booked, Lead: l,
			Journey: jl(lead.MailData{Appointment: &surgery}, cmail.JourneyLetter{Surgeon: "Dr Amelia Hart", Procedure: "Rhinoplasty",
				Care:  &cmail.CareText{WhatToBring: []string{"Photo ID", "Every medicine you take, in its box"}},
				Links: cmail.JourneyLinks{Change: link("change.surgery")}})},
		"anna.consultation_reminder": {Kind: cmail.ConsultationReminder, ID: "ld_01JDEMO.reminder.1.1.2", To: l.Email, Date: booked, Lead: l,
			Journey: jl(lead.MailData{Appointment: &video}, cmail.JourneyLetter{Surgeon: "Dr Amelia Hart", Care: consultNote,
				Links: cmail.JourneyLinks{Change: link("change.consultation")}})},
		"anna.care_step-acknowledge": {Kind: cmail.CareStep, ID: "ld_01JDEMO.care.1.medicines", To: l.Email, Date: booked, Lead: l,
			Journey: jl(lead.MailData{Step: "medicines", Surgery: &surgery}, cmail.JourneyLetter{Care: medicines, Procedure: "Rhinoplasty",
				Links: cmail.JourneyLinks{Page: link("page.medicines"), Acknowledge: link("ack.medicines")}})},
		"anna.care_step-check-in": {Kind: cmail.CareStep, ID: "ld_01JDEMO.care.1.first-day", To: l.Email, Date: booked, Lead: l,
			Journey: jl(lead.MailData{Step: "first-day", Surgery: &surgery}, cmail.JourneyLetter{Care: firstDay, Procedure: "Rhinoplasty",
				Links: cmail.JourneyLinks{Page: link("page.first-day"), CheckIn: link("checkin.first-day")}})},
		"anna.care_task-acknowledge": {Kind: cmail.CareTask, ID: "ld_01JDEMO.task.2", To: "face@harley.example", Date: booked, Lead: l,
			Journey: jl(lead.MailData{Task: task(lead.TaskAcknowledge, "fasting", "")}, cmail.JourneyLetter{StepTitle: "Two days to go: fasting and the day itself", Links: staff})},
		"anna.care_task-question": {Kind: cmail.CareTask, ID: "ld_01JDEMO.task.2", To: "face@harley.example", Date: booked, Lead: l,
			Journey: jl(lead.MailData{Task: task(lead.TaskQuestion, "first-day", "May I shower tomorrow?")}, cmail.JourneyLetter{StepTitle: "The day after your rhinoplasty", Links: staff})},
		"anna.care_task-change": {Kind: cmail.CareTask, ID: "ld_01JDEMO.task.2", To: "face@harley.example", Date: booked, Lead: l,
			Journey: jl(lead.MailData{Task: task(lead.TaskChange, lead.Surgery, "I am away that week, could it be the 19th?")}, cmail.JourneyLetter{Links: staff})},
		"anna.care_task-missed": {Kind: cmail.CareTask, ID: "ld_01JDEMO.task.2", To: "face@harley.example", Date: booked, Lead: l,
			Journey: jl(lead.MailData{Task: task(lead.TaskMissed, "", ""), Missed: []string{"medicines"}}, cmail.JourneyLetter{Missed: []string{"Two weeks to go: medicines and smoking"}, Links: staff})},
		"anna.care_escalation": {Kind: cmail.CareEscalation, ID: "ld_01JDEMO.task.2.escalation.0", To: "manager@harley.example", Date: booked, Lead: l,
			Journey: jl(lead.MailData{Task: task(lead.TaskAcknowledge, "fasting", "")}, cmail.JourneyLetter{StepTitle: "Two days to go: fasting and the day itself", Links: staff})},
		"anna.care_worry": {Kind: cmail.CareWorry, ID: "ld_01JDEMO.task.3.urgent.1", To: "oncall@harley.example", Date: booked, Lead: l,
			Journey: jl(lead.MailData{Task: task(lead.TaskWorry, "first-day", "The left side is more swollen and warm")}, cmail.JourneyLetter{StepTitle: "The day after your rhinoplasty", Links: staff})},
	}
}

// parts returns the decoded text and HTML parts of raw, and its .ics
// attachment with its content type, walking nested multiparts.
func parts(t *testing.T, raw []byte) (text, html, cal []byte, calType string) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(ct string, body io.Reader)
	walk = func(ct string, body io.Reader) {
		mt, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(mt, "multipart/") {
			return
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err == io.EOF {
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			pct := p.Header.Get("Content-Type")
			if strings.HasPrefix(pct, "multipart/") {
				walk(pct, p)
				continue
			}
			var b []byte
			switch p.Header.Get("Content-Transfer-Encoding") {
			case "base64":
				b, err = io.ReadAll(base64Reader(p))
			default:
				b, err = io.ReadAll(quotedprintable.NewReader(p))
			}
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.HasPrefix(pct, "text/calendar"):
				cal, calType = b, pct
			case strings.HasPrefix(pct, "text/html"):
				html = b
			default:
				text = b
			}
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body)
	return text, html, cal, calType
}

// TestComposeJourneyGolden: each email of a journey, composed from its
// data, against its golden files; an appointment's carries its .ics,
// which the library reads back with its UID, SEQUENCE, METHOD and start.
func TestComposeJourneyGolden(t *testing.T) {
	for name, l := range journeyLetters() {
		t.Run(name, func(t *testing.T) {
			m, err := cmail.Compose(l, practice())
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != l.Kind || len(m.To) != 1 || m.To[0] != l.To || m.MessageID != "<"+l.ID+"@harley.example>" {
				t.Errorf("envelope %s → %v, %s", m.Kind, m.To, m.MessageID)
			}
			text, html, cal, calType := parts(t, m.Raw)
			golden.Check(t, filepath.Join("testdata", name+".headers"), headers(t, m.Raw), *update)
			golden.Check(t, filepath.Join("testdata", name+".txt"), text, *update)
			golden.Check(t, filepath.Join("testdata", name+".html"), html, *update)
			a := l.Journey.Appointment
			if l.Kind != cmail.Appointment {
				if cal != nil {
					t.Errorf("a %s carries a calendar", l.Kind)
				}
				return
			}
			c, err := ics.ParseCalendar(bytes.NewReader(cal))
			if err != nil {
				t.Fatalf("the .ics does not parse: %v\n%s", err, cal)
			}
			ev := c.Events()[0]
			start, err := ev.GetStartAt()
			method := map[bool]string{false: "REQUEST", true: "CANCEL"}[a.Cancelled]
			if err != nil || !start.Equal(a.At) || ev.Id() != a.UID(l.Lead.ID)+"@harley.example" ||
				ev.GetProperty(ics.ComponentPropertySequence).Value != string(rune('0'+a.Sequence)) ||
				!strings.Contains(string(cal), "METHOD:"+method) || !strings.Contains(calType, "method="+method) {
				t.Errorf("calendar: start %v (%v), uid %s, sequence %s, type %s\n%s", start, err, ev.Id(),
					ev.GetProperty(ics.ComponentPropertySequence).Value, calType, cal)
			}
		})
	}
}

// TestJourneyEmailsSayNoMore: a patient's email carries nothing of what
// they wrote; a worry reaches staff with their words, escaped.
func TestJourneyEmailsSayNoMore(t *testing.T) {
	ls := journeyLetters()
	w := ls["anna.care_worry"]
	w.Journey.Task.Text = `<script>alert(1)</script> it hurts`
	m, err := cmail.Compose(w, practice())
	if err != nil {
		t.Fatal(err)
	}
	_, html, _, _ := parts(t, m.Raw)
	if bytes.Contains(html, []byte("<script>")) || !bytes.Contains(html, []byte("&lt;script&gt;alert(1)&lt;/script&gt; it hurts")) {
		t.Errorf("the worry's words are not shown as text:\n%s", html)
	}
	for name, l := range ls {
		if l.Kind == cmail.CareTask || l.Kind == cmail.CareWorry || l.Kind == cmail.CareEscalation {
			continue
		}
		m, err := cmail.Compose(l, practice())
		if err != nil {
			t.Fatal(err)
		}
		text, _, _, _ := parts(t, m.Raw)
		for _, secret := range []string{l.Lead.Message, l.Lead.Phone, l.Lead.LastName} {
			if bytes.Contains(text, []byte(secret)) {
				t.Errorf("%s says %q", name, secret)
			}
		}
		if strings.Contains(strings.ToLower(string(text)), "normal") {
			t.Errorf("%s says whether something is normal", name)
		}
	}
}

// TestJourneyEmailsPassAxe looks at each journey email at 390 and 1366 px.
func TestJourneyEmailsPassAxe(t *testing.T) {
	b := browser.Start(t)
	for name, l := range journeyLetters() {
		m, err := cmail.Compose(l, practice())
		if err != nil {
			t.Fatal(err)
		}
		_, html, _, _ := parts(t, m.Raw)
		b.CheckEmail(t, "email-"+strings.ReplaceAll(name, ".", "-"), string(html))
	}
}

// base64Reader decodes a base64 MIME part, whose lines are wrapped.
func base64Reader(r io.Reader) io.Reader {
	return base64.NewDecoder(base64.StdEncoding, &lineSkipper{r: r})
}

// lineSkipper drops the line breaks of a wrapped base64 body.
type lineSkipper struct{ r io.Reader }

func (l *lineSkipper) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	out := p[:0]
	for _, c := range p[:n] {
		if c != '\r' && c != '\n' {
			out = append(out, c)
		}
	}
	return len(out), err
}
