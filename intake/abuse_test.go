package intake

import (
	"bytes"
	"context"
	"github.com/consultahq/consulta/intake/delivery"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	netmail "net/mail"

	"encoding/json"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"net/http"
	"strings"
	"testing"
	"time"
)

// token fetches a form token from the service.
func (f *fixture) token(t *testing.T) string {
	t.Helper()
	w := f.get("/v1/consultations/token")
	var got struct{ Token string }
	if w.Code != http.StatusOK || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Token == "" {
		t.Fatalf("token: %d %s", w.Code, w.Body)
	}
	return got.Token
}

// TestSpamIsAnsweredAsALead checks that every request is answered as a
// lead, that only strong signals (the honeypot, a forged token) hold one,
// and that weak ones deliver it with "Possible spam" in the subject.
func TestSpamIsAnsweredAsALead(t *testing.T) {
	const (
		delivered = iota // an ordinary lead
		possible         // delivered, marked as possible spam
		held             // kept, not mailed
	)
	tests := []struct {
		name  string
		edit  func(f *fixture, l map[string]any)
		want  int
		delay time.Duration // between fetching the token and posting
	}{
		{"no token", func(f *fixture, l map[string]any) {}, delivered, 0},
		{"token, person's pace", nil, delivered, 20 * time.Second},
		{"honeypot", func(f *fixture, l map[string]any) { l["website"] = "http://spam.example" }, held, 0},
		{"too fast", nil, possible, time.Second},
		{"token older than a day", nil, possible, 25 * time.Hour},
		{"forged token", func(f *fixture, l map[string]any) { l["form_token"] = "v1.1700000000000.AAAAAAAAAAAAAAAAAAAAAAAA" }, held, 0},
		{"links", func(f *fixture, l map[string]any) {
			l["message"] = strings.Repeat("cheap pills http://spam.example ", 5)
		}, possible, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, nil)
			l := validLead()
			if tt.edit == nil {
				l["form_token"] = f.token(t)
			} else {
				tt.edit(f, l)
			}
			f.clock.advance(tt.delay)
			w := f.post(ctJSON, asJSON(l), "")
			if w.Code != http.StatusAccepted || !strings.Contains(w.Body.String(), `"id":"ld_`) {
				t.Fatalf("status %d %s, want 202 with an id, as for any lead", w.Code, w.Body)
			}
			// A lead held as spam keeps only the coordinator's email; a lead
			// without a form token gets no confirmation.
			st := f.stats(t)
			want := 1
			if tt.name == "token, person's pace" {
				want = 2
			}
			if tt.want == held && (st.Held != 1 || st.Pending != 0) {
				t.Errorf("held %d, pending %d: want the lead held as spam, without a confirmation", st.Held, st.Pending)
			}
			if tt.want != held && (st.Held != 0 || st.Pending != want) {
				t.Errorf("held %d, pending %d: want the lead queued for mail, %d emails", st.Held, st.Pending, want)
			}
			if tt.want == held {
				return
			}
			subject := f.coordinatorSubject(t)
			if marked := strings.HasPrefix(subject, "Possible spam: "); marked != (tt.want == possible) {
				t.Errorf("coordinator's subject %q: marked as possible spam %v, want %v", subject, marked, tt.want == possible)
			}
		})
	}
}

// compose composes a message the request planned, as the service's
// delivery worker does.
func (f *fixture) compose(ctx context.Context, m outbox.Msg) (mail.Message, error) {
	return delivery.Composer{Leads: f.store, Practice: f.cfg.Practice}.Compose(ctx, m)
}

// claim returns the messages waiting in the outbox, composed.
func (f *fixture) claim(t *testing.T) []outbox.Msg {
	t.Helper()
	msgs, err := f.store.Claim(t.Context(), time.Now().Add(time.Hour), 10) // the store keeps its own clock
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range msgs {
		if len(m.Raw) > 0 {
			t.Fatalf("message %s was composed in the request; want it planned, composed on delivery", m.ID)
		}
		c, err := f.compose(t.Context(), m)
		if err != nil {
			t.Fatal(err)
		}
		msgs[i].Raw = c.Raw
	}
	return msgs
}

