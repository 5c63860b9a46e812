package e2e

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/mailpit"
)

// phone is the viewport of the patient's path tests: a small phone.
var phone = browser.TabOptions{Width: 390, Height: 844}

// testInvalidBorder: a field with an error is drawn with the error
// colour's 2 px border, as the browser computes it, in the form the
// intake shows again (no JavaScript) and in the form's script's errors.
func testInvalidBorder(t *testing.T, b *browser.Browser, base string) {
	for _, js := range []bool{false, true} {
		tab := b.Tab(t, browser.TabOptions{Width: phone.Width, Height: phone.Height, NoScript: !js})
		tab.Go(t, base+"/consultation/")
		submit := chromedp.Click(chromedp.CSS(`form button[type=submit]`))
		if js {
			tab.Do(t, "send the empty form", submit, chromedp.WaitVisible(chromedp.ID("form-summary")))
		} else if status := tab.Follow(t, "send the empty form", submit); status != 422 {
			t.Fatalf("the empty form answers %d, want 422", status)
		}
		type border struct {
			Invalid string `json:"invalid"`
			Width   string `json:"width"`
			Style   string `json:"style"`
			Colour  string `json:"colour"`
		}
		for _, id := range []string{"first_name", "email", "procedure"} {
			got := browser.Eval[border](t, tab, fmt.Sprintf(`(() => {
	const f = document.getElementById(%q);
	const s = getComputedStyle(f);
	return {invalid: f.getAttribute("aria-invalid") || "", width: s.borderTopWidth, style: s.borderTopStyle, colour: s.borderTopColor};
})()`, id))
			want := border{Invalid: "true", Width: "2px", Style: "solid", Colour: "rgb(164, 38, 44)"}
			if got != want {
				t.Errorf("JavaScript %v: #%s's border is %+v, want %+v (the error colour, 2 px)", js, id, got, want)
			}
		}
		tab.Screenshot(t, "invalid-border-js-"+onOff(js), "")
	}
}

// testBookWithSurgeon: a surgeon's page offers "Book with Dr Hart", which
// lands on the form with that surgeon chosen, without JavaScript too, and
// says what the consultation is beside the Send button.
func testBookWithSurgeon(t *testing.T, b *browser.Browser, base string) {
	for _, js := range []bool{true, false} {
		tab := b.Tab(t, browser.TabOptions{Width: phone.Width, Height: phone.Height, NoScript: !js})
		tab.Go(t, base+"/team/dr-amelia-hart/")
		book := `main .actions a.button`
		if label := browser.Eval[string](t, tab, `document.querySelector("`+book+`").textContent.trim()`); label != "Book with Dr Hart" {
			t.Errorf("JavaScript %v: the surgeon's first Book button says %q, want \"Book with Dr Hart\"", js, label)
		}
		if status := tab.Follow(t, "follow Book with Dr Hart", chromedp.Click(chromedp.CSS(book))); status != 200 {
			t.Fatalf("Book with Dr Hart leads to a page answering %d", status)
		}
		got := browser.Eval[[]string](t, tab, `[location.pathname, document.getElementById("surgeon").value,
	document.getElementById("surgeon").selectedOptions[0].textContent,
	(document.querySelector(".form-consultation") || {}).textContent || ""]`)
		if got[0] != "/consultation/dr-amelia-hart/" || got[1] != "dr-amelia-hart" || got[2] != "Dr Amelia Hart" {
			t.Errorf("JavaScript %v: Book with Dr Hart lands on %s with the surgeon %q (%q), want /consultation/dr-amelia-hart/ with dr-amelia-hart (Dr Amelia Hart)", js, got[0], got[1], got[2])
		}
		if want := "€150, deducted from your surgery · 45 minutes with a consultant · in person or by video"; !strings.Contains(got[3], want) {
			t.Errorf("JavaScript %v: beside Send my request: %q, want %q", js, got[3], want)
		}
		tab.Screenshot(t, "book-with-surgeon-js-"+onOff(js), "")
	}
}

