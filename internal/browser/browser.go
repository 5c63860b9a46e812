// Package browser runs a real headless Chromium for tests and measures pages
// the way patients get them: what they can read and use (axe-core, WCAG 2.2
// A and AA) and what their phones download (HTML, CSS and JavaScript bytes).
//
// A test starts one browser with [Start] and opens tabs with [Browser.Tab].
// The browser is Debian's /usr/bin/chromium, or $CONSULTA_CHROMIUM; when it
// is missing the test is skipped, or fails when the environment has CI=true.
package browser

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// DefaultPath is where Debian's chromium package installs the browser.
const DefaultPath = "/usr/bin/chromium"

// Browser is one headless Chromium process with a fresh profile.
type Browser struct {
	ctx context.Context // the first tab's context: owns the browser process
}

// Start starts headless Chromium for the test t and stops it when t ends.
// The profile is a fresh folder under t.TempDir().
func Start(t testing.TB) *Browser {
	t.Helper()
	path, err := chromiumPath()
	if err != nil {
		Missing(t, err)
	}
	profile := t.TempDir() // created before the cleanup below, so removed after Chromium exits
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.UserDataDir(profile),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.WindowSize(412, 915), // a phone, as most patients see the site
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// The first action starts the browser. Its context must have no
	// deadline: the browser lives as long as that context.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	return &Browser{ctx: ctx}
}

// chromiumPath returns the browser to run: $CONSULTA_CHROMIUM, else
// /usr/bin/chromium, else chromium on $PATH.
func chromiumPath() (string, error) {
	if p := os.Getenv("CONSULTA_CHROMIUM"); p != "" {
		if _, err := os.Stat(p); err != nil {
			return "", fmt.Errorf("CONSULTA_CHROMIUM=%s: %w", p, err)
		}
		return p, nil
	}
	if _, err := os.Stat(DefaultPath); err == nil {
		return DefaultPath, nil
	}
	p, err := exec.LookPath("chromium")
	if err != nil {
		return "", errors.New("no Chromium at " + DefaultPath + " or on $PATH — install Debian's chromium package (make tools)")
	}
	return p, nil
}

// Missing ends the test because a tool it needs is missing: a skip, or a
// failure when the environment has CI=true (where every tool must be there).
func Missing(t testing.TB, err error) {
	t.Helper()
	if os.Getenv("CI") == "true" {
		t.Fatalf("CI=true and a test tool is missing: %v", err)
	}
	t.Skipf("skipped: %v", err)
}

// TabOptions are the settings of a new tab. Every tab prefers reduced
// motion and has its cache disabled.
type TabOptions struct {
	NoScript bool // JavaScript disabled, as for patients who have it off
	Width    int  // viewport width in CSS pixels; default 412 (a phone)
	Height   int  // default 915
}

// Tab is one browser tab. Its context runs chromedp actions; it records the
// network requests of the page it shows, for [Tab.Weight].
type Tab struct {
	ctx        context.Context
	noScript   bool
	w, h       int64 // viewport
	mu         sync.Mutex
	rec        recording
	exceptions []string
}

// Tab opens a new tab, closed when t ends.
func (b *Browser) Tab(t testing.TB, o TabOptions) *Tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(b.ctx)
	t.Cleanup(cancel)
	tab := &Tab{ctx: ctx, noScript: o.NoScript, w: int64(o.Width), h: int64(o.Height)}
	if tab.w == 0 {
		tab.w, tab.h = 412, 915
	}
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(tab.w, tab.h),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			// Every page is weighed as on a first visit.
			_, err := chromedp.Call(ctx, network.SetCacheDisabled, network.SetCacheDisabledParams{CacheDisabled: true})
			return err
		}),
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			// Reduced motion, as many patients set it: no smooth scrolling
			// moves an element away between finding it and clicking it.
			_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-reduced-motion", Value: "reduce"}},
			})
			return err
		}),
	)
	if err != nil {
		t.Fatalf("open tab: %v", err)
	}
	if o.NoScript {
		if err := setScript(ctx, false); err != nil {
			t.Fatalf("open tab: %v", err)
		}
	}
	if err := chromedp.Listen(ctx, tab.record); err != nil {
		t.Fatalf("open tab: %v", err)
	}
	return tab
}

// Context returns the tab's context, for chromedp actions.
func (tab *Tab) Context() context.Context { return tab.ctx }

// Go loads url, waits for the page's load event and returns the HTTP status
// of the document.
func (tab *Tab) Go(t testing.TB, url string) int {
	t.Helper()
	resp, err := chromedp.Run(tab.ctx, chromedp.NavigateResponse(url))
	if err != nil {
		t.Fatalf("open %s: %v", url, err)
	}
	return int(resp.Status)
}

// Follow runs the actions (a click on a link, a form submission), waits for
// the page they load and returns its HTTP status.
func (tab *Tab) Follow(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 30*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, actions...)
	if err != nil {
		t.Fatalf("%s: %v%s", what, err, tab.exceptionNote())
	}
	return int(resp.Status)
}

// Do runs actions that return nothing, failing t on an error.
func (tab *Tab) Do(t testing.TB, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		t.Fatalf("%s: %v%s", what, err, tab.exceptionNote())
	}
}

// exceptionNote lists the page's uncaught exceptions, for a failure message.
func (tab *Tab) exceptionNote() string {
	ex := tab.Exceptions()
	if len(ex) == 0 {
		return ""
	}
	return "\nuncaught JavaScript exceptions:\n\t" + strings.Join(ex, "\n\t")
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// value into T. It works in tabs without JavaScript too: only the page's own
// scripts are disabled there.
func Eval[T any](t testing.TB, tab *Tab, expr string) T {
	t.Helper()
	ctx, cancel := context.WithTimeout(tab.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("evaluate %.80s: %v", expr, err)
	}
	return v
}

// setScript turns the page's JavaScript on or off.
func setScript(ctx context.Context, on bool) error {
	_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: !on})
	if err != nil {
		return fmt.Errorf("turn JavaScript on=%v: %w", on, err)
	}
	return nil
}

// Screenshot saves a PNG of the first element matching the CSS selector
// (of the whole page when css is "") as $CONSULTA_SCREENSHOTS/<name>.png,
// for a person to look at; without that variable it does nothing.
func (tab *Tab) Screenshot(t testing.TB, name, css string) {
	t.Helper()
	dir := os.Getenv("CONSULTA_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(tab.ctx, 30*time.Second)
	defer cancel()
	shot := chromedp.FullScreenshot(100)
	if css != "" {
		shot = chromedp.Screenshot(chromedp.CSS(css))
	}
	png, err := chromedp.Run(ctx, shot)
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	// Capturing beyond the viewport resizes it for a moment: set it again,
	// so that clicks that follow land where they should.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(tab.w, tab.h)); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
}
