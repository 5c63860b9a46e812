package content

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// validSite is a small site without a single problem. Each case of
// TestMistakes changes one file of it.
func validSite() fstest.MapFS {
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	return fstest.MapFS{
		"content/site.yaml":            file("name: Harbour Aesthetic Surgery\nbase_url: https://www.example.org/\n"),
		"content/_index.md":            file("---\ntitle: Home\n---\nWelcome.\n"),
		"content/procedures/_index.md": file("---\ntitle: Procedures\n---\n"),
		"content/procedures/rhinoplasty.md": file(`---
title: Rhinoplasty
description: Reshaping the nose.
category: face
summary: Surgery to reshape the nose.
fees:
  from: 6000
  to: 9000
  currency: EUR
anesthesia: general
surgeons:
  - dr-hart
related:
  - facelift
faq:
  - q: Does it hurt?
    a: Less than you think.
reviewed_by: dr-hart
reviewed_on: 2025-11-20
---
# Rhinoplasty

Body.

## Risks

Swelling.
`),
		"content/procedures/facelift.md": file("---\ntitle: Facelift\ncategory: face\nsurgeons: [dr-hart]\nrisks: [Bruising.]\nreviewed_by: dr-hart\nreviewed_on: 2025-11-20\n---\n"),
		"content/team/dr-hart.md":        file("---\ntitle: Dr Amelia Hart\nrole: surgeon\nregistration:\n  body: Irish Medical Council\n  number: 123456\n  url: https://register.example/123456\n---\n"),
		"content/reviews/sarah.md": file(`---
author: Sarah, 42
procedure: rhinoplasty
rating: 5
source: Google
date: 2025-06-30
consent: 2025-07-01
---
Kind, clear and honest.
`),
		"content/gallery/case-1/index.md": file(`---
title: Rhinoplasty, case 1
procedure: rhinoplasty
surgeon: dr-hart
consent: 2024-03-01
photos:
  - before: before.jpg
    after: after.jpg
    angle: front
    alt: Front view
id: a1b2
---
Notes.
`),
		"content/gallery/case-1/before.jpg": file("jpeg"),
		"content/gallery/case-1/after.jpg":  file("jpeg"),
		"content/financing.md":              file("---\ntitle: Financing\naliases: [/fees/]\n---\n"),
		"content/procedures/brow-lift.md":   file("---\ntitle: Brow lift\ncategory: face\ndraft: true\nrisks: [Bruising.]\nreviewed_by: dr-hart\nreviewed_on: 2025-11-20\n---\n"),
	}
}

func load(t *testing.T, fsys fstest.MapFS) (*Site, []string) {
	t.Helper()
	l := NewLoader(fsys)
	l.now = func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	site, probs := l.Load(context.Background())
	var got []string
	for _, p := range probs.Sorted() {
		got = append(got, p.String())
	}
	return site, got
}

