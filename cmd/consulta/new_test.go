package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"regexp"
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
		"review":    "content/reviews/new-review.md",
	}
	for _, kind := range []string{"procedure", "page", "member", "review"} {
		out, errOut, err := runCmd(t, "new", "-s", site, kind, "new-"+kind)
		if err != nil || !strings.HasPrefix(out, "wrote "+filepath.Join(site, files[kind])+", a draft") {
			t.Fatalf("new %s: %v\n%s%s", kind, err, out, errOut)
		}
	}
	out, errOut, err := runCmd(t, "new", "-s", site, "case", "rhinoplasty")
	if err != nil {
		t.Fatalf("new case: %v\n%s%s", err, out, errOut)
	}
	files["case"] = strings.TrimPrefix(caseFile(t, out), site+"/")
	for kind, f := range files {
		src, err := os.ReadFile(filepath.Join(site, f))
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
	out, errOut, err = runCmd(t, "build", "-s", site)
	if err != nil {
		t.Fatalf("the starters stop the build: %v\n%s", err, errOut)
	}
	for _, f := range files {
		if !strings.Contains(out, f+": a draft, not published — set draft: false in it when it is ready\n") {
			t.Errorf("build does not say %s is a draft:\n%s", f, out)
		}
	}
	for _, page := range []string{"procedures/new-procedure", "new-page", "team/new-member", strings.TrimSuffix(strings.TrimPrefix(files["case"], "content/"), "/index.md")} {
		if _, err := os.Stat(filepath.Join(site, "public", page, "index.html")); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("the draft %s is published (%v)", page, err)
		}
	}
}

// caseFile returns the file that new case wrote, from what it printed.
func caseFile(t *testing.T, out string) string {
	t.Helper()
	m := regexp.MustCompile(`^wrote (\S+/index\.md), a draft`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("new case printed %q", out)
	}
	return m[1]
}

// The procedure starter carries the Risks section and the medical review,
// and names only clinicians.
func TestNewProcedure(t *testing.T) {
	site := testSite(t)
	if _, _, err := runCmd(t, "new", "-s", site, "procedure", "brow-lift"); err != nil {
		t.Fatal(err)
	}
	src, err := os.ReadFile(filepath.Join(site, "content", "procedures", "brow-lift.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\n## Risks\n\nTODO: ", "\nreviewed_by: \"TODO: e.g. dr-amelia-hart\"\n", "\nreviewed_on: \"TODO: ", "(dr-amelia-hart)", "# sensitive_photos: true\n"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("the procedure starter lacks %q:\n%s", want, src)
		}
	}
	if bytes.Contains(src, []byte("sofia-lind")) {
		t.Errorf("the procedure starter offers the coordinator as a surgeon:\n%s", src)
	}
}

