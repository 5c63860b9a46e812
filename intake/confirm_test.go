package intake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// queued returns how many coordinator and patient emails the store holds
// (pending or held), by reading its counts before and after act.
func (f *fixture) queued(t *testing.T, act func()) (msgs int) {
	t.Helper()
	before := f.stats(t)
	act()
	after := f.stats(t)
	return (after.Pending + after.Held) - (before.Pending + before.Held)
}

// leadFor is a valid lead to address with the form token tok ("" for none).
func leadFor(address, tok string) map[string]any {
	l := validLead()
	l["email"] = address
	if tok != "" {
		l["form_token"] = tok
	}
	return l
}

// TestConfirmationIsNoRelay: a confirmation goes out only for a request
// with a fresh, unused form token, at most once a day to one address, and
// within the hourly cap; every lead still reaches the coordinator.
func TestConfirmationIsNoRelay(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.ConfirmationsPerHour = 3 })
	post := func(l map[string]any) int {
		t.Helper()
		n := f.queued(t, func() {
			if w := f.post(ctJSON, asJSON(l), ""); w.Code != http.StatusAccepted {
				t.Fatalf("status %d %s, want 202", w.Code, w.Body)
			}
		})
		return n
	}
	fresh := func() string {
		tok := f.token(t)
		f.clock.advance(10 * time.Second)
		return tok
	}

	// The request: no token, links in the names.
	relay := map[string]any{"first_name": "Claim your prize at https://evil.example/p now",
		"last_name": "Visit www.evil.example/claim", "email": "victim@victims.example",
		"procedure": "not-sure", "consent_privacy": true}
	if n := post(relay); n != 1 {
		t.Errorf("no token: %d emails queued, want 1 (the coordinator's only)", n)
	}
	tok := fresh()
	if n := post(leadFor("anna@mail.example", tok)); n != 2 {
		t.Errorf("a fresh token: %d emails, want 2", n)
	}
	if n := post(leadFor("bea@mail.example", tok)); n != 1 {
		t.Errorf("the token again: %d emails, want 1", n)
	}
	if n := post(leadFor("Anna@Mail.Example", fresh())); n != 1 {
		t.Errorf("the same address again within a day: %d emails, want 1", n)
	}
	if n := post(leadFor("cara@mail.example", fresh())); n != 2 {
		t.Errorf("another address: %d emails, want 2", n)
	}
	if n := post(leadFor("dana@mail.example", fresh())); n != 2 {
		t.Errorf("a third: %d emails, want 2", n)
	}
	if n := post(leadFor("erin@mail.example", fresh())); n != 1 {
		t.Errorf("over the cap of 3 an hour: %d emails, want 1", n)
	}
	spam := leadFor("fay@mail.example", fresh())
	spam["website"] = "http://spam.example"
	if n := post(spam); n != 1 {
		t.Errorf("suspected spam: %d emails held, want 1 (no confirmation)", n)
	}
	f.clock.advance(25 * time.Hour)
	if n := post(leadFor("anna@mail.example", fresh())); n != 2 {
		t.Errorf("the first address a day later: %d emails, want 2", n)
	}

	metrics := f.metrics()
	for _, want := range []string{
		`consulta_intake_confirmations_total 4`,
		`consulta_intake_confirmations_skipped_total{reason="cap"} 1`,
		`consulta_intake_confirmations_skipped_total{reason="no_token"} 1`,
		`consulta_intake_confirmations_skipped_total{reason="token_used"} 1`,
		`consulta_intake_confirmations_skipped_total{reason="recent"} 1`,
		`consulta_intake_confirmations_skipped_total{reason="spam"} 1`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if !strings.Contains(f.logs.String(), "confirmations per hour") {
		t.Errorf("the cap is not logged:\n%s", f.logs)
	}
}

// TestConfirmationAnswer: a JSON answer says whether a confirmation was
// queued, so that the page never claims an email that will not come.
func TestConfirmationAnswer(t *testing.T) {
	f := newFixture(t, nil)
	if w := f.post(ctJSON, asJSON(leadFor("anna@mail.example", "")), ""); !strings.Contains(w.Body.String(), `"confirmation":false`) {
		t.Errorf("no token: %s, want confirmation false", w.Body)
	}
	tok := f.token(t)
	f.clock.advance(10 * time.Second)
	if w := f.post(ctJSON, asJSON(leadFor("bea@mail.example", tok)), ""); !strings.Contains(w.Body.String(), `"confirmation":true`) {
		t.Errorf("a fresh token: %s, want confirmation true", w.Body)
	}
}

// TestTokenEndpointIsLimited: tokens are fetched under the same limit as
// the form is posted.
func TestTokenEndpointIsLimited(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateBurst = 3; c.RateLimit = 0.1 })
	get := func(ip string) int {
		r := newRequest(http.MethodGet, "/v1/consultations/token", "")
		r.Header.Set("X-Forwarded-For", ip)
		return record(f.h, r).Code
	}
	for i := range 3 {
		if code := get("203.0.113.7"); code != http.StatusOK {
			t.Fatalf("token %d: %d, want 200", i, code)
		}
	}
	if code := get("203.0.113.7"); code != http.StatusTooManyRequests {
		t.Errorf("a fourth token at once: %d, want 429", code)
	}
	if code := get("203.0.113.8"); code != http.StatusOK {
		t.Errorf("another client: %d, want 200", code)
	}
}

