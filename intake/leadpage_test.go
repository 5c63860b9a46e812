package intake

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
)

// press posts the lead page's form at path with form values kv (do,
// note, back, person), with cookies, and returns the answer.
func (f *fixture) press(path string, cookies []*http.Cookie, kv ...string) *http.Response {
	q := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		q.Set(kv[i], kv[i+1])
	}
	r := newRequest(http.MethodPost, path, q.Encode())
	r.Header.Set("Content-Type", ctForm)
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return record(f.h, r).Result()
}

// page returns the lead page at path, as the browser with cookies sees it.
func (f *fixture) page(t *testing.T, path string, cookies ...*http.Cookie) string {
	t.Helper()
	r := newRequest(http.MethodGet, path, "")
	for _, c := range cookies {
		r.AddCookie(c)
	}
	w := record(f.h, r)
	if w.Code != http.StatusOK {
		t.Fatalf("GET %s: %d", path, w.Code)
	}
	return w.Body.String()
}

// has reports what of wants page lacks.
func has(t *testing.T, what, page string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(page, w) {
			t.Errorf("%s has no %q:\n%s", what, w, page)
		}
	}
}

// TestLeadPageCalls works a lead from its page as a coordinator would:
// claim with a note, a call nobody answered, a call back asked for (with
// the time's mistakes refused), and the call that reaches the patient.
func TestLeadPageCalls(t *testing.T) {
	f, s, id := clockFixture(t) // Monday 2 March 2026, 10:00 in Dublin; due at noon
	link := action.Path + s.Sign(id, action.Claim, coordinator)
	page := f.page(t, link)
	has(t, "the new lead's page", page, "Reply by Mon 2 Mar, 12:00", `<button type="submit" class="main" name="do" value="claim">`,
		`value="call:no_answer"`, "Nothing yet.")

	f.clock.advance(5 * time.Minute)
	if r := f.press(link, nil, "do", "claim", "note", "Calling after lunch"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("claim: %d", r.StatusCode)
	}
	f.clock.advance(time.Minute)
	if r := f.press(link, nil, "do", "call:no_answer"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("no answer: %d", r.StatusCode)
	}
	// Two open hours after the unanswered call: 12:06.
	page = f.page(t, link)
	has(t, "the page after a call unanswered", page, "Claimed by coordinator@harbour.example", "1 call, the last: No answer",
		"Next call: Mon 2 Mar, 12:06", "Next step: record a call", "Undo: Call: No answer (until 10:16)")
	if i, j := strings.Index(page, "Call: No answer"), strings.Index(page, "Calling after lunch"); i < 0 || j < 0 {
		t.Errorf("the history lacks a step or its note")
	}
	if l := f.lead(t, id); l.Calls != 1 || l.State != lead.Claimed || len(l.History) != 2 || l.History[0].Kind != lead.KindCall ||
		l.History[1].Note != "Calling after lunch" {
		t.Errorf("after a call: %+v, history %+v", l.Status, l.History)
	}

	// A call back needs a time to come, in practice time.
	for back, says := range map[string]string{
		"":                 "Give the time the patient asked to be called back at.",
		"tomorrow":         "The call-back time was not understood",
		"2026-03-02T09:00": "The call-back time has passed",
	} {
		r := f.press(link, nil, "do", "call:call_back", "back", back, "note", "kept as written")
		body := body(r)
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, says) || !strings.Contains(body, "kept as written") {
			t.Errorf("call back at %q: %d\n%s", back, r.StatusCode, body)
		}
	}
	if r := f.press(link, nil, "do", "call:call_back", "back", "2026-03-03T16:30"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("call back: %d", r.StatusCode)
	}
	has(t, "the page after a call back", f.page(t, link), "Call back at Tue 3 Mar, 16:30, as the patient asked",
		"Call: Asked to call back at Tue 3 Mar, 16:30")
	if l := f.lead(t, id); l.Steps[0].Kind != lead.Attempt || !l.Steps[0].At.Equal(time.Date(2026, 3, 3, 16, 30, 0, 0, time.UTC)) {
		t.Errorf("steps after a call back: %v", l.Steps)
	}

	// Past the due time, the page says how late it is.
	f.clock.advance(2*time.Hour + 20*time.Minute)
	has(t, "the page after the due time", f.page(t, link), `<span class="late">Overdue by 26 min</span>`, "The reply was due Mon 2 Mar, 12:00")
	if r := f.press(link, nil, "do", "call:reached", "note", "Booked in for Thursday? She will confirm"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reached: %d", r.StatusCode)
	}
	page = f.page(t, link)
	has(t, "the page once reached", page, "Reached Mon 2 Mar, 12:26, 26 min after the promise", "3 calls, the last: Reached",
		`value="booked">Consultation booked</button>`, `value="closed">`, "Booked in for Thursday? She will confirm")
	if strings.Contains(page, `value="call:`) {
		t.Error("a lead reached still offers the call form")
	}
	// A note longer than the limit is refused, and nothing is recorded.
	r := f.press(link, nil, "do", "booked", "note", strings.Repeat("x", lead.MaxNote+1))
	if r.StatusCode != http.StatusUnprocessableEntity || f.lead(t, id).State != lead.Contacted {
		t.Errorf("a note too long: %d, state %s", r.StatusCode, f.lead(t, id).State)
	}
	if r := f.press(link, nil, "do", "postcard"); r.StatusCode != http.StatusBadRequest {
		t.Errorf("a button of no page: %d", r.StatusCode)
	}
}