// coordinatorSubject returns the Subject of the one coordinator's email
// waiting in the outbox.
func (f *fixture) coordinatorSubject(t *testing.T) string {
	t.Helper()
	for _, m := range f.claim(t) {
		if m.Kind != mail.Coordinator {
			continue
		}
		msg, err := netmail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatal(err)
		}
		subject, err := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
		if err != nil {
			t.Fatal(err)
		}
		return subject
	}
	t.Fatal("no coordinator's email in the outbox")
	return ""
}

// plainText returns the text/plain part of a composed message, decoded.
func plainText(t *testing.T, raw []byte) string {
	t.Helper()
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextRawPart()
		if err != nil {
			t.Fatalf("no text/plain part: %v", err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain") {
			b, err := io.ReadAll(quotedprintable.NewReader(p))
			if err != nil {
				t.Fatal(err)
			}
			return string(b)
		}
	}
}

func TestSpamRecordsSignals(t *testing.T) {
	f := newFixture(t, nil)
	l := validLead()
	l["website"] = "x"
	l["form_token"] = f.token(t)
	if w := f.post(ctForm, asForm(l), ""); w.Code != http.StatusSeeOther {
		t.Fatalf("status %d, want 303 as for any lead", w.Code)
	}
	spam, err := f.store.Spam(t.Context())
	if err != nil || len(spam) != 1 {
		t.Fatalf("spam list %v, %v: want one lead", spam, err)
	}
	if got := strings.Join(spam[0].Signals, ","); got != "honeypot,too-fast" {
		t.Errorf("signals %q, want honeypot,too-fast", got)
	}
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateBurst = 3; c.RateLimit = 0.1 })
	for i := range 3 {
		if w := f.post(ctJSON, asJSON(validLead()), "203.0.113.7"); w.Code != http.StatusAccepted {
			t.Fatalf("request %d: status %d, want 202", i, w.Code)
		}
	}
	w := f.post(ctJSON, asJSON(validLead()), "203.0.113.7")
	if w.Code != http.StatusTooManyRequests || w.Header().Get("Retry-After") != "10" {
		t.Fatalf("over the limit: status %d, Retry-After %q; want 429 and 10", w.Code, w.Header().Get("Retry-After"))
	}
	// Another client behind the trusted proxy is not held back.
	if w := f.post(ctJSON, asJSON(validLead()), "198.51.100.1, 203.0.113.8"); w.Code != http.StatusAccepted {
		t.Errorf("another client: status %d, want 202", w.Code)
	}
	// Only the configured header counts: X-Real-IP cannot dodge the limit.
	if w := f.post(ctJSON, asJSON(validLead()), "203.0.113.7", "X-Real-IP", "192.0.2.99"); w.Code != http.StatusTooManyRequests {
		t.Errorf("untrusted header: status %d, want 429", w.Code)
	}
	f.clock.advance(10 * time.Second)
	if w := f.post(ctJSON, asJSON(validLead()), "203.0.113.7"); w.Code != http.StatusAccepted {
		t.Errorf("after Retry-After: status %d, want 202", w.Code)
	}
}

func TestCORS(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		name, method, origin string
		status               int
		allow                string // Access-Control-Allow-Origin
	}{
		{"preflight, allowed", "OPTIONS", "https://www.harbour.example", 204, "https://www.harbour.example"},
		{"preflight, same origin", "OPTIONS", "http://example.com", 204, "http://example.com"},
		{"preflight, elsewhere", "OPTIONS", "https://evil.example", 403, ""},
		{"post, allowed", "POST", "https://www.harbour.example", 202, "https://www.harbour.example"},
		{"post, same origin", "POST", "http://example.com", 202, "http://example.com"},
		{"post, elsewhere", "POST", "https://evil.example", 403, ""},
		{"post, no origin", "POST", "", 202, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRequest(tt.method, "/v1/consultations", asJSON(validLead()))
			r.Header.Set("Content-Type", ctJSON)
			if tt.origin != "" {
				r.Header.Set("Origin", tt.origin)
			}
			if tt.method == "OPTIONS" {
				r.Header.Set("Access-Control-Request-Method", "POST")
				r.Header.Set("Access-Control-Request-Headers", "content-type, idempotency-key")
			}
			w := record(f.h, r)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if got := w.Header().Get("Access-Control-Allow-Origin"); got != tt.allow {
				t.Errorf("Access-Control-Allow-Origin %q, want %q", got, tt.allow)
			}
			if tt.status == 204 && !strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Idempotency-Key") {
				t.Errorf("preflight allows headers %q, want Idempotency-Key among them", w.Header().Get("Access-Control-Allow-Headers"))
			}
		})
	}
}

