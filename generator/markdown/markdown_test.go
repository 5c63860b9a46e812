package markdown

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/consultahq/consulta/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden renders each testdata/*.md and compares the HTML with
// testdata/<name>.html, and links.md, which holds raw HTML, also with
// links.unsafe.html with raw HTML kept.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.md")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata: %v", err)
	}
	for _, unsafe := range []bool{false, true} {
		r := New(Options{UnsafeHTML: unsafe})
		for _, file := range files {
			name := strings.TrimSuffix(filepath.Base(file), ".md")
			if unsafe && name != "links" {
				continue // only links.md holds raw HTML
			}
			goldenFile := filepath.Join("testdata", name+".html")
			if unsafe {
				goldenFile = filepath.Join("testdata", name+".unsafe.html")
			}
			t.Run(filepath.Base(goldenFile), func(t *testing.T) {
				src, err := os.ReadFile(file)
				if err != nil {
					t.Fatal(err)
				}
				res, err := r.Render(Source{Body: src, BodyLine: 1, Dir: ".", FS: os.DirFS("testdata")})
				if err != nil {
					t.Fatal(err)
				}
				golden.Check(t, goldenFile, []byte(res.HTML), *update)
			})
		}
	}
}

func TestLinksAndIDs(t *testing.T) {
	src, err := os.ReadFile("testdata/links.md")
	if err != nil {
		t.Fatal(err)
	}
	// The body starts on line 5 of its file, as after four lines of front matter.
	res, err := New(Options{}).Render(Source{Body: src, BodyLine: 5, Dir: ".", FS: os.DirFS("testdata")})
	if err != nil {
		t.Fatal(err)
	}
	want := []Link{
		{Dest: "/procedures/facelift/", Line: 5},
		{Dest: "https://www.example.org/guide", Line: 5},
		{Dest: "mailto:hello@example.org", Line: 7},
		{Dest: "#aftercare", Line: 7},
		{Dest: "diagram.png", Line: 9, Image: true},
		{Dest: "missing.png", Line: 11, Image: true},
	}
	if !slices.Equal(res.Links, want) {
		t.Errorf("links = %+v\nwant %+v", res.Links, want)
	}
	if !slices.Equal(res.RawHTML, []int{15, 17}) {
		t.Errorf("raw HTML on lines %v, want [15 17]", res.RawHTML)
	}
	kept, _ := New(Options{UnsafeHTML: true}).Render(Source{Body: src, BodyLine: 5})
	if len(kept.RawHTML) != 0 {
		t.Errorf("raw HTML reported as left out with unsafe_html: %v", kept.RawHTML)
	}
	comment, _ := New(Options{}).Render(Source{Body: []byte("<!-- a note for staff -->\n\nText <!-- inline note -->.\n"), BodyLine: 1})
	if len(comment.RawHTML) != 0 {
		t.Errorf("HTML comments reported as raw HTML: %v", comment.RawHTML)
	}
	if !slices.Equal(res.IDs, []string{"aftercare"}) {
		t.Errorf("IDs = %q, want [aftercare]", res.IDs)
	}
	html := string(res.HTML)
	for _, s := range []string{
		`<a href="https://www.example.org/guide" title="Guide" rel="noopener">`,
		`<a href="/procedures/facelift/">`,
		`<img src="diagram.png" alt="A diagram" loading="lazy" decoding="async" width="12" height="8">`,
		`<img src="missing.png" alt="Missing" loading="lazy" decoding="async">`,
		`<!-- raw HTML omitted -->`,
	} {
		if !strings.Contains(html, s) {
			t.Errorf("HTML lacks %s:\n%s", s, html)
		}
	}
	if strings.Contains(html, "<script>") {
		t.Errorf("raw HTML kept without unsafe_html:\n%s", html)
	}
}

func TestHeadingIDs(t *testing.T) {
	res, err := New(Options{}).Render(Source{Body: []byte("# Hello, World!\n\n## Hello World\n\n## hello world\n\n## Ästhetik & Café\n\n## *Recovery* `time`\n\n## Custom {#mine}\n\n## Mine\n")})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"hello-world", "hello-world-1", "hello-world-2", "ästhetik--café", "recovery-time", "mine", "mine-1"}
	if !slices.Equal(res.IDs, want) {
		t.Errorf("IDs = %q\nwant %q", res.IDs, want)
	}
}

func TestIsExternal(t *testing.T) {
	for dest, want := range map[string]bool{
		"https://x.org/": true, "mailto:a@b.org": true, "//cdn.x.org/a.js": true, "tel:+4420": true,
		"/procedures/": false, "../a/": false, "photo.jpg": false, "#top": false, "a:b/c": true, "a b:c": false,
	} {
		if got := IsExternal(dest); got != want {
			t.Errorf("IsExternal(%q) = %v, want %v", dest, got, want)
		}
	}
}

// FAQ answers go through the one configured renderer: typographic
// punctuation, links collected with their line and external ones given
// rel="noopener", raw HTML left out, and no paragraph around one line.
func TestRenderInline(t *testing.T) {
	r := New(Options{})
	tests := []struct{ in, want string }{
		{"Plain answer, without quotes.", "Plain answer, without quotes."},
		{"Plain answer, with 'quotes'.", "Plain answer, with &lsquo;quotes&rsquo;."},
		{"Up to *a year*.", "Up to <em>a year</em>."},
		{"See [fees](/financing/).", `See <a href="/financing/">fees</a>.`},
		{"See [the society](https://www.baaps.org.uk/).", `See <a href="https://www.baaps.org.uk/" rel="noopener">the society</a>.`},
		{"ok <script>alert(1)</script>", "ok <!-- raw HTML omitted -->alert(1)<!-- raw HTML omitted -->"},
		{"5 < 6 & 7", "5 &lt; 6 &amp; 7"},
		{"1. First\n2. Second", "<ol>\n<li>First</li>\n<li>Second</li>\n</ol>"},
	}
	for _, tt := range tests {
		got, err := r.RenderInline(Source{Body: []byte(tt.in), BodyLine: 9})
		if err != nil || string(got.HTML) != tt.want {
			t.Errorf("RenderInline(%q) = %q, %v; want %q", tt.in, got.HTML, err, tt.want)
		}
	}
	res, _ := r.RenderInline(Source{Body: []byte("See [fees](/financing/)."), BodyLine: 9})
	if len(res.Links) != 1 || res.Links[0] != (Link{Dest: "/financing/", Line: 9}) {
		t.Errorf("links = %+v, want /financing/ at line 9", res.Links)
	}
}

// TestRenderInlineText: the plain text of a FAQ answer, for JSON-LD, is
// what a reader sees of the HTML: no markup, entities and escapes read.
func TestRenderInlineText(t *testing.T) {
	r := New(Options{})
	tests := []struct{ in, want string }{
		{"Plain answer,  without quotes.", "Plain answer, without quotes."},
		{"Plain answer, with 'quotes' -- and a dash.", "Plain answer, with ‘quotes’ – and a dash."},
		{"Up to *a year*.", "Up to a year."},
		{"See [fees](/financing/) and www.example.org.", "See fees and www.example.org."},
		{"5 < 6 &amp; 7 \\* 8", "5 < 6 & 7 * 8"},
		{"1. First\n2. Second", "First Second"},
		{"One line,\nthe next.\n\nA paragraph.", "One line, the next. A paragraph."},
		{"![A diagram](d.png) Text `code`.", "Text code."},
		{"ok <script>alert(1)</script>", "ok alert(1)"},
	}
	for _, tt := range tests {
		got, err := r.RenderInline(Source{Body: []byte(tt.in), BodyLine: 9})
		if err != nil || got.Text != tt.want {
			t.Errorf("RenderInline(%q).Text = %q, %v; want %q", tt.in, got.Text, err, tt.want)
		}
	}
}
