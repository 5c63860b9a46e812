package e2e

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/mailpit"
)

// formSecret signs the form tokens of the service under test
// (CONSULTA_FORM_SECRET), so that a test can make a token as old as one in
// a tab left open overnight.
const formSecret = "e2e-form-secret-0123456789abcdef-0123456789abcdef"

// oldToken returns a form token issued at issued, signed as the intake
// service signs them: "v2.<Unix ms>.<nonce>.<HMAC-SHA256, 18 bytes,
// base64url>".
func oldToken(issued time.Time) string {
	payload := "v2." + strconv.FormatInt(issued.UnixMilli(), 10) + ".e2e-nonce"
	m := hmac.New(sha256.New, []byte(formSecret))
	m.Write([]byte(payload))
	return payload + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// fillRequest fills in the consultation form as a patient would, with the
// procedure already chosen, and ticks the privacy box. Each address gets
// a number of its own: the same patient's requests would join one lead.
func fillRequest(t *testing.T, tab *browser.Tab, email string) {
	t.Helper()
	tab.Do(t, "fill in the form",
		chromedp.SendKeys(chromedp.ID("first_name"), "Grace"),
		chromedp.SendKeys(chromedp.ID("last_name"), "Hopper"),
		chromedp.SendKeys(chromedp.ID("email"), email),
		chromedp.SendKeys(chromedp.ID("phone"), fmt.Sprintf("087 123 %04d", crc32.ChecksumIEEE([]byte(email))%10000)),
		chromedp.Click(chromedp.ID("consent_privacy")),
	)
}

// send sends the form with JavaScript and waits for the thank-you state.
func send(t *testing.T, tab *browser.Tab) {
	t.Helper()
	tab.Do(t, "send the form", chromedp.Click(chromedp.CSS(`form button[type=submit]`)))
	state := browser.Eval[string](t, tab, `new Promise(done => {
	const start = Date.now();
	const wait = () => {
		if (document.querySelector(".thanks")) return done("thanks");
		const summary = document.getElementById("form-summary");
		if (summary && !summary.hidden) return done("problem: " + summary.textContent);
		if (performance.now() > 0 && Date.now() - start > 20000) return done("nothing after 20 s; status: " + document.querySelector(".form-status").textContent);
		setTimeout(wait, 50);
	};
	wait();
})`)
	if state != "thanks" {
		t.Fatalf("after sending the form: %s", state)
	}
}

// coordinatorEmail waits for the coordinator's email of the patient at
// replyTo (its Reply-To) and returns it.
func coordinatorEmail(t *testing.T, mp *mailpit.Server, replyTo string) mailpit.Message {
	t.Helper()
	return waitEmail(t, mp, "the coordinator's email for "+replyTo, func(m mailpit.Message) bool {
		return len(m.ReplyTo) > 0 && m.ReplyTo[0].Address == replyTo
	})
}

// waitEmail waits up to 30s for an email that match keeps, and returns it;
// what names it in a failure.
func waitEmail(t *testing.T, mp *mailpit.Server, what string, match func(mailpit.Message) bool) mailpit.Message {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for {
		msgs, err := mp.Messages(ctx)
		if err != nil {
			t.Fatalf("%s did not arrive: %v", what, err)
		}
		for _, m := range msgs {
			if match(m) {
				return m
			}
		}
		select {
		case <-ctx.Done():
			t.Fatalf("after 30s, no %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// testStaleToken leaves the form open as a tab left open overnight (its
// token a day old, the page's clock a day on), then comes back to it: the
// form's script must fetch a fresh token before the request goes, so that
// the lead arrives as a lead and not as possible spam.
func testStaleToken(t *testing.T, b *browser.Browser, base string, mp *mailpit.Server) {
	const email = "grace.overnight@example.org"
	tab := b.Tab(t, browser.TabOptions{})
	tab.Go(t, base+"/consultation/rhinoplasty/")
	first := browser.Eval[string](t, tab, `new Promise(done => {
	const f = document.querySelector("form.consult-form");
	const wait = () => f.elements.form_token.value ? done(f.elements.form_token.value) : setTimeout(wait, 20);
	wait();
})`)
	if first == "" {
		t.Fatal("the form's script fetched no form token")
	}
	stale := oldToken(time.Now().Add(-25 * time.Hour))
	tab.Do(t, "leave the tab open for a day", chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`(() => {
	const f = document.querySelector("form.consult-form");
	f.elements.form_token.value = %q;
	const now = Date.now;
	Date.now = () => now() + 25 * 3600 * 1000;
	window.tokenFetches = 0;
	window.sent = null;
	const fetch = window.fetch;
	window.fetch = (url, opts) => {
		if (String(url).endsWith("/token")) window.tokenFetches++;
		if (opts && opts.method === "POST") window.sent = JSON.parse(opts.body);
		return fetch(url, opts);
	};
})()`, stale)))

	back := time.Now()
	fillRequest(t, tab, email)
	// A person takes some seconds: the service marks a request sent within
	// 3 s of its token as too fast.
	time.Sleep(time.Until(back.Add(4 * time.Second)))
	send(t, tab)

	if n := browser.Eval[int](t, tab, `window.tokenFetches`); n < 1 {
		t.Errorf("the form's script fetched %d tokens after a day, want a fresh one", n)
	}
	sent := browser.Eval[string](t, tab, `window.sent.form_token`)
	if sent == stale || sent == "" {
		t.Fatalf("the request went with the day-old token %q, want a fresh one", sent)
	}
	if parts := strings.Split(sent, "."); len(parts) != 4 { // v2, the time issued, a nonce, the MAC
		t.Errorf("sent token %q is not a form token", sent)
	} else if ms, _ := strconv.ParseInt(parts[1], 10, 64); time.Since(time.UnixMilli(ms)) > time.Minute {
		t.Errorf("sent token was issued %v ago, want a fresh one", time.Since(time.UnixMilli(ms)).Round(time.Second))
	}
	tab.Screenshot(t, "thanks-after-a-day", "main")
	if m := coordinatorEmail(t, mp, email); strings.HasPrefix(m.Subject, "Possible spam") {
		t.Errorf("the refreshed request arrived as %q, want a lead without doubt", m.Subject)
	}

	// The same day-old token sent as it was: delivered, but marked, with
	// the reason.
	const control = "grace.control@example.org"
	body, _ := json.Marshal(map[string]any{
		"first_name": "Grace", "last_name": "Hopper", "email": control, "procedure": "rhinoplasty",
		"consent_privacy": true, "form_token": stale,
	})
	resp, err := http.Post(base+"/v1/consultations", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("a request with a day-old token: %d, want 202", resp.StatusCode)
	}
	m := coordinatorEmail(t, mp, control)
	if !strings.HasPrefix(m.Subject, "Possible spam: ") || !strings.Contains(m.Text, "the form had been open for more than a day") {
		t.Errorf("a day-old token: subject %q, want \"Possible spam: …\" and the reason in the text:\n%s", m.Subject, m.Text)
	}
	lookAtEmail(t, b, "possible-spam-email", m.HTML)
}

// testCampaign lands on a procedure page from an advert's link on another
// site, goes on to the form and sends it: the coordinator's email must say
// where the patient came from, and nothing may be kept in a cookie.
func testCampaign(t *testing.T, b *browser.Browser, base string, mp *mailpit.Server) {
	const email = "grace.campaign@example.org"
	landing := base + "/procedures/rhinoplasty/?utm_source=newsletter&utm_medium=email&utm_campaign=spring-2026&utm_content=nose-banner&gclid=Cj0KCQ_test-123"
	advert := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><title>News</title><a id="advert" href="%s">Book a consultation</a>`, landing)
	}))
	t.Cleanup(advert.Close)

	tab := b.Tab(t, browser.TabOptions{})
	tab.Go(t, advert.URL+"/article")
	if status := tab.Follow(t, "follow the advert", chromedp.Click(chromedp.ID("advert"))); status != 200 {
		t.Fatalf("the landing page answers %d", status)
	}
	cta := `.cta a[href="/consultation/rhinoplasty/#request"]`
	if status := tab.Follow(t, "follow the call to action", chromedp.Click(chromedp.CSS(cta))); status != 200 {
		t.Fatalf("the call to action leads to a page answering %d", status)
	}
	opened := time.Now()
	fillRequest(t, tab, email)
	time.Sleep(time.Until(opened.Add(4 * time.Second)))
	send(t, tab)
	if c := browser.Eval[string](t, tab, `document.cookie`); c != "" {
		t.Errorf("the site set cookies %q: attribution belongs in sessionStorage only", c)
	}
	if n := browser.Eval[int](t, tab, `localStorage.length`); n != 0 {
		t.Errorf("the site kept %d items in localStorage: attribution belongs in sessionStorage only", n)
	}

	m := coordinatorEmail(t, mp, email)
	for _, want := range []string{
		"Landing page:        /procedures/rhinoplasty/",
		"Referrer:            127.0.0.1\r", // its host alone, no port
		"Campaign source:     newsletter",
		"Campaign medium:     email",
		"Campaign:            spring-2026",
		"Campaign content:    nose-banner",
		"Google Ads click:    Cj0KCQ_test-123",
		"Form sent from:      /consultation/rhinoplasty/",
	} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("the coordinator's email lacks %q:\n%s", want, m.Text)
		}
	}
	if !strings.Contains(m.HTML, "spring-2026") {
		t.Errorf("the HTML part of the coordinator's email lacks the campaign")
	}
	lookAtEmail(t, b, "coordinator-email", m.HTML)
}

// lookAtEmail opens the HTML part of an email in the browser as a phone
// and as a desktop mail client show it (browser.CheckEmail).
func lookAtEmail(t *testing.T, b *browser.Browser, name, html string) {
	t.Helper()
	b.CheckEmail(t, name, html)
}
