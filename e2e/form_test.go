package e2e

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/mailpit"
)

// journey is one patient's way from a procedure page to a request in the
// coordinator's mailbox.
type journey struct {
	js        bool   // JavaScript on
	procedure string // slug of the procedure page the patient starts on
	title     string // its title, as the coordinator's email names it
	email     string // the patient's address, unique to the journey
	phone     string // the patient's number, unique to the journey: the same patient's would join their open lead
}

// mistakes are the fields the patient gets wrong the first time: no last
// name, an email address cut short, a phone number too short, and the
// privacy box left unticked.
var mistakes = []string{"last_name", "email", "phone", "consent_privacy"}

func (j journey) name() string {
	if j.js {
		return "with JavaScript"
	}
	return "without JavaScript"
}

// run walks the journey in tab and checks every step.
func (j journey) run(t *testing.T, b *browser.Browser, base string, mp *mailpit.Server, r *report) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	before, err := mp.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tab := b.Tab(t, browser.TabOptions{NoScript: !j.js})
	tab.Go(t, base+"/procedures/"+j.procedure+"/")
	cta := `.cta a[href="/consultation/` + j.procedure + `/#request"]`
	if status := tab.Follow(t, "follow the call to action", chromedp.Click(chromedp.CSS(cta))); status != 200 {
		t.Fatalf("the call to action leads to a page answering %d", status)
	}
	path := browser.Eval[string](t, tab, `location.pathname`)
	if path != "/consultation/"+j.procedure+"/" {
		t.Fatalf("the call to action leads to %s, want the procedure's consultation page", path)
	}
	// The procedure is chosen by the page itself, with or without JavaScript.
	if chosen := browser.Eval[string](t, tab, `document.getElementById("procedure").value`); chosen != j.procedure {
		t.Errorf("the form has procedure %q chosen, want %q from the call to action", chosen, j.procedure)
	}
	tab.Screenshot(t, "form-"+j.slug(), "form")

	// First attempt, with mistakes.
	tab.Do(t, "fill in the form with mistakes",
		chromedp.SendKeys(chromedp.ID("first_name"), "Ada"),
		chromedp.SendKeys(chromedp.ID("email"), strings.Split(j.email, ".")[0]+"@"),
		chromedp.SendKeys(chromedp.ID("phone"), "12345"),
		chromedp.SendKeys(chromedp.ID("message"), "Could I come on a Saturday?"),
		chromedp.Evaluate[chromedp.Void](`window.stillHere = true`),
	)
	submit := chromedp.Click(chromedp.CSS(`form button[type=submit]`))
	if j.js {
		tab.Do(t, "send the form", submit, chromedp.WaitVisible(chromedp.ID("form-summary")))
		if !browser.Eval[bool](t, tab, `window.stillHere === true`) {
			t.Errorf("the page reloaded: errors must show without a reload")
		}
	} else if status := tab.Follow(t, "send the form", submit); status != 422 {
		t.Fatalf("the form with mistakes answers %d, want 422", status)
	}
	checkErrors(t, tab, j.js)
	tab.Screenshot(t, "errors-"+j.slug(), "main")
	r.check(t, tab, "form with errors, "+j.name())

	// Second attempt: corrected. serve runs with -min-fill 50ms, so the
	// form token does not mark this quick correction as spam.
	tab.Do(t, "correct the mistakes",
		chromedp.SendKeys(chromedp.ID("last_name"), "Lovelace"),
		clear("email"),
		chromedp.SendKeys(chromedp.ID("email"), j.email),
		clear("phone"),
		chromedp.SendKeys(chromedp.ID("phone"), j.phone),
		chromedp.Click(chromedp.ID("consent_privacy")),
	)
	if j.js {
		// A patient who taps twice sends one request: count the POSTs.
		tab.Do(t, "count requests", chromedp.Evaluate[chromedp.Void](`(() => {
	const send = window.fetch;
	window.posts = 0;
	window.fetch = (url, opts) => { if (opts && opts.method === "POST") window.posts++; return send(url, opts); };
})()`))
		tab.Do(t, "send the corrected form with a double tap",
			chromedp.DoubleClick(chromedp.CSS(`form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".thanks")))
		if posts := browser.Eval[int](t, tab, `window.posts`); posts != 1 {
			t.Errorf("a double tap sent %d requests, want 1", posts)
		}
		if focus := browser.Eval[string](t, tab, `document.activeElement.className`); focus != "thanks" {
			t.Errorf("focus is on .%s after sending, want the thank-you message", focus)
		}
		r.check(t, tab, "thank-you state, with JavaScript")
	} else {
		if status := tab.Follow(t, "send the corrected form", submit); status != 200 {
			t.Fatalf("the corrected form leads to a page answering %d", status)
		}
		if path := browser.Eval[string](t, tab, `location.pathname`); path != "/v1/consultations/thanks" {
			t.Errorf("the corrected form leads to %s, want the thank-you page", path)
		}
		r.check(t, tab, "thank-you page, without JavaScript")
	}
	// When the practice will be in touch, by its clock: said on the page,
	// with or without JavaScript.
	due := browser.Eval[string](t, tab, `(document.querySelector(".thanks-due:not([hidden])") || {}).textContent || ""`)
	if !dueSentence.MatchString(due) {
		t.Errorf("the thank-you %s says %q, want \"We will be in touch by HH:MM on Weekday D Month.\"", j.name(), due)
	}
	// A confirmation is emailed only for a request with a form token, which
	// the page's script fetches: the page says so only when one is on its way.
	claim := browser.Eval[bool](t, tab, `/sent you an email/i.test(document.querySelector("main").innerText)`)
	if claim != j.js {
		t.Errorf("the thank-you %s says an email was sent: %v, want %v", j.name(), claim, j.js)
	}
	tab.Screenshot(t, "thanks-"+j.slug(), "main")
	for _, ex := range tab.Exceptions() {
		t.Errorf("uncaught JavaScript exception: %s", ex)
	}
	if j.js {
		j.checkMail(t, mp, before+2, true)
	} else {
		j.checkMail(t, mp, before+1, false)
	}
}

// dueSentence is how the patient is told when the practice will answer.
var dueSentence = regexp.MustCompile(`^We will be in touch by \d\d:\d\d on (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d{1,2} [A-Z][a-z]+\.$`)

// clear empties the field with the id, as a patient selecting its text and
// deleting it would.
func clear(id string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.getElementById(%q).value = ""`, id))
}

func (j journey) slug() string { return strings.ReplaceAll(j.name(), " ", "-") }

// checkErrors checks that each mistake is explained beside its field, that
// the field says so to screen readers, and that the summary links to it.
func checkErrors(t *testing.T, tab *browser.Tab, js bool) {
	t.Helper()
	type fieldState struct {
		Error     string `json:"error"`     // text of #<name>-error, "" when missing or hidden
		Invalid   string `json:"invalid"`   // aria-invalid of the field
		Described bool   `json:"described"` // aria-describedby names the error
		Beside    bool   `json:"beside"`    // no other field between the error and its field
		Linked    bool   `json:"linked"`    // the summary links to the field
	}
	for _, name := range mistakes {
		st := browser.Eval[fieldState](t, tab, fmt.Sprintf(`(() => {
	const name = %q;
	const err = document.getElementById(name + "-error");
	const field = document.getElementById(name);
	if (!err || !field) return {error: "", invalid: "", described: false, beside: false, linked: false};
	const controls = [...document.querySelectorAll("form input:not([type=hidden]), form select, form textarea")]
		.filter(c => !c.closest("[aria-hidden=true]"));
	const after = controls.find(c => err.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);
	const before = controls.filter(c => err.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_PRECEDING).pop();
	const summary = document.querySelector("[role=alert]");
	return {
		error: err.hidden || !err.offsetParent ? "" : err.textContent.trim(),
		invalid: field.getAttribute("aria-invalid") || "",
		described: (field.getAttribute("aria-describedby") || "").split(" ").includes(name + "-error"),
		beside: after === field || before === field,
		linked: !!summary && !!summary.querySelector('a[href="#' + name + '"]'),
	};
})()`, name))
		switch {
		case st.Error == "":
			t.Errorf("%s: no error message shown beside the field", name)
		case !st.Beside:
			t.Errorf("%s: the error %q is not beside its field", name, st.Error)
		}
		if st.Invalid != "true" || !st.Described {
			t.Errorf("%s: aria-invalid=%q, aria-describedby names the error: %v; want both", name, st.Invalid, st.Described)
		}
		if !st.Linked {
			t.Errorf("%s: the error summary has no link to the field", name)
		}
	}
	kept := browser.Eval[string](t, tab, `document.getElementById("first_name").value + "|" + document.getElementById("message").value`)
	if kept != "Ada|Could I come on a Saturday?" {
		t.Errorf("values after the errors: %q, want what the patient typed kept", kept)
	}
	if !js && !browser.Eval[bool](t, tab, `!!document.querySelector('link[rel=stylesheet][href^="/assets/site."]')`) {
		t.Errorf("the form shown again after errors is not the site theme's page (no site.css): the intake service must be given the theme's form page, render.Theme.FormTemplate")
	}
	// Without JavaScript, only the page itself (autofocus on the summary of
	// the theme's form page) can put the focus there.
	if focus := browser.Eval[string](t, tab, `document.activeElement.id`); focus != "form-summary" {
		t.Errorf("focus is on #%s after the errors, want the error summary #form-summary (JavaScript: %v)", focus, js)
	}
}

// checkMail checks that the coordinator's email, and the patient's
// confirmation when confirm is set, arrived in Mailpit, which then holds
// at least total messages.
func (j journey) checkMail(t *testing.T, mp *mailpit.Server, total int, confirm bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var coordinator, confirmation *mailpit.Message
	for coordinator == nil || (confirm && confirmation == nil) {
		msgs, err := mp.Wait(ctx, total)
		if err != nil {
			t.Fatalf("the two emails of %s did not arrive: %v", j.email, err)
		}
		for i, m := range msgs {
			switch {
			case len(m.ReplyTo) > 0 && m.ReplyTo[0].Address == j.email:
				coordinator = &msgs[i]
			case len(m.To) > 0 && m.To[0].Address == j.email:
				confirmation = &msgs[i]
			}
		}
		if coordinator == nil || (confirm && confirmation == nil) {
			select {
			case <-ctx.Done():
				t.Fatalf("after 30s, the coordinator's email arrived: %v; the patient's confirmation: %v", coordinator != nil, confirmation != nil)
			case <-time.After(100 * time.Millisecond):
			}
		}
	}
	if coordinator.From == nil || coordinator.From.Address == j.email {
		t.Errorf("the coordinator's email is from %v, want the practice's address", coordinator.From)
	}
	if !strings.Contains(coordinator.Subject+coordinator.Text, j.title) {
		t.Errorf("the coordinator's email (subject %q) does not name the procedure %q:\n%s", coordinator.Subject, j.title, coordinator.Text)
	}
	t.Logf("coordinator's email to %v, Reply-To %s: %q", coordinator.To, coordinator.ReplyTo[0].Address, coordinator.Subject)
	if confirmation != nil {
		t.Logf("patient's confirmation to %s: %q", confirmation.To[0].Address, confirmation.Subject)
	}
}
