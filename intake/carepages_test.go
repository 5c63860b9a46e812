package intake

import (
	"context"
	"encoding/json"
	"html/template"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/care"
)

// careSteps are the plan of the pages' tests: a step to acknowledge and
// a check-in.
var careSteps = []mail.CareText{
	{Slug: "medicines", Send: care.Offset{N: -14, Unit: care.Day}, Acknowledge: true, Title: "Two weeks to go: medicines and smoking",
		HTML: template.HTML("<p>Stop smoking now.</p>\n<h2>Medicines</h2>\n<ul>\n<li>aspirin</li>\n<li>fish oil</li>\n</ul>\n"), WhatToBring: []string{"Photo ID"}},
	{Slug: "first-day", Send: care.Offset{N: 1, Unit: care.Day}, CheckIn: true, Title: "The day after your surgery",
		HTML: template.HTML("<p>Today is for rest.</p>\n")},
}

// journeyFixture is a fixture whose practice has careSteps, and a lead
// with a consultation and a surgery booked, its steps sent.
func journeyFixture(t *testing.T) (*fixture, string) {
	t.Helper()
	f := newFixture(t, func(c *Config) {
		c.Practice.Care = mail.Care{Plans: map[string][]mail.CareText{"": careSteps}}
		c.Care = care.Settings{OutOfHoursPhone: "+353 1 555 0199", UrgentTo: []string{"oncall@harbour.example"}}
		c.PublicURL = "https://www.harbour.example"
	})
	w := f.post(ctJSON, asJSON(validLead()), "")
	var a answer
	json.Unmarshal(w.Body.Bytes(), &a)
	now := f.clock.now()
	for _, ap := range []lead.Appointment{{Kind: lead.Consultation, At: now.Add(48 * time.Hour), Mode: lead.InPerson},
		{Kind: lead.Surgery, At: now.AddDate(0, 0, 20), Procedure: "rhinoplasty"}} {
		if _, err := Schedule(context.Background(), f.store, f.cfg, a.ID, Scheduling{Appointment: ap, By: lead.Person{Email: "coordinator@harbour.example"}}, now); err != nil {
			t.Fatal(err)
		}
	}
	f.clock.advance(22 * 24 * time.Hour) // both steps sent
	tickJourneys(t, f)
	return f, a.ID
}

