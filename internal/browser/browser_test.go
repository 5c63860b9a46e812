package browser

import (
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// The test site: a page with a style sheet, a script and an image, a second
// page, and one that breaks accessibility rules.
var (
	pageHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Rhinoplasty</title>
<link rel="stylesheet" href="/site.css"><script src="/site.js" defer></script></head>
<body><main><h1>Rhinoplasty</h1><p>` + strings.Repeat("Reshaping the nose, explained calmly. ", 80) + `</p>
<img src="/photo.png" alt="The clinic's waiting room" width="1" height="1">
<a href="/second">Second page</a></main></body></html>`
	secondHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Second</title></head>
<body><main><h1>Second</h1></main></body></html>`
	formHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Form</title></head>
<body><main><h1>Form</h1><form method="post" action="/post"><label for="n">Name</label><input id="n" name="n">
<button type="submit">Send</button></form></main></body></html>`
	badHTML = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad</title></head>
<body><main><h1>Bad</h1><img src="/photo.png" width="1" height="1"><input type="text" name="email"></main></body></html>`
	siteCSS = `body{font:1rem/1.5 system-ui;color:#1f2a33;background:#fff}` + strings.Repeat(`.x{margin:0}`, 200)
	siteJS  = `document.documentElement.dataset.js = "ran";` + strings.Repeat(`/* padding */`, 100)
	pngGIF  = "\x89PNG\r\n\x1a\n" // not a real image: its weight must not count anyway
)

func testSite(compress bool) http.Handler {
	files := map[string]struct{ body, ctype string }{
		"/":          {pageHTML, "text/html; charset=utf-8"},
		"/second":    {secondHTML, "text/html; charset=utf-8"},
		"/bad":       {badHTML, "text/html; charset=utf-8"},
		"/form":      {formHTML, "text/html; charset=utf-8"},
		"/site.css":  {siteCSS, "text/css"},
		"/site.js":   {siteJS, "text/javascript"},
		"/photo.png": {pngGIF, "image/png"},
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			// The form's answer: 422 with the page again when the name is empty.
			if r.PostFormValue("n") == "" {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				w.WriteHeader(http.StatusUnprocessableEntity)
				w.Write([]byte(formHTML))
				return
			}
			http.Redirect(w, r, "/second", http.StatusSeeOther)
			return
		}
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", f.ctype)
		if compress && f.ctype != "image/png" {
			w.Header().Set("Content-Encoding", "gzip")
			zw, _ := gzip.NewWriterLevel(w, gzip.BestCompression)
			defer zw.Close()
			zw.Write([]byte(f.body))
			return
		}
		w.Write([]byte(f.body))
	})
}

func TestWeight(t *testing.T) {
	b := Start(t)
	for _, compress := range []bool{false, true} {
		name := map[bool]string{false: "identity", true: "gzip"}[compress]
		t.Run(name, func(t *testing.T) {
			srv := httptest.NewServer(testSite(compress))
			defer srv.Close()
			tab := b.Tab(t, TabOptions{})
			if status := tab.Go(t, srv.URL+"/"); status != 200 {
				t.Fatalf("status %d", status)
			}
			w := tab.Weight(t)
			t.Logf("weight: %s", w)
			want := map[string]string{"html": pageHTML, "css": siteCSS, "js": siteJS}
			var kinds []string
			for _, r := range w.Resources {
				kinds = append(kinds, r.Kind)
				body := want[r.Kind]
				if r.Size != len(body) {
					t.Errorf("%s: size %d, want %d", r.URL, r.Size, len(body))
				}
				if want := gzipSize([]byte(body)); r.Gzip != want {
					t.Errorf("%s: compressed %d, want %d", r.URL, r.Gzip, want)
				}
				// On the wire: headers and the body, gzipped or not.
				if compressed := r.Wire < r.Size; compressed != compress {
					t.Errorf("%s: %d bytes received for a body of %d, compressed by the server: %v", r.URL, r.Wire, r.Size, compress)
				}
			}
			if !slices.Equal(kinds, []string{"css", "html", "js"}) {
				t.Errorf("weighed %v, want css, html, js (the image left out)", kinds)
			}

			tab.Follow(t, "follow the link", chromedp.Click(chromedp.CSS(`a[href="/second"]`)))
			w = tab.Weight(t)
			if len(w.Resources) != 1 || w.Resources[0].Size != len(secondHTML) {
				t.Errorf("after a navigation, weight is %+v, want the second page's HTML alone", w.Resources)
			}
		})
	}
}

func TestAxe(t *testing.T) {
	b := Start(t)
	srv := httptest.NewServer(testSite(false))
	defer srv.Close()
	tab := b.Tab(t, TabOptions{})

	tab.Go(t, srv.URL+"/")
	if vs := tab.Axe(t); len(vs) != 0 {
		t.Errorf("a good page has %d violations:\n%v", len(vs), vs)
	}

	tab.Go(t, srv.URL+"/bad")
	vs := tab.Axe(t)
	var ids []string
	for _, v := range vs {
		ids = append(ids, v.ID)
		if len(v.Nodes) == 0 || v.String() == "" {
			t.Errorf("violation %s names no element", v.ID)
		}
	}
	for _, id := range []string{"image-alt", "label"} {
		if !slices.Contains(ids, id) {
			t.Errorf("axe found %v on a page with an unlabelled image and field, want %s among them", ids, id)
		}
	}
	t.Logf("on the bad page:\n%v", vs)
}

func TestNoScript(t *testing.T) {
	b := Start(t)
	srv := httptest.NewServer(testSite(false))
	defer srv.Close()
	for _, noScript := range []bool{false, true} {
		tab := b.Tab(t, TabOptions{NoScript: noScript})
		tab.Go(t, srv.URL+"/")
		ran := Eval[bool](t, tab, `document.documentElement.dataset.js === "ran"`)
		if ran == noScript {
			t.Errorf("NoScript %v: the page's script ran: %v", noScript, ran)
		}
		if vs := tab.Axe(t); len(vs) != 0 {
			t.Errorf("NoScript %v: axe found %v on a good page", noScript, vs)
		}
	}
}

func TestFollowFormPost(t *testing.T) {
	b := Start(t)
	srv := httptest.NewServer(testSite(false))
	defer srv.Close()
	for _, noScript := range []bool{false, true} {
		tab := b.Tab(t, TabOptions{NoScript: noScript})
		tab.Go(t, srv.URL+"/form")
		submit := chromedp.Click(chromedp.CSS(`button[type=submit]`))
		if status := tab.Follow(t, "send the empty form", submit); status != 422 {
			t.Errorf("NoScript %v: the empty form answers %d, want 422", noScript, status)
		}
		tab.Do(t, "type a name", chromedp.SendKeys(chromedp.ID("n"), "Ada"))
		if status := tab.Follow(t, "send the form", submit); status != 200 {
			t.Errorf("NoScript %v: the form answers %d after its redirect, want 200", noScript, status)
		}
		if w := tab.Weight(t); len(w.Resources) != 1 || w.Resources[0].Size != len(secondHTML) {
			t.Errorf("NoScript %v: after a 303, weight is %+v, want the second page alone", noScript, w.Resources)
		}
	}
}
