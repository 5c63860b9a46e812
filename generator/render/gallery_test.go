package render

import (
	"bytes"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// gallerySite is the sample site with 13 cases of its one procedure (two
// pages of 12), the newest of them sensitive.
func gallerySite() *content.Site {
	s := sampleSite()
	proc, surgeon := s.Procedures[0], s.Members[0]
	s.Cases = nil
	for i := 13; i >= 1; i-- {
		img := func(side string) content.FileRef {
			return content.FileRef{Path: fmt.Sprintf("content/gallery/case-%02d/%s.jpg", i, side)}
		}
		url := fmt.Sprintf("/gallery/case-%02d/", i)
		c := &content.Page{
			Meta: content.Meta{Title: fmt.Sprintf("Case %d", i)}, Kind: content.KindCase, Section: "gallery", URL: url,
			Case: &content.Case{
				ProcedureSlug: "sample", SurgeonSlug: "dr-sample", Procedure: proc, Surgeon: surgeon,
				Patient: content.Patient{Age: "40-49", Sex: "female", Height: "168 cm"}, MonthsAfter: i,
				Consent: time.Date(2025, 1, i, 0, 0, 0, 0, time.UTC), Sensitive: i == 13, Gated: i == 13,
				Photos: []content.PhotoPair{
					{Angle: "front", Alt: fmt.Sprintf("Case %d, front", i), BeforeFile: img("b"), AfterFile: img("a")},
					{Angle: "profile-left", Alt: fmt.Sprintf("Case %d, left profile", i), BeforeFile: img("bl"), AfterFile: img("al")},
				},
			},
		}
		unretouched := false
		if i == 12 {
			c.Case.Retouched = &unretouched
		}
		s.Pages = append(s.Pages, c)
		s.ByURL[url] = c
		s.Cases = append(s.Cases, c)
	}
	delete(s.ByURL, "/gallery/sample-case/")
	proc.Procedure.Cases = s.Cases
	return s
}

func TestGalleryPages(t *testing.T) {
	th := builtin(t)
	s := gallerySite()
	var urls []string
	pages := map[string]*content.Page{}
	for _, p := range GalleryPages(s) {
		urls = append(urls, p.URL)
		pages[p.URL] = p
	}
	want := []string{
		"/gallery/page/2/",
		"/gallery/category/face/", "/gallery/category/face/page/2/",
		"/gallery/sample/", "/gallery/sample/page/2/",
		"/gallery/surgeon/dr-sample/", "/gallery/surgeon/dr-sample/page/2/",
		"/gallery/case-13/photos/",
	}
	if strings.Join(urls, " ") != strings.Join(want, " ") {
		t.Errorf("gallery pages\n got %v\nwant %v", urls, want)
	}
	files := []struct{ file, url string }{
		{"gallery.html", "/gallery/"},
		{"gallery-page-2.html", "/gallery/page/2/"},
		{"gallery-procedure.html", "/gallery/sample/"},
		{"case.html", "/gallery/case-12/"},
		{"case-sensitive.html", "/gallery/case-13/"},
		{"case-photos.html", "/gallery/case-13/photos/"},
	}
	for _, g := range files {
		p := pages[g.url]
		if p == nil {
			p = s.ByURL[g.url]
		}
		var buf bytes.Buffer
		if err := th.Page(&buf, s, p, Options{Rendered: sampleRendered(s)}); err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "gallery", g.file), golden.RedactAssets(buf.Bytes()), *update)
	}
}