// TestLogsHoldNoPersonalData submits known values every way the service
// answers and looks for them in everything it logged.
func TestLogsHoldNoPersonalData(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.RateBurst = 6; c.RateLimit = 0.001 })
	secrets := map[string]any{
		"first_name": "Zebedee",
		"last_name":  "Quixotically",
		"email":      "zebedee.quixotically@privacy.example",
		"phone":      "+353 87 765 4321",
		"message":    "Secretmessagetext about my nose",
	}
	l := validLead()
	for k, v := range secrets {
		l[k] = v
	}
	invalid := validLead()
	for k, v := range secrets {
		invalid[k] = v
	}
	invalid["email"] = "zebedee.quixotically@privacy.example\r\nBcc: x"
	invalid["procedure"] = "Zebedee"
	spam := validLead()
	for k, v := range secrets {
		spam[k] = v
	}
	spam["website"] = "Zebedee"
	for _, w := range []int{
		f.post(ctJSON, asJSON(l), "192.0.2.1").Code,
		f.post(ctForm, asForm(l), "192.0.2.1").Code,
		f.post(ctJSON, asJSON(invalid), "192.0.2.1").Code,
		f.post(ctForm, asForm(invalid), "192.0.2.1").Code,
		f.post(ctJSON, asJSON(spam), "192.0.2.1").Code,
		f.post(ctJSON, `{"first_name": "Zebedee", "phone": 3538776`, "192.0.2.1").Code,
		f.post(ctJSON, asJSON(l), "192.0.2.1").Code, // over the limit
	} {
		if w >= 500 {
			t.Fatalf("status %d", w)
		}
	}
	logs := f.logs.String()
	if !strings.Contains(logs, `"outcome":"rate_limited"`) || !strings.Contains(logs, `"outcome":"spam"`) {
		t.Fatalf("the log lacks the requests:\n%s", logs)
	}
	for _, v := range []string{"Zebedee", "Quixotically", "privacy.example", "765 4321", "7654321", "Secretmessagetext", "192.0.2.1"} {
		if strings.Contains(logs, v) {
			t.Errorf("the log holds %q:\n%s", v, logs)
		}
	}
}

func TestOperations(t *testing.T) {
	f := newFixture(t, nil)
	f.post(ctJSON, asJSON(validLead()), "")
	f.clock.advance(time.Minute)
	tests := []struct {
		path, want string
	}{
		{"/healthz", `"status":"ok"`},
		{"/readyz", `"pending":1`},
	}
	for _, tt := range tests {
		w := f.get(tt.path)
		if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), tt.want) {
			t.Errorf("GET %s: %d, body lacks %s:\n%.2000s", tt.path, w.Code, tt.want, w.Body)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no security headers", tt.path)
		}
	}
	for _, want := range []string{`consulta_intake_requests_total{outcome="accepted"} 1`, `consulta_outbox_pending 1`,
		`consulta_intake_leads_total 1`} {
		if m := f.metrics(); !strings.Contains(m, want) {
			t.Errorf("the metrics lack %s:\n%.2000s", want, m)
		}
	}
	// The metrics name the practice's performance: never on the public
	// address, only on the metrics address (consulta intake --metrics-addr).
	if w := f.get("/metrics"); w.Code != http.StatusNotFound {
		t.Errorf("GET /metrics on the public address: %d, want 404", w.Code)
	}
	f.store.Close()
	if w := f.get("/readyz"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("readyz with the store closed: %d, want 503", w.Code)
	}
}
