package intake

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/internal/hours"
)

const (
	coordinator = "coordinator@harbour.example"
	manager     = "manager@harbour.example"
)

// clockFixture is a handler whose practice keeps office hours in Dublin,
// with a lead already taken.
func clockFixture(t *testing.T, edits ...func(*Config)) (*fixture, action.Signer, string) {
	t.Helper()
	f := newFixture(t, func(c *Config) {
		dublin, err := time.LoadLocation("Europe/Dublin")
		if err != nil {
			t.Fatal(err)
		}
		w, _, err := hours.ParseWeek(map[string]string{"mon-fri": "09:00-18:00"})
		if err != nil {
			t.Fatal(err)
		}
		c.Clock = hours.Clock{Schedule: hours.Schedule{Location: dublin, Week: w},
			EscalateTo: []string{manager}, DigestTo: []string{manager}}
		c.PublicURL = "https://www.harbour.example"
		for _, edit := range edits {
			edit(c)
		}
	})
	w := f.post(ctJSON, asJSON(validLead()), "192.0.2.1")
	if w.Code != http.StatusAccepted {
		t.Fatalf("post: %d %s", w.Code, w.Body)
	}
	var got struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &got)
	return f, action.Signer{Secret: f.cfg.Secret, Now: f.clock.now}, got.ID
}

func (f *fixture) lead(t *testing.T, id string) lead.Tracked {
	t.Helper()
	l, err := f.store.Lead(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func (f *fixture) do(method, path string) *http.Response {
	w := record(f.h, newRequest(method, path, ""))
	return w.Result()
}

func body(r *http.Response) string {
	var b strings.Builder
	buf := make([]byte, 4096)
	for {
		n, err := r.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			return b.String()
		}
	}
}

func TestLeadGetsDueAndRef(t *testing.T) {
	f, _, id := clockFixture(t)
	l := f.lead(t, id)
	// Monday 2 March 2026, 10:00 in Dublin (UTC in winter): due at noon.
	if want := time.Date(2026, 3, 2, 12, 0, 0, 0, time.UTC); !l.Lead.Due.Equal(want) || l.State != lead.New {
		t.Errorf("due %s, state %s; want %s, new", l.Lead.Due, l.State, want)
	}
	if !strings.HasPrefix(l.Lead.Ref, "HAS-0302-") {
		t.Errorf("ref %q, want HAS-0302-…", l.Lead.Ref)
	}
}

// TestActionGetChangesNothing: every action link opens the lead's page,
// with the patient's name, procedure, contact and message, and the same
// headers as every action page; a GET changes nothing.
func TestActionGetChangesNothing(t *testing.T) {
	f, s, id := clockFixture(t)
	before := f.lead(t, id)
	for _, act := range []string{action.Claim, action.Contacted, action.Booked, action.Closed, action.NotALead, action.Spam,
		action.Release, action.Open} {
		r := f.do(http.MethodGet, action.Path+s.Sign(id, act, coordinator))
		page := body(r)
		for _, want := range []string{before.Lead.Ref, "<h1>Aoife Byrne</h1>", "Rhinoplasty", `href="tel:&#43;353871234567"`,
			"aoife.byrne@mail.example", "I would like to know about recovery.", "Reply by Mon 2 Mar, 12:00", `<form method="post">`} {
			if !strings.Contains(page, want) {
				t.Errorf("GET %s: no %q", act, want)
			}
		}
		h := r.Header
		if r.StatusCode != http.StatusOK || h.Get("Cache-Control") != "no-store" || h.Get("Referrer-Policy") != "no-referrer" ||
			h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
			t.Errorf("GET %s: %d, headers %v", act, r.StatusCode, h)
		}
	}
	if after := f.lead(t, id); after.State != before.State || !after.StateAt.Equal(before.StateAt) || !after.ActedAt.IsZero() ||
		len(after.History) != 0 {
		t.Errorf("after GETs: %+v", after)
	}
}

