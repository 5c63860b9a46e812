package intake

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/syncbuf"
)

// testPractice is the practice of the handler tests.
var testPractice = mail.Practice{
	Name:        "Harbour Aesthetic Surgery",
	From:        "hello@harbour.example",
	Phone:       "+353 1 555 0142",
	Coordinator: "coordinator@harbour.example",
	Routes:      map[string]string{"skin": "skin@harbour.example"},
}

var testProcedures = []Procedure{
	{Slug: "rhinoplasty", Title: "Rhinoplasty", Category: "face", CategoryTitle: "Face"},
	{Slug: "facelift", Title: "Facelift", Category: "face", CategoryTitle: "Face"},
	{Slug: "chemical-peel", Title: "Chemical peel", Category: "skin", CategoryTitle: "Skin"},
}

// clock is a settable clock for tests.
type clock struct{ ns atomic.Int64 }

func newClock() *clock {
	c := &clock{}
	c.ns.Store(time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC).UnixNano())
	return c
}
func (c *clock) now() time.Time          { return time.Unix(0, c.ns.Load()) }
func (c *clock) advance(d time.Duration) { c.ns.Add(int64(d)) }

// fixture is a handler over a real SQLite store in a temporary folder.
type fixture struct {
	h     http.Handler
	cfg   Config // as given to NewServer
	store *outbox.Store
	clock *clock
	logs  *syncbuf.Buffer
}

// newFixture starts a handler; edit changes the test configuration.
func newFixture(t testing.TB, edit func(*Config)) *fixture {
	t.Helper()
	store, err := outbox.Open(context.Background(), filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f := &fixture{store: store, clock: newClock(), logs: &syncbuf.Buffer{}}
	cfg := Config{
		Practice:           testPractice,
		Procedures:         testProcedures,
		Region:             "IE",
		ThankYouURL:        "https://www.harbour.example/consultation/thank-you/",
		AllowedOrigins:     []string{"https://www.harbour.example"},
		Secret:             []byte("0123456789abcdef0123456789abcdef"),
		TrustedProxyHeader: "X-Forwarded-For",
		RateBurst:          1000,
		Now:                f.clock.now,
	}
	if edit != nil {
		edit(&cfg)
	}
	f.cfg = cfg
	f.h = NewServer(f.logger(), cfg, store, nil)
	return f
}

// logger logs into f.logs, at every level.
func (f *fixture) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(f.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// validLead is a request that passes validation.
func validLead() map[string]any {
	return map[string]any{
		"first_name":        "Aoife",
		"last_name":         "Byrne",
		"email":             "aoife.byrne@mail.example",
		"phone":             "087 123 4567",
		"procedure":         "rhinoplasty",
		"preferred_contact": "phone",
		"preferred_time":    "mornings",
		"message":           "I would like to know about recovery.",
		"source":            "a friend",
		"language":          "en",
		"page":              "/procedures/rhinoplasty/",
		"consent_privacy":   true,
	}
}

// asForm encodes v as a URL-encoded form.
func asForm(v map[string]any) string {
	q := url.Values{}
	for k, x := range v {
		switch x := x.(type) {
		case bool:
			if x {
				q.Set(k, "on")
			}
		default:
			q.Set(k, x.(string))
		}
	}
	return q.Encode()
}

func asJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

// post sends body with contentType from client ip and returns the answer.
func (f *fixture) post(contentType, body, ip string, header ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/v1/consultations", strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	if ip != "" {
		r.Header.Set("X-Forwarded-For", ip)
	}
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, r)
	return w
}

// accept posts lead l as JSON, fails the test unless it is accepted, and
// returns the lead as the store keeps it.
func (f *fixture) accept(t *testing.T, l map[string]any) lead.Tracked {
	t.Helper()
	w := f.post(ctJSON, asJSON(l), "")
	if w.Code != http.StatusAccepted {
		t.Fatalf("%d %s, want 202", w.Code, w.Body)
	}
	var a answer
	json.Unmarshal(w.Body.Bytes(), &a)
	return f.lead(t, a.ID)
}

// metrics returns what the service's metrics address serves.
func (f *fixture) metrics() string {
	w := httptest.NewRecorder()
	f.h.(*server).metrics.Handler().ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return w.Body.String()
}

func (f *fixture) get(path string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	f.h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
	return w
}

func (f *fixture) stats(t testing.TB) outbox.Stats {
	t.Helper()
	st, err := f.store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

const (
	ctJSON = "application/json"
	ctForm = "application/x-www-form-urlencoded"
)

func newRequest(method, path, body string) *http.Request {
	return httptest.NewRequest(method, path, strings.NewReader(body))
}

func record(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
