package generator

import (
	"bytes"
	"context"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/")

// copySite copies testdata/site into a temporary folder, its procedures'
// medical reviews dated a month ago, and gives every file the same
// modification time, so that lastmod dates are stable.
func copySite(t *testing.T) string {
	return copyFixture(t, true)
}

// copyFixture copies testdata/site as copySite does; with recent false,
// its reviews keep the dates the golden pages show.
func copyFixture(t *testing.T, recent bool) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("testdata/site")); err != nil {
		t.Fatal(err)
	}
	if recent {
		recentReviews(t, dir)
	}
	mtime := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		return os.Chtimes(p, mtime, mtime)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// fixtureReview is the date testdata/site's procedures were reviewed on,
// as the golden pages show it; copySite makes it recent.
const fixtureReview = "reviewed_on: 2025-01-15"

// recentReviews dates the procedures' medical reviews of the site in dir
// a month ago, so that no review is over 12 months old whenever the test
// runs.
func recentReviews(t *testing.T, dir string) {
	t.Helper()
	recent := "reviewed_on: " + time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
	for _, name := range []string{"rhinoplasty", "facelift"} {
		edit(t, dir, "content/procedures/"+name+".md", fixtureReview, recent)
	}
}

// TestBuildGolden builds testdata/site and compares every page (one of
// each kind), the redirect, 404.html, sitemap.xml and robots.txt with
// testdata/golden/, asset hashes aside.
func TestBuildGolden(t *testing.T) {
	site := copyFixture(t, false)
	out := filepath.Join(site, "public")
	now := func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }
	sum, err := Build(context.Background(), Config{SiteDir: site, Now: now})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	want := map[content.Kind]int{content.KindHome: 1, content.KindSection: 3, content.KindProcedure: 2, content.KindMember: 2, content.KindCase: 1, content.KindPage: 1}
	for k, n := range want {
		if sum.Pages[k] != n {
			t.Errorf("Summary.Pages[%s] = %d, want %d", k, sum.Pages[k], n)
		}
	}
	if sum.Aliases != 1 || sum.Files == 0 || sum.Bytes == 0 {
		t.Errorf("Summary = %+v", sum)
	}
	var built []string
	err = filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		built = append(built, filepath.ToSlash(rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// The Markdown image diagram.png is published cleaned, under images/.
	for _, name := range []string{"images/83965ad97e5de2b5.png", "humans.txt"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("%s not published: %v", name, err)
		}
	}
	for _, name := range built {
		if strings.HasPrefix(name, "assets/") || !strings.HasSuffix(name, ".html") && !strings.HasSuffix(name, ".xml") && name != "robots.txt" {
			continue
		}
		got, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		golden.Check(t, filepath.Join("testdata", "golden", filepath.FromSlash(name)), golden.RedactPhotos(golden.RedactAssets(got)), *update)
	}
}

// TestBuildKeepsOutputOnProblems checks that a build with a mistake
// reports it and leaves the previous output as it was.
func TestBuildKeepsOutputOnProblems(t *testing.T) {
	site := copySite(t)
	out := filepath.Join(site, "public")
	if _, err := Build(context.Background(), Config{SiteDir: site}); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "procedures", "rhinoplasty", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	md := filepath.Join(site, "content", "procedures", "rhinoplasty.md")
	src, _ := os.ReadFile(md)
	src = bytes.Replace(src, []byte("[facelift](../facelift/)"), []byte("[facelift](../facelfit/)"), 1)
	src = bytes.Replace(src, []byte("from: 6000"), []byte("from: about 6000"), 1)
	if err := os.WriteFile(md, src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Build(context.Background(), Config{SiteDir: site})
	var got []string
	for _, p := range Problems(err) {
		got = append(got, p.String())
	}
	want := []string{
		`content/procedures/rhinoplasty.md:7: fees.from: "about 6000" is not a number — write 6000`,
		`content/procedures/rhinoplasty.md:30: link "../facelfit/" goes to no page (did you mean /procedures/facelift/?) — check the address, or remove the link`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	after, err := os.ReadFile(filepath.Join(out, "procedures", "rhinoplasty", "index.html"))
	if err != nil || !bytes.Equal(before, after) {
		t.Errorf("the previous output changed (err %v)", err)
	}
	entries, _ := os.ReadDir(site)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public") {
			t.Errorf("temporary output %s left behind", e.Name())
		}
	}
}

func TestBuildRefusesForeignOutput(t *testing.T) {
	site := copySite(t)
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "thesis.docx"), []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(context.Background(), Config{SiteDir: site, OutDir: out}); err == nil || !strings.Contains(err.Error(), "not a previous build") {
		t.Fatalf("Build into a folder of other files: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "thesis.docx")); err != nil {
		t.Fatalf("the folder's file is gone: %v", err)
	}
}

// TestIcons checks that a site without a favicon gets one drawn from its
// initials, at every path the pages link to.
func TestIcons(t *testing.T) {
	site := copySite(t)
	if _, err := Build(context.Background(), Config{SiteDir: site}); err != nil {
		t.Fatal(err)
	}
	home, err := os.ReadFile(filepath.Join(site, "public", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"favicon.ico", "favicon-32.png", "apple-touch-icon.png", "site.webmanifest"} {
		if _, err := os.Stat(filepath.Join(site, "public", name)); err != nil {
			t.Errorf("no /%s: %v", name, err)
		}
		if !bytes.Contains(home, []byte(`href="/`+name+`"`)) {
			t.Errorf("the home page does not link to /%s", name)
		}
	}
}