// TestActionPostActsOnce: the one-button POST of an earlier page acts as
// its link says, once; the clock keeps running after a claim.
func TestActionPostActsOnce(t *testing.T) {
	f, s, id := clockFixture(t)
	f.clock.advance(25 * time.Minute)
	claim := action.Path + s.Sign(id, action.Claim, coordinator)
	r := f.do(http.MethodPost, claim)
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != claim {
		t.Fatalf("POST claim: %d, Location %q", r.StatusCode, r.Header.Get("Location"))
	}
	claimedAt := f.clock.now()
	// A second click, and a colleague's, a minute later, change nothing.
	f.clock.advance(time.Minute)
	for _, url := range []string{claim, action.Path + s.Sign(id, action.Claim, manager)} {
		if r := f.do(http.MethodPost, url); r.StatusCode != http.StatusSeeOther {
			t.Errorf("second POST: %d", r.StatusCode)
		}
	}
	l := f.lead(t, id)
	// Claiming stops the reminders to the team, not the clock: the
	// reminder at the due time now goes to the owner.
	if want := []lead.Step{{Kind: lead.Reminder, At: l.Lead.Due}}; l.State != lead.Claimed || l.ClaimedBy != coordinator ||
		!l.ClaimedAt.Equal(claimedAt) || fmt.Sprint(l.Steps) != fmt.Sprint(want) {
		t.Errorf("after claims: state %s by %s at %s, steps %v", l.State, l.ClaimedBy, l.ClaimedAt, l.Steps)
	}
	page := body(f.do(http.MethodGet, action.Path+s.Sign(id, action.Claim, manager)))
	for _, want := range []string{"Claimed by " + coordinator, "Mon 2 Mar, 10:25 · " + coordinator, "Next step: record a call"} {
		if !strings.Contains(page, want) {
			t.Errorf("the colleague's page has no %q:\n%s", want, page)
		}
	}
	metrics := f.metrics()
	for _, want := range []string{"consulta_lead_time_to_claim_seconds_count 1", "consulta_lead_time_to_claim_seconds_sum 1500", "consulta_leads_overdue 0"} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics has no %q", want)
		}
	}
	// Reached sets the follow-up: three working days later.
	if r := f.do(http.MethodPost, action.Path+s.Sign(id, action.Contacted, manager)); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST contacted: %d", r.StatusCode)
	}
	l = f.lead(t, id)
	if want := []lead.Step{{Kind: lead.FollowUp, At: time.Date(2026, 3, 5, 10, 26, 0, 0, time.UTC)}}; l.State != lead.Contacted ||
		l.ContactedBy != manager || fmt.Sprint(l.Steps) != fmt.Sprint(want) {
		t.Errorf("contacted: %s by %s, steps %v; want the follow-up %v", l.State, l.ContactedBy, l.Steps, want)
	}
}

func TestActionRefused(t *testing.T) {
	f, s, id := clockFixture(t)
	good := s.Sign(id, action.Claim, coordinator)
	other := action.Signer{Secret: []byte(strings.Repeat("z", 32)), Now: f.clock.now}
	expired := action.Signer{Secret: f.cfg.Secret, TTL: time.Hour, Now: func() time.Time { return f.clock.now().Add(-2 * time.Hour) }}
	for name, tc := range map[string]struct{ token, says string }{
		"forged":          {other.Sign(id, action.Claim, coordinator), "This link is not valid"},
		"altered lead":    {strings.Replace(good, id, id[:len(id)-1]+"Z", 1), "This link is not valid"},
		"altered action":  {strings.Replace(good, ".claim.", ".booked.", 1), "This link is not valid"},
		"expired":         {expired.Sign(id, action.Claim, coordinator), "This link has expired"},
		"other recipient": {s.Sign(id, action.Claim, "stranger@mail.example"), "This link was not sent to you"},
		"garbage":         {"hello", "This link is not valid"},
	} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			r := f.do(method, action.Path+tc.token)
			page := body(r)
			if r.StatusCode != http.StatusForbidden || !strings.Contains(page, tc.says) || strings.Contains(page, "Aoife") {
				t.Errorf("%s %s: %d\n%s", method, name, r.StatusCode, page)
			}
		}
	}
	if l := f.lead(t, id); l.State != lead.New || !l.ActedAt.IsZero() {
		t.Errorf("after refused links: state %s, acted %s", l.State, l.ActedAt)
	}
}

