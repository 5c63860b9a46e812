package render

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/content"
)

// TestOverride checks that a site's own themes/<name>/ replaces the
// built-in theme file by file.
func TestOverride(t *testing.T) {
	site := fstest.MapFS{
		"themes/default/layouts/page.html": {Data: []byte(`{{define "main"}}<p>own page layout: {{.Page.Title}}</p>{{end}}`)},
	}
	th, err := Load(site, "default")
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSite()
	page := renderPage(t, th, s, s.ByURL["/consultation/"], Options{})
	if !strings.Contains(page, "<p>own page layout: Your consultation</p>") {
		t.Error("the site's layouts/page.html did not replace the built-in one")
	}
	if strings.Contains(page, `class="prose"`) {
		t.Error("the built-in page layout still renders")
	}
	// Files the site does not override still come from the built-in theme.
	if proc := renderPage(t, th, s, s.ByURL["/procedures/sample/"], Options{}); !strings.Contains(proc, `<section class="facts"`) {
		t.Error("the built-in procedure layout is missing after overriding page.html")
	}
}

func TestOtherTheme(t *testing.T) {
	if _, err := Load(fstest.MapFS{}, "harbour"); err == nil || !strings.Contains(err.Error(), "themes/harbour") {
		t.Errorf("Load of a theme the site does not have: got %v, want an error naming themes/harbour", err)
	}
	site := fstest.MapFS{
		"themes/harbour/partials/footer.html": {Data: []byte(`{{define "footer"}}<footer>harbour footer</footer>{{end}}`)},
	}
	th, err := Load(site, "harbour")
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSite()
	if home := renderPage(t, th, s, s.Home, Options{}); !strings.Contains(home, "<footer>harbour footer</footer>") {
		t.Error("theme harbour's footer partial is not used")
	}
}

// TestLoadChecksTemplates checks that a mistake in a theme fails Load,
// naming the file, rather than printing nothing at build time.
func TestLoadChecksTemplates(t *testing.T) {
	tests := []struct {
		name, file, text, want string
	}{
		{"misspelt field", "layouts/member.html", `{{define "main"}}{{.Page.Tilte}}{{end}}`, "Tilte"},
		{"missing asset", "layouts/page.html", `{{define "main"}}{{asset "nope.css"}}{{end}}`, "static/nope.css"},
		{"syntax error", "partials/extra.html", `{{define "extra"}}{{if}}{{end}}`, "themes/default/partials/extra.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(fstest.MapFS{"themes/default/" + tt.file: {Data: []byte(tt.text)}}, "default")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Load: got %v, want an error mentioning %q", err, tt.want)
			}
		})
	}
}

// TestFingerprint checks that asset names carry a hash of their content.
func TestFingerprint(t *testing.T) {
	cssPath := func(css string) string {
		t.Helper()
		th, err := Load(fstest.MapFS{"themes/default/static/site.css": {Data: []byte(css)}}, "default")
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range th.Assets() {
			if strings.HasPrefix(a.Path, "/assets/site.") && strings.HasSuffix(a.Path, ".css") {
				if string(a.Data) != css {
					t.Errorf("asset %s holds %q, want %q", a.Path, a.Data, css)
				}
				return a.Path
			}
		}
		t.Fatal("no site.css asset")
		return ""
	}
	a, b, a2 := cssPath("body{color:red}"), cssPath("body{color:blue}"), cssPath("body{color:red}")
	if ok, _ := regexp.MatchString(`^/assets/site\.[0-9a-f]{8}\.css$`, a); !ok {
		t.Errorf("asset path %q, want /assets/site.<8 hex digits>.css", a)
	}
	if a == b {
		t.Errorf("different content, same path %s", a)
	}
	if a != a2 {
		t.Errorf("same content, different paths %s and %s", a, a2)
	}
	th := builtin(t)
	s := sampleSite()
	if home := renderPage(t, th, s, s.Home, Options{}); !strings.Contains(home, `href="`+th.urls["site.css"]+`"`) {
		t.Error("pages do not link the fingerprinted stylesheet")
	}
}

