package render

import (
	"bytes"
	"encoding/json"
	"html/template"
	"regexp"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/content"
)

// builtin loads the built-in theme for a site folder without a themes/ of its own.
func builtin(t *testing.T) *Theme {
	t.Helper()
	th, err := Load(fstest.MapFS{}, "default")
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func renderPage(t *testing.T, th *Theme, s *content.Site, p *content.Page, o Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := th.Page(&buf, s, p, o); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

// TestProcedurePage checks what a patient must find on every procedure
// page: the medical review under the title, a short contents list in the
// page's order, and the results before the questions.
func TestProcedurePage(t *testing.T) {
	s := sampleSite()
	p := s.ByURL["/procedures/sample/"]
	r := sampleRendered(s)
	r.bodies[p] = Body{HTML: `<p>What it is.</p><h2 id="recovery">Recovery</h2>`, IDs: []string{"recovery"},
		Answers: []template.HTML{"Very <em>little</em>."}, AnswerTexts: []string{"Very little."}}
	o := Options{Rendered: r}
	html := renderPage(t, builtin(t), s, p, o)
	for _, want := range []string{
		"<p>What it is.</p>",
		"<h1>Sample procedure</h1>",
		"€1,000 – €2,000",
		"<dt>Recovery</dt><dd>1 week</dd>",
		"<dt>Duration</dt><dd>1 hour</dd>",
		"<dt>Anaesthesia</dt><dd>Local</dd>",
		`<a href="/team/dr-sample/">Dr Sample</a>`,
		"<summary>Does it hurt?</summary>",
		"Very <em>little</em>.",
		`href="/consultation/sample/#request"`,
		`href="/procedures/other/"`,
		"<h1>Sample procedure</h1>\n" + `<p class="reviewed">Medically reviewed by <a href="/team/dr-sample/">Dr Sample</a> on <time datetime="2026-01-02">2 January 2026</time></p>`,
		`<li><a href="#fees">Fees</a></li>` + "\n" + `<li><a href="#recovery">Recovery</a></li>` + "\n" + `<li><a href="#risks">Risks</a></li>` + "\n" +
			`<li><a href="#latest-results">Results</a></li>` + "\n" + `<li><a href="#faq">Questions</a></li>`,
		`<link rel="canonical" href="https://www.example.org/procedures/sample/">`,
		`<meta property="og:title" content="Sample procedure">`,
		`<style>:root{--ink:#111111;--paper:#ffffff;--accent:#333333;--muted:#444444;}</style>`,
	} {
		if !strings.Contains(html, want) {
			t.Errorf("procedure page lacks %q", want)
		}
	}
	if results, faq := strings.Index(html, `id="latest-results"`), strings.Index(html, `id="faq"`); results < 0 || faq < results {
		t.Errorf("the results (at %d) do not come before the questions (at %d)", results, faq)
	}
}

// TestJSONLD checks that each page kind describes itself with the right
// schema.org types, in JSON that parses.
func TestJSONLD(t *testing.T) {
	th, s := builtin(t), sampleSite()
	script := regexp.MustCompile(`<script type="application/ld\+json">(.*)</script>`)
	tests := []struct {
		url   string
		types []string
	}{
		{"/", []string{"MedicalClinic"}},
		{"/procedures/sample/", []string{"MedicalProcedure", "FAQPage", "BreadcrumbList"}},
		{"/procedures/other/", []string{"MedicalProcedure", "BreadcrumbList"}},
		{"/team/dr-sample/", []string{"Physician", "BreadcrumbList"}},
		{"/team/coordinator/", []string{"BreadcrumbList"}},
	}
	for _, tt := range tests {
		m := script.FindStringSubmatch(renderPage(t, th, s, s.ByURL[tt.url], Options{}))
		if m == nil {
			t.Errorf("%s: no JSON-LD", tt.url)
			continue
		}
		var doc struct {
			Graph []struct {
				Type string `json:"@type"`
			} `json:"@graph"`
		}
		if err := json.Unmarshal([]byte(m[1]), &doc); err != nil {
			t.Errorf("%s: JSON-LD does not parse: %v", tt.url, err)
			continue
		}
		var got []string
		for _, n := range doc.Graph {
			got = append(got, n.Type)
		}
		if strings.Join(got, ",") != strings.Join(tt.types, ",") {
			t.Errorf("%s: JSON-LD types %v, want %v", tt.url, got, tt.types)
		}
	}
}

// TestEscaping checks that text from content cannot inject markup, in the
// page body, in FAQ answers, or in the JSON-LD script.
func TestEscaping(t *testing.T) {
	th, s := builtin(t), sampleSite()
	p := s.ByURL["/procedures/sample/"]
	p.Title = `Lift </script><script>alert(1)</script>`
	p.Procedure.FAQ = []content.QA{{Q: "<b>Q</b>", A: `Fine <img src=x onerror=alert(1)> and [a link](javascript:alert(1))`}}
	html := renderPage(t, th, s, p, Options{})
	for _, bad := range []string{"<script>alert(1)", "<img src=x", "<b>Q</b>", `href="javascript:`} {
		if strings.Contains(html, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
}

// TestOverlay: the theme's own layout puts what consulta serve adds to
// pages at the top of their body, after the skip link, and nothing of it
// in a build.
func TestOverlay(t *testing.T) {
	th, s := builtin(t), sampleSite()
	overlay := `<script>new EventSource("/_consulta/live").onmessage = function () { location.reload(); };</script>`
	with := renderPage(t, th, s, s.Home, Options{Overlay: template.HTML(overlay)})
	if !strings.Contains(with, `<a class="skip" href="#main">Skip to content</a>`+"\n"+overlay+"\n") {
		t.Error("page rendered with an overlay lacks it after the skip link")
	}
	without := renderPage(t, th, s, s.Home, Options{})
	if strings.Contains(without, "EventSource") {
		t.Error("production page carries the live-reload script")
	}
}

// TestReviews checks that a patient's review shows on its procedure's
// page, its surgeon's page, the home page and the reviews pages, with
// its source linked to the review and a link to the reviews page; that
// the surgeon's registration shows on their page as a link to the
// register, and in their JSON-LD; and that no page describes reviews of
// the practice in JSON-LD.
func TestReviews(t *testing.T) {
	th, s := builtin(t), sampleSite()
	pages := map[string]*content.Page{}
	for _, p := range ReviewPages(s) {
		pages[p.URL] = p
	}
	if len(pages) != 3 || pages["/reviews/"] == nil || pages["/reviews/procedure/sample/"] == nil || pages["/reviews/surgeon/dr-sample/"] == nil {
		t.Fatalf("reviews pages: %v, want /reviews/, /reviews/procedure/sample/ and /reviews/surgeon/dr-sample/", pages)
	}
	all := map[string]string{
		"/":                           `<a href="/reviews/">All patients’ reviews (1)</a>`,
		"/procedures/sample/":         `<a href="/reviews/procedure/sample/">All reviews of Sample procedure (1)</a>`,
		"/team/dr-sample/":            `<a href="/reviews/surgeon/dr-sample/">All reviews of Dr Sample (1)</a>`,
		"/reviews/":                   `<a href="/reviews/surgeon/dr-sample/">Dr Sample <span class="muted">(1)</span></a>`,
		"/reviews/procedure/sample/":  `<a href="/reviews/procedure/sample/" aria-current="page">Sample procedure <span class="muted">(1)</span></a>`,
		"/reviews/surgeon/dr-sample/": `<h2 id="reviews-title">Reviews of Dr Sample’s care</h2>`,
	}
	for url, link := range all {
		p := s.ByURL[url]
		if p == nil {
			p = pages[url]
		}
		html := renderPage(t, th, s, p, Options{})
		for _, want := range []string{`<blockquote><p>Kind.</p><p>Clear.</p></blockquote>`, `Rated 5 out of 5`, `Sam, 40`, link,
			`<a href="https://reviews.example/sam" rel="noopener">Google<span class="visually-hidden"> (the review where it was written)</span></a>, <time datetime="2026-01-02">January 2026</time>`} {
			if !strings.Contains(html, want) {
				t.Errorf("%s lacks %q", url, want)
			}
		}
		for _, bad := range []string{`"AggregateRating"`, `"Review"`, `"reviewRating"`} {
			if strings.Contains(html, bad) {
				t.Errorf("%s describes reviews in JSON-LD (%s): search engines count that as self-serving", url, bad)
			}
		}
	}
	member := renderPage(t, th, s, s.ByURL["/team/dr-sample/"], Options{})
	for _, want := range []string{`<a href="https://register.example/1234567" rel="noopener">Registered with the General Medical Council, no.&nbsp;1234567</a>`,
		`<h2 id="affiliations" class="h3">Hospitals</h2>`, `<a href="https://hospital.example/" rel="noopener">Sample Hospital</a>`,
		`<a href="https://society.example/" rel="noopener">Sample Society</a>`, `<span>Sample College</span>`,
		`"identifier":{"@type":"PropertyValue","propertyID":"General Medical Council","value":"1234567"}`} {
		if !strings.Contains(member, want) {
			t.Errorf("member page lacks %q", want)
		}
	}
	s.Reviews, s.ByURL["/procedures/sample/"].Procedure.Reviews = nil, nil
	if html := renderPage(t, th, s, s.ByURL["/procedures/sample/"], Options{}); strings.Contains(html, "reviews-title") {
		t.Error("a procedure without reviews shows a reviews section")
	}
}

// TestBookingPath checks that "Book" links go straight to the form, that
// a procedure's consultation page has the procedure chosen without
// JavaScript and is kept out of search engines, and where the slim bar
// shows.
func TestBookingPath(t *testing.T) {
	th, s := builtin(t), sampleSite()
	home := renderPage(t, th, s, s.Home, Options{})
	for _, want := range []string{`<a class="button" href="/consultation/#request">Book a consultation</a>`, `class="booking-bar"`, `<a class="tel" href="tel:&#43;442079460000">`} {
		if !strings.Contains(home, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	// The first Book button of a page says what a consultation is; the
	// others do not repeat it.
	const note = `€150, deducted from your surgery · 45 minutes with a consultant · in person or by video`
	if n := strings.Count(home, note); n != 1 {
		t.Errorf("the home page says what a consultation is %d times, want once, beside its first Book button", n)
	}
	if b, n := strings.Index(home, `Book a consultation</a>`), strings.Index(home, note); n < b || b < 0 {
		t.Errorf("the consultation's facts (at %d) are not beside the first Book button (at %d)", n, b)
	}
	// A case's and a surgeon's Book buttons choose its procedure, and the surgeon.
	for url, want := range map[string]string{
		"/gallery/sample-case/": `<a class="button" href="/consultation/sample/#request">Book a consultation</a>`,
		"/team/dr-sample/":      `<a class="button" href="/consultation/dr-sample/#request">Book with Dr Sample</a>`,
		"/team/coordinator/":    `<a class="button" href="/consultation/#request">Book a consultation</a>`,
	} {
		if html := renderPage(t, th, s, s.ByURL[url], Options{}); !strings.Contains(html, want) {
			t.Errorf("%s lacks %s", url, want)
		}
	}
	pages := ConsultationPages(s)
	var urls []string
	for _, p := range pages {
		urls = append(urls, p.URL)
	}
	if want := []string{"/consultation/sample/", "/consultation/other/", "/consultation/dr-sample/"}; !slices.Equal(urls, want) {
		t.Fatalf("consultation pages: %v, want %v", urls, want)
	}
	withSurgeon := renderPage(t, th, s, pages[2], Options{})
	for _, want := range []string{`<option value="dr-sample" selected>Dr Sample</option>`, `<title>Book a consultation with Dr Sample — Sample Practice</title>`} {
		if !strings.Contains(withSurgeon, want) {
			t.Errorf("/consultation/dr-sample/ lacks %q", want)
		}
	}
	html := renderPage(t, th, s, pages[0], Options{})
	for _, want := range []string{
		`<option value="sample" selected>Sample procedure</option>`,
		`<option value="dr-sample">Dr Sample</option>`,
		`<option>Morning (09:00–12:00)</option>`, `<option>Afternoon (12:00–17:00)</option>`, // the sample's hours: 09:00–18:00
		`<p class="form-consultation" id="form-consultation">Your consultation: ` + note + `</p>`,
		`<meta name="robots" content="noindex">`,
		`<link rel="canonical" href="https://www.example.org/consultation/">`,
		`e.g. &#43;44.`, // the practice's country, from its phone
	} {
		if !strings.Contains(html, want) {
			t.Errorf("/consultation/sample/ lacks %q", want)
		}
	}
	if strings.Contains(html, "booking-bar") {
		t.Error("a page with the form shows the booking bar")
	}
	// The form comes before what the page says about the consultation.
	if f, p := strings.Index(html, `id="request"`), strings.Index(html, `<div class="prose">`); f < 0 || p < f {
		t.Errorf("the form (at %d) does not come before the page's text (at %d)", f, p)
	}
	thanks := renderPage(t, th, s, s.ByURL["/consultation/thank-you/"], Options{})
	if !strings.Contains(thanks, `<meta name="robots" content="noindex">`) {
		t.Error("the thank-you page is not noindex")
	}
}

// TestTitlesAndFAQ checks that a procedure's title names the practice's
// town and that the FAQ's JSON-LD carries plain text, not the answer's
// markup.
func TestTitlesAndFAQ(t *testing.T) {
	th, s := builtin(t), sampleSite()
	s.Config.Town = "Dublin"
	p := s.ByURL["/procedures/sample/"]
	p.Procedure.FAQ = []content.QA{{Q: "Is it safe?", A: "Very *little*, see [fees](/fees/) and `notes`."}}
	r := sampleRendered(s)
	r.bodies[p] = Body{
		Answers:     []template.HTML{`Very <em>little</em>, see <a href="/fees/">fees</a> and <code>notes</code> &amp; more.`},
		AnswerTexts: []string{"Very little, see fees and notes & more."},
	}
	o := Options{Rendered: r}
	html := renderPage(t, th, s, p, o)
	for _, want := range []string{`<title>Sample procedure in Dublin — Sample Practice</title>`, `"text":"Very little, see fees and notes \u0026 more."`, `"name":"Is it safe?"`} {
		if !strings.Contains(html, want) {
			t.Errorf("procedure page lacks %q", want)
		}
	}
	if home := renderPage(t, th, s, s.Home, Options{}); !strings.Contains(home, `<title>Sample Practice, Dublin</title>`) {
		t.Error("home page title lacks the town")
	}
}

// TestCachedCards: a procedure's card is rendered once for a site, for
// every list that shows it, and again for another site.
func TestCachedCards(t *testing.T) {
	th, s := builtin(t), sampleSite()
	other := s.ByURL["/procedures/other/"]
	if html := renderPage(t, th, s, s.ByURL["/procedures/sample/"], Options{}); !strings.Contains(html, ">Other procedure</a>") {
		t.Fatal("the procedure page lacks its related procedure's card")
	}
	other.Title = "Renamed procedure" // not an edit a site makes: its front matter was read once
	if html := renderPage(t, th, s, s.ByURL["/procedures/"], Options{}); !strings.Contains(html, ">Other procedure</a>") {
		t.Error("the list rendered the card again for the same site")
	}
	next := sampleSite()
	next.ByURL["/procedures/other/"].Title = "Renamed procedure"
	if html := renderPage(t, th, next, next.ByURL["/procedures/"], Options{}); !strings.Contains(html, ">Renamed procedure</a>") {
		t.Error("another site's list shows the first site's card")
	}
}

// TestCachedHeader: the header is rendered once for each place in the
// navigation and each Book link, and every page gets its own: the
// navigation shows where the page is, its Book button books what it is
// about.
func TestCachedHeader(t *testing.T) {
	th, s := builtin(t), sampleSite()
	header := func(url string) string {
		html := renderPage(t, th, s, s.ByURL[url], Options{})
		start := strings.Index(html, `<header class="site-header">`)
		return html[start : start+strings.Index(html[start:], "</header>")]
	}
	for _, tt := range []struct{ url, want, not string }{
		{"/", `href="/" aria-current="page"`, `aria-current="true"`},
		{"/procedures/", `<a href="/procedures/" aria-current="page">`, `href="/" aria-current`},
		{"/procedures/sample/", `<a href="/procedures/" aria-current="true">`, `aria-current="page"`},
		{"/procedures/other/", `<a href="/procedures/" aria-current="true">`, `aria-current="page"`},
		{"/team/dr-sample/", `<a href="/team/" aria-current="true">`, `<a href="/procedures/" aria-current`},
	} {
		if h := header(tt.url); !strings.Contains(h, tt.want) || strings.Contains(h, tt.not) {
			t.Errorf("the header of %s lacks %q or has %q:\n%s", tt.url, tt.want, tt.not, h)
		}
	}
	if a, b := header("/team/dr-sample/"), header("/team/coordinator/"); !strings.Contains(a, `href="/consultation/dr-sample/#request"`) || !strings.Contains(b, `href="/consultation/#request"`) {
		t.Errorf("a surgeon's header, or the coordinator's, books the other's way:\n%s\n%s", a, b)
	}
	if a, b := header("/procedures/sample/"), header("/procedures/other/"); !strings.Contains(a, `href="/consultation/sample/#request"`) || !strings.Contains(b, `href="/consultation/other/#request"`) {
		t.Errorf("a procedure's header does not book that procedure:\n%s\n%s", a, b)
	}
}
