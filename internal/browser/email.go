package browser

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
)

// EmailWidths are the widths an email's HTML is looked at: a phone's
// mail app, and a desktop mail client.
var EmailWidths = []int{390, 1366}

// CheckEmail opens the HTML part of an email at each of EmailWidths, as a
// mail client shows it: it must pass axe and be no wider than the screen.
// With CONSULTA_SCREENSHOTS set it is kept as <name>-390.png and -1366.png.
func (b *Browser) CheckEmail(t testing.TB, name, html string) {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, html)
	}))
	defer srv.Close()
	for _, width := range EmailWidths {
		tab := b.Tab(t, TabOptions{Width: width, Height: 900})
		tab.Go(t, srv.URL)
		tab.CheckAxe(t, fmt.Sprintf("%s at %d px", name, width))
		if overflow := Eval[bool](t, tab, `document.documentElement.scrollWidth > innerWidth`); overflow {
			t.Errorf("%s at %d px is wider than the screen", name, width)
		}
		tab.Screenshot(t, fmt.Sprintf("%s-%d", name, width), "")
	}
}