func TestValidSite(t *testing.T) {
	site, probs := load(t, validSite())
	if len(probs) > 0 {
		t.Fatalf("problems in the valid site:\n%s", strings.Join(probs, "\n"))
	}
	rh := site.ByURL["/procedures/rhinoplasty/"]
	if rh == nil || rh.Kind != KindProcedure || rh.BodyLine != 21 {
		t.Fatalf("rhinoplasty = %+v", rh)
	}
	pr := rh.Procedure
	if pr.Fees != (Fees{From: 6000, To: 9000, Currency: "EUR"}) || pr.CategoryInfo == nil || pr.CategoryInfo.Title != "Face" {
		t.Errorf("procedure = %+v", pr)
	}
	if len(pr.Surgeons) != 1 || pr.Surgeons[0].Title != "Dr Amelia Hart" || len(pr.Related) != 1 || pr.Related[0].Title != "Facelift" {
		t.Errorf("surgeons %v, related %v", pr.Surgeons, pr.Related)
	}
	if len(pr.Cases) != 1 || pr.Cases[0].Case.Procedure != rh || pr.Cases[0].Case.Surgeon != pr.Surgeons[0] {
		t.Errorf("cases not linked: %+v", pr.Cases)
	}
	if got := len(pr.Surgeons[0].Member.Procedures); got != 2 {
		t.Errorf("member lists %d procedures, want 2", got)
	}
	if site.Home == nil || site.Sections["procedures"] == nil || len(site.Procedures) != 2 || len(site.Members) != 1 || len(site.Cases) != 1 {
		t.Errorf("site lists: home %v, sections %v, %d procedures, %d members, %d cases", site.Home, site.Sections, len(site.Procedures), len(site.Members), len(site.Cases))
	}
	if got := site.Config; got.Language != "en" || got.Theme != "default" || len(got.Categories) != 5 || got.Photos.Widths != nil {
		t.Errorf("defaults not applied: %+v", got)
	}
	for _, p := range site.Pages {
		if p.Draft {
			t.Errorf("draft %s published", p.File)
		}
	}
	if len(site.Reviews) != 1 || site.Reviews[0].PatientReview.Procedure != rh || len(pr.Reviews) != 1 || len(pr.Surgeons[0].Member.Reviews) != 1 {
		t.Errorf("reviews: %v, on the procedure %v, on its surgeon %v", site.Reviews, pr.Reviews, pr.Surgeons[0].Member.Reviews)
	}
	if site.ByURL["/reviews/sarah/"] != nil {
		t.Errorf("a review is published as a page")
	}
	if r := pr.Surgeons[0].Member.Registration; r == nil || r.String() != "Irish Medical Council 123456" {
		t.Errorf("registration = %v", r)
	}
	if site.ByURL["/procedures/brow-lift/"] != nil {
		t.Errorf("a draft is published")
	}
	if fin := site.ByURL["/financing/"]; fin == nil || fin.Kind != KindPage || fin.Aliases[0] != "/fees/" {
		t.Errorf("financing = %+v", fin)
	}
}