// testBookFromCase: a case's Book button lands on the form with the case's
// procedure chosen.
func testBookFromCase(t *testing.T, b *browser.Browser, base string) {
	tab := b.Tab(t, phone)
	tab.Go(t, base+"/gallery/rhinoplasty/")
	cases := browser.Eval[[]string](t, tab, `[...document.querySelectorAll(".ba-card h2 a")].map(a => a.pathname)`)
	if len(cases) == 0 {
		t.Fatal("/gallery/rhinoplasty/ lists no case")
	}
	tab.Go(t, base+cases[0])
	book := `main .actions a.button:not(.ghost)`
	if status := tab.Follow(t, "follow the case's Book button", chromedp.Click(chromedp.CSS(book))); status != 200 {
		t.Fatalf("the case's Book button leads to a page answering %d", status)
	}
	got := browser.Eval[[]string](t, tab, `[location.pathname, document.getElementById("procedure").value]`)
	if got[0] != "/consultation/rhinoplasty/" || got[1] != "rhinoplasty" {
		t.Errorf("the Book button of %s lands on %s with procedure %q chosen, want /consultation/rhinoplasty/ with rhinoplasty", cases[0], got[0], got[1])
	}
}

func onOff(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// target is a button or a link smaller than a finger, as the browser lays it out.
type target struct {
	What   string  `json:"what"` // the element, e.g. `a "Privacy notice"`
	Width  float64 `json:"width"`
	Height float64 `json:"height"`
}

// smallTargets lists the visible buttons, and links outside running text,
// smaller than 44×44 CSS px (WCAG 2.5.5, the enhanced target size). A
// link is in running text when the block it is in holds words of its own
// besides those of links and buttons: "call us on 01 555 0142" is. A link
// stretched over its card (an ::after laid over the card) is as large as
// the card.
const smallTargets = `(() => {
	const blockOf = el => {
		let b = el.parentElement;
		while (b && getComputedStyle(b).display.startsWith("inline")) b = b.parentElement;
		return b;
	};
	const shown = el => {
		const r = el.getBoundingClientRect(), s = getComputedStyle(el);
		return r.width > 1 && r.height > 1 && s.visibility !== "hidden" && !el.closest("[aria-hidden=true], .hp");
	};
	const inText = a => {
		const block = blockOf(a), walk = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
		let words = "";
		while (walk.nextNode()) {
			const n = walk.currentNode, p = n.parentElement;
			if (!p.closest("a, button") && shown(p)) words += n.textContent;
		}
		return /[\p{L}\p{N}]/u.test(words);
	};
	const out = [];
	for (const el of document.querySelectorAll("a[href], button, summary")) {
		if (!shown(el) || (el.tagName === "A" && inText(el))) continue;
		const after = getComputedStyle(el, "::after");
		const stretched = el.tagName === "A" && after.content !== "none" && after.position === "absolute" && el.offsetParent;
		const r = (stretched ? el.offsetParent : el).getBoundingClientRect();
		if (r.width < 43.5 || r.height < 43.5) {
			out.push({what: el.tagName.toLowerCase() + " " + JSON.stringify(el.textContent.trim().replace(/\s+/g, " ").slice(0, 50)), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10});
		}
	}
	return out;
})()`

// testTargetSize: on a phone, every button, and every link outside
// running text, of each page kind a patient goes through is at least
// 44×44 px.
func testTargetSize(t *testing.T, b *browser.Browser, base string) {
	tab := b.Tab(t, phone)
	tab.Go(t, base+"/gallery/")
	cases := browser.Eval[[]string](t, tab, `[".ba-card:not(:has(.ba-card-veil)) h2 a", ".ba-card:has(.ba-card-veil) h2 a"].map(s => document.querySelector(s).pathname)`)
	for _, p := range []struct{ kind, path string }{
		{"home", "/"},
		{"procedure", "/procedures/rhinoplasty/"},
		{"gallery", "/gallery/"},
		{"case", cases[0]},
		{"sensitive case", cases[1]},
		{"team member", "/team/dr-amelia-hart/"},
		{"reviews", "/reviews/"},
		{"consultation", "/consultation/"},
	} {
		if status := tab.Go(t, base+p.path); status != 200 {
			t.Errorf("%s %s: status %d", p.kind, p.path, status)
			continue
		}
		// Open every list of links that a tap opens, so that its links count too.
		browser.Eval[bool](t, tab, `(document.querySelectorAll("details").forEach(d => d.open = true), true)`)
		for _, s := range browser.Eval[[]target](t, tab, smallTargets) {
			t.Errorf("%s %s: %s is %.1f×%.1f px, want at least 44×44", p.kind, p.path, s.What, s.Width, s.Height)
		}
	}
}

// testRevealCase: each sensitive case is revealed on its own, can be
// hidden again with "Hide the photos", and the next sensitive case is
// still behind its veil.
func testRevealCase(t *testing.T, b *browser.Browser, base string) {
	tab := b.Tab(t, phone)
	tab.Go(t, base+"/gallery/")
	gated := browser.Eval[[]string](t, tab, `[...document.querySelectorAll(".ba-card")].filter(c => c.querySelector(".ba-card-veil")).map(c => c.querySelector("h2 a").pathname)`)
	if len(gated) < 2 {
		t.Fatalf("the demo's gallery has %d sensitive cases, want at least 2", len(gated))
	}
	const photos = `document.querySelectorAll("main img").length`
	tab.Do(t, "show the first case's photos", chromedp.Navigate(base+gated[0]), chromedp.WaitVisible(`[data-reveal]`),
		chromedp.Click(`[data-reveal]`), chromedp.WaitVisible(`.ba-pairs img`), chromedp.WaitVisible(`[data-hide]`))
	if n := browser.Eval[int](t, tab, photos); n < 2 {
		t.Errorf("%s after Show the photos: %d photos, want its pair", gated[0], n)
	}
	tab.Screenshot(t, "case-revealed", "")
	tab.CheckAxe(t, "a revealed case "+gated[0])
	tab.Do(t, "the next case", chromedp.Navigate(base+gated[1]), chromedp.WaitVisible(`[data-reveal]`))
	if n := browser.Eval[int](t, tab, photos); n != 0 {
		t.Errorf("%s, after %s was revealed: %d photos, want none until chosen", gated[1], gated[0], n)
	}
	tab.Screenshot(t, "case-hidden", "")
	tab.CheckAxe(t, "a veiled case "+gated[1])
	tab.Do(t, "hide the first case's photos", chromedp.Navigate(base+gated[0]), chromedp.WaitVisible(`[data-hide]`),
		chromedp.Click(`[data-hide]`), chromedp.WaitVisible(`[data-reveal]`))
	if n := browser.Eval[int](t, tab, photos); n != 0 {
		t.Errorf("%s after Hide the photos: %d photos, want none", gated[0], n)
	}
	tab.Do(t, "the next case again", chromedp.Navigate(base+gated[1]), chromedp.WaitVisible(`[data-reveal]`))
	if n := browser.Eval[int](t, tab, photos); n != 0 {
		t.Errorf("%s after %s was hidden: %d photos, want none", gated[1], gated[0], n)
	}
}

// correctionEmail waits for the coordinator's email of a correction sent
// from Reply-To address to, and returns it.
func correctionEmail(t *testing.T, mp *mailpit.Server, to string) mailpit.Message {
	t.Helper()
	return waitEmail(t, mp, "correction's email from "+to, func(m mailpit.Message) bool {
		return strings.HasPrefix(m.Subject, "Correction: ") && len(m.ReplyTo) > 0 && m.ReplyTo[0].Address == to
	})
}

// testThankYou: after sending, the thank-you state says back the phone
// and email the patient typed, offers to correct them, and the correction
// reaches the coordinator as an email answering the lead's own; with
// JavaScript and without. While the practice is closed it says when it
// opens instead of "call us now" (an answer of a closed practice, given
// to the page's script).
func testThankYou(t *testing.T, b *browser.Browser, base string, mp *mailpit.Server) {
	for _, js := range []bool{true, false} {
		email := "grace." + onOff(js) + "@example.org"
		tab := b.Tab(t, browser.TabOptions{Width: phone.Width, Height: phone.Height, NoScript: !js})
		tab.Go(t, base+"/consultation/rhinoplasty/")
		fillRequest(t, tab, email) // with a number of the address's own
		tab.Do(t, "ask for a call", chromedp.Click(chromedp.ID("preferred_contact")))
		typed := browser.Eval[string](t, tab, `document.getElementById("phone").value`)
		last := typed[len(typed)-1]
		fixed := typed[:len(typed)-1] + string('0'+(last-'0'+1)%10)
		send := chromedp.Click(chromedp.CSS(`form.consult-form button[type=submit]`))
		if js {
			tab.Do(t, "send the form", send, chromedp.WaitVisible(chromedp.CSS(".thanks-contact")))
		} else if status := tab.Follow(t, "send the form", send); status != 200 {
			t.Fatalf("the form leads to a page answering %d", status)
		}
		said := browser.Eval[string](t, tab, `document.querySelector(".thanks-contact").textContent.replace(/\u00a0/g, " ")`)
		if want := "We will call you on " + typed + ", and have your email as " + email + "."; said != want {
			t.Errorf("JavaScript %v: the thank-you state says %q, want %q", js, said, want)
		}
		if next := browser.Eval[bool](t, tab, `!!document.querySelector("main .cta, main a.button[href*='#request']")`); next {
			t.Errorf("JavaScript %v: the thank-you state ends with another Book a consultation", js)
		}
		tab.Screenshot(t, "thanks-js-"+onOff(js), "")
		tab.Do(t, "open the correction", chromedp.Click(chromedp.CSS(".thanks-correct summary")),
			chromedp.WaitVisible(chromedp.ID("correct-phone")),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("correct-phone").value = ""`),
			chromedp.SendKeys(chromedp.ID("correct-phone"), fixed))
		fix := chromedp.Click(chromedp.CSS(`.correct-form button[type=submit]`))
		if js {
			tab.Do(t, "send the correction", fix, chromedp.WaitVisible(chromedp.CSS(".thanks-corrected")))
		} else if status := tab.Follow(t, "send the correction", fix); status != 200 {
			t.Fatalf("the correction leads to a page answering %d", status)
		}
		said = browser.Eval[string](t, tab, `document.querySelector(".thanks-contact").textContent.replace(/\u00a0/g, " ")`)
		if !strings.Contains(said, fixed) {
			t.Errorf("JavaScript %v: after the correction the page says %q, want the corrected number", js, said)
		}
		tab.Screenshot(t, "thanks-corrected-js-"+onOff(js), "")
		tab.CheckAxe(t, "the thank-you state after a correction, JavaScript "+onOff(js))
		m := correctionEmail(t, mp, email)
		if e164 := func(n string) string { return "+353" + strings.ReplaceAll(n, " ", "")[1:] }; !strings.Contains(m.Text,
			"Phone: "+fixed+" ("+e164(fixed)+"), was "+typed+" ("+e164(typed)+")") {
			t.Errorf("JavaScript %v: the correction's email says:\n%s", js, m.Text)
		}
		headers, err := mp.Headers(context.Background(), m.ID)
		if err != nil {
			t.Fatal(err)
		}
		if irt := headers["In-Reply-To"]; len(irt) != 1 || !strings.HasSuffix(irt[0], ".coordinator@harbour-aesthetic.example>") {
			t.Errorf("JavaScript %v: the correction answers %v, want the lead's own email", js, irt)
		}
	}

	// Closed: the script says when the practice opens, and no "talk now".
	tab := b.Tab(t, phone)
	tab.Go(t, base+"/consultation/")
	tab.Do(t, "answer as a closed practice", chromedp.Evaluate[chromedp.Void](`window.fetch = (url, opts) => opts && opts.method === "POST"
	? Promise.resolve(new Response(JSON.stringify({id: "ld_X", ref: "HAS-1205-XXXX", due_text: "10:30 on Monday 7 December",
		confirmation: false, correction: "/v1/consultations/correction/x", opens_text: "08:30 on Monday 7 December"}), {status: 202}))
	: Promise.resolve(new Response("{}", {status: 200}))`))
	fillRequest(t, tab, "aoife.closed@example.org")
	tab.Do(t, "send the form", chromedp.SetValue(chromedp.ID("procedure"), "not-sure"),
		chromedp.Click(chromedp.CSS(`form.consult-form button[type=submit]`)), chromedp.WaitVisible(chromedp.CSS(".thanks")))
	closed := browser.Eval[[]string](t, tab, `[document.querySelector(".thanks-closed").hidden ? "" : document.querySelector(".thanks-closed").textContent.replace(/\u00a0/g, " "),
	document.querySelector(".thanks-call").hidden ? "" : "call now"]`)
	if closed[0] != "We are closed now and open at 08:30 on Monday 7 December: you can call us then on +353 1 555 0142." || closed[1] != "" {
		t.Errorf("closed: the thank-you state says %q and %q, want when the practice opens and no \"talk now\"", closed[0], closed[1])
	}
	tab.Screenshot(t, "thanks-closed", "")
}
