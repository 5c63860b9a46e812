package e2e

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/mail"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/internal/browser"
)

// TestMakeRunLoop walks the loop that `make run` offers, as a coordinator
// does on a phone: a lead sent on the demo site, its coordinator email
// written as a .eml file (no SMTP server), the email's "I'm handling it"
// link opened at phone width in Chromium, and three taps on the lead's
// page, never back to the mail: claim, a call nobody answered (the next
// call is scheduled), a call that reached the patient. The page passes
// axe in each state, and the report shows the lead reached, with its times.
func TestMakeRunLoop(t *testing.T) {
	bin := buildConsulta(t)
	site := copySite(t)
	base := startServe(t, bin, site)
	b := browser.Start(t)

	id := sendLead(t, base)
	eml := waitFile(t, filepath.Join(site, ".data", "mail", id+".coordinator.eml"))
	text, html := emailBodies(t, eml)
	claim := regexp.MustCompile(`I'm handling it:\s+(` + regexp.QuoteMeta(base) + `/v1/actions/\S+)`).FindStringSubmatch(string(text))
	if claim == nil {
		t.Fatalf("the coordinator's email has no claim link to %s:\n%s", base, text)
	}

	// The email at phone width, as the coordinator sees it.
	tab := b.Tab(t, browser.TabOptions{Width: 390, Height: 844})
	page := filepath.Join(t.TempDir(), "coordinator.html")
	if err := os.WriteFile(page, html, 0o644); err != nil {
		t.Fatal(err)
	}
	tab.Go(t, "file://"+page)
	tab.Screenshot(t, "coordinator-email-390", "")

	// The link opens the lead's page, and changes nothing.
	if status := tab.Go(t, claim[1]); status != http.StatusOK {
		t.Fatalf("the claim link answers %d", status)
	}
	says := func(wants ...string) {
		t.Helper()
		got := browser.Eval[string](t, tab, `document.querySelector("main").innerText`)
		for _, want := range wants {
			if !strings.Contains(got, want) {
				t.Errorf("the lead's page has no %q:\n%s", want, got)
			}
		}
	}
	says("Aoife Byrne", "Rhinoplasty", "Reply by", "Call Aoife", "Email Aoife", "I'm handling it")
	if tel := browser.Eval[string](t, tab, `document.querySelector("a[href^='tel:']").getAttribute("href")`); tel != "tel:+353871234567" {
		t.Errorf("the call link is %q, want tel:+353871234567", tel)
	}
	tab.CheckAxe(t, "lead page, new")
	tab.Screenshot(t, "lead-new-390", "")
	tap := func(what, css string) {
		t.Helper()
		if status := tab.Follow(t, what, chromedp.Click(chromedp.CSS(css))); status != http.StatusOK {
			t.Fatalf("after %s: %d", what, status)
		}
	}
	tap("tap I'm handling it", `button[value=claim]`)
	says("Claimed by Niamh Byrne", "Next step: record a call")
	tab.CheckAxe(t, "lead page, claimed")
	tab.Screenshot(t, "lead-claimed-390", "")
	tap("tap No answer", `button[value="call:no_answer"]`)
	says("1 call, the last: No answer", "Next call: ", "Undo: Call: No answer")
	tab.CheckAxe(t, "lead page, a call unanswered")
	tab.Screenshot(t, "lead-no-answer-390", "")
	tap("tap Reached", `button[value="call:reached"]`)
	says("Reached ", "within the promise", "2 calls, the last: Reached", "Consultation booked")
	tab.CheckAxe(t, "lead page, reached")
	tab.Screenshot(t, "lead-reached-390", "")

	// An altered link is refused with a page of its own.
	if status := tab.Go(t, strings.Replace(claim[1], ".claim.", ".booked.", 1)); status != http.StatusForbidden {
		t.Errorf("an altered link answers %d, want 403", status)
	}
	tab.CheckAxe(t, "lead page, refused")
	tab.Screenshot(t, "lead-refused-390", "")

	// The report sees the lead reached, with its times.
	out, err := runConsulta(bin, "intake", "report", "-s", site, "--format", "json")
	var rep struct {
		Leads   []map[string]any `json:"leads"`
		Summary struct {
			MedianSecondsToReach        *float64 `json:"median_seconds_to_reach"`
			ReachedWithinPromisePercent *float64 `json:"reached_within_promise_percent"`
		} `json:"summary"`
		ByCoordinator []struct{ Key string } `json:"by_coordinator"`
	}
	if err == nil {
		err = json.Unmarshal([]byte(out), &rep)
	}
	if err != nil || len(rep.Leads) != 1 {
		t.Fatalf("consulta intake report: %v\n%s", err, out)
	}
	l := rep.Leads[0]
	if l["state"] != "contacted" || l["outcome"] != "reached" || l["attempts"] != 2.0 || l["claimed_by"] != "coordinator@harbour-aesthetic.example" {
		t.Errorf("the report's lead: %v", l)
	}
	for _, field := range []string{"received", "first_attempt_at", "reached_at"} {
		if at, _ := l[field].(string); !strings.HasPrefix(at, "20") {
			t.Errorf("the report's lead has no %s time: %v", field, l)
		}
	}
	if s := rep.Summary; s.MedianSecondsToReach == nil || s.ReachedWithinPromisePercent == nil || *s.ReachedWithinPromisePercent != 100 ||
		len(rep.ByCoordinator) != 1 || rep.ByCoordinator[0].Key != "Niamh Byrne" {
		t.Errorf("the report's figures: %s", out)
	}
	report, err := runConsulta(bin, "intake", "report", "-s", site)
	if err != nil || !regexp.MustCompile(`Reached within the promise +100%`).MatchString(report) ||
		!regexp.MustCompile(`Reached +6 Dec|Reached +\d+ \w+ \d\d:\d\d`).MatchString(report) || !strings.Contains(report, "Niamh Byrne") {
		t.Errorf("consulta intake report, as text: %v\n%s", err, report)
	}
	t.Logf("consulta intake report:\n%s", report)
}

