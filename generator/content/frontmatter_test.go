package content

import (
	"bytes"
	"context"
	"testing"
	"testing/fstest"
	"time"

	"github.com/consultahq/consulta/generator/problem"
)

func TestSplitFrontMatter(t *testing.T) {
	tests := []struct {
		src, fm, body string
		bodyLine      int
		err           error
	}{
		{"---\ntitle: A\n---\nBody\n", "title: A\n", "Body\n", 4, nil},
		{"---\r\ntitle: A\r\n---\r\nBody", "title: A\r\n", "Body", 4, nil},
		{"\uFEFF---\n---\n", "", "", 3, nil},
		{"---\na: 1\nb: 2\n---", "a: 1\nb: 2\n", "", 5, nil},
		{"---  \na: 1\n---\t\n\n# H\n", "a: 1\n", "\n# H\n", 4, nil},
		{"# Title\n", "", "# Title\n", 1, errNoFrontMatter},
		{"---\ntitle: A\n", "", "", 0, errOpenFrontMatter},
		{"", "", "", 1, errNoFrontMatter},
	}
	for _, tt := range tests {
		fm, body, line, err := splitFrontMatter([]byte(tt.src))
		if string(fm) != tt.fm || string(body) != tt.body || line != tt.bodyLine || err != tt.err {
			t.Errorf("splitFrontMatter(%q) = %q, %q, %d, %v; want %q, %q, %d, %v", tt.src, fm, body, line, err, tt.fm, tt.body, tt.bodyLine, tt.err)
		}
	}
}

// FuzzFrontMatter checks that splitting and decoding any file never panics,
// that the body is the file's tail starting at the line reported, and that
// every problem names a line of the file.
func FuzzFrontMatter(f *testing.F) {
	for _, s := range []string{
		"---\ntitle: Rhinoplasty\ncategory: face\nfees:\n  from: 6000\n  to: 9000\n---\nBody\n",
		"---\nfaq:\n  - q: Why?\n    a: Because.\nsurgeons: [a, b]\nweight: x\n---\n",
		"---\nconsent: 2024-01-01\nphotos:\n  - before: a.jpg\n    alt: &x y\n  - *x\n---\n",
		"---\n: :\n- - [\n---\n", "no front matter", "---\r\na: b\r\n---\r\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fm, body, bodyLine, err := splitFrontMatter(src)
		lines := bytes.Count(src, []byte("\n")) + 1
		if err == nil {
			if !bytes.HasSuffix(src, body) {
				t.Fatalf("body %q is not the tail of the file", body)
			}
			head := src[:len(src)-len(body)]
			if len(body) > 0 && bytes.Count(head, []byte("\n"))+1 != bodyLine {
				t.Fatalf("body starts on line %d, reported %d", bytes.Count(head, []byte("\n"))+1, bodyLine)
			}
			if !bytes.Contains(src, fm) {
				t.Fatalf("front matter %q is not in the file", fm)
			}
		}
		fsys := fstest.MapFS{
			"content/site.yaml":             {Data: []byte("name: N\nbase_url: https://x.org/\n")},
			"content/procedures/x.md":       {Data: src},
			"content/gallery/case/index.md": {Data: src},
			"content/team/m.md":             {Data: src},
		}
		l := NewLoader(fsys)
		l.now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
		_, probs := l.Load(context.Background())
		for _, p := range probs.Sorted() {
			if p.File != "content/site.yaml" && (p.Line < 0 || p.Line > lines) {
				t.Fatalf("problem on line %d of a %d-line file: %s", p.Line, lines, p)
			}
			if p.Message == "" {
				t.Fatalf("problem without a message: %+v", p)
			}
		}
		_ = problem.Error
	})
}
