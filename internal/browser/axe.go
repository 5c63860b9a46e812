package browser

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// AxeTags are the axe-core rule tags a page must pass: WCAG 2.0, 2.1 and 2.2
// at levels A and AA.
var AxeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"}

// axeScript is where npm ci puts the pinned axe-core, relative to the
// repository's root (package.json pins the version).
const axeScript = "node_modules/axe-core/axe.min.js"

// Violation is one axe-core rule a page breaks, with the elements that break it.
type Violation struct {
	ID      string `json:"id"`     // the rule, e.g. "color-contrast"
	Impact  string `json:"impact"` // minor, moderate, serious, critical
	Help    string `json:"help"`
	HelpURL string `json:"helpUrl"`
	Nodes   []struct {
		Target  []string `json:"target"` // CSS selectors of the element
		HTML    string   `json:"html"`
		Summary string   `json:"summary"` // what to fix
	} `json:"nodes"`
}

// String formats the violation for a test log: the rule, its impact, and
// each element with what to fix.
func (v Violation) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
	for _, n := range v.Nodes {
		fmt.Fprintf(&b, "\n    - %s\n      %s", strings.Join(n.Target, " "), n.HTML)
		for _, line := range strings.Split(n.Summary, "\n") {
			fmt.Fprintf(&b, "\n      %s", line)
		}
	}
	return b.String()
}

// Axe runs axe-core on the page the tab shows, with the rules of [AxeTags],
// and returns the violations. axe-core is injected from the repository's
// node_modules (npm ci); when it is missing the test is skipped, or fails
// under CI=true.
func (tab *Tab) Axe(t testing.TB) []Violation {
	t.Helper()
	src, err := readAxe()
	if err != nil {
		Missing(t, err)
	}
	tags, _ := json.Marshal(AxeTags)
	run := `(async () => {
	const r = await axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]});
	return JSON.stringify(r.violations.map(v => ({
		id: v.id, impact: v.impact || "", help: v.help, helpUrl: v.helpUrl,
		nodes: v.nodes.map(n => ({target: n.target.map(String), html: n.html, summary: n.failureSummary || ""})),
	})));
})()`
	ctx, cancel := context.WithTimeout(tab.ctx, 60*time.Second)
	defer cancel()
	if tab.noScript {
		// axe-core needs timers, which a page without JavaScript has not.
		// The page's own scripts were skipped when it loaded and stay so.
		if err := setScript(ctx, true); err != nil {
			t.Fatalf("run axe-core: %v", err)
		}
		defer func() {
			if err := setScript(ctx, false); err != nil {
				t.Fatalf("run axe-core: %v", err)
			}
		}()
	}
	if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](string(src))); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](run, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var vs []Violation
	if err := json.Unmarshal([]byte(out), &vs); err != nil {
		t.Fatalf("read axe-core's results: %v", err)
	}
	return vs
}

// CheckAxe runs [Tab.Axe] and fails t with every violation, printed for a
// person to fix. It returns the number of violations.
func (tab *Tab) CheckAxe(t testing.TB, page string) int {
	t.Helper()
	vs := tab.Axe(t)
	for _, v := range vs {
		t.Errorf("%s: axe: %s", page, v)
	}
	return len(vs)
}

// readAxe reads axe.min.js from node_modules in the working directory or
// the nearest folder above it that has one.
func readAxe() ([]byte, error) {
	dir, err := os.Getwd()
	if err != nil {
		return nil, fmt.Errorf("find %s: %w", axeScript, err)
	}
	for {
		src, err := os.ReadFile(filepath.Join(dir, axeScript))
		if err == nil {
			return src, nil
		}
		if !errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("read axe-core: %w", err)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return nil, fmt.Errorf("no %s in this folder or above — run npm ci at the repository's root (make tools)", axeScript)
		}
		dir = parent
	}
}
