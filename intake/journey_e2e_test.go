package intake

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/lead"
	cmail "github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/hours"
	"github.com/consultahq/consulta/internal/mailpit"
)

// e2eSteps are the plan of the end-to-end journey: the -14d step to
// acknowledge, the -2d step to acknowledge, and the first day's check-in.
var e2eSteps = []cmail.CareText{
	{Slug: "medicines", Send: care.Offset{N: -14, Unit: care.Day}, Acknowledge: true, Title: "Two weeks to go: medicines and smoking",
		HTML: template.HTML("<p>Stop smoking now.</p>\n"), Text: "Stop smoking now."},
	{Slug: "fasting", Send: care.Offset{N: -2, Unit: care.Day}, Acknowledge: true, Title: "Two days to go: fasting",
		HTML: template.HTML("<p>Eat nothing after midnight.</p>\n"), Text: "Eat nothing after midnight."},
	{Slug: "first-day", Send: care.Offset{N: 1, Unit: care.Day}, CheckIn: true, Title: "The day after your surgery",
		HTML: template.HTML("<p>Today is for rest.</p>\n"), Text: "Today is for rest."},
}

// TestJourneyInChromium walks a patient's journey in Chromium on a fake
// clock, with every email sent to a real Mailpit: the coordinator books a
// consultation on the lead's page (the patient's email carries an .ics
// that the library reads back); a surgery ten days later is refused under
// the UK's cooling-off period, twenty days later booked; the -14d step
// arrives and is acknowledged; the -2d step is not, and becomes a task;
// the surgery moves and the pending steps follow; the +1d check-in,
// answered "I'm worried" on a Saturday night, reaches the coordinator and
// the surgeon on call within seconds.
func TestJourneyInChromium(t *testing.T) {
	mp := mailpit.Start(t)
	dublin, _ := time.LoadLocation("Europe/Dublin")
	week, _, err := hours.ParseWeek(map[string]string{"mon-fri": "09:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, func(c *Config) {
		c.Clock = hours.Clock{Schedule: hours.Schedule{Location: dublin, Week: week}, EscalateTo: []string{"manager@harbour.example"}}
		c.Practice.Care = cmail.Care{Plans: map[string][]cmail.CareText{"": e2eSteps}}
		c.Practice.Address = "7 Linden Quay, Dublin 2"
		c.Practice.Surgeons = map[string]string{"dr-amelia-hart": "Dr Amelia Hart"}
		c.Surgeons = []Surgeon{{Slug: "dr-amelia-hart", Name: "Dr Amelia Hart"}}
		c.Care = care.Settings{CoolingOffDays: 14, UrgentTo: []string{"oncall@harbour.example"}, OutOfHoursPhone: "+353 1 555 0199"}
		c.MinFill = time.Nanosecond
	})
	// Monday 1 June 2026, 10:00 in Dublin: the fake clock stays in the
	// past of the real one, so that every email is due when queued.
	f.clock.ns.Store(time.Date(2026, 6, 1, 10, 0, 0, 0, dublin).UnixNano())
	srv := newServer(f.logger(), f.cfg.WithDefaults(), f.store, nil)
	hs := httptest.NewServer(srv)
	defer hs.Close()
	srv.actions.Base = hs.URL
	smtp, err := cmail.NewSMTP("smtp://"+mp.SMTP+"?tls=none", cmail.SMTPOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		delivery.Run(ctx, f.store, smtp, delivery.Options{Logger: slog.New(slog.NewTextHandler(f.logs, nil)), Compose: srv.composer().Compose,
			Poll: 50 * time.Millisecond})
	}()
	defer func() { cancel(); <-done }()
	tick := func() {
		t.Helper()
		if _, err := remind.Tick(ctx, f.store, srv.remindConfig(), f.clock.now()); err != nil {
			t.Fatal(err)
		}
	}
	waitMail := func(id string) (cmail.Message, []byte) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for {
			msgs, err := mp.Messages(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range msgs {
				if m.MessageID == id+"@harbour.example" {
					raw, err := mp.Raw(ctx, m.ID)
					if err != nil {
						t.Fatal(err)
					}
					return cmail.Message{ID: m.ID, Raw: raw}, []byte(m.Text)
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("no email %s in Mailpit within 20s", id)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}

	// A lead, claimed and booked on its page, at phone width.
	w := f.post(ctJSON, asJSON(validLead()), "")
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.ID == "" {
		t.Fatalf("lead: %d %s", w.Code, w.Body)
	}
	b := browser.Start(t)
	tab := b.Tab(t, browser.TabOptions{Width: 390, Height: 844})
	page := srv.actions.URL(a.ID, action.Claim, f.cfg.Practice.Coordinator)
	if status := tab.Go(t, page); status != http.StatusOK {
		t.Fatalf("the lead's page: %d", status)
	}
	says := func(wants ...string) {
		t.Helper()
		got := browser.Eval[string](t, tab, `document.querySelector("main").innerText`)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("the page has no %q:\n%s", want, got)
			}
		}
	}
	tap := func(what, css string, fill ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if len(fill) > 0 {
			tab.Do(t, what, fill...)
		}
		if status := tab.Follow(t, what, chromedp.Click(chromedp.CSS(css))); status != http.StatusOK && status != http.StatusUnprocessableEntity {
			t.Fatalf("after %s: %d", what, status)
		}
	}
	field := func(id string, at time.Time) chromedp.Action[chromedp.Void] {
		return chromedp.SetValue(chromedp.ID(id), at.In(dublin).Format("2006-01-02T15:04"))
	}
	tap("claim", `button[value=claim]`)
	tap("consultation booked", `button[value=booked]`)
	says("Dates", "Consultation", "Not booked yet.")
	tab.CheckAxe(t, "lead page, dates")
	tab.Screenshot(t, "lead-dates-390", "")

	consultation := time.Date(2026, 6, 4, 10, 0, 0, 0, dublin) // Thursday
	tap("book the consultation", `button[value="date:consultation"]`, field("consultation_at", consultation),
		chromedp.Click(chromedp.CSS(`input[name=mode][value=video]`)),
		chromedp.SetValue(chromedp.ID("video"), "https://meet.example/r/aoife"),
		chromedp.SetValue(chromedp.ID("consultation_surgeon"), "dr-amelia-hart"))
	says("Booked: Thu 4 Jun, 10:00, by video, with Dr Amelia Hart")
	m, _ := waitMail(a.ID + ".consultation.1.0")
	cal := calendarOf(t, m.Raw)
	c, err := ics.ParseCalendar(bytes.NewReader(cal))
	if err != nil {
		t.Fatalf("the .ics does not parse: %v\n%s", err, cal)
	}
	ev := c.Events()[0]
	start, err := ev.GetStartAt()
	if err != nil || !start.Equal(consultation) || start.Location().String() != "Europe/Dublin" || !strings.HasPrefix(ev.Id(), a.ID+".consultation.1@") ||
		!bytes.Contains(cal, []byte("METHOD:REQUEST")) {
		t.Errorf("the consultation's calendar: start %v (%v), uid %s\n%s", start, err, ev.Id(), cal)
	}

	// A surgery ten days after the consultation is refused; twenty days after, booked.
	tap("book a surgery too soon", `button[value="date:surgery"]`, field("surgery_at", consultation.AddDate(0, 0, 10)))
	says("Refused: a surgery date less than 14 days after the patient's first consultation is refused")
	tab.CheckAxe(t, "lead page, a date refused")
	tab.Screenshot(t, "lead-date-refused-390", "")
	surgery := time.Date(2026, 6, 24, 8, 0, 0, 0, dublin) // Wednesday, 20 days after
	tap("book the surgery", `button[value="date:surgery"]`, field("surgery_at", surgery),
		chromedp.SetValue(chromedp.ID("surgery_surgeon"), "dr-amelia-hart"))
	says("Booked: Wed 24 Jun, 08:00, Rhinoplasty, with Dr Amelia Hart", "Surgery booked: Wed 24 Jun 2026 08:00, rhinoplasty")
	waitMail(a.ID + ".surgery.1.0")

	// The -14d step arrives, and the patient confirms reading it.
	f.clock.ns.Store(time.Date(2026, 6, 10, 9, 0, 0, 0, dublin).UnixNano())
	tick()
	_, text := waitMail(a.ID + ".care.1.medicines")
	link := regexp.MustCompile(`(` + regexp.QuoteMeta(hs.URL) + `/v1/care/\S+)#read`).FindSubmatch(text)
	if link == nil {
		t.Fatalf("the step's email has no I have read this link:\n%s", text)
	}
	patient := b.Tab(t, browser.TabOptions{Width: 390, Height: 844, NoScript: true})
	patient.Go(t, string(link[1]))
	if status := patient.Follow(t, "I have read this", chromedp.Click(chromedp.CSS(`#read button`))); status != http.StatusOK {
		t.Fatalf("I have read this: %d", status)
	}
	if got := browser.Eval[string](t, patient, `document.querySelector("main").innerText`); !strings.Contains(got, "we know you have read this") {
		t.Errorf("after I have read this:\n%s", got)
	}

	// The -2d step is not acknowledged: at its deadline it becomes a task.
	f.clock.ns.Store(time.Date(2026, 6, 22, 9, 0, 0, 0, dublin).UnixNano())
	tick()
	waitMail(a.ID + ".care.1.fasting")
	f.clock.ns.Store(time.Date(2026, 6, 23, 0, 0, 0, 0, dublin).UnixNano())
	tick()
	_, task := waitMail(a.ID + ".task.1")
	for _, want := range []string{"Not acknowledged", "Aoife Byrne", "87 123 4567", "Two days to go: fasting"} {
		if !bytes.Contains(task, []byte(want)) {
			t.Errorf("the task lacks %q:\n%s", want, task)
		}
	}

	// The surgery moves to Friday 26 June: the steps to come follow.
	f.clock.ns.Store(time.Date(2026, 6, 23, 10, 0, 0, 0, dublin).UnixNano())
	tab.Go(t, page)
	moved := time.Date(2026, 6, 26, 8, 0, 0, 0, dublin)
	tap("move the surgery", `button[value="date:surgery"]`, field("surgery_at", moved))
	says("Booked: Fri 26 Jun, 08:00, Rhinoplasty, with Dr Amelia Hart (moved)", "Surgery moved")
	tab.Screenshot(t, "lead-dates-moved-390", "")
	_, j, err := f.store.Journey(ctx, a.ID)
	if err != nil || len(j.Pending) == 0 {
		t.Fatal(err, j.Pending)
	}
	var steps []string
	for _, p := range j.Pending {
		if p.Kind == lead.PendingCare {
			steps = append(steps, p.Name+"@"+p.At.In(dublin).Format("Mon 2 Jan 15:04"))
		}
	}
	if strings.Join(steps, " ") != "first-day@Sat 27 Jun 09:00" {
		t.Errorf("after the move, the steps to come are %v", steps)
	}

	// Saturday 27 June: the check-in, answered I'm worried at 22:40, the
	// practice closed, reaches the coordinator and the surgeon on call.
	f.clock.ns.Store(time.Date(2026, 6, 27, 9, 0, 0, 0, dublin).UnixNano())
	tick()
	_, text = waitMail(a.ID + ".care.1.first-day")
	link = regexp.MustCompile(`I'm worried: (\S+)`).FindSubmatch(text)
	if link == nil {
		t.Fatalf("the check-in has no I'm worried link:\n%s", text)
	}
	f.clock.ns.Store(time.Date(2026, 6, 27, 22, 40, 0, 0, dublin).UnixNano())
	patient.Go(t, string(link[1]))
	patient.Do(t, "write the worry", chromedp.SetValue(chromedp.ID("text"), "My nose is bleeding and will not stop"))
	sent := time.Now()
	if status := patient.Follow(t, "send the worry", chromedp.Click(chromedp.CSS(`#feeling button`))); status != http.StatusOK {
		t.Fatalf("send: %d", status)
	}
	got := browser.Eval[string](t, patient, `document.querySelector("main").innerText`)
	for _, want := range []string{"The team has been told now", "353 1 555 0142", "353 1 555 0199", "112 or 999"} {
		if !strings.Contains(got, want) {
			t.Errorf("the worried page lacks %q:\n%s", want, got)
		}
	}
	patient.CheckAxe(t, "care page, worried")
	patient.Screenshot(t, "care-worried-e2e-390", "")
	for _, to := range []string{"coordinator@harbour.example", "oncall@harbour.example"} {
		id := a.ID + ".task.2.urgent.0"
		if to == "oncall@harbour.example" {
			id = a.ID + ".task.2.urgent.1"
		}
		_, text := waitMail(id)
		if !bytes.Contains(text, []byte("My nose is bleeding and will not stop")) || !bytes.Contains(text, []byte("Call Aoife")) {
			t.Errorf("the urgent email to %s:\n%s", to, text)
		}
	}
	if took := time.Since(sent); took > 10*time.Second {
		t.Errorf("the worry took %s to reach the team", took)
	}
}

// calendarOf returns the text/calendar part of raw.
func calendarOf(t *testing.T, raw []byte) []byte {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	var found []byte
	var walk func(ct string, body io.Reader)
	walk = func(ct string, body io.Reader) {
		_, params, err := mime.ParseMediaType(ct)
		if err != nil {
			t.Fatal(err)
		}
		r := multipart.NewReader(body, params["boundary"])
		for {
			p, err := r.NextRawPart()
			if err != nil {
				return
			}
			pct := p.Header.Get("Content-Type")
			switch {
			case strings.HasPrefix(pct, "multipart/"):
				walk(pct, p)
			case strings.HasPrefix(pct, "text/calendar"):
				var rd io.Reader = quotedprintable.NewReader(p)
				if p.Header.Get("Content-Transfer-Encoding") == "base64" {
					b, _ := io.ReadAll(p)
					rd = base64.NewDecoder(base64.StdEncoding, bytes.NewReader(bytes.ReplaceAll(bytes.ReplaceAll(b, []byte("\r"), nil), []byte("\n"), nil)))
				}
				found, _ = io.ReadAll(rd)
			}
		}
	}
	walk(msg.Header.Get("Content-Type"), msg.Body)
	if found == nil {
		t.Fatalf("no calendar in the email:\n%s", raw)
	}
	return found
}