// TestLeadPageUndo: the latest step can be undone for ten minutes, by
// the person who took it, and the lead stands as it stood before.
func TestLeadPageUndo(t *testing.T) {
	f, s, id := clockFixture(t)
	mine := action.Path + s.Sign(id, action.Claim, coordinator)
	theirs := action.Path + s.Sign(id, action.Claim, manager)
	before := f.lead(t, id)
	f.press(mine, nil, "do", "call:wrong_number")
	if l := f.lead(t, id); l.State != lead.NotReached {
		t.Fatalf("a wrong number: %s", l.State)
	}
	f.clock.advance(9 * time.Minute)
	if page := f.page(t, theirs); strings.Contains(page, `value="undo"`) {
		t.Error("a colleague is offered to undo another's step")
	}
	if r := f.press(theirs, nil, "do", "undo"); r.StatusCode != http.StatusSeeOther || f.lead(t, id).State != lead.NotReached {
		t.Errorf("a colleague's undo: %d, state %s", r.StatusCode, f.lead(t, id).State)
	}
	has(t, "the page nine minutes on", f.page(t, mine), "Undo: Call: Wrong number. Not reached (until 10:10)")
	if r := f.press(mine, nil, "do", "undo"); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", r.StatusCode)
	}
	after := f.lead(t, id)
	if after.State != lead.New || after.Calls != 0 || !after.ClaimedAt.IsZero() || len(after.Steps) != 1 ||
		!after.Steps[0].At.Equal(before.Steps[0].At) || after.History[1].Undone.IsZero() {
		t.Errorf("undone: %+v, history %+v", after.Status, after.History)
	}
	has(t, "the page after the undo", f.page(t, mine), "Undid: Call: Wrong number. Not reached", `class="undone"`)

	// Ten minutes on, a step stays.
	f.press(mine, nil, "do", "claim")
	f.clock.advance(10 * time.Minute)
	if page := f.page(t, mine); strings.Contains(page, `value="undo"`) {
		t.Error("Undo offered ten minutes on")
	}
	if f.press(mine, nil, "do", "undo"); f.lead(t, id).State != lead.Claimed {
		t.Errorf("undone ten minutes on: %s", f.lead(t, id).State)
	}
}