func TestFormatFees(t *testing.T) {
	tests := []struct {
		fees content.Fees
		want string
	}{
		{content.Fees{From: 3500, To: 6000, Currency: "EUR"}, "€3,500 – €6,000"},
		{content.Fees{From: 500, Currency: "EUR"}, "from €500"},
		{content.Fees{From: 900, To: 900, Currency: "GBP"}, "£900"},
		{content.Fees{To: 1200, Currency: "USD"}, "up to $1,200"},
		{content.Fees{From: 14000, To: 1250000, Currency: "CHF"}, "CHF\u00a014,000 – CHF\u00a01,250,000"},
		{content.Fees{From: 250}, "from 250"},
		{content.Fees{}, ""},
	}
	for _, tt := range tests {
		if got := FormatFees(tt.fees); got != tt.want {
			t.Errorf("FormatFees(%+v) = %q, want %q", tt.fees, got, tt.want)
		}
	}
}

func TestSitemapRobotsAlias(t *testing.T) {
	s := sampleSite()
	var buf bytes.Buffer
	if err := Sitemap(&buf, s); err != nil {
		t.Fatal(err)
	}
	sm := buf.String()
	if n := strings.Count(sm, "<url>"); n != len(s.Pages)-1 {
		t.Errorf("sitemap lists %d URLs, want %d (every page but the thank-you page)", n, len(s.Pages)-1)
	}
	if strings.Contains(sm, "thank-you") {
		t.Error("sitemap lists the thank-you page, which is noindex")
	}
	if want := "<url><loc>https://www.example.org/procedures/sample/</loc><lastmod>2026-01-02</lastmod></url>"; !strings.Contains(sm, want) {
		t.Errorf("sitemap lacks %s", want)
	}
	buf.Reset()
	if err := Robots(&buf, s); err != nil {
		t.Fatal(err)
	}
	if want := "Sitemap: https://www.example.org/sitemap.xml\n"; !strings.Contains(buf.String(), want) {
		t.Errorf("robots.txt %q lacks %q", buf.String(), want)
	}
	buf.Reset()
	if err := Alias(&buf, s, s.ByURL["/procedures/sample/"]); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		`<meta http-equiv="refresh" content="0; url=/procedures/sample/">`,
		`<link rel="canonical" href="https://www.example.org/procedures/sample/">`,
		`<a href="/procedures/sample/">Sample procedure</a>`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("redirect page lacks %s", want)
		}
	}
}

// TestHooks checks that a partial fills a layout's empty block without
// any edit of the layout.
func TestHooks(t *testing.T) {
	site := fstest.MapFS{
		"themes/default/partials/extra.html": {Data: []byte(`{{define "page-extra"}}<p>extra for {{.Page.Title}}</p>{{end}}{{define "member-extra"}}<p>member extra</p>{{end}}`)},
	}
	th, err := Load(site, "default")
	if err != nil {
		t.Fatal(err)
	}
	s := sampleSite()
	if page := renderPage(t, th, s, s.ByURL["/consultation/"], Options{}); !strings.Contains(page, "<p>extra for Your consultation</p>") {
		t.Error("the page-extra partial is not rendered on plain pages")
	}
	if member := renderPage(t, th, s, s.ByURL["/team/dr-sample/"], Options{}); !strings.Contains(member, "<p>member extra</p>") {
		t.Error("the member-extra partial is not rendered on member pages")
	}
}

// TestConcurrent renders every page from several goroutines at once, as
// the build does; run with -race.
func TestConcurrent(t *testing.T) {
	th, s := builtin(t), sampleSite()
	errs := make(chan error, 4*len(s.Pages))
	var wg sync.WaitGroup
	for range 4 {
		for _, p := range s.Pages {
			wg.Go(func() { errs <- th.Page(io.Discard, s, p, Options{}) })
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
}
