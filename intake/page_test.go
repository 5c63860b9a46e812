package intake

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestPageIsTheSitesOwn: the page a request says it was sent from is kept
// only as a path on the practice's own site, so that a genuine lead never
// carries a link to another site in the practice's own email, and the
// consent is recorded against the practice's page.
func TestPageIsTheSitesOwn(t *testing.T) {
	tests := []struct {
		page string
		want string // "" for refused (422 naming page)
	}{
		{"/procedures/rhinoplasty/", "/procedures/rhinoplasty/"},
		{"https://www.harbour.example/procedures/rhinoplasty/?a=1#top", "/procedures/rhinoplasty/?a=1"},
		{"https://user:pass@www.harbour.example/consultation/", "/consultation/"},
		{"https://WWW.HARBOUR.EXAMPLE/consultation/", "/consultation/"},
		{"https://evil.example/login", ""},
		{"https://www.harbour.example@evil.example/login", ""},
		{"https://www.harbour.example.evil.example/", ""},
		{"http://evil.example/", ""},
		{"//evil.example/", ""},
		{"/\\evil.example/", ""},
		{"javascript:alert(1)", ""},
		{"ftp://www.harbour.example/x", ""},
	}
	for i, tt := range tests {
		t.Run(strconv.Itoa(i), func(t *testing.T) {
			f := newFixture(t, nil)
			l := validLead()
			l["page"] = tt.page
			l["sms_opt_in"] = true
			t.Log(tt.page)
			if tt.want == "" {
				w := f.post(ctJSON, asJSON(l), "")
				var got struct{ Errors map[string]string }
				json.Unmarshal(w.Body.Bytes(), &got)
				if w.Code != http.StatusUnprocessableEntity || got.Errors["page"] == "" {
					t.Errorf("%d %s, want 422 naming page", w.Code, w.Body)
				}
				return
			}
			got := f.accept(t, l).Lead
			if got.Page != tt.want || got.Privacy.Page != tt.want || got.SMSOptIn.Page != tt.want {
				t.Errorf("page %q, consent on %q and %q; want %q", got.Page, got.Privacy.Page, got.SMSOptIn.Page, tt.want)
			}
		})
	}
}

// TestReferrerIsAHost: the referrer is kept and shown as its host alone,
// in plain text: never a link, never a path, never credentials.
func TestReferrerIsAHost(t *testing.T) {
	tests := []struct{ name, referrer, want string }{
		{"credentials, path and query", "https://user:pass@news.example/story?id=7#x", "news.example"},
		{"upper case", "https://WWW.Google.COM/search?q=nose+job", "www.google.com"},
		{"an IPv6 address", "http://[2001:db8::1]:8080/x", "2001:db8::1"},
		{"a formula for a host", "https://=1+2/x", ""},
		{"an escaped slash", "https://evil.example%2F@x/", ""},
		{"no dot", "https://intranet/", ""},
		{"javascript", "javascript:alert(1)", ""},
		{"a path", "/consultation/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			l := validLead()
			l["referrer"] = tt.referrer
			l["utm_campaign"] = "spring" // so that the lead has an attribution either way
			f.clock.advance(10 * time.Second)
			if got := f.accept(t, l).Lead.Attribution.Referrer; got != tt.want {
				t.Errorf("referrer kept as %q, want %q", got, tt.want)
			}
		})
	}
	f := newFixture(t, nil)
	l := validLead()
	l["referrer"] = "https://login.evil.example/account"
	l["page"] = "https://www.harbour.example/procedures/rhinoplasty/"
	f.clock.advance(10 * time.Second)
	if w := f.post(ctJSON, asJSON(l), ""); w.Code != http.StatusAccepted {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for _, m := range f.claim(t) {
		if strings.Contains(string(m.Raw), "href=3D\"https://login.evil.example") || strings.Contains(string(m.Raw), "https://login.evil.example") {
			t.Errorf("the %s email links or names the referrer's URL", m.Kind)
		}
	}
}
