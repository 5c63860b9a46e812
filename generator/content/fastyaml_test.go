package content

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// frontMatters returns the front matter of every Markdown file and every
// site.yaml of the repository's sites, by file.
func frontMatters(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, root := range []string{"testdata", "../testdata", "../../content"} {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			switch {
			case strings.HasSuffix(p, ".md"):
				if fm, _, _, err := splitFrontMatter(src); err == nil {
					out[p] = fm
				}
			case strings.HasSuffix(p, ".yaml"):
				out[p] = src
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

// TestReadFrontMatter: every front matter and site.yaml of the
// repository's sites, and front matter written in the ways staff write
// it, is read into the tree yaml.v3 makes of it; what it does not read
// (and so leaves to yaml.v3) is YAML front matter does not need.
func TestReadFrontMatter(t *testing.T) {
	read := 0
	for name, src := range frontMatters(t) {
		if sameAsYAML(t, name, src) {
			read++
		}
	}
	if read == 0 {
		t.Fatal("no front matter read")
	}
	for _, tt := range []struct {
		src  string
		read bool
	}{
		{"title: Rhinoplasty\nweight: 1\n", true},
		{"title: \"Say \\\"hello\\\" \\u00e9\"\ndescription: 'It''s fine'\n", true},
		{"# a comment\n\ntitle: A # and another\ndraft: true\ndate: 2024-05-01\n", true},
		{"fees:\n  from: 6000\n  to: 9000\n  currency: EUR\nnote:\n", true},
		{"surgeons:\n  - dr-hart\n  - dr-lind\nrelated:\n- a\n- b\n", true},
		{"faq:\n  - q: Does it hurt?\n    a: \"Less than you think.\"\n  -\n    q: Why?\n    a: Because.\n", true},
		{"risks: [\"Bruising\", 'swelling', scars]\nempty: []\ncompliance: [uk]\n", true},
		{"hours:\n  mon-fri: \"09:00-18:00\"\nurl: https://example.org/a#b\ntime: 09:00\n", true},
		{"title: -5\nn: -x\nq: ?x\nnull: ~\n", true},
		{"a: |\n  block\n", false},
		{"a: >\n  folded\n", false},
		{"a: &x 1\nb: *x\n", false},
		{"a: !!str 1\n", false},
		{"a: {b: 1}\n", false},
		{"a: two\n  lines\n", false},
		{"a: \"two\n  lines\"\n", false},
		{"a: b: c\n", false},
		{"a:\tb\n", false},
		{"\tb: 1\n", false},
		{"a: [b, [c]]\n", false},
		{"a: [b,c]\n", false},
		{"a: 1\n a: 2\n", false},
		{"a:\n  - b\n  c: d\n", false},
		{"? a\n: b\n", false},
		{"---\na: 1\n", false},
		{"\"quoted key\": 1\n", false},
		{"a: \"\\x41\"\n", false},
		{"", false},
	} {
		got := sameAsYAML(t, fmt.Sprintf("%q", tt.src), []byte(tt.src))
		if got != tt.read {
			t.Errorf("readFrontMatter(%q) read it: %v, want %v", tt.src, got, tt.read)
		}
	}
}

// FuzzReadFrontMatter: what readFrontMatter reads, yaml.v3 reads the same.
func FuzzReadFrontMatter(f *testing.F) {
	for _, src := range frontMatters(f) {
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) { sameAsYAML(t, "fuzz", src) })
}

// sameAsYAML reports whether readFrontMatter reads src, failing t when
// its tree differs from yaml.v3's.
func sameAsYAML(t testing.TB, name string, src []byte) bool {
	t.Helper()
	got, ok := readFrontMatter(src)
	if !ok {
		return false
	}
	var want yaml.Node
	if err := yaml.Unmarshal(src, &want); err != nil {
		t.Errorf("%s: read, but yaml.v3 finds %v:\n%s", name, err, src)
		return true
	}
	if diff := nodeDiff("", got, &want); diff != "" {
		t.Errorf("%s: %s\n%s", name, diff, src)
	}
	return true
}

// nodeDiff describes the first difference between two trees in what the
// decoder reads of them, or returns "".
func nodeDiff(path string, a, b *yaml.Node) string {
	if a.Kind != b.Kind || a.Style != b.Style || a.ShortTag() != b.ShortTag() || a.Value != b.Value ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("at %s: got kind %d style %d tag %s %q line %d col %d (%d children), want kind %d style %d tag %s %q line %d col %d (%d children)",
			path, a.Kind, a.Style, a.ShortTag(), a.Value, a.Line, a.Column, len(a.Content), b.Kind, b.Style, b.ShortTag(), b.Value, b.Line, b.Column, len(b.Content))
	}
	for i := range a.Content {
		if d := nodeDiff(fmt.Sprintf("%s/%d", path, i), a.Content[i], b.Content[i]); d != "" {
			return d
		}
	}
	return ""
}