func TestActionRelease(t *testing.T) {
	f, s, _ := clockFixture(t)
	held := validLead()
	held["website"] = "http://spam.example" // the honeypot: a strong signal
	w := f.post(ctJSON, asJSON(held), "192.0.2.9")
	var got struct{ ID string }
	if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != http.StatusAccepted {
		t.Fatalf("post: %d %s", w.Code, w.Body)
	}
	if l := f.lead(t, got.ID); l.State != lead.Spam || f.stats(t).Held != 1 {
		t.Fatalf("the honeypot lead is %s, %+v; want held", l.State, f.stats(t))
	}
	release := action.Path + s.Sign(got.ID, action.Release, manager)
	if page := body(f.do(http.MethodGet, release)); !strings.Contains(page, "Release: deliver this request") || f.stats(t).Held != 1 {
		t.Fatalf("GET release:\n%s", page)
	}
	f.clock.advance(time.Hour)
	for range 2 {
		if r := f.do(http.MethodPost, release); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("POST release: %d", r.StatusCode)
		}
	}
	l := f.lead(t, got.ID)
	// Released at 11:00 on Monday 2 March: due two open hours later.
	if l.State != lead.New || l.Lead.Spam || l.StateBy != manager || !l.Lead.Due.Equal(time.Date(2026, 3, 2, 13, 0, 0, 0, time.UTC)) {
		t.Errorf("released: %s by %s, spam %v, due %s", l.State, l.StateBy, l.Lead.Spam, l.Lead.Due)
	}
	if st := f.stats(t); st.Held != 0 || st.Pending != 2 {
		t.Errorf("after release: %+v; want its email pending beside the first lead's", st)
	}
	if page := body(f.do(http.MethodGet, release)); !strings.Contains(page, "Released: delivered after it was held") ||
		strings.Contains(page, "Release: deliver this request") || !strings.Contains(page, `value="claim"`) {
		t.Errorf("GET release again:\n%s", page)
	}
}

// TestFormerStaffLoseAccess: once an address no longer receives the
// practice's leads, its links are refused, even on a lead it marked
// contacted itself, and show nothing of the patient.
func TestFormerStaffLoseAccess(t *testing.T) {
	f, s, id := clockFixture(t)
	f.clock.advance(10 * time.Minute)
	for _, act := range []string{action.Claim, action.Contacted} {
		if r := f.do(http.MethodPost, action.Path+s.Sign(id, act, manager)); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s by the manager: %d", act, r.StatusCode)
		}
	}
	// The manager leaves: the settings no longer name them.
	cfg := f.cfg
	cfg.Clock.EscalateTo, cfg.Clock.DigestTo = nil, nil
	after := NewServer(f.logger(), cfg, f.store, nil)
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		w := record(after, newRequest(method, action.Path+s.Sign(id, action.Booked, manager), ""))
		if w.Code != http.StatusForbidden || !strings.Contains(w.Body.String(), "This link was not sent to you") ||
			strings.Contains(w.Body.String(), "Aoife") {
			t.Errorf("%s booked by the former manager: %d\n%s", method, w.Code, w.Body)
		}
	}
	if l := f.lead(t, id); l.State != lead.Contacted {
		t.Errorf("the lead is %s, want still contacted", l.State)
	}
	if w := record(after, newRequest(http.MethodPost, action.Path+s.Sign(id, action.Booked, coordinator), "")); w.Code != http.StatusSeeOther {
		t.Errorf("booked by the coordinator: %d, want 303", w.Code)
	}
}
