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
// visitor chooses to see them with the keyboard, the choice is kept for
// the visit, and the comparison slider moves with the arrow keys.
func TestBrowserSensitiveCase(t *testing.T) {
	b := browser.Start(t)
	site := testdataSite(t)
	addCase(t, site)
	edit(t, site, "content/gallery/case-2/index.md", "consent:", "sensitive: true\nconsent:")
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
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-m4x9/"), chromedp.WaitVisible(`[data-reveal]`))
	if n := eval(`document.querySelectorAll("img").length`); n != 0.0 {
		t.Errorf("%v images before the choice, want 0", n)
	}
	// The choice, by keyboard: focus the button and press Enter.
	step(chromedp.Focus(`[data-reveal]`), chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(`.ba-pairs img`))
	if n, kept := eval(`document.querySelectorAll(".ba-pairs img").length`), eval(`sessionStorage.getItem("consulta-show-sensitive")`); n != 2.0 || kept != "1" {
		t.Errorf("after the choice: %v images, remembered %v; want 2 and \"1\"", n, kept)
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

	// Remembered for the visit: the next load shows the photos by itself.
	step(chromedp.Navigate(srv.URL+"/gallery/rhinoplasty-m4x9/"), chromedp.WaitVisible(`.ba-pairs img`))
	if n := eval(`document.querySelectorAll(".ba-pairs img").length`); n != 2.0 {
		t.Errorf("second visit: %v images, want the 2 photos shown", n)
	}
}
