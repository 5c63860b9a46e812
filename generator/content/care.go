package content

import (
	"cmp"
	"fmt"
	"path"
	"slices"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator/problem"
	"github.com/consultahq/consulta/internal/care"
)

// CareStep is the front matter of a care file, content/care/_default/<slug>.md
// or content/care/<procedure>/<slug>.md: one step of a patient's journey
// around their surgery, written by staff and sent by the intake service
// at its offset from the surgery. Its text is the page's body. Care files
// are never published on the site.
//
// The file named consultation.md is no step: its what_to_bring and its
// text go into the email of a patient's consultation.
type CareStep struct {
	Title       string    `yaml:"title"`         // what the patient reads as the email's subject and the page's heading; required
	Send        string    `yaml:"send"`          // the offset from the surgery: -14d, -2h, +1d, +6w; required but in consultation.md
	Acknowledge bool      `yaml:"acknowledge"`   // the patient is asked to confirm reading it: "I have read this"
	CheckIn     bool      `yaml:"check_in"`      // the patient is asked how they feel
	ReviewedBy  string    `yaml:"reviewed_by"`   // the surgeon who checked it, a content/team/ slug; required
	ReviewedOn  time.Time `yaml:"reviewed_on"`   // when; required
	WhatToBring []string  `yaml:"what_to_bring"` // what the patient brings: to the consultation in consultation.md, on the day in a step
	Draft       bool      `yaml:"draft"`         // a draft is not sent

	// Resolved by the loader.
	Procedure string      `yaml:"-"` // the folder: a procedure's slug, or "" for _default
	Offset    care.Offset `yaml:"-"` // Send, read
	Reviewer  *Page       `yaml:"-"` // the surgeon named by reviewed_by
}

// ConsultationFile is the name of the care file that is no step: what a
// patient brings to the consultation, and what its email says besides.
const ConsultationFile = "consultation"

// DefaultCare is the folder of the steps of every procedure, under content/care/.
const DefaultCare = "_default"

// Care is the site's care files: the steps of every procedure
// (content/care/_default/) and each procedure's own. Drafts are left out.
type Care struct {
	Defaults   map[string]*Page            // by slug
	Procedures map[string]map[string]*Page // procedure slug → its own files by slug
}

// Steps returns the steps of a procedure's journey: its own and the
// defaults, a file of its own overriding the default of the same name,
// earliest first (then by slug). A procedure without a folder, or "", has
// the defaults alone. consultation.md is not among them.
func (c *Care) Steps(procedure string) []*Page {
	if c == nil {
		return nil
	}
	own := c.Procedures[procedure]
	var out []*Page
	for slug, pg := range c.Defaults {
		if _, over := own[slug]; !over && slug != ConsultationFile {
			out = append(out, pg)
		}
	}
	for slug, pg := range own {
		if slug != ConsultationFile {
			out = append(out, pg)
		}
	}
	slices.SortFunc(out, func(a, b *Page) int {
		return cmp.Or(cmp.Compare(a.Care.Offset.Duration(), b.Care.Offset.Duration()), strings.Compare(a.CareSlug(), b.CareSlug()))
	})
	return out
}

// Consultation returns a procedure's consultation.md, or the default one;
// nil when there is neither.
func (c *Care) Consultation(procedure string) *Page {
	if c == nil {
		return nil
	}
	if pg, ok := c.Procedures[procedure][ConsultationFile]; ok {
		return pg
	}
	return c.Defaults[ConsultationFile]
}

// CareSlug returns the name of a care file, which a procedure's file of
// the same name overrides: content/care/_default/stitches.md → stitches.
func (p *Page) CareSlug() string { return strings.TrimSuffix(path.Base(p.File), ".md") }

// careFolder returns the folder of a care file under content/care/, and
// whether the file is in one: "rhinoplasty" for
// content/care/rhinoplasty/splint.md.
func careFolder(file string) (string, bool) {
	rel := strings.TrimPrefix(file, "content/care/")
	dir, _, ok := strings.Cut(rel, "/")
	if !ok || strings.Contains(strings.TrimPrefix(rel, dir+"/"), "/") {
		return "", false
	}
	return dir, true
}

