package e2e

import (
	"fmt"
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
		tab.Screenshot(t, "invalid-border-js-"+map[bool]string{true: "on", false: "off"}[js], "")
	}
}
