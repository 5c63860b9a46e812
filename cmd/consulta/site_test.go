package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/consultahq/consulta/generator"
	"image/png"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/syncbuf"
)

// testSite copies the generator's test site into a temporary folder.
func testSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS("../../generator/testdata/site")); err != nil {
		t.Fatal(err)
	}
	// The procedures were medically reviewed a month ago, whenever the
	// test runs: a review over 12 months old is a warning.
	recent := []byte("reviewed_on: " + time.Now().AddDate(0, -1, 0).Format(time.DateOnly))
	for _, name := range []string{"rhinoplasty", "facelift"} {
		p := filepath.Join(dir, "content", "procedures", name+".md")
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, bytes.Replace(src, []byte("reviewed_on: 2025-01-15"), recent, 1), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func runCmd(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errb bytes.Buffer
	err = run(context.Background(), args, func(string) string { return "" }, strings.NewReader(""), &out, &errb)
	return out.String(), errb.String(), err
}

func TestBuildCommand(t *testing.T) {
	site := testSite(t)
	out, errOut, err := runCmd(t, "build", "-s", site)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, errOut)
	}
	if !regexp.MustCompile(`^built .+ in [\d.]+m?s: 10 pages \(1 home, 3 sections, 2 procedures, 2 team members, 1 case, 1 page, 1 redirect\); \d+ files, [\d.]+ kB\n$`).MatchString(out) {
		t.Errorf("summary = %q", out)
	}
	if _, err := os.Stat(filepath.Join(site, "public", "procedures", "rhinoplasty", "index.html")); err != nil {
		t.Error(err)
	}
}