// TestRateLimitWidensIPv6: once one /64 has hit the limit, its whole /48
// shares one budget, already charged with what that /64 spent, so that a
// client can neither hop between its /64s nor get a second burst.
func TestRateLimitWidensIPv6(t *testing.T) {
	const burst = 5
	f := newFixture(t, func(c *Config) { c.RateBurst = burst; c.RateLimit = 0.001 })
	accepted := 0
	for net := range 10 {
		for range burst + 2 {
			ip := fmt.Sprintf("2001:db8:77:%x::1", net)
			if f.post(ctJSON, asJSON(validLead()), ip).Code == http.StatusAccepted {
				accepted++
			}
		}
	}
	if accepted != burst {
		t.Errorf("10 /64s of one /48 got %d requests through, want the one burst, %d", accepted, burst)
	}
	if w := f.post(ctJSON, asJSON(validLead()), "2001:db8:78::1"); w.Code != http.StatusAccepted {
		t.Errorf("another /48: %d, want 202", w.Code)
	}
}

// TestRateLimitKey: an address with a port is one client whatever the
// port, and the client is the right-most address that is not one of the
// trusted proxies.
func TestRateLimitKey(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.RateBurst = 3
		c.RateLimit = 0.001
		c.TrustedProxies = []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	})
	tests := []struct {
		name string
		ips  []string // one request each, all from one client: the fourth is refused
	}{
		{"IPv4 with ports", []string{"198.51.100.9:40001", "198.51.100.9:40002", "198.51.100.9:40003", "198.51.100.9:40004"}},
		{"IPv6 with ports", []string{"[2001:db8:1::1]:1", "[2001:db8:1::1]:2", "2001:db8:1::1", "[2001:db8:1::1]:4"}},
		{"behind two proxies", []string{"198.51.100.10, 10.0.0.2", "198.51.100.10, 10.1.1.1", "192.0.2.1, 198.51.100.10:5, 10.0.0.2", "198.51.100.10,fd00::1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for i, ip := range tt.ips {
				want := http.StatusAccepted
				if i == 3 {
					want = http.StatusTooManyRequests
				}
				if w := f.post(ctJSON, asJSON(validLead()), ip); w.Code != want {
					t.Errorf("request %d from %q: %d, want %d", i, ip, w.Code, want)
				}
			}
		})
	}
	// Another client behind the same two proxies has a budget of its own.
	if w := f.post(ctJSON, asJSON(validLead()), "198.51.100.11, 10.0.0.2"); w.Code != http.StatusAccepted {
		t.Errorf("another client behind the proxies: %d, want 202", w.Code)
	}
}

// TestAddressRefusalIsExplained: the 422 for an address with characters
// patients never use says which ones.
func TestAddressRefusalIsExplained(t *testing.T) {
	f := newFixture(t, nil)
	for addr, want := range map[string]string{
		"anna?bcc=x@example.com":                  "? % & or !",
		strings.Repeat("a", 65) + "@mail.example": "before the @ is too long",
	} {
		w := f.post(ctJSON, asJSON(leadFor(addr, "")), "")
		var got struct{ Errors map[string]string }
		json.Unmarshal(w.Body.Bytes(), &got)
		if w.Code != http.StatusUnprocessableEntity || !strings.Contains(got.Errors["email"], want) {
			t.Errorf("%s: %d %s, want 422 saying %q", addr, w.Code, w.Body, want)
		}
	}
}

// TestConfirmationAfterFailedStore: a request the store could not keep
// (503) does not use up its token or its address, so the patient's retry
// is confirmed.
func TestConfirmationAfterFailedStore(t *testing.T) {
	f := newFixture(t, nil)
	store := &fullStore{Store: f.store}
	f.h = NewServer(f.logger(), f.cfg, store, nil)
	tok := f.token(t)
	f.clock.advance(10 * time.Second)
	body := asJSON(leadFor("cara@mail.example", tok))
	store.full.Store(true)
	if w := f.post(ctJSON, body, ""); w.Code != http.StatusServiceUnavailable {
		t.Fatalf("POST with the disk full: %d, want 503", w.Code)
	}
	store.full.Store(false)
	f.clock.advance(time.Second)
	if w := f.post(ctJSON, body, ""); w.Code != http.StatusAccepted || !strings.Contains(w.Body.String(), `"confirmation":true`) {
		t.Errorf("the retry: %d %s, want 202 with confirmation true", w.Code, w.Body)
	}
}

// TestFormTokensAreUnique: tokens fetched in the same millisecond differ,
// so that the second patient's confirmation is not refused as a token
// used before.
func TestFormTokensAreUnique(t *testing.T) {
	f := newFixture(t, nil) // its clock stands still: every token is issued at one instant
	seen := map[string]bool{}
	for range 200 {
		seen[f.token(t)] = true
	}
	if len(seen) != 200 {
		t.Errorf("200 tokens issued at one instant: %d distinct, want 200", len(seen))
	}
	first, second := f.token(t), f.token(t)
	f.clock.advance(10 * time.Second)
	for i, c := range []struct{ address, tok string }{{"anna@mail.example", first}, {"bea@mail.example", second}} {
		if w := f.post(ctJSON, asJSON(leadFor(c.address, c.tok)), ""); !strings.Contains(w.Body.String(), `"confirmation":true`) {
			t.Errorf("patient %d: %s, want confirmation true", i+1, w.Body)
		}
	}
}
