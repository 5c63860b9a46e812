package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Every starter is a draft: written, the site still builds, the page is
// not published, and build says so.
func TestNewStartersAreDrafts(t *testing.T) {
	site := testSite(t)
	files := map[string]string{
		"procedure": "content/procedures/new-procedure.md",
		"page":      "content/new-page.md",
		"member":    "content/team/new-member.md",
		"case":      "content/gallery/new-case/index.md",
		"review":    "content/reviews/new-review.md",
	}
	for _, kind := range []string{"procedure", "page", "member", "case", "review"} {
		out, errOut, err := runCmd(t, "new", "-s", site, kind, "new-"+kind)
		if err != nil || !strings.HasPrefix(out, "wrote "+filepath.Join(site, files[kind])+", a draft") {
			t.Fatalf("new %s: %v\n%s%s", kind, err, out, errOut)
		}
		src, err := os.ReadFile(filepath.Join(site, files[kind]))
		if err != nil || !bytes.Contains(src, []byte("\ndraft: true\n")) {
			t.Errorf("the %s starter is not a draft (%v):\n%s", kind, err, src)
		}
	}
	if _, _, err := runCmd(t, "new", "-s", site, "page", "new-page"); err == nil || !strings.Contains(err.Error(), "exists already") {
		t.Errorf("new over an existing file: %v", err)
	}
	if _, _, err := runCmd(t, "new", "-s", site, "page", "New Page"); err == nil {
		t.Errorf("new with a bad slug succeeded")
	}
	out, errOut, err := runCmd(t, "build", "-s", site)
	if err != nil {
		t.Fatalf("the starters stop the build: %v\n%s", err, errOut)
	}
	for _, f := range files {
		if !strings.Contains(out, f+": a draft, not published — set draft: false in it when it is ready\n") {
			t.Errorf("build does not say %s is a draft:\n%s", f, out)
		}
	}
	for _, page := range []string{"procedures/new-procedure", "new-page", "team/new-member", "gallery/new-case"} {
		if _, err := os.Stat(filepath.Join(site, "public", page, "index.html")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the draft %s is published (%v)", page, err)
		}
	}
}

// `new case` writes a commented bundle with consent empty; check lists
// what is left to do as warnings, and a build publishes nothing of it.
func TestNewCase(t *testing.T) {
	site := testSite(t)
	out, _, err := runCmd(t, "new", "-s", site, "case", "case-rhinoplasty-2")
	dir := filepath.Join(site, "content", "gallery", "case-rhinoplasty-2")
	if err != nil || !strings.Contains(out, "put the case's photos beside it, in "+dir+"\n") {
		t.Fatalf("new case: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join(dir, "index.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nconsent:\n", "\nprocedure: facelift\n", "(facelift, rhinoplasty)", "\nsurgeon: dr-amelia-hart\n", "beside this file"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("the case starter lacks %q:\n%s", want, src)
		}
	}
	_, errOut, err := runCmd(t, "check", "-s", site)
	const file = "content/gallery/case-rhinoplasty-2/index.md"
	want := file + `:26: warning: consent: missing — write the date the patient's written consent to publish on the web was recorded, e.g. "consent: 2024-03-31"; without it the case is not published` + "\n" +
		file + ":30: warning: the first photo's before: no file before-front.jpg in content/gallery/case-rhinoplasty-2/ — check the name, or add the file\n" +
		file + ":31: warning: the first photo's after: no file after-front.jpg in content/gallery/case-rhinoplasty-2/ — check the name, or add the file\n"
	if !errors.Is(err, errReported) || !strings.HasPrefix(errOut, want) {
		t.Errorf("check on a new case: %v\n%s\nwant first:\n%s", err, errOut, want)
	}
}

// A page made public with its starter text left in is refused, line by
// line, and published once the text is replaced.
func TestStarterTextRefused(t *testing.T) {
	site := testSite(t)
	if _, _, err := runCmd(t, "new", "-s", site, "page", "opening-hours"); err != nil {
		t.Fatal(err)
	}
	md := filepath.Join(site, "content", "opening-hours.md")
	src, _ := os.ReadFile(md)
	src = bytes.Replace(src, []byte("\ndraft: true\n"), []byte("\ndraft: false\n"), 1)
	if err := os.WriteFile(md, src, 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err := runCmd(t, "build", "-s", site)
	want := `content/opening-hours.md:10: description: starter text left in: "TODO: what patients find on this page, in one or two sentences." — replace it with your own, or set draft: true until the page is ready; nothing is published until then
content/opening-hours.md:16: starter text left in: "TODO: write the page in Markdown here." — replace it with your own, or set draft: true until the page is ready; nothing is published until then
2 problems; nothing was written
`
	if !errors.Is(err, errReported) || errOut != want {
		t.Errorf("build of a page with starter text: %v\n%s\nwant:\n%s", err, errOut, want)
	}
	if _, errOut, err := runCmd(t, "check", "-s", site); !errors.Is(err, errReported) || errOut != want {
		t.Errorf("check of a page with starter text: %v\n%s\nwant:\n%s", err, errOut, want)
	}
	src = bytes.Replace(src, []byte("TODO: what patients find on this page, in one or two sentences."), []byte("When we are open."), 1)
	src = bytes.Replace(src, []byte("TODO: write the page in Markdown here."), []byte("Monday to Friday, 9 to 6."), 1)
	if err := os.WriteFile(md, src, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := runCmd(t, "build", "-s", site); err != nil {
		t.Fatalf("build after the text was replaced: %v\n%s", err, errOut)
	}
	if page, err := os.ReadFile(filepath.Join(site, "public", "opening-hours", "index.html")); err != nil || !bytes.Contains(page, []byte("Monday to Friday")) {
		t.Errorf("the page is not published: %v", err)
	}
}
