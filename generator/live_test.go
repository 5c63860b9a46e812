package generator

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

func TestLive(t *testing.T) {
	ctx := context.Background()
	site := testdataSite(t)
	live := NewLive(config(t, site))
	up, err := live.Build(ctx)
	if err != nil || !up.OK() || !up.Full || up.Pages != 10 {
		t.Fatalf("Build = %+v, %v", up, err)
	}
	page := func(name string) string {
		t.Helper()
		b, ok, err := live.File(ctx, name)
		if err != nil || !ok {
			t.Fatalf("no %s: %v", name, err)
		}
		return string(b)
	}
	if !strings.Contains(page("index.html"), `"`+ReloadPath+`"`) {
		t.Errorf("pages do not subscribe to the live-reload stream")
	}
	change := func(rel, old, new string) Update {
		t.Helper()
		edit(t, site, rel, old, new)
		up, err := live.Change(ctx, []string{rel})
		if err != nil {
			t.Fatalf("Change: %v", err)
		}
		return up
	}

	// An edit of the body renders that page only.
	up = change("content/procedures/facelift.md", "lower face", "lower face and jawline")
	if !up.OK() || up.Full || up.Pages != 1 || !strings.Contains(page("procedures/facelift/index.html"), "lower face and jawline") {
		t.Errorf("after a body edit: %+v", up)
	}

	// A new title shows on the pages that list or link the page.
	up = change("content/procedures/facelift.md", "title: Facelift", "title: Deep-plane facelift")
	if !up.OK() || up.Full || up.Pages != 1 || up.Stale == 0 || !strings.Contains(page("procedures/rhinoplasty/index.html"), "Deep-plane facelift") ||
		!strings.Contains(page("procedures/index.html"), "Deep-plane facelift") {
		t.Errorf("after a title edit, %d pages rendered: %+v", up.Pages, up)
	}
	// The sitemap and 404.html, rendered again when asked for.
	if !strings.Contains(page("sitemap.xml"), "/procedures/facelift/") || !strings.Contains(page("404.html"), "Page not found") {
		t.Errorf("after a title edit, the sitemap or 404.html is wrong")
	}

	// A mistake is reported and the last good pages stay.
	up = change("content/procedures/facelift.md", "from: 9000", "from: nine thousand")
	if up.OK() || len(up.Problems) != 1 || up.Problems[0].String() != `content/procedures/facelift.md:6: fees.from: "nine thousand" is not a number — write a whole number in digits, e.g. 4500` {
		t.Errorf("after a bad edit: %+v", up)
	}
	if len(live.Problems()) != 1 || !strings.Contains(page("procedures/facelift/index.html"), "lower face and jawline") {
		t.Errorf("after a bad edit the last good page is gone, or the problem is not kept")
	}
	// Edits while there are errors are rendered with the fix.
	change("content/team/dr-amelia-hart.md", "title: Dr Amelia Hart", "title: Dr Amelia Hart-Lind")
	up = change("content/procedures/facelift.md", "from: nine thousand", "from: 9500")
	if !up.OK() || len(live.Problems()) != 0 || !strings.Contains(page("procedures/facelift/index.html"), "9,500") ||
		!strings.Contains(page("procedures/rhinoplasty/index.html"), "Dr Amelia Hart-Lind") {
		t.Errorf("after the fix: %+v", up)
	}

	// A new page makes a full build.
	site["content/privacy.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Privacy\n---\nWe keep your data safe.\n")}
	up, err = live.Change(ctx, []string{"content/privacy.md"})
	if err != nil || !up.OK() || !up.Full || !strings.Contains(page("privacy/index.html"), "We keep your data safe.") {
		t.Errorf("after adding a page: %+v, %v", up, err)
	}
}

// TestLiveServesProblemsBeforeAnyBuild: a site with an error from the
// start is served as its list of problems, which reloads itself.
func TestLiveServesProblemsBeforeAnyBuild(t *testing.T) {
	site := testdataSite(t)
	edit(t, site, "content/procedures/facelift.md", "from: 9000", "from: nine thousand")
	live := NewLive(config(t, site))
	if up, err := live.Build(context.Background()); err != nil || up.OK() {
		t.Fatalf("Build = %+v, %v; want a problem", up, err)
	}
	for _, path := range []string{"/", ProblemsPath} {
		rec := httptest.NewRecorder()
		live.ServeHTTP(rec, httptest.NewRequest("GET", path, nil))
		if body := rec.Body.String(); rec.Code != 500 || !strings.Contains(body, "fees.from") || !strings.Contains(body, ReloadPath) {
			t.Errorf("GET %s: %d\n%s", path, rec.Code, body)
		}
	}
}
