package intake

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/syncbuf"
)

// openService opens a Service in a fresh data folder; edit changes the
// test configuration.
func openService(t *testing.T, edit func(*Config)) *Service {
	t.Helper()
	cfg := Config{Practice: testPractice, Procedures: testProcedures, Region: "IE", DataDir: filepath.Join(t.TempDir(), "data")}
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
		{"GET", "/metrics", 200, true}, // not the service's: its metrics have an address of their own
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

// TestServicePurges runs the service with a retention of a millisecond
// and checks that, once a lead's email has gone out, nothing of it is left:
// not in the database's files, not in the folder of .eml files.
func TestServicePurges(t *testing.T) {
	svc := openService(t, func(c *Config) {
		c.Retention, c.SpamRetention, c.PurgeEvery = time.Millisecond, time.Millisecond, 20*time.Millisecond
		c.Delivery.Poll = 20 * time.Millisecond
	})
	dataDir := svc.cfg.DataDir
	l := validLead()
	l["last_name"] = "Quixoticpurge"
	w := httptest.NewRecorder()
	r := httptest.NewRequest(http.MethodPost, "/v1/consultations", strings.NewReader(asJSON(l)))
	r.Header.Set("Content-Type", ctJSON)
	svc.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusAccepted {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- svc.Run(ctx) }()
	defer func() { cancel(); <-done }()

	traces := func() []string {
		var out []string
		for _, name := range []string{"outbox.db", "outbox.db-wal"} {
			if b, _ := os.ReadFile(filepath.Join(dataDir, name)); bytes.Contains(b, []byte("Quixoticpurge")) {
				out = append(out, name)
			}
		}
		emls, _ := filepath.Glob(filepath.Join(dataDir, "mail", "*.eml"))
		return append(out, emls...)
	}
	deadline := time.Now().Add(10 * time.Second)
	for left := traces(); len(left) > 0; left = traces() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10s the lead is still in %v", left)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if st, err := svc.store.Stats(context.Background()); err != nil || st.Pending+st.Dead != 0 {
		t.Errorf("stats %+v, %v: want the email sent before the purge", st, err)
	}
}

// TestOpenRefusesOpenDataFolder: a data folder that other users may enter
// would let them read every lead, so the service refuses to start, and
// says how to fix it.
func TestOpenRefusesOpenDataFolder(t *testing.T) {
	for _, mode := range []os.FileMode{0o755, 0o750, 0o701} {
		dir := filepath.Join(t.TempDir(), "data")
		if err := os.Mkdir(dir, mode); err != nil {
			t.Fatal(err)
		}
		os.Chmod(dir, mode) // whatever the umask
		cfg := Config{Practice: testPractice, Procedures: testProcedures, DataDir: dir}
		svc, err := Open(context.Background(), slog.New(slog.DiscardHandler), cfg)
		if err == nil {
			svc.Close()
			t.Errorf("mode %04o: the service started", mode)
			continue
		}
		if !strings.Contains(err.Error(), "chmod 700 "+dir) {
			t.Errorf("mode %04o: %v; want it to say chmod 700 %s", mode, err, dir)
		}
		if _, err := os.Stat(filepath.Join(dir, "outbox.db")); err == nil {
			t.Errorf("mode %04o: outbox.db was created before refusing", mode)
		}
	}
	// A folder the service creates is private.
	dir := filepath.Join(t.TempDir(), "new", "data")
	svc, err := Open(context.Background(), slog.New(slog.DiscardHandler), Config{Practice: testPractice, DataDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	svc.Close()
}

// TestOpenPlainSMTP: mail without TLS to another machine is refused unless
// the URL says insecure=1, and then the log says so.
func TestOpenPlainSMTP(t *testing.T) {
	open := func(smtpURL string) (*syncbuf.Buffer, error) {
		logs := &syncbuf.Buffer{}
		cfg := Config{Practice: testPractice, DataDir: filepath.Join(t.TempDir(), "data"), SMTPURL: smtpURL}
		svc, err := Open(context.Background(), slog.New(slog.NewTextHandler(logs, nil)), cfg)
		if err == nil {
			svc.Close()
		}
		return logs, err
	}
	if _, err := open("smtp://relay.harbour.example:25?tls=none"); err == nil || !strings.Contains(err.Error(), "insecure=1") {
		t.Errorf("tls=none to another machine: %v, want a refusal naming insecure=1", err)
	}
	logs, err := open("smtp://relay.harbour.example:25?tls=none&insecure=1")
	if err != nil || !strings.Contains(logs.String(), "level=WARN") || !strings.Contains(logs.String(), "without TLS") {
		t.Errorf("with insecure=1: %v, log:\n%s\nwant it to start with a warning", err, logs)
	}
	logs, err = open("smtp://127.0.0.1:1025?tls=none")
	if err != nil || strings.Contains(logs.String(), "level=WARN") {
		t.Errorf("tls=none on this machine: %v, log:\n%s\nwant no warning", err, logs)
	}
}