func TestCheckCommand(t *testing.T) {
	site := testSite(t)
	if out, errOut, err := runCmd(t, "check", "-s", site); err != nil || !strings.Contains(out, "no problems") {
		t.Fatalf("check of a good site: %v\n%s%s", err, out, errOut)
	}
	md := filepath.Join(site, "content", "procedures", "facelift.md")
	src, _ := os.ReadFile(md)
	src = bytes.Replace(src, []byte("category: face"), []byte("category: faces\nanaesthesia: local"), 1)
	if err := os.WriteFile(md, src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runCmd(t, "check", "-s", site)
	if !errors.Is(err, errReported) {
		t.Fatalf("check of a bad site: err = %v", err)
	}
	want := `content/procedures/facelift.md:4: category: no category "faces" — did you mean face? — use one of face, breast, body, skin, non-surgical (the categories in content/site.yaml)
content/procedures/facelift.md:5: anaesthesia: unknown key — write anesthesia (the site uses American spelling for keys)
2 problems; nothing was written
`
	if errOut != want {
		t.Errorf("check printed:\n%s\nwant:\n%s", errOut, want)
	}
	if _, err := os.Stat(filepath.Join(site, "public")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("check wrote public/: %v", err)
	}
}

// TestCheckWritesNothing: consulta check leaves every file under the
// site folder as it was, the output and the photo cache included, even
// with a photo the cache has never seen.
func TestCheckWritesNothing(t *testing.T) {
	site := testSite(t)
	if _, errOut, err := runCmd(t, "build", "-s", site); err != nil {
		t.Fatalf("build: %v\n%s", err, errOut)
	}
	photo := filepath.Join(site, "content", "gallery", "case-rhinoplasty-1", "after-front.png")
	src, err := os.ReadFile(photo)
	if err != nil {
		t.Fatal(err)
	}
	src, err = reencodePNG(src)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(photo, src, 0o644); err != nil {
		t.Fatal(err)
	}
	before := siteTree(t, site)
	if out, errOut, err := runCmd(t, "check", "-s", site); err != nil {
		t.Fatalf("check: %v\n%s%s", err, out, errOut)
	}
	after := siteTree(t, site)
	for name, want := range before {
		if after[name] != want {
			t.Errorf("check changed or removed %s", name)
		}
		delete(after, name)
	}
	for name := range after {
		t.Errorf("check wrote %s", name)
	}
}

// reencodePNG returns the same picture as another PNG file.
func reencodePNG(src []byte) ([]byte, error) {
	m, err := png.Decode(bytes.NewReader(src))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	err = (&png.Encoder{CompressionLevel: png.NoCompression}).Encode(&b, m)
	return b.Bytes(), err
}

// siteTree returns every file and folder under dir with its size, time
// and content.
func siteTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		files[p] = fmt.Sprint(info.Size(), info.ModTime().UnixNano())
		if !d.IsDir() {
			data, err := os.ReadFile(p)
			files[p] += string(data)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func TestHelp(t *testing.T) {
	for _, cmd := range []string{"build", "check", "new", "serve"} {
		_, errOut, err := runCmd(t, cmd, "-help")
		if !errors.Is(err, flag.ErrHelp) || !strings.HasPrefix(errOut, "usage: consulta "+cmd) || !strings.Contains(errOut, "Flags:") {
			t.Errorf("%s -help: %v\n%s", cmd, err, errOut)
		}
	}
}

func TestServe(t *testing.T) {
	site := testSite(t)
	appendFile(t, filepath.Join(site, "content", "site.yaml"), "compliance: [uk]\ncompliance_strict: false\n")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncbuf.Buffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "-s", site, "-addr", "127.0.0.1:0"}, func(string) string { return "" }, strings.NewReader(""), &out, &errOut)
	}()
	var base string
	addrRE := regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(10 * time.Second); base == ""; time.Sleep(10 * time.Millisecond) {
		if m := addrRE.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s%s", out.String(), errOut.String())
		}
	}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/procedures/rhinoplasty/"); code != 200 || !strings.Contains(body, "/_consulta/livereload") {
		t.Fatalf("GET page: %d", code)
	}
	if code, _ := get("/no/such/page/"); code != 404 {
		t.Errorf("GET a missing page: %d, want 404", code)
	}

	events, err := http.Get(base + generator.ReloadPath)
	if err != nil {
		t.Fatal(err)
	}
	defer events.Body.Close()
	reloads, connected := make(chan string, 10), make(chan struct{})
	go func() {
		sc := bufio.NewScanner(events.Body)
		for sc.Scan() {
			switch {
			case sc.Text() == ": connected":
				close(connected)
			case strings.HasPrefix(sc.Text(), "data:"):
				reloads <- sc.Text()
			}
		}
	}()
	// The watcher is ready before serve prints its address; wait for the
	// stream, so that no reload is sent before this test listens.
	select {
	case <-connected:
	case <-time.After(10 * time.Second):
		t.Fatal("the live-reload stream did not open")
	}
	edit := func(old, new string) {
		t.Helper()
		md := filepath.Join(site, "content", "procedures", "facelift.md")
		src, _ := os.ReadFile(md)
		if err := os.WriteFile(md, bytes.Replace(src, []byte(old), []byte(new), 1), 0o644); err != nil {
			t.Fatal(err)
		}
		select {
		case <-reloads:
		case <-time.After(10 * time.Second):
			t.Fatalf("no reload after an edit:\n%s%s", out.String(), errOut.String())
		}
	}
	edit("lower face", "lower face and jawline")
	if _, body := get("/procedures/facelift/"); !strings.Contains(body, "lower face and jawline") {
		t.Errorf("the edit is not served")
	}
	edit("from: 9000", "from: about 9000")
	code, body := get("/procedures/facelift/")
	if code != 500 || !strings.Contains(body, `<span class="where">content/<wbr>procedures/<wbr>facelift.md, line 6</span> fees.from: &#34;about 9000&#34; is not a number — write 9000`) {
		t.Errorf("a bad edit is not shown in the browser: %d\n%s", code, body)
	}
	if !strings.Contains(errOut.String(), `content/procedures/facelift.md:6: fees.from: "about 9000" is not a number — write 9000`) {
		t.Errorf("a bad edit is not shown in the terminal:\n%s", errOut.String())
	}
	edit("from: about 9000", "from: 9000")
	if code, body := get("/procedures/facelift/"); code != 200 || strings.Contains(body, generator.ProblemsPath) {
		t.Errorf("after the fix: %d", code)
	}
	// A warning, here of the advertising rules, leaves the site served,
	// with a link on every page to the list of warnings.
	edit("lower face and jawline", "lower face, risk-free,")
	if code, body := get("/procedures/rhinoplasty/"); code != 200 || !strings.Contains(body, `<a href="/_consulta/problems/"`) || !strings.Contains(body, "1 warning in the site") {
		t.Errorf("a page while the site has a warning: %d\n%s", code, body)
	}
	code, body = get(generator.ProblemsPath)
	if code != 200 || !strings.Contains(body, "1 warning: the site builds") || !strings.Contains(body, `<span class="label">Warning</span> <span class="where">content/<wbr>procedures/<wbr>facelift.md, line 17</span> &#34;risk-free&#34; trivialises a medical procedure`) {
		t.Errorf("the list of warnings: %d\n%s", code, body)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestCheckFailsOnWarnings(t *testing.T) {
	site := testSite(t)
	md := filepath.Join(site, "content", "gallery", "case-rhinoplasty-1", "index.md")
	src, _ := os.ReadFile(md)
	src = bytes.Replace(src, []byte("consent: 2024-03-01"), []byte("consent: 2024-03-01\nconsent_expires: 2025-01-01"), 1)
	if err := os.WriteFile(md, src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runCmd(t, "check", "-s", site)
	if !errors.Is(err, errReported) || !strings.Contains(errOut, `content/gallery/case-rhinoplasty-1/index.md:10: warning: consent_expires: consent for case "case-rhinoplasty-1" expired on 2025-01-01`) {
		t.Errorf("check with an expired consent: %v\n%s", err, errOut)
	}
	if _, errOut, err := runCmd(t, "build", "-s", site); err != nil {
		t.Errorf("a warning stopped the build: %v\n%s", err, errOut)
	}
}

// appendFile adds text to the end of the file at name.
func appendFile(t *testing.T, name, text string) {
	t.Helper()
	f, err := os.OpenFile(name, os.O_APPEND|os.O_WRONLY, 0)
	if err == nil {
		_, err = f.WriteString(text)
		err = errors.Join(err, f.Close())
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestComplianceCommands checks that build and check list what the
// advertising rules found and the lines that allow one.
func TestComplianceCommands(t *testing.T) {
	site := testSite(t)
	appendFile(t, filepath.Join(site, "content", "site.yaml"), "compliance: [uk]\ncompliance_strict: false\n")
	page := "---\ntitle: Our standards\n---\nRegulators ruled against ads naming \"Botox\". <!-- compliance: allow prescription-only-medicine -->\nHurry!\n"
	if err := os.WriteFile(filepath.Join(site, "content", "standards.md"), []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	allowed := `content/standards.md:4: prescription-only-medicine allowed "botox"` + "\n"
	warning := `content/standards.md:5: warning: "hurry" puts time pressure on the decision to have a medical procedure (UK CAP Code rule 1.3 and CAP guidance on cosmetic interventions) — remove the deadline; patients need time to decide, after a consultation` + "\n"
	out, errOut, err := runCmd(t, "build", "-s", site)
	if err != nil || !strings.HasPrefix(out, allowed) || !strings.HasSuffix(out, "; advertising rules uk: 1 warning, 1 line allowed\n") || errOut != warning {
		t.Errorf("build: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}
	out, errOut, err = runCmd(t, "check", "-s", site)
	if !errors.Is(err, errReported) || out != allowed || errOut != warning+"1 warning (advertising rules uk: 1 warning, 1 line allowed); the site builds, but each names something to fix\n" {
		t.Errorf("check: %v\nstdout:\n%s\nstderr:\n%s", err, out, errOut)
	}

	// By default, a broken rule stops the build.
	yaml := filepath.Join(site, "content", "site.yaml")
	src, err := os.ReadFile(yaml)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(yaml, bytes.Replace(src, []byte("compliance_strict: false\n"), nil, 1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err = runCmd(t, "build", "-s", site)
	if !errors.Is(err, errReported) || errOut != strings.Replace(warning, "warning: ", "", 1)+"1 problem; nothing was written\n" {
		t.Errorf("build without compliance_strict: false: %v\n%s", err, errOut)
	}
}
