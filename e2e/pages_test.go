package e2e

import (
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/consultahq/consulta/internal/browser"
)

// budget is the most HTML, CSS and JavaScript a page may cost a phone,
// compressed (images apart); fontBudget is the most its web fonts may
// cost, counted apart.
const (
	budget     = 60 << 10
	fontBudget = 40 << 10
)

// report collects, for each page kind, its weight and axe-core's verdict,
// and prints them as one table when the test ends.
type report struct {
	mu   sync.Mutex
	rows []row
}

type row struct {
	kind, url  string
	weight     browser.Weight
	violations int
}

// check runs axe-core on the page tab shows and weighs it, failing t on any
// WCAG 2.2 A/AA violation or a page over the budget.
func (r *report) check(t *testing.T, tab *browser.Tab, kind string) {
	t.Helper()
	url := browser.Eval[string](t, tab, `location.pathname + location.search`)
	w := tab.Weight(t)
	n := tab.CheckAxe(t, kind+" "+url)
	if c := w.Compressed(""); c > budget {
		t.Errorf("%s %s: %.1f KB compressed, over the budget of %d KB:", kind, url, float64(c)/1024, budget>>10)
		for _, res := range w.Resources {
			t.Errorf("    %s %s: %d bytes, %d compressed", res.Kind, res.URL, res.Size, res.Gzip)
		}
	}
	if f := w.Fonts(); f > fontBudget {
		t.Errorf("%s %s: fonts %.1f KB, over the font budget of %d KB", kind, url, float64(f)/1024, fontBudget>>10)
	}
	t.Logf("%s %s: %s; axe: %d violations", kind, url, w, n)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rows = append(r.rows, row{kind: kind, url: url, weight: w, violations: n})
}

// print writes the table of page kinds, and one summary line.
func (r *report) print(t *testing.T) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%-32s %-44s %9s %6s %6s %6s %6s  %s\n", "page kind", "URL", "KB (gz)", "html", "css", "js", "fonts", "axe WCAG 2.2 A/AA")
	heaviest, total := row{}, 0
	for _, x := range r.rows {
		verdict := "no violations"
		if x.violations > 0 {
			verdict = fmt.Sprintf("%d violations", x.violations)
		}
		c := x.weight.Compressed("")
		fmt.Fprintf(&b, "%-32s %-44s %9.1f %6.1f %6.1f %6.1f %6.1f  %s\n", x.kind, x.url, kb(c),
			kb(x.weight.Compressed("html")), kb(x.weight.Compressed("css")), kb(x.weight.Compressed("js")), kb(x.weight.Fonts()), verdict)
		if c > heaviest.weight.Compressed("") {
			heaviest = x
		}
		total += x.violations
	}
	t.Logf("page weights (HTML+CSS+JS, gzip computed by the test; serve sends them uncompressed; fonts apart, as files) and axe-core results:\n%s", b.String())
	t.Logf("summary: %d page kinds, heaviest %s at %.1f KB of a %d KB budget, %d axe violations",
		len(r.rows), heaviest.kind, kb(heaviest.weight.Compressed("")), budget>>10, total)
}

func kb(n int) float64 { return float64(n) / 1024 }

// testPageKinds opens one page of each kind the site has and checks each
// with axe-core and the weight budget. (The form's other states, with and
// without JavaScript, are checked along the patients' journeys.)
func testPageKinds(t *testing.T, b *browser.Browser, base string, r *report) {
	tab := b.Tab(t, browser.TabOptions{})
	for _, p := range []struct{ kind, path string }{
		{"home", "/"},
		{"section list", "/procedures/"},
		{"procedure", "/procedures/rhinoplasty/"},
		{"team section", "/team/"},
		{"team member", "/team/dr-amelia-hart/"},
		{"reviews", "/reviews/"},
		{"reviews of a surgeon", "/reviews/surgeon/dr-amelia-hart/"},
		{"consultation form, surgeon chosen", "/consultation/dr-amelia-hart/"},
		{"plain page", "/financing/"},
		{"printable instructions", "/pre-op-instructions/"},
		{"consultation form", "/consultation/"},
		{"consultation form, procedure chosen", "/consultation/rhinoplasty/"},
		{"thank-you page", "/consultation/thank-you/"},
	} {
		if status := tab.Go(t, base+p.path); status != 200 {
			t.Errorf("%s %s: status %d, want 200", p.kind, p.path, status)
			continue
		}
		r.check(t, tab, p.kind)
	}

	// A desktop's wider layout (columns, sticky boxes) gets its own axe pass.
	desk := b.Tab(t, browser.TabOptions{Width: 1280, Height: 900})
	for _, path := range []string{"/", "/procedures/rhinoplasty/", "/reviews/", "/team/dr-amelia-hart/", "/consultation/"} {
		desk.Go(t, base+path)
		t.Logf("desktop (1280 px) %s: axe: %d violations", path, desk.CheckAxe(t, "desktop "+path))
	}

	if status := tab.Go(t, base+"/no-such-page/"); status != 404 {
		t.Errorf("/no-such-page/: status %d, want 404", status)
	}
	r.check(t, tab, "404")

	// The gallery, when the site has one: its index and its first case.
	if status := tab.Go(t, base+"/gallery/"); status != 200 {
		t.Logf("no gallery (/gallery/ answers %d): gallery index and case not checked", status)
		return
	}
	r.check(t, tab, "gallery index")
	if status := tab.Go(t, base+"/gallery/surgeon/dr-amelia-hart/"); status == 200 {
		r.check(t, tab, "gallery, filtered")
	} else {
		t.Errorf("/gallery/surgeon/dr-amelia-hart/: status %d, want 200", status)
	}
	tab.Go(t, base+"/gallery/")
	// A case: the first page linked from the gallery that the theme marks
	// as one (<body class="kind-case">).
	links := browser.Eval[[]string](t, tab, `[...new Set([...document.querySelectorAll('main a[href^="/gallery/"]')].map(a => a.pathname))]`)
	for _, link := range links {
		if link == "/gallery/" {
			continue
		}
		if status := tab.Go(t, base+link); status != 200 {
			t.Errorf("the gallery links to %s, which answers %d", link, status)
			continue
		}
		if browser.Eval[bool](t, tab, `document.body.classList.contains("kind-case")`) {
			r.check(t, tab, "case")
			return
		}
	}
	t.Errorf("the gallery links to no case (a page with <body class=\"kind-case\">) among %v", links)
}
