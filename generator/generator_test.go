package generator

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"flag"
	"fmt"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/internal/phototest"
	"github.com/consultahq/consulta/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden/")

// testdataSite returns testdata/site in memory, for a test to edit and
// build, its procedures' medical reviews dated a month ago, and every file
// with the same modification time, so that lastmod dates are stable.
func testdataSite(t *testing.T) fstest.MapFS {
	t.Helper()
	site := fixture(t)
	recentReviews(t, site)
	return site
}

// fixture returns testdata/site as testdataSite does, but with the dates
// of its reviews as the golden pages show them.
func fixture(t *testing.T) fstest.MapFS {
	t.Helper()
	site := fstest.MapFS{}
	mtime := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	err := fs.WalkDir(os.DirFS("testdata/site"), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(filepath.Join("testdata", "site", filepath.FromSlash(p)))
		site[p] = &fstest.MapFile{Data: data, Mode: 0o644, ModTime: mtime}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return site
}

// config returns the Config that builds site into a new temporary
// folder, with a cache of its own.
func config(t *testing.T, site fs.FS) Config {
	t.Helper()
	return Config{Site: site, OutDir: filepath.Join(t.TempDir(), "public"), CacheDir: t.TempDir()}
}

// edit replaces old with new in the site's file name, failing when old is
// not there.
func edit(t *testing.T, site fstest.MapFS, name, old, new string) {
	t.Helper()
	f := site[name]
	if f == nil || !bytes.Contains(f.Data, []byte(old)) {
		t.Fatalf("%s has no %q", name, old)
	}
	site[name] = &fstest.MapFile{Data: bytes.Replace(f.Data, []byte(old), []byte(new), 1), Mode: f.Mode, ModTime: f.ModTime}
}

// TestStagesAsDocumented: the package comment lists the stages the code
// runs, in their order.
func TestStagesAsDocumented(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "generator.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	var documented []string
	for _, line := range strings.Split(f.Doc.Text(), "\n") {
		if rest, ok := strings.CutPrefix(line, "\t"); ok {
			documented = append(documented, strings.Fields(rest)[0])
		}
	}
	if !slices.Equal(documented, stageNames()) {
		t.Errorf("the package comment lists the stages %v, the code runs %v", documented, stageNames())
	}
}

// fixtureReview is the date testdata/site's procedures were reviewed on,
// as the golden pages show it; testdataSite makes it recent.
const fixtureReview = "reviewed_on: 2025-01-15"

// recentReviews dates the procedures' medical reviews of site a month
// ago, so that no review is over 12 months old whenever the test runs.
func recentReviews(t *testing.T, site fstest.MapFS) {
	t.Helper()
	recent := "reviewed_on: " + time.Now().AddDate(0, -1, 0).Format(time.DateOnly)
	for _, name := range []string{"rhinoplasty", "facelift"} {
		edit(t, site, "content/procedures/"+name+".md", fixtureReview, recent)
	}
}

// TestBuildGolden builds testdata/site and compares every page (one of
// each kind), the redirect, 404.html, sitemap.xml and robots.txt with
// testdata/golden/, asset hashes aside.
func TestBuildGolden(t *testing.T) {
	cfg := config(t, fixture(t))
	cfg.Now = func() time.Time { return time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC) }
	out := cfg.OutDir
	sum, err := Build(context.Background(), cfg)
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
	site := testdataSite(t)
	cfg := config(t, site)
	out := cfg.OutDir
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	before, err := os.ReadFile(filepath.Join(out, "procedures", "rhinoplasty", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	edit(t, site, "content/procedures/rhinoplasty.md", "[facelift](../facelift/)", "[facelift](../facelfit/)")
	edit(t, site, "content/procedures/rhinoplasty.md", "from: 6000", "from: about 6000")
	_, err = Build(context.Background(), cfg)
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
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".public") {
			t.Errorf("temporary output %s left behind", e.Name())
		}
	}
}

