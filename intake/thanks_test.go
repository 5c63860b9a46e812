package intake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/hours"
)

// dublinWeek is a practice open 09:00–18:00 on weekdays, in Dublin.
func dublinWeek(t *testing.T) func(*Config) {
	t.Helper()
	dublin, err := time.LoadLocation("Europe/Dublin")
	if err != nil {
		t.Fatal(err)
	}
	week, _, err := hours.ParseWeek(map[string]string{"mon-fri": "09:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	return func(c *Config) {
		c.Practice.TimeZone = dublin
		c.Clock = hours.Clock{Schedule: hours.Schedule{Location: dublin, Week: week}, RespondWithin: 2 * time.Hour}
	}
}

// TestPatientIsToldWhen sends a request at 17:30 on a Friday, two open
// hours before the promise runs out, and checks that the JSON answer, the
// thank-you page and the confirmation all say Monday 10:30.
func TestPatientIsToldWhen(t *testing.T) {
	const when = "10:30 on Monday 30 November" // half an hour on Friday, an hour and a half on Monday
	f := newFixture(t, dublinWeek(t))
	f.clock.ns.Store(time.Date(2026, 11, 27, 17, 29, 50, 0, time.UTC).UnixNano())
	l := validLead()
	l["form_token"] = f.token(t)                                                 // a confirmation needs a form token
	f.clock.ns.Store(time.Date(2026, 11, 27, 17, 30, 0, 0, time.UTC).UnixNano()) // Friday; Dublin is on UTC in winter

	w := f.post(ctJSON, asJSON(l), "")
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); w.Code != http.StatusAccepted || err != nil {
		t.Fatalf("JSON: %d %s", w.Code, w.Body)
	}
	if a.Due != "2026-11-30T10:30:00Z" || a.DueText != when || !strings.HasPrefix(a.Ref, "HAS-1127-") || !strings.HasPrefix(a.ID, "ld_") {
		t.Errorf("JSON answer %+v: want due 2026-11-30T10:30:00Z, due_text %q and a HAS-1127- reference", a, when)
	}
	var confirmation string
	for _, m := range f.claim(t) {
		if m.Kind == mail.Patient {
			confirmation = plainText(t, m.Raw)
		}
	}
	if !strings.Contains(confirmation, "We will be in touch by "+when+".") || !strings.Contains(confirmation, a.Ref) {
		t.Errorf("the confirmation does not say %q with the reference %s:\n%s", when, a.Ref, confirmation)
	}
	if strings.Contains(confirmation, "working day") {
		t.Errorf("the confirmation still promises a working day:\n%s", confirmation)
	}

	// Without JavaScript: 303 to the thank-you page, which says the same.
	l = validLead()
	l["email"] = "another@mail.example"
	w = f.post(ctForm, asForm(l), "")
	loc := w.Header().Get("Location")
	if w.Code != http.StatusSeeOther || !strings.HasPrefix(loc, thanksPath+"?") {
		t.Fatalf("form: %d to %q, want 303 to %s", w.Code, loc, thanksPath)
	}
	page := f.get(loc)
	body := page.Body.String()
	ref := must1(url.Parse(loc)).Query().Get("ref")
	if page.Code != http.StatusOK || !strings.Contains(body, "We will be in touch by "+when+".") || !strings.Contains(body, ref) {
		t.Errorf("thank-you page: %d, want 200 saying %q and the reference %s:\n%s", page.Code, when, ref, body)
	}
	if !strings.Contains(body, `href="https://www.harbour.example/consultation/thank-you/"`) || !strings.Contains(body, `href="tel:&#43;35315550142"`) {
		t.Errorf("thank-you page lacks the link to what happens next or the practice's phone:\n%s", body)
	}

	// An altered link says no time at all, rather than another one.
	for name, edit := range map[string]func(url.Values){
		"due moved": func(q url.Values) { q.Set("due", "1767225600") },
		"no sig":    func(q url.Values) { q.Del("sig") },
		"other ref": func(q url.Values) { q.Set("ref", "HAS-0101-XXXX") },
	} {
		u := must1(url.Parse(loc))
		q := u.Query()
		edit(q)
		u.RawQuery = q.Encode()
		page := f.get(u.String())
		if body := page.Body.String(); page.Code != http.StatusOK || strings.Contains(body, "We will be in touch by") || strings.Contains(body, "HAS-") {
			t.Errorf("%s: %d, want 200 without a time or a reference:\n%s", name, page.Code, body)
		}
	}
}

// must1 returns v, or panics on err.
func must1[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// TestThanksPageClaimsNoEmail: a form sent without JavaScript carries no
// form token and gets no confirmation, so its thank-you page must not say
// that one was sent.
func TestThanksPageClaimsNoEmail(t *testing.T) {
	f := newFixture(t, dublinWeek(t))
	w := f.post(ctForm, asForm(validLead()), "")
	if w.Code != http.StatusSeeOther {
		t.Fatalf("form: %d, want 303", w.Code)
	}
	body := f.get(w.Header().Get("Location")).Body.String()
	if strings.Contains(body, "sent you an email") || !strings.Contains(body, "We will be in touch by ") {
		t.Errorf("the thank-you page claims an email, or says no time:\n%s", body)
	}
}