// TestLeadPageSharedMailbox: a link sent to a mailbox two people share
// asks which of them is acting, remembers it on the device in a cookie
// holding only the person's index, and records each step as theirs. Who
// may act is today's staff list alone.
func TestLeadPageSharedMailbox(t *testing.T) {
	staff := []lead.Person{{Name: "Niamh Byrne", Email: coordinator}, {Name: "Ciara Walsh", Email: coordinator},
		{Name: "Dr Amelia Hart", Email: "amelia@harbour.example"}}
	f, s, id := clockFixture(t, func(c *Config) { c.Staff = staff })
	link := action.Path + s.Sign(id, action.Claim, coordinator)
	page := f.page(t, link)
	has(t, "a shared mailbox's page", page, "Who is acting?", `name="person" value="0">Niamh Byrne`, `name="person" value="1">Ciara Walsh`)
	if strings.Contains(page, `value="claim"`) || strings.Contains(page, "Dr Amelia Hart") {
		t.Errorf("the page offers steps, or a person of another address, before anyone is chosen:\n%s", page)
	}
	if r := f.press(link, nil, "do", "claim"); r.StatusCode != http.StatusUnprocessableEntity || f.lead(t, id).State != lead.New {
		t.Errorf("a step before choosing: %d", r.StatusCode)
	}
	if r := f.press(link, nil, "do", "person", "person", "2"); r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("choosing a person of another address: %d", r.StatusCode)
	}
	r := f.press(link, nil, "do", "person", "person", "1")
	cookies := r.Cookies()
	if r.StatusCode != http.StatusSeeOther || len(cookies) != 1 {
		t.Fatalf("choosing Ciara: %d, cookies %v", r.StatusCode, cookies)
	}
	if c := cookies[0]; c.Name != staffCookie || c.Value != "1" || c.Path != action.Path || !c.HttpOnly || !c.Secure ||
		c.SameSite != http.SameSiteLaxMode || c.MaxAge < 24*60*60 {
		t.Errorf("the cookie: %+v; want the index alone, first-party, HttpOnly, Secure, Lax, for the lead pages", c)
	}
	has(t, "the page as Ciara", f.page(t, link, cookies...), "Acting as <strong>Ciara Walsh</strong>", `value="forget">Not you?`,
		`value="claim"`)
	f.press(link, cookies, "do", "claim")
	l := f.lead(t, id)
	if l.ClaimedBy != coordinator || l.ClaimedName != "Ciara Walsh" || l.History[0].By != (lead.Person{Name: "Ciara Walsh", Email: coordinator}) {
		t.Errorf("claimed: by %q (%q), history %+v", l.ClaimedBy, l.ClaimedName, l.History)
	}
	has(t, "the page after Ciara's claim", f.page(t, link, cookies...), "Claimed by Ciara Walsh", "Mon 2 Mar, 10:00 · Ciara Walsh")
	// Niamh, on her own device, may not undo Ciara's claim.
	niamh := []*http.Cookie{{Name: staffCookie, Value: "0"}}
	if page := f.page(t, link, niamh...); strings.Contains(page, `value="undo"`) {
		t.Error("Niamh is offered to undo Ciara's claim")
	}
	if f.press(link, niamh, "do", "undo"); f.lead(t, id).State != lead.Claimed {
		t.Error("Niamh undid Ciara's claim")
	}
	// Forget: the device asks again.
	if r := f.press(link, cookies, "do", "forget"); r.StatusCode != http.StatusSeeOther || len(r.Cookies()) != 1 || r.Cookies()[0].MaxAge >= 0 {
		t.Errorf("forget: %d, %v", r.StatusCode, r.Cookies())
	}
	// Today's list alone: Ciara leaves, and her device's cookie names
	// nobody; Niamh stays.
	cfg := f.cfg
	cfg.Staff = []lead.Person{staff[0], staff[2]}
	after := NewServer(f.logger(), cfg, f.store, nil)
	w := record(after, requestWith(link, cookies))
	if !strings.Contains(w.Body.String(), "Acting as <strong>Niamh Byrne</strong>") || strings.Contains(w.Body.String(), "Not you?") {
		t.Errorf("after Ciara left, her device: %d\n%s", w.Code, w.Body)
	}
	// An address no setting names any more is refused.
	cfg.Staff, cfg.Practice.Coordinator = nil, "new@harbour.example"
	gone := NewServer(f.logger(), cfg, f.store, nil)
	if w := record(gone, requestWith(link, cookies)); w.Code != http.StatusForbidden || strings.Contains(w.Body.String(), "Aoife") {
		t.Errorf("an address no longer staff: %d", w.Code)
	}
	// A person listed with an address of their own acts by it alone.
	amelia := action.Path + s.Sign(id, action.Booked, "amelia@harbour.example")
	has(t, "Amelia's page", f.page(t, amelia), `value="booked">Consultation booked`)
	if page := f.page(t, amelia); strings.Contains(page, "Who is acting?") || strings.Contains(page, "Not you?") ||
		!strings.Contains(page, "Acting as <strong>Dr Amelia Hart</strong>") {
		t.Error("a person's own address asks who is acting, or does not say who acts")
	}
}

func requestWith(path string, cookies []*http.Cookie) *http.Request {
	r := newRequest(http.MethodGet, path, "")
	for _, c := range cookies {
		r.AddCookie(c)
	}
	return r
}