// `new case PROCEDURE` writes a commented bundle of that procedure, at an
// address made of the procedure and a new id, naming only clinicians,
// leaving sensitivity to the procedure and every required key a TODO:.
// Filled in, it builds.
func TestNewCase(t *testing.T) {
	site := testSite(t)
	if _, _, err := runCmd(t, "new", "-s", site, "case", "rhinoplsty"); err == nil || err.Error() != `new: no procedure "rhinoplsty" (no file content/procedures/rhinoplsty.md) — did you mean rhinoplasty? — name the case's procedure: consulta new case PROCEDURE` {
		t.Errorf("new case of an unknown procedure: %v", err)
	}
	out, _, err := runCmd(t, "new", "-s", site, "case", "rhinoplasty")
	if err != nil {
		t.Fatalf("new case: %v\n%s", err, out)
	}
	index := caseFile(t, out)
	dir := filepath.Dir(index)
	id := strings.TrimPrefix(filepath.Base(dir), "rhinoplasty-")
	if !strings.Contains(out, "put the case's photos beside it, in "+dir+"\n") || len(id) != 4 {
		t.Fatalf("new case wrote %s:\n%s", dir, out)
	}
	src, err := os.ReadFile(index)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"\nid: " + id + "\n", "\nprocedure: rhinoplasty\n", "\nsurgeon: \"TODO: e.g. dr-amelia-hart\"\n", "(dr-amelia-hart)",
		"\nconsent: \"TODO: ", "\nretouched: \"TODO: ", "\n  age: \"TODO: ", "\nmonths_after: \"TODO: ", "beside this file"} {
		if !bytes.Contains(src, []byte(want)) {
			t.Errorf("the case starter lacks %q:\n%s", want, src)
		}
	}
	for _, bad := range []string{"sofia-lind", "\nsensitive:", "abdominoplasty"} {
		if bytes.Contains(src, []byte(bad)) {
			t.Errorf("the case starter has %q:\n%s", bad, src)
		}
	}
	_, errOut, err := runCmd(t, "check", "-s", site)
	file := "content/gallery/rhinoplasty-" + id + "/index.md"
	want := file + ":36: warning: the first photo's before: no file before-front.jpg in content/gallery/rhinoplasty-" + id + "/ — check the name, or add the file\n" +
		file + ":37: warning: the first photo's after: no file after-front.jpg in content/gallery/rhinoplasty-" + id + "/ — check the name, or add the file\n" +
		"2 warnings; the site builds, but each names something to fix\n"
	if !errors.Is(err, errReported) || errOut != want {
		t.Errorf("check on a new case: %v\n%s\nwant:\n%s", err, errOut, want)
	}

	// Filled in, published.
	for _, side := range []string{"before", "after"} {
		png, err := os.ReadFile(filepath.Join(site, "content", "gallery", "case-rhinoplasty-1", side+"-front.png"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, side+"-front.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	text := string(src)
	for old, new := range map[string]string{
		"draft: true": "draft: false", "-front.jpg": "-front.png",
		`"TODO: e.g. Rhinoplasty, case 4"`: "Rhinoplasty, case 2", `"TODO: e.g. dr-amelia-hart"`: "dr-amelia-hart",
		`"TODO: e.g. 30-39"`: "41", `"TODO: female or male"`: "male", `"TODO: e.g. 6"`: "6",
		`"TODO: the date written consent was recorded"`: "2025-02-03", `"TODO: false or true"`: "false",
		`"TODO: e.g. Front view, before and six months after rhinoplasty"`:              "Front view",
		"TODO: the surgeon's notes for patients: what was done, and how recovery went.": "A smaller hump.",
	} {
		text = strings.ReplaceAll(text, old, new)
	}
	if err := os.WriteFile(index, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, errOut, err := runCmd(t, "build", "-s", site); err != nil {
		t.Fatalf("build of the filled-in case: %v\n%s\n%s", err, errOut, text)
	}
	page, err := os.ReadFile(filepath.Join(site, "public", "gallery", "rhinoplasty-"+id, "index.html"))
	if err != nil || !bytes.Contains(page, []byte("Male, aged 40-49")) || !bytes.Contains(page, []byte("Unretouched photos")) {
		t.Errorf("the filled-in case is not published as written (%v)", err)
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

// A care step's starter is a draft of the procedure's folder; once it is
// not, check names each starter text left in, and a step written in full
// passes.
func TestNewCare(t *testing.T) {
	site := testSite(t)
	if _, _, err := runCmd(t, "new", "-s", site, "care", "rhinoplsty", "cold-sores"); err == nil || !strings.Contains(err.Error(), "did you mean rhinoplasty?") {
		t.Errorf("new care of an unknown procedure: %v", err)
	}
	out, errOut, err := runCmd(t, "new", "-s", site, "care", "rhinoplasty", "cold-sores")
	file := filepath.Join(site, "content", "care", "rhinoplasty", "cold-sores.md")
	if err != nil || !strings.HasPrefix(out, "wrote "+file+", a draft") {
		t.Fatalf("new care: %v\n%s%s", err, out, errOut)
	}
	if _, _, err := runCmd(t, "new", "-s", site, "care", "_default", "cold-sores"); err != nil {
		t.Errorf("new care _default: %v", err)
	}
	if _, errOut, err := runCmd(t, "check", "-s", site); err != nil {
		t.Fatalf("a care starter stops check: %v\n%s", err, errOut)
	}
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(string(src), "\ndraft: true\n", "\ndraft: false\n", 1)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, err = runCmd(t, "check", "-s", site)
	for _, want := range []string{
		"content/care/rhinoplasty/cold-sores.md:14: title: starter text left in",
		"content/care/rhinoplasty/cold-sores.md:40: starter text left in",
	} {
		if err == nil || !strings.Contains(errOut, want) {
			t.Errorf("check of the starter, no longer a draft, does not say %q:\n%s", want, errOut)
		}
	}
	for _, r := range [][2]string{
		{`title: "TODO: e.g. Cold Sores"`, `title: "Cold sores"`},
		{`reviewed_by: "TODO: e.g. dr-amelia-hart"`, `reviewed_by: dr-amelia-hart`},
		{`reviewed_on: "TODO: the date of the review, e.g. 2026-03-31"`, `reviewed_on: 2026-11-30`},
		{"TODO: write what the patient should do", "If you get cold sores, tell us a week before."},
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("the starter has no %q", r[0])
		}
		text = strings.Replace(text, r[0], r[1], 1)
	}
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errOut, err := runCmd(t, "check", "-s", site); err != nil {
		t.Errorf("check of the step written in full: %v\n%s%s", err, out, errOut)
	}
}
