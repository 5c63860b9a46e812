package e2e

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/internal/browser"
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
