package intake

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// openService opens a Service in a fresh data folder; edit changes the
// test configuration.
func openService(t *testing.T, edit func(*Config)) *Service {
	t.Helper()
	cfg := Config{Practice: testPractice, Procedures: testProcedures, Region: "IE", DataDir: t.TempDir()}
	if edit != nil {
		edit(&cfg)
	}
	svc, err := Open(context.Background(), slog.New(slog.DiscardHandler), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { svc.Close() })
	return svc
}

// TestMount: mounted beside a site, the service answers its own routes
// (any method, and their unclean spellings) and hands the site the rest,
// without the service's headers.
func TestMount(t *testing.T) {
	site := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, "site "+r.URL.Path)
	})
	h := openService(t, nil).Mount(site)
	tests := []struct {
		method, path string
		status       int
		site         bool
	}{
		{"GET", "/", 200, true},
		{"GET", "/procedures/rhinoplasty/", 200, true},
		{"GET", "/v1/consultations-guide/", 200, true},
		{"GET", "/healthz", 200, false},
		{"HEAD", "/readyz", 200, false},
		{"GET", "/metrics", 200, false},
		{"GET", "/v1/consultations/token", 200, false},
		{"GET", "/v1/consultations", 405, false},
		{"POST", "//v1/consultations", 404, false},
		{"POST", "/v1/./consultations", 404, false},
	}
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		fromSite := strings.HasPrefix(w.Body.String(), "site ")
		if w.Code != tt.status || fromSite != tt.site {
			t.Errorf("%s %s: %d, from the site %v; want %d, %v", tt.method, tt.path, w.Code, fromSite, tt.status, tt.site)
		}
		if tt.site && w.Header().Get("Content-Security-Policy") != "" {
			t.Errorf("%s %s: the site's answer has the service's headers", tt.method, tt.path)
		}
	}
}
