package main

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// phoneHint is the form's hint on the phone number, with its example
// country code.
var phoneHint = regexp.MustCompile(`<p class="hint" id="phone-hint">[^<]*</p>`)

// TestFormCountryCodeAgrees: the site's form and the form the intake
// shows again after a mistake offer the same country code for the same
// practice, here one whose phone is in the UK and whose phone region
// (intake.region) is Ireland.
func TestFormCountryCodeAgrees(t *testing.T) {
	site := testSite(t)
	yml := filepath.Join(site, "content", "site.yaml")
	src, err := os.ReadFile(yml)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(yml, append(src, "intake:\n  region: IE\n"...), 0o644)
	os.WriteFile(filepath.Join(site, "content", "consultation.md"), []byte("---\ntitle: Your consultation\n---\n\nAsk us anything.\n"), 0o644)
	if _, errOut, err := runCmd(t, "build", "-s", site); err != nil {
		t.Fatalf("build: %v\n%s", err, errOut)
	}
	page, err := os.ReadFile(filepath.Join(site, "public", "consultation", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	onSite := phoneHint.FindString(string(page))

	e := env{getenv: func(string) string { return "" }, stderr: &strings.Builder{}}
	cfg := envIntakeConfig(e)
	cfg.DataDir = filepath.Join(t.TempDir(), "data")
	svc, err := openIntake(context.Background(), e, slog.New(slog.DiscardHandler), site, cfg, true)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	r := httptest.NewRequest(http.MethodPost, "/v1/consultations", strings.NewReader(url.Values{"first_name": {"Ada"}}.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	w := httptest.NewRecorder()
	svc.Handler().ServeHTTP(w, r)
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422 with the form again", w.Code)
	}
	again := phoneHint.FindString(w.Body.String())

	if !strings.Contains(onSite, "e.g. &#43;44.") || again != onSite {
		t.Errorf("the site's form says\n\t%s\nthe form shown again says\n\t%s\nwant both e.g. +44, the practice phone's", onSite, again)
	}
}