// TestMistakes makes one mistake staff can make per case and checks the
// exact problem reported.
func TestMistakes(t *testing.T) {
	rhino := string(validSite()["content/procedures/rhinoplasty.md"].Data)
	case1 := string(validSite()["content/gallery/case-1/index.md"].Data)
	tests := []struct {
		name, file, old, new string
		want                 []string
	}{
		{"not a number", "content/procedures/rhinoplasty.md", "from: 6000", `from: "about 6000"`,
			[]string{`content/procedures/rhinoplasty.md:7: fees.from: "about 6000" is not a number — write 6000`}},
		{"British spelling", "content/procedures/rhinoplasty.md", "anesthesia:", "anaesthesia:",
			[]string{`content/procedures/rhinoplasty.md:10: anaesthesia: unknown key — write anesthesia (the site uses American spelling for keys)`}},
		{"unknown key", "content/procedures/rhinoplasty.md", "summary:", "sumary:",
			[]string{`content/procedures/rhinoplasty.md:5: sumary: unknown key — did you mean summary?`}},
		{"unknown key, nothing near", "content/procedures/rhinoplasty.md", "summary:", "colour: blue\nsummary:",
			[]string{`content/procedures/rhinoplasty.md:5: colour: unknown key — the keys here are title, description, draft, weight, aliases, slug, date, lastmod, category, summary, fees, recovery, duration, anesthesia, surgeons, faq, related, risks, reviewed_by, reviewed_on, sensitive_photos`}},
		{"draft referenced", "content/procedures/facelift.md", "title: Facelift", "title: Facelift\nrelated: [brow-lift]", nil},
		{"unknown nested key", "content/procedures/rhinoplasty.md", "currency: EUR", "curency: EUR",
			[]string{`content/procedures/rhinoplasty.md:9: fees.curency: unknown key — did you mean currency?`}},
		{"missing title", "content/procedures/rhinoplasty.md", "title: Rhinoplasty\n", "",
			[]string{`content/procedures/rhinoplasty.md:1: title: missing — add a line such as "title: Rhinoplasty" to the front matter`}},
		{"missing category", "content/procedures/rhinoplasty.md", "category: face\n", "",
			[]string{`content/procedures/rhinoplasty.md:1: category: missing — add a line such as "category: face" naming one of the categories in content/site.yaml`}},
		{"unknown category", "content/procedures/rhinoplasty.md", "category: face", "category: faec",
			[]string{`content/procedures/rhinoplasty.md:4: category: no category "faec" — did you mean face? — use one of face, breast, body, skin, non-surgical (the categories in content/site.yaml)`}},
		{"unknown surgeon", "content/procedures/rhinoplasty.md", "  - dr-hart", "  - dr-heart",
			[]string{`content/procedures/rhinoplasty.md:12: the first surgeon: no team member "dr-heart" (no file content/team/dr-heart.md) — did you mean dr-hart?`}},
		{"unknown related", "content/procedures/rhinoplasty.md", "  - facelift", "  - face-lift",
			[]string{`content/procedures/rhinoplasty.md:14: the first related procedure: no procedure "face-lift" (no file content/procedures/face-lift.md) — did you mean facelift?`}},
		{"list expected", "content/procedures/rhinoplasty.md", "surgeons:\n  - dr-hart", "surgeons: dr-hart",
			[]string{`content/procedures/rhinoplasty.md:11: surgeons: expected a list, found "dr-hart" — write one item a line, each starting with "- ", e.g. "- dr-hart"`}},
		{"not a bool", "content/procedures/rhinoplasty.md", "summary:", "draft: maybe\nsummary:",
			[]string{`content/procedures/rhinoplasty.md:5: draft: "maybe" is not true or false — write true or false`}},
		{"long description", "content/procedures/rhinoplasty.md", "Reshaping the nose.", strings.Repeat("x", 161),
			[]string{`content/procedures/rhinoplasty.md:3: warning: description: 161 characters, at most 160 — shorten it: search engines cut the rest`}},
		{"fees reversed", "content/procedures/rhinoplasty.md", "to: 9000", "to: 900",
			[]string{`content/procedures/rhinoplasty.md:8: fees.to: 900 is less than fees.from (6000) — write the highest fee in to, or leave to out`}},
		{"bad YAML", "content/procedures/rhinoplasty.md", "summary: Surgery to reshape the nose.", "summary: Surgery: to reshape the nose.",
			[]string{`content/procedures/rhinoplasty.md:5: summary: the text holds ": ", which YAML reads as a new key — put the text in quotes: summary: "Surgery: to reshape the nose."`}},
		{"indented too far", "content/procedures/rhinoplasty.md", "description: Reshaping the nose.", "description: Reshaping the nose.\n  by: us",
			[]string{`content/procedures/rhinoplasty.md:4: by: YAML cannot read this line (mapping values are not allowed in this context) — check that it is indented like the keys around it, and put text holding ": " or " #" in quotes`}},
		{"no front matter", "content/procedures/rhinoplasty.md", rhino, "# Rhinoplasty\n",
			[]string{`content/procedures/rhinoplasty.md:1: no front matter — start the file with a line "---", then "title: …", then another "---"`}},
		{"front matter not closed", "content/procedures/rhinoplasty.md", "---\n# Rhinoplasty", "# Rhinoplasty",
			[]string{`content/procedures/rhinoplasty.md:1: front matter is not closed — add a line "---" after the last key`}},
		{"duplicate URL", "content/procedures/facelift.md", "title: Facelift\n", "title: Facelift\nslug: rhinoplasty\n",
			[]string{`content/procedures/facelift.md:3: slug: the URL /procedures/rhinoplasty/ is also the URL of content/procedures/rhinoplasty.md — choose another slug`}},
		{"alias clash", "content/financing.md", "aliases: [/fees/]", "aliases: [/procedures/]",
			[]string{`content/financing.md:3: the first alias: /procedures/ is the URL of content/procedures/_index.md — an alias must be an old URL that no page has now`}},
		{"consent missing", "content/gallery/case-1/index.md", "consent: 2024-03-01\n", "",
			[]string{`content/gallery/case-1/index.md:1: consent: missing — write the date the patient's written consent to publish on the web was recorded, e.g. "consent: 2024-03-31"; without it the case is not published`}},
		{"consent expired", "content/gallery/case-1/index.md", "consent: 2024-03-01\n", "consent: 2024-03-01\nconsent_expires: 2025-03-01\n",
			[]string{`content/gallery/case-1/index.md:6: warning: consent_expires: consent for case "case-1" expired on 2025-03-01, so the case is not published — renew the patient's consent and update the date, or remove the case`}},
		{"not a date", "content/gallery/case-1/index.md", "consent: 2024-03-01", "consent: last spring",
			[]string{`content/gallery/case-1/index.md:5: consent: "last spring" is not a date — write it as year-month-day, e.g. 2024-03-31`}},
		{"missing photo", "content/gallery/case-1/index.md", "after: after.jpg", "after: afer.jpg",
			[]string{`content/gallery/case-1/index.md:8: the first photo's after: no file afer.jpg in content/gallery/case-1/ — did you mean after.jpg?`}},
		{"missing alt", "content/gallery/case-1/index.md", "    alt: Front view\n", "",
			[]string{`content/gallery/case-1/index.md:7: the first photo's alt: missing — describe the photos for patients who cannot see them, e.g. "alt: front view, 6 months after"`}},
		{"case unknown procedure", "content/gallery/case-1/index.md", "procedure: rhinoplasty", "procedure: rhinoplastie",
			[]string{`content/gallery/case-1/index.md:3: procedure: no procedure "rhinoplastie" (no file content/procedures/rhinoplastie.md) — did you mean rhinoplasty?`}},
		{"case without surgeon", "content/gallery/case-1/index.md", "surgeon: dr-hart\n", "",
			[]string{`content/gallery/case-1/index.md:1: surgeon: missing — add a line such as "surgeon: dr-amelia-hart" naming a file in content/team/`}},
		{"bad site.yaml", "content/site.yaml", "base_url: https://www.example.org/\n", "base_url: www.example.org\nlanguage: [en]\n",
			[]string{
				`content/site.yaml:2: base_url: "www.example.org/" is not an address — write the full address, e.g. https://www.example.org/`,
				`content/site.yaml:3: language: expected text, found a list — write it on one line after the colon`,
			}},
		{"palette contrast", "content/site.yaml", "name:", "palette:\n  ink: \"#999999\"\n  paper: \"#ffffff\"\nname:",
			[]string{`content/site.yaml:2: palette.ink: #999999 on #ffffff has a contrast of 2.8:1, below the 4.5:1 patients need to read it — choose a darker or lighter colour`}},
		{"review without consent", "content/reviews/sarah.md", "consent: 2025-07-01\n", "",
			[]string{`content/reviews/sarah.md:1: consent: missing — write the date the patient's written consent to publish this review was recorded, e.g. "consent: 2025-07-01"; without it the review is not published`}},
		{"review rating", "content/reviews/sarah.md", "rating: 5", "rating: 6",
			[]string{`content/reviews/sarah.md:4: rating: 6 is not a rating — write the patient's rating from 1 to 5, e.g. "rating: 5"`}},
		{"review without author and text", "content/reviews/sarah.md", "author: Sarah, 42\n", "",
			[]string{`content/reviews/sarah.md:1: author: missing — write the name the patient agreed to be shown with, e.g. "author: Sarah, 42"`}},
		{"review unknown procedure", "content/reviews/sarah.md", "procedure: rhinoplasty", "procedure: rhinoplastie",
			[]string{`content/reviews/sarah.md:3: procedure: no procedure "rhinoplastie" (no file content/procedures/rhinoplastie.md) — did you mean rhinoplasty?`}},
		{"registration without number", "content/team/dr-hart.md", "  number: 123456\n", "",
			[]string{`content/team/dr-hart.md:4: registration.number: missing — write the registration number, e.g. "number: 123456"`}},
	}
	_ = case1
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { oneMistake(t, validSite(), tt.file, tt.old, tt.new, tt.want) })
	}
}

// oneMistake replaces old with new in file of fsys, loads it, and checks
// the problems reported are exactly want.
func oneMistake(t *testing.T, fsys fstest.MapFS, file, old, new string, want []string) {
	t.Helper()
	src := string(fsys[file].Data)
	if !strings.Contains(src, old) {
		t.Fatalf("%s has no %q", file, old)
	}
	fsys[file] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
	_, got := load(t, fsys)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