// sendLead sends a consultation request to base as the form's script does,
// after the least time a person takes, and returns its id.
func sendLead(t *testing.T, base string) string {
	t.Helper()
	resp, err := http.Get(base + "/v1/consultations/token")
	if err != nil {
		t.Fatal(err)
	}
	var tok struct{ Token string }
	json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()
	time.Sleep(100 * time.Millisecond) // serve runs with -min-fill 50ms: a person's pause, not a wait for readiness
	body, _ := json.Marshal(map[string]any{"first_name": "Aoife", "last_name": "Byrne", "email": "aoife.byrne@mail.example",
		"phone": "087 123 4567", "procedure": "rhinoplasty", "consent_privacy": true, "form_token": tok.Token})
	resp, err = http.Post(base+"/v1/consultations", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct{ ID string }
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != http.StatusAccepted || got.ID == "" {
		t.Fatalf("POST /v1/consultations: %d, %v", resp.StatusCode, err)
	}
	return got.ID
}

// waitFile waits up to 30s for the delivery worker to write path.
func waitFile(t *testing.T, path string) []byte {
	t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		if b, err := os.ReadFile(path); err == nil {
			return b
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within 30s", path)
		}
	}
}

// emailBodies returns the text and HTML parts of a multipart/alternative email.
func emailBodies(t *testing.T, raw []byte) (text, html []byte) {
	t.Helper()
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	mr := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := mr.NextPart() // decodes quoted-printable
		if err != nil {
			break
		}
		b, _ := io.ReadAll(p)
		switch {
		case strings.HasPrefix(p.Header.Get("Content-Type"), "text/plain"):
			text = b
		case strings.HasPrefix(p.Header.Get("Content-Type"), "text/html"):
			html = b
		}
	}
	if text == nil || html == nil {
		t.Fatalf("no text and HTML parts in:\n%s", raw)
	}
	return text, html
}

// runConsulta runs the consulta binary bin with args and returns its output.
func runConsulta(bin string, args ...string) (string, error) {
	out, err := exec.Command(bin, args...).CombinedOutput()
	return string(out), err
}
