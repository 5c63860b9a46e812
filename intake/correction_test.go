package intake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/mail"
)

// TestCorrection: the answer to a request gives where to correct its
// phone and email; a correction changes the lead, and reaches its
// coordinator as an email answering the lead's own. A bad address is
// explained by the form's own words, a forged or expired token is
// refused, and the thank-you page says the patient's details back to her.
func TestCorrection(t *testing.T) {
	f := newFixture(t, func(c *Config) { dublinWeek(t)(c); c.Practice.Region = "IE" })
	f.clock.ns.Store(time.Date(2026, 11, 30, 10, 0, 0, 0, time.UTC).UnixNano()) // a Monday morning: open
	w := f.post(ctJSON, asJSON(validLead()), "")
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); w.Code != http.StatusAccepted || err != nil || !strings.HasPrefix(a.Correction, correctionPath) {
		t.Fatalf("JSON answer %d %s: want 202 with where to correct it", w.Code, w.Body)
	}
	if a.OpensText != "" {
		t.Errorf("answer while open says the practice opens at %q", a.OpensText)
	}
	post := func(path, contentType, body string) *http.Response {
		r := newRequest(http.MethodPost, path, body)
		r.Header.Set("Content-Type", contentType)
		return record(f.h, r).Result()
	}

	bad := post(a.Correction, ctJSON, `{"phone": "087 123 4567", "email": "aoife@"}`)
	if got := body(bad); bad.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(got, "Please enter an email address like name@example.com.") {
		t.Errorf("a bad email: %d %s, want 422 with the form's words", bad.StatusCode, got)
	}
	ok := post(a.Correction, ctJSON, `{"phone": "087 765 4321", "email": "aoife.byrne@mail.example"}`)
	var said struct{ Phone, Email string }
	if err := json.Unmarshal([]byte(body(ok)), &said); ok.StatusCode != http.StatusOK || err != nil || said.Phone != "087 765 4321" {
		t.Fatalf("a correction: %d %+v, want 200 saying the phone back in national form", ok.StatusCode, said)
	}
	stored := f.lead(t, a.ID).Lead
	if stored.Phone != "+353877654321" || len(stored.Corrections) != 1 || stored.Corrections[0].Phone != "+353871234567" {
		t.Errorf("stored lead: phone %s, corrections %+v; want the new phone, the old one kept", stored.Phone, stored.Corrections)
	}
	var correction string
	for _, m := range f.claim(t) {
		if m.Kind == mail.Correction {
			correction = string(m.Raw)
			if m.To[0] != "coordinator@harbour.example" {
				t.Errorf("the correction goes to %v, want the lead's coordinator", m.To)
			}
		}
	}
	for _, want := range []string{"In-Reply-To: <" + a.ID + ".coordinator@harbour.example>", "Subject: Correction: " + a.Ref,
		"Phone: 087 765 4321 (+353877654321), was 087 123 4567 (+353871234567)"} {
		if !strings.Contains(strings.ReplaceAll(correction, "=\r\n", ""), want) {
			t.Errorf("the correction email lacks %q:\n%s", want, correction)
		}
	}

	// A form without JavaScript: 303 back to the thank-you page, which
	// says the corrected details.
	form := post(a.Correction, ctForm, url.Values{"phone": {"087 765 4321"}, "email": {"aoife@mail.example"}}.Encode())
	loc := form.Header.Get("Location")
	if form.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, thanksPath+"?") {
		t.Fatalf("a correction as a form: %d to %q, want 303 to the thank-you page", form.StatusCode, loc)
	}
	if page := f.get(loc).Body.String(); !strings.Contains(page, "<strong>aoife@mail.example</strong>") || !strings.Contains(page, "087 765 4321") {
		t.Errorf("the thank-you page after the correction does not say the corrected details:\n%s", page)
	}

	for name, path := range map[string]string{
		"forged":  correctionPath + a.ID + ".9999999999.AAAAAAAAAAAAAAAAAAAAAAAA",
		"another": strings.Replace(a.Correction, a.ID, "ld_OTHER", 1),
	} {
		if r := post(path, ctJSON, `{"phone": "", "email": "x@mail.example"}`); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s token: %d, want 403", name, r.StatusCode)
		}
	}
	f.clock.advance(25 * time.Hour)
	if r := post(a.Correction, ctJSON, `{"phone": "", "email": "x@mail.example"}`); r.StatusCode != http.StatusForbidden {
		t.Errorf("a token a day old: %d, want 403", r.StatusCode)
	}
}

// TestThanksWhenClosed: sent while the practice is closed, the answer and
// the thank-you page say when it opens, not "call us now".
func TestThanksWhenClosed(t *testing.T) {
	f := newFixture(t, dublinWeek(t))
	f.clock.ns.Store(time.Date(2026, 11, 28, 20, 0, 0, 0, time.UTC).UnixNano()) // Saturday evening
	w := f.post(ctJSON, asJSON(validLead()), "")
	var a answer
	if err := json.Unmarshal(w.Body.Bytes(), &a); err != nil || a.OpensText != "09:00 on Monday 30 November" {
		t.Errorf("answer %s: want opens_text 09:00 on Monday 30 November", w.Body)
	}
	page := f.get(f.post(ctForm, asForm(validLead()), "").Header().Get("Location")).Body.String()
	if !strings.Contains(page, "We are closed now, and open at 09:00 on Monday 30 November") || strings.Contains(page, "talk now") {
		t.Errorf("the thank-you page while closed:\n%s", page)
	}
}
