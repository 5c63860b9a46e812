package generator

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/consultahq/consulta/internal/browser"
)

// TestBrowserSensitiveCase: a sensitive case's photos load only after the
// visitor chooses to see them with the keyboard, the comparison slider
// moves with the arrow keys, "Hide the photos" puts the veil back, and the
// choice is the case's alone: another sensitive case is still veiled.
func TestBrowserSensitiveCase(t *testing.T) {
	b := browser.Start(t)
	site := testdataSite(t)
	addCase(t, site)
	edit(t, site, "content/gallery/case-2/index.md", "consent:", "sensitive: true\nconsent:")
	edit(t, site, "content/gallery/case-rhinoplasty-1/index.md", "consent:", "sensitive: true\nconsent:")
	cfg := config(t, site)
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatalf("Build: %v", err)
	}
	srv := httptest.NewServer(http.FileServer(http.Dir(cfg.OutDir)))
	defer srv.Close()
	tab := b.Tab(t, browser.TabOptions{})
	ctx := tab.Context()
	eval := func(expr string) any { t.Helper(); return browser.Eval[any](t, tab, expr) }
	step := func(steps ...chromedp.Action[chromedp.Void]) { t.Helper(); tab.Do(t, "gallery", steps...) }
	const images = `document.querySelectorAll(".ba-pairs img").length`
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-m4x9/"), chromedp.WaitVisible(`[data-reveal]`))
	if n := eval(`document.querySelectorAll("img").length`); n != 0.0 {
		t.Errorf("%v images before the choice, want 0", n)
	}
	// The choice, by keyboard: focus the button and press Enter.
	step(chromedp.Focus(`[data-reveal]`), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`.ba-pairs img`))
	if n, all := eval(images), eval(`sessionStorage.getItem("consulta-show-sensitive")`); n != 2.0 || all != nil {
		t.Errorf("after the choice: %v images, every case chosen: %v; want 2 and not every case", n, all)
	}
	// The slider: switch it on with the keyboard, then move it with arrows.
	step(chromedp.Focus(`.ba-controls [data-mode]`), chromedp.KeyEvent(kb.Enter))
	if on := eval(`document.querySelector(".ba-pair").classList.contains("is-slider")`); on != true {
		t.Error("Enter on the slider button did not turn the slider on")
	}
	step(chromedp.Focus(`.ba-controls input[type=range]`), chromedp.KeyEvent(kb.ArrowLeft), chromedp.KeyEvent(kb.ArrowLeft))
	value, err := chromedp.Run(ctx, chromedp.Value(`.ba-controls input[type=range]`))
	if err != nil {
		t.Fatal(err)
	}
	if pos := eval(`document.querySelector(".ba-images").style.getPropertyValue("--pos")`); value != "40" || pos != "40%" {
		t.Errorf("slider after two left arrows: value %q, --pos %v; want 40 and 40%%", value, pos)
	}
	// The buttons move it without dragging.
	step(chromedp.Focus(`.ba-controls [data-to="0"]`), chromedp.KeyEvent(kb.Enter))
	if value, _ := chromedp.Run(ctx, chromedp.Value(`.ba-controls input[type=range]`)); value != "0" {
		t.Errorf("after the After button: value %q, want 0", value)
	}

	// Kept for the visit, for this case: the next load shows its photos.
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-m4x9/"), chromedp.WaitVisible(`.ba-pairs img`))
	// Another sensitive case is still veiled.
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-7kq2/"), chromedp.WaitVisible(`[data-reveal]`))
	if n := eval(`document.querySelectorAll("img").length`); n != 0.0 {
		t.Errorf("another sensitive case after the first was shown: %v images, want 0", n)
	}
	// Hide the photos: the veil is back, and its button has the focus.
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-m4x9/"), chromedp.WaitVisible(`[data-hide]`),
		chromedp.Focus(`[data-hide]`), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`[data-reveal]`))
	if n, focus := eval(images), eval(`document.activeElement.hasAttribute("data-reveal")`); n != 0.0 || focus != true {
		t.Errorf("after Hide the photos: %v images, focus on Show the photos: %v; want 0 and true", n, focus)
	}
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-m4x9/"), chromedp.WaitVisible(`[data-reveal]`))
	if n := eval(`document.querySelectorAll("img").length`); n != 0.0 {
		t.Errorf("the hidden case on its next load: %v images, want 0", n)
	}

	// Every sensitive case, chosen apart: the other case shows by itself,
	// and the gallery's cards show their photos.
	step(chromedp.Click(`[data-reveal-all]`), chromedp.WaitVisible(`.ba-pairs img`),
		chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-7kq2/"), chromedp.WaitVisible(`.ba-pairs img`),
		chromedp.Navigate(srv.URL+"/gallery/"), chromedp.WaitVisible(`.ba-card-pair img`))
	if n := eval(`document.querySelectorAll(".ba-card-veil").length`); n != 0.0 {
		t.Errorf("the gallery with every sensitive photo chosen: %v cards veiled, want 0", n)
	}
}
