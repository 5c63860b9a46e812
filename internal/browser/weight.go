package browser

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// recording is what the tab fetched for the page it shows: every request
// since the last main document request.
type recording struct {
	order []network.RequestID
	reqs  map[network.RequestID]*request
}

type request struct {
	url    string
	kind   string // "html", "css", "js", or "" for what a page weight leaves out
	status int
	wire   int // bytes received: headers and body as sent
	done   bool
}

// record is the tab's event listener. It runs in the tab's event loop, so it
// only files the events away.
func (tab *Tab) record(ev any) {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	r := &tab.rec
	switch ev := ev.(type) {
	case *runtime.EventExceptionThrown:
		tab.exceptions = append(tab.exceptions, exceptionText(ev.ExceptionDetails))
	case *network.EventRequestWillBeSent:
		if ev.Type == network.ResourceTypeDocument && ev.RedirectResponse == nil && string(ev.LoaderID) == string(ev.RequestID) {
			*r = recording{} // a navigation: a new page
		}
		if r.reqs == nil {
			r.reqs = map[network.RequestID]*request{}
		}
		if _, ok := r.reqs[ev.RequestID]; !ok {
			r.order = append(r.order, ev.RequestID)
		}
		r.reqs[ev.RequestID] = &request{url: ev.Request.URL, kind: kindOf(ev.Type)}
	case *network.EventResponseReceived:
		if q := r.reqs[ev.RequestID]; q != nil {
			q.status = int(ev.Response.Status)
			if q.kind == "" {
				q.kind = kindOf(ev.Type)
			}
		}
	case *network.EventLoadingFinished:
		if q := r.reqs[ev.RequestID]; q != nil {
			q.wire, q.done = int(ev.EncodedDataLength), true
		}
	}
}

func exceptionText(d *runtime.ExceptionDetails) string {
	msg := d.Text
	if d.Exception != nil && d.Exception.Description != "" {
		msg = d.Exception.Description
	}
	return fmt.Sprintf("%s:%d:%d: %s", d.URL, d.LineNumber+1, d.ColumnNumber+1, msg)
}

// Exceptions returns the uncaught JavaScript exceptions of every page the
// tab has shown, "url:line:column: message" each.
func (tab *Tab) Exceptions() []string {
	tab.mu.Lock()
	defer tab.mu.Unlock()
	return slices.Clone(tab.exceptions)
}

func kindOf(t network.ResourceType) string {
	switch t {
	case network.ResourceTypeDocument:
		return "html"
	case network.ResourceTypeStylesheet:
		return "css"
	case network.ResourceTypeScript:
		return "js"
	case network.ResourceTypeFont:
		return "font"
	}
	return ""
}

// Resource is one HTML, CSS, JavaScript or font response of a page.
type Resource struct {
	URL  string
	Kind string // "html", "css", "js" or "font"
	Size int    // bytes of the body, uncompressed
	Wire int    // bytes received, headers included, compressed or not as the server sent them
	Gzip int    // bytes of the body compressed with gzip at its default level, computed here
}

// Weight is what a page costs a patient's phone: its HTML, CSS and
// JavaScript, and its web fonts, counted apart (images apart).
type Weight struct {
	Resources []Resource
}

// Compressed returns the page's compressed bytes of the given kind ("html",
// "css", "js"), or of all three when kind is "" (fonts apart).
func (w Weight) Compressed(kind string) int {
	n := 0
	for _, r := range w.Resources {
		if kind == "" && r.Kind != "font" || r.Kind == kind {
			n += r.Gzip
		}
	}
	return n
}

// Fonts returns the bytes of the page's web fonts as files (WOFF2 is
// compressed already).
func (w Weight) Fonts() int {
	n := 0
	for _, r := range w.Resources {
		if r.Kind == "font" {
			n += r.Size
		}
	}
	return n
}

// String formats the figures on one line, e.g.
// "14.2 KB compressed (html 6.1, css 5.9, js 2.2; 3 files, 48.0 KB uncompressed)".
func (w Weight) String() string {
	size, files := 0, 0
	for _, r := range w.Resources {
		if r.Kind != "font" {
			size += r.Size
			files++
		}
	}
	return fmt.Sprintf("%.1f KB compressed (html %.1f, css %.1f, js %.1f; %d files, %.1f KB uncompressed); fonts %.1f KB",
		kb(w.Compressed("")), kb(w.Compressed("html")), kb(w.Compressed("css")), kb(w.Compressed("js")), files, kb(size), kb(w.Fonts()))
}

func kb(n int) float64 { return float64(n) / 1024 }

// Weight returns the HTML, CSS and JavaScript the tab fetched for the page
// it shows, with each body's compressed size. Call it after the page has
// loaded; it waits a little for requests still in flight.
func (tab *Tab) Weight(t testing.TB) Weight {
	t.Helper()
	type pending struct {
		id network.RequestID
		request
	}
	var list []pending
	for try := 0; ; try++ {
		list = list[:0]
		done := true
		tab.mu.Lock()
		for _, id := range tab.rec.order {
			q := tab.rec.reqs[id]
			if q.kind == "" || q.status >= 300 && q.status < 400 {
				continue
			}
			done = done && q.done
			list = append(list, pending{id, *q})
		}
		tab.mu.Unlock()
		if done || try == 50 {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	var w Weight
	for _, p := range list {
		if !p.done {
			t.Errorf("weigh page: %s still loading", p.url)
			continue
		}
		ctx, cancel := context.WithTimeout(tab.ctx, 10*time.Second)
		body, err := chromedp.Call(ctx, network.GetResponseBody, network.GetResponseBodyParams{RequestID: p.id})
		cancel()
		if err != nil {
			t.Fatalf("weigh page: body of %s: %v", p.url, err)
		}
		data := body.Body // decoded already when the protocol sent it in base64
		w.Resources = append(w.Resources, Resource{URL: p.url, Kind: p.kind, Size: len(data), Wire: p.wire, Gzip: gzipSize(data)})
	}
	slices.SortStableFunc(w.Resources, func(a, b Resource) int { return strings.Compare(a.Kind, b.Kind) })
	return w
}

// gzipSize is the size of b compressed with gzip at its default level, as a
// web server would send it. The figure is computed rather than read off the
// wire so that pages compare alike whether or not the server compresses.
func gzipSize(b []byte) int {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b) // writes to a bytes.Buffer do not fail
	zw.Close()
	return buf.Len()
}