// checkCareStep checks what a care file alone shows.
func checkCareStep(f *file, now time.Time) {
	pg, p := f.page, f.page.File
	c := pg.Care
	folder, ok := careFolder(p)
	switch base := path.Base(p); {
	case !ok:
		f.probs.Errorf(p, 0, "", "a care file goes in a folder — move it to content/care/%s/ (every procedure's steps) or content/care/<procedure>/ (one procedure's)", DefaultCare)
		return
	case base == "_index.md" || base == "index.md":
		f.probs.Errorf(p, 0, "", "care files are never published, so need no %s — write each step in a file of its own, e.g. stitches.md, or remove this file", base)
		return
	case folder == DefaultCare:
	default:
		c.Procedure = folder
	}
	switch {
	case f.bad["send"]:
	case f.slug == ConsultationFile:
		if _, set := f.lines["send"]; set {
			f.probs.Errorf(p, f.line("send"), "send", "consultation.md is sent with the consultation's booking, not at an offset from the surgery — remove send, or rename the file to make it a step")
		}
		for _, key := range []string{"acknowledge", "check_in"} {
			if _, set := f.lines[key]; set {
				f.probs.Errorf(p, f.line(key), key, "consultation.md is no step, so asks for no answer — remove %s", key)
			}
		}
	case strings.TrimSpace(c.Send) == "":
		f.probs.Errorf(p, f.line("send"), "send", "missing — say when the step is sent, from the surgery: e.g. \"send: -14d\" (14 days before), \"send: +1d\" (the day after)")
	default:
		o, err := care.Parse(c.Send, care.Signed)
		if err != nil {
			f.probs.Errorf(p, f.line("send"), "send", "%v", err)
			break
		}
		c.Offset = o
		checkAnswers(f)
	}
	for i, item := range c.WhatToBring {
		if field := fmt.Sprintf("what_to_bring[%d]", i); strings.TrimSpace(item) == "" && !f.bad[field] {
			f.probs.Errorf(p, f.line(field), field, "empty — write one thing a line, e.g. \"- Photo ID\", or remove the line")
		}
	}
	if len(strings.TrimSpace(string(pg.Body))) == 0 {
		line := pg.BodyLine
		if line > 1 {
			line-- // the closing "---": there is no text below it
		}
		f.probs.Errorf(p, line, "", "the step has no text — write what the patient should do below the front matter, as you would say it to them")
	}
	checkMedicalReview(f, "reviewed_by", c.ReviewedBy, "reviewed_on", c.ReviewedOn, now)
}

// checkAnswers reports a step that asks for an answer it cannot get: an
// acknowledgement sent after the last day it may be given (a step before
// the surgery is acknowledged by the end of the second day before it,
// practice time), a check-in (how are you feeling?) before the surgery,
// or both at once.
func checkAnswers(f *file) {
	c, p := f.page.Care, f.page.File
	o := c.Offset
	switch {
	case c.Acknowledge && c.CheckIn:
		f.probs.Errorf(p, f.line("check_in"), "check_in", "a step asks for one answer: either \"I have read this\" (acknowledge) or how the patient feels (check_in) — make two steps, or remove one")
	case c.Acknowledge && o.Before() && !care.AcknowledgeableBefore(o):
		f.probs.Errorf(p, f.line("send"), "send", "%s is after the last day it can be acknowledged: a step before the surgery is acknowledged by the end of the second day before it, or becomes a task for the coordinator — send it at -2d or earlier, or set acknowledge: false", c.Send)
	case c.CheckIn && (o.Before() || o.N == 0):
		f.probs.Errorf(p, f.line("check_in"), "check_in", "a check-in asks how the patient feels after the surgery, so is sent after it — write send: +1d or later, or remove check_in")
	}
}

