package main

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func runNew(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "new", "new [-s SITE_DIR] procedure|page|member|review SLUG | case PROCEDURE | care PROCEDURE SLUG",
		`New writes a starter file, with comments on every field: a procedure
(content/procedures/SLUG.md), a page (content/SLUG.md), a team member
(content/team/SLUG.md), a patient's review (content/reviews/SLUG.md) or
a before/after case of PROCEDURE (content/gallery/PROCEDURE-ID/index.md,
its photos go beside it), where ID is a short code made up for the case:
its address says nothing of the patient. A care step of PROCEDURE
(content/care/PROCEDURE/SLUG.md; _default for every procedure's) is one
step of a patient's journey around their surgery: never published, sent
by the intake service at its offset from the surgery.

Every starter is a draft (draft: true), so nothing of it is published
until you set draft: false. Text for you to replace starts with TODO:;
consulta check lists what is left, and consulta build publishes nothing
while a page that is not a draft still holds one. SLUG becomes the page's
address, e.g. /procedures/SLUG/: lower-case letters, digits and dashes. An
existing file is never overwritten.`)
	site := fs.String("s", ".", "the site's `folder`, holding content/")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 && (fs.Arg(0) != "care" || fs.NArg() != 3) {
		fs.Usage()
		return errUsage
	}
	kind, slug := fs.Arg(0), fs.Arg(fs.NArg()-1)
	if !slugRE.MatchString(slug) {
		return fmt.Errorf("new: %q is not a slug — use lower-case letters, digits and dashes, e.g. breast-lift", slug)
	}
	if !slices.Contains([]string{"procedure", "page", "member", "case", "review", "care"}, kind) {
		fs.Usage()
		return errUsage
	}
	st, err := newStarters(ctx, *site)
	if err != nil {
		return err
	}
	var rel, text string
	if kind == "care" {
		rel, text, err = st.careStarter(fs.Arg(1), slug)
	} else {
		rel, text, err = st.starter(kind, slug)
	}
	if err != nil {
		return err
	}
	path := filepath.Join(*site, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("new: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("new: %s exists already — edit it, or choose another slug", path)
	}
	if err != nil {
		return fmt.Errorf("new: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("new: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("new: write %s: %w", path, err)
	}
	fmt.Fprintf(e.stdout, "wrote %s, a draft — replace each TODO:, set draft: false, then run consulta check\n", path)
	if kind == "case" {
		fmt.Fprintf(e.stdout, "put the case's photos beside it, in %s\n", filepath.Dir(path))
	}
	return nil
}

// starters is what the starters take from the site: its categories, its
// procedures and the team members who may be named as a surgeon.
type starters struct {
	site       string
	categories []content.Category
	procedures map[string]*content.Page // by slug, drafts too
	clinicians []string                 // slugs of team members with a clinical role
	surgeons   []string                 // slugs of team members who are surgeons
}

func newStarters(ctx context.Context, site string) (*starters, error) {
	l := content.NewLoader(os.DirFS(site))
	s, _ := l.Load(ctx)
	if s == nil {
		return nil, fmt.Errorf("new: cannot read %s — run consulta new in the site's folder (the one holding content/), or name it with -s", filepath.Join(site, "content"))
	}
	st := &starters{site: site, categories: s.Config.Categories, procedures: map[string]*content.Page{}}
	if len(st.categories) == 0 {
		st.categories = content.DefaultCategories
	}
	for _, name := range pageSlugs(site, "procedures") {
		if p := l.Page("content/procedures/" + name + ".md"); p != nil {
			st.procedures[name] = p
		}
	}
	for _, name := range pageSlugs(site, "team") {
		if p := l.Page("content/team/" + name + ".md"); p != nil && p.Member != nil && p.Member.Clinical() {
			st.clinicians = append(st.clinicians, name)
			if p.Member.Surgeon() {
				st.surgeons = append(st.surgeons, name)
			}
		}
	}
	return st, nil
}

// starter returns the file a kind's starter is written to, relative to
// the site folder, and its text.
func (st *starters) starter(kind, slug string) (rel, text string, err error) {
	title := titleCase(slug)
	switch kind {
	case "procedure":
		return filepath.Join("content", "procedures", slug+".md"),
			fmt.Sprintf(procedureStarter, title, st.categories[0].Slug, categoryNames(st.categories), example(st.clinicians), list(st.clinicians), first(st.clinicians)), nil
	case "page":
		return filepath.Join("content", slug+".md"), fmt.Sprintf(pageStarter, title), nil
	case "member":
		return filepath.Join("content", "team", slug+".md"), fmt.Sprintf(memberStarter, title), nil
	case "case":
		return st.caseStarter(slug)
	}
	procs := slices.Sorted(maps.Keys(st.procedures))
	return filepath.Join("content", "reviews", slug+".md"), fmt.Sprintf(reviewStarter, first(procs), list(procs), first(st.clinicians), list(st.clinicians)), nil
}

// caseStarter writes a case of the procedure slug names, in a folder
// named by the procedure and a new id.
func (st *starters) caseStarter(slug string) (rel, text string, err error) {
	pr := st.procedures[slug]
	if pr == nil {
		procs := slices.Sorted(maps.Keys(st.procedures))
		return "", "", fmt.Errorf("new: no procedure %q (no file content/procedures/%s.md)%s — name the case's procedure: consulta new case PROCEDURE", slug, slug, problem.Hint(slug, problem.Names(procs)))
	}
	var id string
	for {
		id = newCaseID()
		if _, err := os.Stat(filepath.Join(st.site, "content", "gallery", slug+"-"+id)); errors.Is(err, iofs.ErrNotExist) {
			break
		}
	}
	dir := filepath.Join("content", "gallery", slug+"-"+id)
	sensitive := "# sensitive: true shows the photos only when the visitor chooses to."
	if pr.Procedure.SensitivePhotos {
		sensitive = "# The photos are shown only when the visitor chooses to: " + slug + "'s\n# photos are sensitive (sensitive_photos in its file)."
	}
	return filepath.Join(dir, "index.md"), fmt.Sprintf(caseStarter, filepath.ToSlash(dir), pr.Title, id, slug, example(st.clinicians), list(st.clinicians), sensitive, strings.ToLower(pr.Title)), nil
}

// careStarter writes a care step of the procedure proc names, or of
// every procedure (content.DefaultCare).
func (st *starters) careStarter(proc, slug string) (rel, text string, err error) {
	title := "TODO: e.g. " + titleCase(slug)
	whose := "every procedure's journey"
	if proc != content.DefaultCare {
		pr := st.procedures[proc]
		if pr == nil {
			procs := slices.Sorted(maps.Keys(st.procedures))
			return "", "", fmt.Errorf("new: no procedure %q (no file content/procedures/%s.md)%s — name the step's procedure, or %s for every procedure's: consulta new care PROCEDURE SLUG", proc, proc, problem.Hint(proc, problem.Names(procs)), content.DefaultCare)
		}
		whose = pr.Title + "'s journey"
	}
	file := filepath.Join("content", "care", proc, slug+".md")
	return file, fmt.Sprintf(careStarter, whose, title, example(st.surgeons), list(st.surgeons), slug), nil
}

// newCaseID returns a random short id for a case: four letters and
// digits, none easily confused with another.
func newCaseID() string {
	const alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
	var b [4]byte
	for i := range b {
		b[i] = alphabet[rand.IntN(len(alphabet))]
	}
	return string(b[:])
}

// pageSlugs lists the pages of a section folder by the name other pages
// use for them: content/procedures/rhinoplasty.md → rhinoplasty.
func pageSlugs(site, section string) []string {
	entries, _ := os.ReadDir(filepath.Join(site, "content", section))
	var out []string
	for _, e := range entries {
		if name, ok := strings.CutSuffix(e.Name(), ".md"); ok && !e.IsDir() && !strings.HasPrefix(name, "_") {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

func first(slugs []string) string {
	if len(slugs) == 0 {
		return `""`
	}
	return slugs[0]
}

// example is a TODO: naming the first slug as an example, or asking for one.
func example(slugs []string) string {
	if len(slugs) == 0 {
		return `"TODO: a file name in content/team/, without .md"`
	}
	return `"TODO: e.g. ` + slugs[0] + `"`
}

// list names at most ten slugs, for a comment.
func list(slugs []string) string {
	switch {
	case len(slugs) == 0:
		return "none yet"
	case len(slugs) > 10:
		return strings.Join(slugs[:10], ", ") + ", …"
	}
	return strings.Join(slugs, ", ")
}

func titleCase(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func categoryNames(cs []content.Category) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Slug
	}
	return strings.Join(names, ", ")
}

// draftNote opens every starter. No comment holds "TODO:" itself: only
// the text to replace does.
const draftNote = `# A draft: it is not published until you change draft: true to
# draft: false below. Replace every text that starts with TODO; consulta
# check lists those left, and consulta build publishes nothing while a
# page that is not a draft still holds one.
draft: true
`

const procedureStarter = `---
` + draftNote + `# The procedure's name, as patients search for it.
title: "%[1]s"
# One or two sentences for search results: at most 160 characters.
description: "TODO: what %[1]s is and who it is for, in one or two sentences."
# One of the categories in content/site.yaml: %[3]s.
category: %[2]s
# A short summary shown in lists and at the top of the page.
summary: "TODO: what %[1]s does and who it is for, in two sentences."
# The fee range in whole units of the currency (ISO 4217 code, e.g. EUR,
# GBP). Remove the # at the start of each line and write your fees.
# fees:
#   from: 4500
#   to: 6500
#   currency: EUR
#   note: "Quoted at your consultation."
recovery: "TODO: e.g. 1-2 weeks"
duration: "TODO: e.g. 1-2 hours"
anesthesia: "TODO: e.g. local with sedation"
# Team members who perform it: file names in content/team/, without .md;
# only clinicians may be named (%[5]s).
# surgeons:
#   - %[6]s
# Related procedures: file names in content/procedures/, without .md.
# related:
#   - facelift
# Frequently asked questions, shown on the page and to search engines.
# faq:
#   - q: "How long is the recovery after %[1]s?"
#     a: "Most patients return to work after one to two weeks."
# For breast and body procedures, whose before/after photos show an
# unclothed body: every case is then shown only when the visitor chooses.
# sensitive_photos: true
# The clinician who checked this page is medically accurate, and when: a
# file name in content/team/ (%[5]s), and a date such as 2026-03-31.
# A review older than 12 months is flagged by consulta check.
reviewed_by: %[4]s
reviewed_on: "TODO: the date of the review, e.g. 2026-03-31"
# Lower comes first in lists.
weight: 100
---

TODO: introduce %[1]s in a short paragraph: what it is and what it can do.

## Who is a good candidate?

TODO: describe who benefits most.

## The procedure

TODO: explain what happens before, on the day and after.

## Recovery

TODO: explain the recovery, week by week.

## Risks

TODO: say what can go wrong and how often: bleeding, infection, scarring, a result that needs more surgery.
`

const pageStarter = `---
` + draftNote + `# The page's title, shown in the browser tab and at the top of the page.
title: "%[1]s"
# One or two sentences for search results: at most 160 characters.
description: "TODO: what patients find on this page, in one or two sentences."
# Old addresses of this page that should lead here, e.g. /old-page/.
# aliases:
#   - /old-page/
---

TODO: write the page in Markdown here.
`

const memberStarter = `---
` + draftNote + `# The team member's name, as patients should see it.
title: "%[1]s"
# surgeon, doctor, nurse, coordinator, …: only team members with a
# clinical role (surgeon, doctor, nurse, …) may be named as a surgeon or
# as the medical reviewer of a page.
role: surgeon
# Degrees and memberships, e.g. "MBBS, FRCS (Plast)".
credentials: "TODO: e.g. MBBS, FRCS (Plast)"
# languages:
#   - English
# A photo beside this file or under content/, e.g. photo: dr-amelia-hart.jpg
# photo: ""
# Lower comes first in lists.
weight: 100
---

TODO: write a short biography: training, experience and what patients can expect.
`

const caseStarter = `---
` + draftNote + `#
# A before/after case of %[2]s. Put its photos beside this file, in
# %[1]s/: a before and an after photo of each angle, JPEG or
# PNG, straight from the camera. Their names and any location or camera
# details in them are never published, nor is the folder's name.
title: "TODO: e.g. %[2]s, case 4"
# The case's address is /gallery/%[4]s-%[3]s/: made from the procedure and
# this short code, which says nothing of the patient.
id: %[3]s
procedure: %[4]s
# The surgeon: a file name in content/team/ without .md; only clinicians
# may be named (%[6]s).
surgeon: %[5]s
# The patient, described without anything that identifies them: the age
# as a band (18-29, 30-39, 40-49, 50-59, 60-69, 70+) or a whole number
# (published as its band), and the sex as female or male.
patient:
  age: "TODO: e.g. 30-39"
  sex: "TODO: female or male"
# How many months after surgery the after photos were taken, e.g. 6.
months_after: "TODO: e.g. 6"
# The date the patient's written consent to publish these photos on the
# web was recorded, e.g. 2025-03-31: without it the case is never published.
consent: "TODO: the date written consent was recorded"
# false once you have checked the photos are not retouched (shown as
# "Unretouched photos"); true if they are.
retouched: "TODO: false or true"
%[7]s
photos:
  - before: before-front.jpg
    after: after-front.jpg
    angle: front
    alt: "TODO: e.g. Front view, before and six months after %[8]s"
---

TODO: the surgeon's notes for patients: what was done, and how recovery went.
`

const reviewStarter = `---
` + draftNote + `#
# A patient's review, published only with their written consent.
# The name the patient agreed to be shown with.
author: "TODO: e.g. Sarah, 42"
# The procedure reviewed: a file name in content/procedures/ without .md (%[2]s).
procedure: %[1]s
# The surgeon reviewed: a file name in content/team/ without .md, a
# clinician (%[4]s).
surgeon: %[3]s
# The patient's rating, from 1 to 5.
rating: 5
# Where the review was written, e.g. Google, RealSelf, Patient survey.
source: "TODO: e.g. Google"
# The date the review was written, e.g. 2025-01-31, and the date the
# patient's consent to publish it was recorded: without it the review is
# never published.
date:
consent:
---

TODO: the patient's own words, exactly as they wrote them.
`

const careStarter = `---
` + draftNote + `#
# A step of %[1]s, written for the patient. It is never
# published on the site: the intake service emails it to each patient at its time,
# with a link to a printable page of it. A file of the same name in a
# procedure's folder replaces the one in _default for that procedure.
#
# The email's subject and the page's heading.
title: "%[2]s"
# When it is sent, from the surgery: a sign, a number and a unit (m
# minutes, h hours, d days, w weeks). -14d is 14 days before, +1d the day
# after. Days and weeks are sent at care.send_at in site.yaml (09:00 by
# default); hours and minutes at that time from the surgery.
send: -7d
# true asks the patient to press "I have read this". One not pressed in
# time (by the end of the second day before the surgery, or within 24
# hours for a step after it) becomes a task for the coordinator. A step
# before the surgery that is acknowledged is sent at -2d or earlier.
acknowledge: false
# true asks "How are you feeling today?" after the surgery: Doing well,
# I have a question, I'm worried. A worry reaches the coordinator and
# care.urgent_to at once, at any hour.
check_in: false
# What the patient brings on the day, shown in the email; one a line.
# what_to_bring:
#   - Photo ID
# The surgeon who checked this is medically right, and when: a file name
# in content/team/ without .md, and a date such as 2026-03-31. A review
# older than care.review_every (12 months) is flagged by consulta check.
# The surgeons: %[4]s.
reviewed_by: %[3]s
reviewed_on: "TODO: the date of the review, e.g. 2026-03-31"
---

TODO: write what the patient should do, in short paragraphs and lists, as you would say it to them. Say whom to call with a question; never whether a symptom is normal.
`