// tickJourneys takes every due step of the fixture's journeys.
func tickJourneys(t *testing.T, f *fixture) {
	t.Helper()
	srv := newServer(f.logger(), f.cfg.WithDefaults(), f.store, nil)
	p := carePolicyOf(srv.cfg)
	ids, err := f.store.DueJourneys(context.Background(), f.clock.now(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		for {
			_, ok, err := f.store.UpdateJourney(context.Background(), id, func(tr lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
				c, ok := lead.JourneyTick(j, tr.Lead, f.clock.now(), p)
				msgs, err := remind.PlanMails(c, srv.cfg.Practice)
				return c, msgs, ok, err
			})
			if err != nil {
				t.Fatal(err)
			}
			if !ok {
				break
			}
		}
	}
}

func (f *fixture) careURL(id, what, name string) string {
	s := action.Signer{Secret: f.cfg.Secret, Base: "https://www.harbour.example", Now: f.clock.now}
	u, _ := url.Parse(s.CareURL(id, what, name))
	return u.Path
}

func (f *fixture) form(path string, values url.Values) *http.Response {
	r := newRequest(http.MethodPost, path, values.Encode())
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return record(f.h, r).Result()
}

// TestCarePages: a step's page asks I have read this, and says so once
// pressed; a check-in's worry reaches the coordinator and the surgeon on
// call at once and tells the patient whom to call; a GET changes nothing;
// a forged or altered link is refused.
func TestCarePages(t *testing.T) {
	f, id := journeyFixture(t)
	read := f.careURL(id, action.CareStep, "medicines")
	w := f.get(read)
	body := w.Body.String()
	if w.Code != 200 || !strings.Contains(body, "I have read this") || !strings.Contains(body, "Stop smoking now.") || !strings.Contains(body, "Photo ID") {
		t.Fatalf("step page: %d\n%s", w.Code, body)
	}
	if got := w.Header().Get("Cache-Control"); got != "no-store" || w.Header().Get("Referrer-Policy") != "no-referrer" || !strings.Contains(w.Header().Get("Content-Security-Policy"), "frame-ancestors 'none'") {
		t.Errorf("headers: %v", w.Header())
	}
	for _, secret := range []string{"Smith", "aoife@example.org", "871234567", "recovery"} {
		if strings.Contains(body, secret) {
			t.Errorf("the page shows %q", secret)
		}
	}
	_, j, _ := f.store.Journey(context.Background(), id)
	if len(j.Answers) != 0 {
		t.Fatalf("a GET answered: %+v", j.Answers)
	}
	res := f.form(read, url.Values{"read": {"1"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST: %d", res.StatusCode)
	}
	if body := f.get(res.Header.Get("Location")).Body.String(); !strings.Contains(body, "we know you have read this") {
		t.Errorf("after reading:\n%s", body)
	}
	_, j, _ = f.store.Journey(context.Background(), id)
	if len(j.Answers) != 1 || j.Answers[0].Kind != lead.Acknowledged {
		t.Errorf("answers: %+v", j.Answers)
	}

	check := f.careURL(id, action.CareStep, "first-day")
	if body := f.get(check + "?answer=worried").Body.String(); !strings.Contains(body, `value="worried" checked`) || !strings.Contains(body, "How are you feeling today?") {
		t.Errorf("the check-in does not preselect the answer:\n%s", body)
	}
	res = f.form(check, url.Values{"answer": {"worried"}, "text": {"My nose is bleeding\x07 a lot"}})
	body = f.get(res.Header.Get("Location")).Body.String()
	for _, want := range []string{"The team has been told now", `href="tel:&#43;35315550142"`, "353 1 555 0199", "In an emergency, call <strong>112 or 999</strong>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the worried page lacks %q:\n%s", want, body)
		}
	}
	if strings.Contains(strings.ToLower(body), "normal") {
		t.Errorf("the page says whether something is normal:\n%s", body)
	}
	var urgent []string
	rows, err := f.store.Journeys(context.Background(), time.Time{}, f.clock.now().Add(time.Hour))
	if err != nil || len(rows) != 1 {
		t.Fatal(rows, err)
	}
	for _, task := range rows[0].Journey.Tasks {
		if task.Kind == lead.TaskWorry {
			urgent = append(urgent, task.Text)
		}
	}
	if len(urgent) != 1 || urgent[0] != "My nose is bleeding a lot" {
		t.Errorf("the worry: %q", urgent)
	}
	for _, bad := range []string{strings.Replace(check, "first-day", "medicines", 1), "/v1/care/c1.x.step.y.zz.sig", strings.Replace(check, "/v1/care/", "/v1/care/x", 1)} {
		if w := f.get(bad); w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "This link is not valid") {
			t.Errorf("%s: %d", bad, w.Code)
		}
	}
}

// TestCarePagesPassAxe looks at each page of a patient's journey at 390
// and 1366 px: the step, the check-in, the worried answer, the change
// request and a refused link.
func TestCarePagesPassAxe(t *testing.T) {
	f, id := journeyFixture(t)
	b := browser.Start(t)
	hs := httptest.NewServer(f.h)
	t.Cleanup(hs.Close)
	srv := hs.URL
	read := f.careURL(id, action.CareStep, "medicines")
	check := f.careURL(id, action.CareStep, "first-day")
	f.form(check, url.Values{"answer": {"question"}, "text": {"May I shower?"}})
	pages := map[string]string{
		"care-step":     read,
		"care-check-in": check + "?answer=question",
		"care-question": check + "?sent=question",
		"care-worried":  check + "?sent=worried",
		"care-change":   f.careURL(id, action.CareChange, lead.Surgery),
		"care-refused":  "/v1/care/forged",
	}
	for name, path := range pages {
		for _, width := range browser.EmailWidths {
			tab := b.Tab(t, browser.TabOptions{Width: width, Height: 900, NoScript: true})
			tab.Go(t, srv+path)
			tab.CheckAxe(t, name)
			if overflow := browser.Eval[bool](t, tab, `document.documentElement.scrollWidth > innerWidth`); overflow {
				t.Errorf("%s at %d px is wider than the screen", name, width)
			}
			tab.Screenshot(t, name+"-"+strconv.Itoa(width), "")
		}
	}
}
