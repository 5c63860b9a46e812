package generator

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// write writes a new file of the site.
func write(t *testing.T, site fstest.MapFS, name, text string) {
	t.Helper()
	site[name] = &fstest.MapFile{Data: []byte(text)}
}

// testimonial is the message and source of the UK's rule on testimonials.
const testimonial = "exaggerates the results of a procedure in a testimonial (UK CAP Code rules on testimonials and CAP guidance on cosmetic interventions) — leave this review out, or publish it only as the patient wrote it with the claim taken out, with their agreement"

// problems runs Check on site and returns every problem as staff read it.
func problems(t *testing.T, site fstest.MapFS) []string {
	t.Helper()
	sum, err := Check(context.Background(), Config{Site: site})
	var got []string
	for _, p := range Problems(err) {
		got = append(got, p.String())
	}
	if err != nil && got == nil {
		t.Fatalf("Check: %v", err)
	}
	if err == nil {
		for _, p := range sum.Warnings {
			got = append(got, p.String())
		}
	}
	return got
}

// TestStaffMistakes makes, one at a time, the mistakes a member of staff
// made following docs/content.md, and checks that each gives the one
// message that names the file, the line, the field and the fix, and
// nothing else.
func TestStaffMistakes(t *testing.T) {
	const (
		rhinoplasty = "content/procedures/rhinoplasty.md"
		facelift    = "content/procedures/facelift.md"
		caseIndex   = "content/gallery/case-rhinoplasty-1/index.md"
	)
	tests := []struct {
		name string
		make func(t *testing.T, site fstest.MapFS)
		want []string
	}{
		{
			name: "a gallery photo missing",
			make: func(t *testing.T, site fstest.MapFS) {
				delete(site, "content/gallery/case-rhinoplasty-1/after-front.png")
			},
			want: []string{
				caseIndex + ":12: the first photo's after: no file after-front.png in content/gallery/case-rhinoplasty-1/ — check the name, or add the file",
			},
		},
		{
			name: "a tab in the front matter",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "  - dr-amelia-hart", "\t- dr-amelia-hart")
			},
			want: []string{rhinoplasty + ":15: this line starts with a tab — indent with spaces: YAML does not allow tabs"},
		},
		{
			name: "a tab in site.yaml",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, "content/site.yaml", "phone:", "\tphone:") },
			want: []string{"content/site.yaml:3: phone: this line starts with a tab — indent with spaces: YAML does not allow tabs"},
		},
		{
			name: "a quote inside a quoted text",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "summary: Surgery to reshape the nose, for appearance or breathing.", `summary: "Surgery to "reshape" the nose, for appearance or breathing."`)
			},
			want: []string{rhinoplasty + `:5: summary: the text in quotes holds a " of its own, so YAML cannot tell where it ends — write \" for each " inside: summary: "Surgery to \"reshape\" the nose, for appearance or breathing."`},
		},
		{
			name: "a quoted text not closed",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "summary: Surgery to reshape the nose, for appearance or breathing.", `summary: "Surgery to reshape the nose`)
			},
			want: []string{rhinoplasty + `:5: summary: the text in quotes is not closed on this line — add the closing " at its end: summary: "Surgery to reshape the nose"`},
		},
		{
			name: "an apostrophe inside a text in single quotes",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "recovery: 1-2 weeks", "recovery: 'one to two weeks, it's said'")
			},
			want: []string{rhinoplasty + `:11: recovery: the text in quotes holds a ' of its own, so YAML cannot tell where it ends — write '' for each ' inside: recovery: 'one to two weeks, it''s said'`},
		},
		{
			name: "no space after a colon",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, rhinoplasty, "category: face", "category:face") },
			want: []string{rhinoplasty + `:4: category: no space after the colon — write "category: face"`},
		},
		{
			name: "text holding a colon and a space",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "duration: 2-3 hours", "duration: Usually: 2-3 hours")
			},
			want: []string{rhinoplasty + `:12: duration: the text holds ": ", which YAML reads as a new key — put the text in quotes: duration: "Usually: 2-3 hours"`},
		},
		{
			name: "a list item without its dash",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "  - dr-amelia-hart\n", "  - dr-amelia-hart\n  sofia-lind\n")
			},
			want: []string{rhinoplasty + `:16: surgeons: this line is in the list above but does not start with "- " — write "  - sofia-lind"`},
		},
		{
			name: "a question without its dash",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "    a: Most patients describe *discomfort* rather than pain.\n", "    a: Most patients describe *discomfort* rather than pain.\n  q: How long?\n    a: Two weeks.\n")
			},
			want: []string{rhinoplasty + `:21: faq: this line is in the list above but does not start with "- " — write "  - q: How long?"`},
		},
		{
			name: "a key written twice in front matter",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "weight: 1\n", "weight: 1\ntitle: Nose reshaping\n")
			},
			want: []string{rhinoplasty + ":27: title: written a second time (first on line 2) — keep one of the two and delete the other"},
		},
		{
			name: "a key written twice in site.yaml",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", "coordinator_email:", "phone: \"+44 20 7946 0999\"\ncoordinator_email:")
			},
			want: []string{"content/site.yaml:6: phone: written a second time (first on line 3) — keep one of the two and delete the other"},
		},
		{
			name: "a date that does not exist",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "consent: 2024-03-01", "consent: 2024-02-30")
			},
			want: []string{caseIndex + `:9: consent: "2024-02-30" is not a date: February 2024 has 29 days — check the day`},
		},
		{
			name: "a month that does not exist",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "consent: 2024-03-01", "consent: 2024-13-01")
			},
			want: []string{caseIndex + `:9: consent: "2024-13-01" is not a date: there is no month 13 — write year-month-day, with the month from 01 to 12`},
		},
		{
			name: "a number written as a word",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "months_after: 6", "months_after: six")
			},
			want: []string{caseIndex + `:8: months_after: "six" is not a number — write 6`},
		},
		{
			name: "a number written as text",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "months_after: 6", "months_after: half a year")
			},
			want: []string{caseIndex + `:8: months_after: "half a year" is not a number — write a whole number in digits, e.g. 6`},
		},
		{
			name: "a case of a procedure with sensitive photos set not sensitive",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "weight: 1\n", "weight: 1\nsensitive_photos: true\n")
				edit(t, site, caseIndex, "months_after: 6\n", "months_after: 6\nsensitive: false\n")
			},
			want: []string{caseIndex + ":9: sensitive: rhinoplasty's photos are sensitive (sensitive_photos: true in content/procedures/rhinoplasty.md), so its cases are always shown only when the visitor chooses — remove this line"},
		},
		{
			name: "a patient's name as the age",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "age: 30-39", `age: "Margaret Doyle, 54"`)
			},
			want: []string{caseIndex + `:6: patient.age: "Margaret Doyle, 54" is not an age band — write one of 18-29, 30-39, 40-49, 50-59, 60-69, 70+, or the patient's age as a whole number from 18 to 100 (it is published as its band)`},
		},
		{
			name: "an age under 18",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, caseIndex, "age: 30-39", "age: 16") },
			want: []string{caseIndex + `:6: patient.age: "16" is not an age band — write one of 18-29, 30-39, 40-49, 50-59, 60-69, 70+, or the patient's age as a whole number from 18 to 100 (it is published as its band)`},
		},
		{
			name: "sex written as a letter",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, caseIndex, "sex: female", "sex: F") },
			want: []string{caseIndex + `:7: patient.sex: "F" is not one of the words for sex — write female`},
		},
		{
			name: "a consent date in the future",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "consent: 2024-03-01", "consent: 2099-03-01")
			},
			want: []string{caseIndex + ":9: consent: 2099-03-01 is in the future — write the date the patient's written consent was recorded; nothing is published before it is"},
		},
		{
			name: "the coordinator named as a case's surgeon",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "surgeon: dr-amelia-hart", "surgeon: sofia-lind")
			},
			want: []string{caseIndex + ":4: surgeon: sofia-lind (role: coordinator) is not a clinician: only team members with a clinical role (surgeon, doctor, nurse, …) may be named here — write one of dr-amelia-hart"},
		},
		{
			name: "the coordinator among a procedure's surgeons",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "  - dr-amelia-hart\n", "  - dr-amelia-hart\n  - sofia-lind\n")
			},
			want: []string{rhinoplasty + ":16: the second surgeon: sofia-lind (role: coordinator) is not a clinician: only team members with a clinical role (surgeon, doctor, nurse, …) may be named here — write one of dr-amelia-hart"},
		},
		{
			name: "a coordinator address without a domain ending",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", "coordinator@example.org", "coordinator@harbour-aesthetic")
			},
			want: []string{`content/site.yaml:6: coordinator_email: "coordinator@harbour-aesthetic" is not an address emails can be sent to: the part after @ has no dot, as a domain like example.org has — write the coordinator's address, e.g. coordinator@your-practice.example`},
		},
		{
			name: "the phone written without its country",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", `phone: "+44 20 7946 0123"`, `phone: "015550199"`)
			},
			want: []string{`content/site.yaml:3: phone: "015550199" does not say its country — write it with + and the country code, e.g. "+353 1 555 0142", or set intake.region (e.g. IE) so that it is read as that country's`},
		},
		{
			name: "a phone number that is not one",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", `phone: "+44 20 7946 0123"`, `phone: "+44 20 794"`)
			},
			want: []string{`content/site.yaml:3: phone: "+44 20 794" is not a phone number of its country code — check the digits, and write it with + and the country code, e.g. "+353 1 555 0142"`},
		},
		{
			name: "a case without an id",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, caseIndex, "id: 7kq2\n", "") },
			want: []string{caseIndex + `:1: id: missing — add a line "id: jaer": the case's address is made from its procedure and this short code, never from the folder's name`},
		},
		{
			name: "a case id that is not a short code",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, caseIndex, "id: 7kq2", "id: Margaret Doyle") },
			want: []string{caseIndex + `:15: id: "Margaret Doyle" is not a short code — write 3 to 12 lower-case letters and digits that say nothing of the patient, e.g. id: jaer`},
		},
		{
			name: "a procedure without risks",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, rhinoplasty, "## Risks", "## After surgery") },
			want: []string{rhinoplasty + `:28: no Risks section — add a section "## Risks" saying what can go wrong and how often, or list the risks in the front matter: risks: ["…", "…"]`},
		},
		{
			name: "a procedure without a medical review",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, rhinoplasty, "reviewed_by: dr-amelia-hart\n", "") },
			want: []string{rhinoplasty + `:1: reviewed_by: missing — name the clinician who checked this page, e.g. "reviewed_by: dr-amelia-hart" (a file name in content/team/ without .md), and the date in reviewed_on`},
		},
		{
			name: "a procedure reviewed by the coordinator",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "reviewed_by: dr-amelia-hart", "reviewed_by: sofia-lind")
			},
			want: []string{rhinoplasty + ":24: reviewed_by: sofia-lind (role: coordinator) is not a clinician: only team members with a clinical role (surgeon, doctor, nurse, …) may be named here — write one of dr-amelia-hart"},
		},
		{
			name: "a medical review over 12 months old",
			make: func(t *testing.T, site fstest.MapFS) {
				src := site[rhinoplasty].Data
				i := bytes.Index(src, []byte("reviewed_on: "))
				edit(t, site, rhinoplasty, string(src[i:i+23]), "reviewed_on: 2020-05-04")
			},
			want: []string{rhinoplasty + ":25: warning: reviewed_on: the page was last reviewed on 2020-05-04, more than 12 months ago — ask dr-amelia-hart to check it again, then update reviewed_on"},
		},
		{
			name: "the old reviewed key",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/procedures/facelift.md", "weight: 2\n", "weight: 2\nreviewed:\n  by: dr-amelia-hart\n")
			},
			want: []string{"content/procedures/facelift.md:10: reviewed: write the review as two keys instead: reviewed_by (the clinician, a file name in content/team/ without .md) and reviewed_on (the date)"},
		},
		{
			name: "a surgeon named by part of their name",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "surgeon: dr-amelia-hart", "surgeon: dr-hart")
			},
			want: []string{caseIndex + `:4: surgeon: no team member "dr-hart" (no file content/team/dr-hart.md) — did you mean dr-amelia-hart?`},
		},
		{
			name: "a surgeon nothing like any",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "surgeon: dr-amelia-hart", "surgeon: mr-jones")
			},
			want: []string{caseIndex + `:4: surgeon: no team member "mr-jones" (no file content/team/mr-jones.md) — write one of dr-amelia-hart, sofia-lind`},
		},
		{
			name: "a procedure named by its title",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "procedure: rhinoplasty", "procedure: Rhinoplasty")
			},
			want: []string{caseIndex + `:3: procedure: no procedure "Rhinoplasty" (no file content/procedures/Rhinoplasty.md) — did you mean rhinoplasty?`},
		},
		{
			name: "a photo's name in other capitals",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, caseIndex, "after: after-front.png", "after: After-Front.PNG")
			},
			want: []string{caseIndex + ":12: the first photo's after: no file After-Front.PNG in content/gallery/case-rhinoplasty-1/ — did you mean after-front.png? A file's name must be written exactly, capitals included"},
		},
		{
			name: "an image's name in other capitals",
			make: func(t *testing.T, site fstest.MapFS) { edit(t, site, rhinoplasty, "(diagram.png)", "(Diagram.PNG)") },
			want: []string{rhinoplasty + `:32: image "Diagram.PNG": no file content/procedures/Diagram.PNG — did you mean diagram.png? A file's name must be written exactly, capitals included`},
		},
		{
			name: "a link by a procedure's title",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/procedures/facelift.md", "title: Facelift", "title: Face lift")
				edit(t, site, rhinoplasty, "[facelift](../facelift/)", "[facelift](/procedures/face-lift/)")
			},
			want: []string{rhinoplasty + `:30: link "/procedures/face-lift/" goes to no page (did you mean /procedures/facelift/?) — check the address, or remove the link`},
		},
		{
			name: "a link by a procedure's old address",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "[facelift](../facelift/)", "[nose job](/procedures/nose-job/)")
			},
			want: []string{rhinoplasty + `:30: link "/procedures/nose-job/" goes to no page (did you mean /procedures/rhinoplasty/?) — check the address, or remove the link`},
		},
		{
			name: "an exaggerated review under advertising rules",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", "coordinator_email:", "compliance: [uk]\ncoordinator_email:")
				write(t, site, "content/reviews/rhinoplasty-ann.md", "---\nauthor: \"Ann, 52\"\nprocedure: rhinoplasty\nrating: 5\nsource: Google\ndate: 2024-05-01\nconsent: 2024-05-02\n---\nA miracle worker! I look ten years younger, flawless, and no scars.\n")
			},
			want: []string{
				`content/reviews/rhinoplasty-ann.md:9: "miracle" ` + testimonial,
				`content/reviews/rhinoplasty-ann.md:9: "years younger" ` + testimonial,
				`content/reviews/rhinoplasty-ann.md:9: "flawless" ` + testimonial,
				`content/reviews/rhinoplasty-ann.md:9: "no scars" ` + testimonial,
			},
		},
		{
			name: "offers under advertising rules",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", "coordinator_email:", "compliance: [ie]\ncoordinator_email:")
				edit(t, site, "content/financing.md", "description: Spread the cost of your procedure.", "description: \"Christmas special: save €1,000 when you book before Friday.\"")
			},
			want: []string{
				`content/financing.md:3: description: "christmas special" ties a medical procedure to a season or an event, as a promotion (Irish ASAI Code, sales promotions) — remove the offer; a medical procedure is decided on at a consultation, not for an occasion`,
				`content/financing.md:3: description: "save €1,000" offers money off a medical procedure (Irish ASAI Code, sales promotions) — remove the offer and state the fees plainly`,
			},
		},
		{
			name: "a file saved in Latin-1",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "for appearance", "for appearance, caf\xe9")
			},
			want: []string{rhinoplasty + ":5: this line has a character that is not UTF-8 — save the file as UTF-8 (in your editor: Save As, then choose the encoding UTF-8)"},
		},
		{
			name: "two files with one URL",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, facelift, "title: Facelift\n", "title: Facelift\nslug: rhinoplasty\n")
			},
			want: []string{facelift + ":3: slug: the URL /procedures/rhinoplasty/ is also the URL of content/procedures/rhinoplasty.md — choose another slug"},
		},
		{
			name: "two files with one URL, neither setting slug",
			make: func(t *testing.T, site fstest.MapFS) {
				site["content/financing/index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Financing\n---\nPlans.\n")}
			},
			want: []string{
				"content/financing.md: the URL /financing/ is also the URL of content/financing/index.md — rename one of the files, or give one a slug",
				"content/financing/index.md: the URL /financing/ is also the URL of content/financing.md — rename one of the files, or give one a slug",
			},
		},
		{
			name: "a broken link inside a FAQ answer",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "rather than pain.", "rather than pain. See [financing](/financng/).")
			},
			want: []string{rhinoplasty + `:20: link "/financng/" goes to no page (did you mean /financing/?) — check the address, or remove the link`},
		},
		{
			name: "a full link to the site's own domain that goes nowhere",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "[financing](/financing/)", "[financing](https://www.example.org/financng/)")
			},
			want: []string{rhinoplasty + `:30: link "https://www.example.org/financng/" goes to no page (did you mean /financing/?) — check the address, or remove the link`},
		},
		{
			name: "a fee changed, the description not",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, rhinoplasty, "Nose reshaping surgery", "Nose reshaping surgery from €6,500")
			},
			want: []string{rhinoplasty + ":3: warning: description: says €6,500, but the fees are €6,000 – €9,000 — change the price here to match fees, or leave it out and let the fees show it"},
		},
		{
			name: "a surgeon's registration without the register's page",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/team/dr-amelia-hart.md", "weight: 1\n", "registration:\n  body: General Medical Council\n  number: \"1234567\"\nweight: 1\n")
			},
			want: []string{"content/team/dr-amelia-hart.md:6: warning: registration.url: missing — add the public register's page for Dr Amelia Hart (url: https://…), so that patients can check the registration themselves"},
		},
		{
			name: "a hospital's address without https://",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/team/dr-amelia-hart.md", "weight: 1\n", "affiliations:\n  - name: St Linden's Hospital\n    url: www.st-lindens.example\nweight: 1\n")
			},
			want: []string{`content/team/dr-amelia-hart.md:8: the first hospital's url: "www.st-lindens.example" is not a web address — write the hospital's site in full, starting with https://`},
		},
		{
			name: "a consultation format the pages cannot say",
			make: func(t *testing.T, site fstest.MapFS) {
				edit(t, site, "content/site.yaml", "coordinator_email:", "consultation: {fee: 150, minutes: 45, formats: [in person, zoom]}\ncoordinator_email:")
			},
			want: []string{`content/site.yaml:6: the second format in consultation.formats: "zoom" is not a format — write in person, video or phone, e.g. formats: [in person, video]`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := testdataSite(t)
			if got := problems(t, site); len(got) != 0 {
				t.Fatalf("the site has problems before the mistake: %q", got)
			}
			tt.make(t, site)
			if got := problems(t, site); strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestEveryProblemInOneRun makes mistakes of every kind at once — in the
// settings' categories, front matter, a photo, Markdown links and a FAQ
// answer — and checks that one build reports all of them.
func TestEveryProblemInOneRun(t *testing.T) {
	site := testdataSite(t)
	delete(site, "content/gallery/case-rhinoplasty-1/after-front.png")
	edit(t, site, "content/procedures/rhinoplasty.md", "from: 6000", "from: about 6000")
	edit(t, site, "content/procedures/rhinoplasty.md", "rather than pain.", "rather than pain. See [financing](/financng/).")
	edit(t, site, "content/procedures/facelift.md", "category: face", "category: faec")
	edit(t, site, "content/financing.md", "[payment plans](#plans)", "[payment plans](#plan)")
	// A case with a mistake of every kind a case can have at once.
	write(t, site, "content/gallery/margaret-doyle/index.md", `---
title: Rhinoplasty, case 2
id: m2
procedure: rhinoplasty
surgeon: sofia-lind
patient:
  age: "Margaret Doyle, 54"
  sex: F
months_after: six
consent: 2024-02-30
title: Margaret's nose
photos:
  - before: IMG_2041.JPG
    after: after.jpg
---
`)
	_, err := Build(context.Background(), config(t, site))
	var got []string
	for _, p := range Problems(err) {
		got = append(got, p.String())
	}
	want := []string{
		`content/financing.md:6: link "#plan": /financing/ has no heading with the id "plan" — check the heading, or give it one with {#plan}`,
		"content/gallery/case-rhinoplasty-1/index.md:12: the first photo's after: no file after-front.png in content/gallery/case-rhinoplasty-1/ — check the name, or add the file",
		`content/gallery/margaret-doyle/index.md:3: id: "m2" is not a short code — write 3 to 12 lower-case letters and digits that say nothing of the patient, e.g. id: 6rs9`,
		"content/gallery/margaret-doyle/index.md:5: surgeon: sofia-lind (role: coordinator) is not a clinician: only team members with a clinical role (surgeon, doctor, nurse, …) may be named here — write one of dr-amelia-hart",
		`content/gallery/margaret-doyle/index.md:7: patient.age: "Margaret Doyle, 54" is not an age band — write one of 18-29, 30-39, 40-49, 50-59, 60-69, 70+, or the patient's age as a whole number from 18 to 100 (it is published as its band)`,
		`content/gallery/margaret-doyle/index.md:8: patient.sex: "F" is not one of the words for sex — write female`,
		`content/gallery/margaret-doyle/index.md:9: months_after: "six" is not a number — write 6`,
		`content/gallery/margaret-doyle/index.md:10: consent: "2024-02-30" is not a date: February 2024 has 29 days — check the day`,
		"content/gallery/margaret-doyle/index.md:11: title: written a second time (first on line 2) — keep one of the two and delete the other",
		"content/gallery/margaret-doyle/index.md:13: the first photo's alt: missing — describe the photos for patients who cannot see them, e.g. \"alt: front view, 6 months after\"",
		"content/gallery/margaret-doyle/index.md:13: the first photo's before: no file IMG_2041.JPG in content/gallery/margaret-doyle/ — check the name, or add the file",
		"content/gallery/margaret-doyle/index.md:14: the first photo's after: no file after.jpg in content/gallery/margaret-doyle/ — check the name, or add the file",
		`content/procedures/facelift.md:4: category: no category "faec" — did you mean face? — use one of face, breast, body, skin, non-surgical (the categories in content/site.yaml)`,
		`content/procedures/rhinoplasty.md:7: fees.from: "about 6000" is not a number — write 6000`,
		`content/procedures/rhinoplasty.md:20: link "/financng/" goes to no page (did you mean /financing/?) — check the address, or remove the link`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestCaseNeverNamesThePatient checks what a case publishes of its
// patient: the address is its procedure and id, whatever the folder is
// called, and an exact age is published as its band only. A case of a
// procedure with sensitive photos is gated though it says nothing.
func TestCaseNeverNamesThePatient(t *testing.T) {
	site := testdataSite(t)
	for name, f := range site {
		if rest, ok := strings.CutPrefix(name, "content/gallery/case-rhinoplasty-1/"); ok {
			site["content/gallery/margaret-doyle-rhinoplasty/"+rest] = f
			delete(site, name)
		}
	}
	edit(t, site, "content/gallery/margaret-doyle-rhinoplasty/index.md", "age: 30-39", "age: 54")
	edit(t, site, "content/procedures/rhinoplasty.md", "weight: 1\n", "weight: 1\nsensitive_photos: true\n")
	cfg := config(t, site)
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatalf("Build: %v", err)
	}
	err := filepath.WalkDir(cfg.OutDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if strings.Contains(strings.ToLower(p), "margaret") || strings.Contains(p, "doyle") {
			t.Errorf("published under the patient's name: %s", p)
		}
		if !d.IsDir() && (strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".xml")) {
			if b, _ := os.ReadFile(p); bytes.Contains(bytes.ToLower(b), []byte("margaret")) {
				t.Errorf("%s names the patient's folder", p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page, err := os.ReadFile(filepath.Join(cfg.OutDir, "gallery", "rhinoplasty-7kq2", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Female, aged 50-59", "data-veil"} {
		if !bytes.Contains(page, []byte(want)) {
			t.Errorf("the case page lacks %q", want)
		}
	}
	if bytes.Contains(page, []byte("aged 54")) {
		t.Errorf("the case page publishes the exact age")
	}
}