// checkMedicalReview checks a care file's medical review, as written:
// who and when.
func checkMedicalReview(f *file, byField, by, onField string, on time.Time, now time.Time) {
	p := f.page.File
	switch {
	case f.missing(byField, by):
		f.probs.Errorf(p, f.line(byField), byField, "missing — name the surgeon who checked this is medically right, e.g. \"%s: dr-amelia-hart\" (a file name in content/team/ without .md), and the date in %s", byField, onField)
	case on.IsZero() && !f.bad[onField]:
		f.probs.Errorf(p, f.line(byField), onField, "missing — write the date %s checked it, e.g. \"%s: %s\"", by, onField, now.Format(time.DateOnly))
	case on.After(now):
		f.probs.Errorf(p, f.line(onField), onField, "%s is in the future — write the date it was checked", on.Format(time.DateOnly))
	}
}

// careLinks resolves the care files read (drafts included, for their
// problems) into the site's Care: each folder is a procedure's, each
// reviewer a surgeon, each review current.
func (r *resolver) careLinks(files []*file, now time.Time) *Care {
	c := &Care{Defaults: map[string]*Page{}, Procedures: map[string]map[string]*Page{}}
	reported := map[string]bool{}
	settings := r.cfg.CareSettings()
	for _, f := range files {
		pg := f.page
		cs := pg.Care
		cs.Reviewer = nil
		folder, ok := careFolder(pg.File)
		if !ok || path.Base(pg.File) == "_index.md" || path.Base(pg.File) == "index.md" {
			continue // reported when read
		}
		known := folder == DefaultCare
		if !known {
			_, known = r.procedures[folder]
		}
		if !known && !reported[folder] {
			reported[folder] = true
			cands := make([]problem.Candidate, 0, len(r.procedures))
			for s, pf := range r.procedures {
				cands = append(cands, problem.Candidate{Name: s, Also: []string{pf.page.Title}})
			}
			slices.SortFunc(cands, func(a, b problem.Candidate) int { return strings.Compare(a.Name, b.Name) })
			r.probs.Errorf(pg.File, 0, "", "the folder content/care/%s/ names no procedure (no file content/procedures/%s.md)%s — name the folder after a procedure's file, or %s for every procedure's steps",
				folder, folder, problem.Hint(folder, cands), DefaultCare)
		}
		if cs.ReviewedBy != "" {
			cs.Reviewer = r.surgeon(f, cs.ReviewedBy)
		}
		if months := settings.ReviewEvery; !cs.ReviewedOn.IsZero() && !cs.ReviewedOn.After(now) && cs.ReviewedOn.Before(now.AddDate(0, -months, 0)) {
			r.probs.Warnf(pg.File, f.line("reviewed_on"), "reviewed_on", "last reviewed on %s, more than %s ago (care.review_every) — ask %s to check it again, then update reviewed_on",
				cs.ReviewedOn.Format(time.DateOnly), count(months, "month"), cmp.Or(cs.ReviewedBy, "a surgeon"))
		}
		if !known || !f.publish {
			continue
		}
		if folder == DefaultCare {
			c.Defaults[f.slug] = pg
			continue
		}
		if c.Procedures[folder] == nil {
			c.Procedures[folder] = map[string]*Page{}
		}
		c.Procedures[folder][f.slug] = pg
	}
	if len(files) > 0 && settings.EmergencyNumber == "" && r.cfgRead {
		r.probs.Errorf(configPath, max(r.cfgLines["care"], 1), "care.emergency_number", "missing — the page of a worried patient gives the emergency number of the practice's country, and none is known for %s: add care: {emergency_number: \"112\"} with the number people there dial",
			cmp.Or(r.cfg.country(), "a practice without intake.region"))
	}
	return c
}

// surgeon finds the team member slug names, as lookup does, and reports
// one who is not a surgeon: only a surgeon reviews what patients are told
// to do before and after surgery.
func (r *resolver) surgeon(f *file, slug string) *Page {
	return r.memberWith(f, fixedField("reviewed_by"), slug, (*Member).Surgeon,
		"is not a surgeon: a surgeon reviews what patients are told before and after surgery", "give a team member the role surgeon")
}

// Surgeon reports whether a team member's role makes them a surgeon:
// "surgeon", "consultant plastic surgeon".
func (m *Member) Surgeon() bool {
	return slices.Contains(strings.Fields(strings.ToLower(m.Role)), "surgeon")
}