// A sensitive case's page carries no URL of any of its photos, and links
// to its photos page instead; the photos page has every one of them.
func TestSensitiveCaseHasNoPhotoURL(t *testing.T) {
	th := builtin(t)
	s := gallerySite()
	c := s.ByURL["/gallery/case-13/"]
	o := Options{Rendered: sampleRendered(s)}
	var page, photos bytes.Buffer
	if err := th.Page(&page, s, c, o); err != nil {
		t.Fatal(err)
	}
	photosPage := GalleryPages(s)[len(GalleryPages(s))-1]
	if err := th.Page(&photos, s, photosPage, o); err != nil {
		t.Fatal(err)
	}
	var urls []string
	for _, ph := range c.Case.Photos {
		for _, f := range []content.FileRef{ph.BeforeFile, ph.AfterFile} {
			im := o.Rendered.Image(f.Path)
			for _, cand := range strings.Split(im.Srcset, ", ") {
				urls = append(urls, strings.Fields(cand)[0])
			}
			urls = append(urls, im.Src)
		}
	}
	for _, u := range urls {
		if bytes.Contains(page.Bytes(), []byte(u)) {
			t.Errorf("sensitive case page carries photo URL %s", u)
		}
		if !bytes.Contains(photos.Bytes(), []byte(u)) {
			t.Errorf("photos page lacks photo URL %s", u)
		}
	}
	if n := bytes.Count(page.Bytes(), []byte("<img")); n != 0 {
		t.Errorf("sensitive case page has %d <img> elements, want 0", n)
	}
	if !bytes.Contains(page.Bytes(), []byte(`href="/gallery/case-13/photos/"`)) {
		t.Error("sensitive case page does not link to its photos page")
	}
	// Nor does any list of cases show its photos.
	var list bytes.Buffer
	if err := th.Page(&list, s, s.ByURL["/gallery/"], o); err != nil {
		t.Fatal(err)
	}
	for _, u := range urls {
		if bytes.Contains(list.Bytes(), []byte(u)) {
			t.Errorf("gallery list carries the sensitive photo URL %s", u)
		}
	}
}

// TestCasePage checks the case page's order and images: the photos before
// the facts (phones read it top to bottom), sizes for photos side by side,
// fetchpriority on the first pair only, and the "Unretouched photos" label
// of a case with retouched: false.
func TestCasePage(t *testing.T) {
	th, s := builtin(t), gallerySite()
	var buf bytes.Buffer
	if err := th.Page(&buf, s, s.ByURL["/gallery/case-12/"], Options{}); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	if photos, facts := strings.Index(html, `class="ba-pairs"`), strings.Index(html, `class="ba-facts"`); photos < 0 || facts < photos {
		t.Errorf("photos at %d, facts at %d: the photos must come first", photos, facts)
	}
	if n := strings.Count(html, `fetchpriority="high"`); n != 2 {
		t.Errorf("%d images with fetchpriority=high, want the first pair's 2", n)
	}
	if !strings.Contains(html, `sizes="(min-width: 60rem) 24rem, 46vw"`) {
		t.Error("case photos lack sizes for two photos side by side")
	}
	if !strings.Contains(html, "<dd>Unretouched photos</dd>") {
		t.Error("a case with retouched: false lacks the Unretouched photos label")
	}
	buf.Reset()
	if err := th.Page(&buf, s, s.ByURL["/gallery/case-11/"], Options{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "Unretouched") {
		t.Error("a case that says nothing of retouching is labelled unretouched")
	}
}

// TestGalleryFilters checks that a filtered listing says which filter it
// shows, and that a surgeon's page links to their results.
func TestGalleryFilters(t *testing.T) {
	th, s := builtin(t), gallerySite()
	var surgeonList *content.Page
	for _, p := range GalleryPages(s) {
		if p.URL == "/gallery/surgeon/dr-sample/" {
			surgeonList = p
		}
	}
	var buf bytes.Buffer
	if err := th.Page(&buf, s, surgeonList, Options{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<p class="ba-active">Showing <strong>Dr Sample</strong>`, `<details class="ba-filter" open>`, `<summary>Surgeon: Dr Sample</summary>`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("surgeon listing lacks %q", want)
		}
	}
	buf.Reset()
	if err := th.Page(&buf, s, s.ByURL["/team/dr-sample/"], Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `href="/gallery/surgeon/dr-sample/"`) {
		t.Error("the surgeon's page does not link to their results")
	}
	buf.Reset()
	if err := th.Page(&buf, s, s.ByURL["/gallery/"], Options{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `<span class="ba-label" aria-hidden="true">Before</span>`) {
		t.Error("gallery cards do not label their photos Before and After")
	}
}