func TestBuildRefusesForeignOutput(t *testing.T) {
	cfg := config(t, testdataSite(t))
	out := t.TempDir()
	if err := os.WriteFile(filepath.Join(out, "thesis.docx"), []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg.OutDir = out
	if _, err := Build(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "not a previous build") {
		t.Fatalf("Build into a folder of other files: err = %v", err)
	}
	if _, err := os.Stat(filepath.Join(out, "thesis.docx")); err != nil {
		t.Fatalf("the folder's file is gone: %v", err)
	}
}

// TestIcons checks that a site without a favicon gets one drawn from its
// initials, at every path the pages link to.
func TestIcons(t *testing.T) {
	cfg := config(t, testdataSite(t))
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	home, err := os.ReadFile(filepath.Join(cfg.OutDir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"favicon.ico", "favicon-32.png", "apple-touch-icon.png", "site.webmanifest"} {
		if _, err := os.Stat(filepath.Join(cfg.OutDir, name)); err != nil {
			t.Errorf("no /%s: %v", name, err)
		}
		if !bytes.Contains(home, []byte(`href="/`+name+`"`)) {
			t.Errorf("the home page does not link to /%s", name)
		}
	}
}

// TestCheckWritesNothing: Check writes nothing anywhere, not the output
// and not the image cache, even for photos and images the cache has never
// seen; it still plans them, and reports one that cannot be published.
func TestCheckWritesNothing(t *testing.T) {
	ctx := context.Background()
	site := testdataSite(t)
	addCase(t, site)
	cfg := config(t, site)
	if _, err := Build(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	// A new photo and a new Markdown image: neither is in the cache.
	site["content/gallery/case-2/jane-roe-after.jpg"] = &fstest.MapFile{Data: phototest.CameraJPEG(t, phototest.Halves(320, 240), 1)}
	site["content/clinic.jpg"] = &fstest.MapFile{Data: phototest.CameraJPEG(t, phototest.Halves(200, 100), 1)}
	site["content/financing.md"].Data = append(site["content/financing.md"].Data, "\n![Our waiting room](clinic.jpg)\n"...)
	before := tree(t, cfg.CacheDir, cfg.OutDir)
	if _, err := Check(ctx, cfg); err != nil {
		t.Fatalf("Check: %v", err)
	}
	site["content/team/dr-amelia-hart.md"].Data = append(site["content/team/dr-amelia-hart.md"].Data, "\n![Not a photo](hart.jpg)\n"...)
	site["content/team/hart.jpg"] = &fstest.MapFile{Data: []byte("not a photo")}
	_, err := Check(ctx, cfg)
	if p := Problems(err); len(p) != 1 || !strings.Contains(p[0].String(), `image "hart.jpg": not a JPEG or PNG image that can be read`) {
		t.Errorf("Check of a page with a broken image: %v", err)
	}
	after := tree(t, cfg.CacheDir, cfg.OutDir)
	for name, want := range before {
		if after[name] != want {
			t.Errorf("Check changed or removed %s", name)
		}
		delete(after, name)
	}
	for name := range after {
		t.Errorf("Check wrote %s", name)
	}
	// A cache folder that does not exist yet is not made.
	fresh := testdataSite(t)
	addCase(t, fresh)
	cfg = config(t, fresh)
	cfg.CacheDir = filepath.Join(cfg.CacheDir, "cache")
	if _, err := Check(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(cfg.CacheDir); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("Check made the cache folder: %v", err)
	}
}

// tree returns every file under the folders with its size, time and
// content hash.
func tree(t *testing.T, dirs ...string) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			info, err := d.Info()
			if err != nil {
				return err
			}
			sum := ""
			if !d.IsDir() {
				data, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				sum = fmt.Sprintf("%x", sha256.Sum256(data))
			}
			files[p] = fmt.Sprintf("%d %s %s", info.Size(), info.ModTime().Format(time.RFC3339Nano), sum)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return files
}