// TestLeadPageContact: one tap to call (the number in the practice's
// national format), to text when the patient prefers texts and agreed to
// them, and to email with the reference in the subject.
func TestLeadPageContact(t *testing.T) {
	f, s, id := clockFixture(t, func(c *Config) { c.Practice.Region = "IE" })
	page := f.page(t, action.Path+s.Sign(id, action.Claim, coordinator))
	ref := f.lead(t, id).Lead.Ref
	has(t, "a patient who prefers a call", page, `<a href="tel:&#43;353871234567">Call Aoife<span>087 123 4567</span></a>`,
		`href="mailto:aoife.byrne@mail.example?subject=Your%20consultation%20request%20%28`+ref+`%29"`, "Phone call, mornings")
	if strings.Contains(page, "sms:") {
		t.Error("a Text button for a patient who prefers calls")
	}
	for _, tt := range []struct {
		optIn bool
		text  bool
	}{{false, false}, {true, true}} {
		l := validLead()
		l["email"], l["phone"], l["preferred_contact"], l["sms_opt_in"] = "texter@mail.example", "087 765 4321", "text", tt.optIn
		w := f.post(ctJSON, asJSON(l), "192.0.2.7")
		var got struct{ ID string }
		json.Unmarshal(w.Body.Bytes(), &got)
		page := f.page(t, action.Path+s.Sign(got.ID, action.Claim, coordinator))
		if strings.Contains(page, `<a href="sms:&#43;353877654321">Text Aoife`) != tt.text {
			t.Errorf("prefers texts, agreed %v: a Text button %v, want %v", tt.optIn, !tt.text, tt.text)
		}
	}
}

// TestWroteAgain: a request from the patient of an open lead joins it:
// one lead in the report, the open lead's history and page show what she
// wrote, its owner gets "… wrote again" in place of a new lead's email,
// and the patient's confirmation is as it always is.
func TestWroteAgain(t *testing.T) {
	f, s, id := clockFixture(t)
	ctx := context.Background()
	var tok struct{ Token string }
	json.Unmarshal(f.get("/v1/consultations/token").Body.Bytes(), &tok)
	f.clock.advance(time.Hour)
	again := validLead()
	again["email"], again["message"] = "AOIFE.BYRNE@mail.example ", "Sorry, one more question: is there a payment plan?"
	again["form_token"] = tok.Token // a fresh form: the patient is confirmed, as any patient is
	w := f.post(ctJSON, asJSON(again), "192.0.2.1")
	var got struct {
		ID           string
		Confirmation bool
	}
	json.Unmarshal(w.Body.Bytes(), &got)
	if w.Code != http.StatusAccepted || got.ID == id || !got.Confirmation {
		t.Fatalf("the second request: %d %s", w.Code, w.Body)
	}
	list, err := f.store.List(ctx, f.clock.now().Add(-24*time.Hour), f.clock.now().Add(time.Hour))
	if err != nil || len(list) != 1 || list[0].Lead.ID != id {
		t.Errorf("the report's leads: %d, %v; want the first alone", len(list), err)
	}
	joined := f.lead(t, got.ID)
	if joined.State != lead.Attached || joined.AttachedTo != id || len(joined.Steps) != 0 {
		t.Errorf("the second request: %+v", joined.Status)
	}
	orig := f.lead(t, id)
	if orig.History[0].Kind != lead.KindAgain || orig.History[0].Detail != got.ID || len(orig.Steps) != 1 {
		t.Errorf("the first lead: %+v, history %+v", orig.Status, orig.History)
	}
	has(t, "the first lead's page", f.page(t, action.Path+s.Sign(id, action.Open, coordinator)), "Aoife Byrne</span><br>Wrote again",
		"Sorry, one more question: is there a payment plan?")
	msgs, err := f.store.Claim(ctx, time.Now().Add(time.Hour), 10) // the store dates its messages by the real clock
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[string][]string{}
	for _, m := range msgs {
		kinds[m.Kind] = append(kinds[m.Kind], m.ID+" → "+strings.Join(m.To, ","))
	}
	if want := got.ID + ".again → " + coordinator; len(kinds[lead.Again]) != 1 || kinds[lead.Again][0] != want ||
		len(kinds[lead.Coordinator]) != 1 || len(kinds[lead.Patient]) != 1 {
		t.Errorf("queued: %v; want the first lead's email, the second's confirmation and %s", kinds, want)
	}
	// A closed lead takes nothing in: the next request is a lead of its own.
	f.press(action.Path+s.Sign(id, action.Closed, coordinator), nil, "do", "closed")
	w = f.post(ctJSON, asJSON(again), "192.0.2.1")
	json.Unmarshal(w.Body.Bytes(), &got)
	if l := f.lead(t, got.ID); l.State != lead.New {
		t.Errorf("a request after the lead closed: %s", l.State)
	}
}
