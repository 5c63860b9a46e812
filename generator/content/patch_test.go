package content

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/consultahq/consulta/generator/problem"
)

// TestPatchAsResolve edits procedures' front matter one edit after
// another, and after each compares the site Reload gives with the site a
// new Loader reads: the same pages, links, lists in the same order, and
// problems. Edits that keep every other page's links are patched, the
// others resolved.
func TestPatchAsResolve(t *testing.T) {
	ctx := context.Background()
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	fsys := fstest.MapFS{}
	err := fs.WalkDir(os.DirFS("testdata/gencorpus"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(os.DirFS("testdata/gencorpus"), p)
		fsys[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	fsys["content/reviews/ann.md"] = &fstest.MapFile{Data: []byte("---\nauthor: \"Ann, 52\"\nprocedure: rhinoplasty\nrating: 5\nsource: Google\ndate: 2025-05-01\nconsent: 2025-05-02\n---\nKind and clear.\n")}
	l := NewLoader(fsys).WithNow(now)
	site, probs := l.Load(ctx)
	if err := probs.Err(); err != nil {
		t.Fatal(err)
	}
	const rh, tt = "content/procedures/rhinoplasty.md", "content/procedures/tummy-tuck.md"
	for _, e := range []struct {
		name, file, old, new string
		patched              bool
	}{
		{"a title", rh, `title: "Rhinoplasty"`, `title: "Nose reshaping"`, true},
		{"a weight, which moves it in lists", rh, "weight: 1\n", "weight: 3\n", true},
		{"a title that moves it among equal weights", tt, `title: "Tummy Tuck"`, `title: "Abdominoplasty"`, true},
		{"related procedures", rh, "  - tummy-tuck\n", "  - facelift\n", true},
		{"a related procedure that does not exist", rh, "  - facelift\n", "  - face-lift\n", true},
		{"the mistake mended", rh, "  - face-lift\n", "  - tummy-tuck\n", true},
		{"a category", rh, "category: face", "category: body", true},
		{"the fees", tt, "from:", "from: 1\n  to_be_removed:", true},
		{"the fees mended", tt, "from: 1\n  to_be_removed:", "from:", true},
		{"surgeons, which other pages list", rh, "  - dr-jonas-weber\n", "  - dr-amelia-hart\n", false},
		{"a title again", rh, `title: "Nose reshaping"`, `title: "Rhinoplasty, nose reshaping"`, true},
	} {
		src := string(fsys[e.file].Data)
		if !strings.Contains(src, e.old) {
			t.Fatalf("%s: %s has no %q", e.name, e.file, e.old)
		}
		fsys[e.file] = &fstest.MapFile{Data: []byte(strings.Replace(src, e.old, e.new, 1))}
		before := reflect.ValueOf(site.ByURL).Pointer()
		var got *problem.List
		site, got, _ = l.Reload(ctx, []string{e.file})
		if patched := reflect.ValueOf(site.ByURL).Pointer() == before; patched != e.patched {
			t.Errorf("%s: patched %v, want %v", e.name, patched, e.patched)
		}
		want, wantProbs := NewLoader(fsys).WithNow(now).Load(ctx)
		if g, w := siteDump(site, got), siteDump(want, wantProbs); g != w {
			t.Errorf("%s: the site read again differs from the site read anew:\n%s", e.name, lineDiff(g, w))
		}
	}
}

// siteDump writes out what a site links and lists, by URL and file.
func siteDump(s *Site, probs *problem.List) string {
	var b strings.Builder
	urls := func(ps []*Page) string {
		var u []string
		for _, p := range ps {
			u = append(u, p.URL+p.File)
		}
		return strings.Join(u, " ")
	}
	url := func(p *Page) string {
		if p == nil {
			return "-"
		}
		return p.URL
	}
	for _, p := range s.Pages {
		fmt.Fprintf(&b, "page %s %s %q w%d\n", p.URL, p.Kind, p.Title, p.Weight)
		if s.ByURL[p.URL] != p {
			fmt.Fprintf(&b, "  not in ByURL\n")
		}
		switch {
		case p.Procedure != nil:
			pr := p.Procedure
			cat := "-"
			if pr.CategoryInfo != nil {
				cat = pr.CategoryInfo.Slug
			}
			fmt.Fprintf(&b, "  category %s reviewer %s\n  surgeons %s\n  related %s\n  cases %s\n  reviews %s\n",
				cat, url(pr.Reviewer), urls(pr.Surgeons), urls(pr.Related), urls(pr.Cases), urls(pr.Reviews))
			for _, c := range pr.Cases {
				fmt.Fprintf(&b, "  case %s of %s %q\n", c.URL, url(c.Case.Procedure), c.Case.Procedure.Title)
			}
		case p.Member != nil:
			fmt.Fprintf(&b, "  procedures %s\n  reviews %s\n", urls(p.Member.Procedures), urls(p.Member.Reviews))
		case p.Case != nil:
			fmt.Fprintf(&b, "  procedure %s %q surgeon %s gated %v\n", url(p.Case.Procedure), p.Case.Procedure.Title, url(p.Case.Surgeon), p.Case.Gated)
		}
	}
	fmt.Fprintf(&b, "procedures %s\nmembers %s\ncases %s\n", urls(s.Procedures), urls(s.Members), urls(s.Cases))
	for _, r := range s.Reviews {
		fmt.Fprintf(&b, "review %s of %s %q\n", r.File, url(r.PatientReview.Procedure), r.PatientReview.Procedure.Title)
	}
	fmt.Fprintf(&b, "by URL %d, failed %d, drafts %v\n", len(s.ByURL), len(s.Failed), s.Drafts)
	for _, p := range probs.Sorted() {
		fmt.Fprintf(&b, "problem %s\n", p)
	}
	return b.String()
}

// lineDiff returns the lines of got and want that differ.
func lineDiff(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var b strings.Builder
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&b, "got  %s\nwant %s\n", gl, wl)
		}
	}
	return b.String()
}
