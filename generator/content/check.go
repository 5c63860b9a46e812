package content

import (
	"bytes"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/consultahq/consulta/generator/problem"
)

func checkProcedure(f *file, now time.Time) {
	pr, p := f.page.Procedure, f.page.File
	if f.missing("category", pr.Category) {
		f.probs.Errorf(p, f.line("category"), "category", "missing — add a line such as \"category: face\" naming one of the categories in content/site.yaml")
	}
	fees := pr.Fees
	if fees.From < 0 {
		f.probs.Errorf(p, f.line("fees.from"), "fees.from", "%d is negative — write the lowest fee, e.g. 2500", fees.From)
	}
	if fees.To != 0 && fees.To < fees.From {
		f.probs.Errorf(p, f.line("fees.to"), "fees.to", "%d is less than fees.from (%d) — write the highest fee in to, or leave to out", fees.To, fees.From)
	}
	if c := fees.Currency; c != "" && (len(c) != 3 || strings.ToUpper(c) != c) {
		f.probs.Errorf(p, f.line("fees.currency"), "fees.currency", "%q is not a currency code — write a three-letter ISO 4217 code such as EUR or GBP", c)
	}
	staleFees(f)
	for i, qa := range pr.FAQ {
		if strings.TrimSpace(qa.Q) == "" || strings.TrimSpace(qa.A) == "" {
			field := fmt.Sprintf("faq[%d]", i)
			f.probs.Errorf(p, f.line(field), field, "a question needs both q (the question) and a (the answer)")
		}
	}
	if len(pr.Risks) == 0 && !f.bad["risks"] && !hasRisksSection(f.page.Body) {
		line := f.page.BodyLine
		if len(bytes.TrimSpace(f.page.Body)) == 0 {
			line-- // the closing "---": there is no text below it
		}
		f.probs.Errorf(p, line, "", "no Risks section — add a section \"## Risks\" saying what can go wrong and how often, or list the risks in the front matter: risks: [\"…\", \"…\"]")
	}
	switch {
	case f.missing("reviewed_by", pr.ReviewedBy):
		f.probs.Errorf(p, f.line("reviewed_by"), "reviewed_by", "missing — name the clinician who checked this page, e.g. \"reviewed_by: dr-amelia-hart\" (a file name in content/team/ without .md), and the date in reviewed_on")
	case pr.ReviewedOn.IsZero() && !f.bad["reviewed_on"]:
		f.probs.Errorf(p, f.line("reviewed_by"), "reviewed_on", "missing — write the date %s checked this page, e.g. \"reviewed_on: %s\"", pr.ReviewedBy, now.Format(time.DateOnly))
	case pr.ReviewedOn.After(now):
		f.probs.Errorf(p, f.line("reviewed_on"), "reviewed_on", "%s is in the future — write the date the page was checked", pr.ReviewedOn.Format(time.DateOnly))
	case pr.ReviewedOn.Before(now.AddDate(-1, 0, 0)):
		f.probs.Warnf(p, f.line("reviewed_on"), "reviewed_on", "the page was last reviewed on %s, more than 12 months ago — ask %s to check it again, then update reviewed_on", pr.ReviewedOn.Format(time.DateOnly), pr.ReviewedBy)
	}
}

// hasRisksSection reports whether body has a "## Risks" heading (or "##
// Risks and complications", or of level 3), line by line: a regular
// expression over every body took a tenth of a large site's build.
func hasRisksSection(body []byte) bool {
	for len(body) > 0 {
		line := body
		if i := bytes.IndexByte(body, '\n'); i >= 0 {
			line, body = body[:i], body[i+1:]
		} else {
			body = nil
		}
		hashes := len(line) - len(bytes.TrimLeft(line, "#"))
		if hashes != 2 && hashes != 3 {
			continue
		}
		title := bytes.TrimLeft(line[hashes:], " \t")
		if len(title) == len(line)-hashes || len(title) < 5 || !bytes.EqualFold(title[:5], []byte("risks")) {
			continue
		}
		if len(title) == 5 || !isWordByte(title[5]) {
			return true
		}
	}
	return false
}

// isWordByte reports whether c is a letter, digit or underscore of ASCII.
func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// inFuture reports a date of consent after today: consent is recorded
// before a page is published, never after.
func inFuture(f *file, field string, date time.Time, now time.Time) bool {
	if !date.After(now) {
		return false
	}
	f.probs.Errorf(f.page.File, f.line(field), field, "%s is in the future — write the date the patient's written consent was recorded; nothing is published before it is", date.Format(time.DateOnly))
	return true
}

func checkMember(fsys fs.FS, f *file) {
	m, p := f.page.Member, f.page.File
	if m.Photo != "" {
		m.PhotoFile = FileRef{Line: f.line("photo"), Field: "photo"}
		for _, name := range []string{pageRelative(f.page, m.Photo), path.Join("content", m.Photo)} {
			if fileExists(fsys, name) {
				m.PhotoFile.Path = name
				break
			}
		}
		if m.PhotoFile.Path == "" {
			f.probs.Errorf(p, f.line("photo"), "photo", "no file %s next to this page or under content/%s", m.Photo, FileHint(fsys, pageRelative(f.page, m.Photo)))
		}
	}
	if r := m.Registration; r != nil {
		if f.missing("registration.body", r.Body) {
			f.probs.Errorf(p, f.line("registration"), "registration.body", "missing — name the register, e.g. \"body: Irish Medical Council\"")
		}
		if f.missing("registration.number", r.Number) {
			f.probs.Errorf(p, f.line("registration"), "registration.number", "missing — write the registration number, e.g. \"number: 123456\"")
		}
		switch {
		case r.URL != "" && !webAddress(r.URL):
			f.probs.Errorf(p, f.line("registration.url"), "registration.url", "%q is not a web address — write the public register's page for %s in full, starting with https://", r.URL, f.page.Title)
		case r.URL == "" && strings.EqualFold(m.Role, "surgeon"):
			f.probs.Warnf(p, f.line("registration"), "registration.url", "missing — add the public register's page for %s (url: https://…), so that patients can check the registration themselves", f.page.Title)
		}
	}
	errf := func(field, format string, args ...any) { f.probs.Errorf(p, f.line(field), field, format, args...) }
	checkLinks(errf, "affiliations", m.Affiliations, "hospital")
	checkLinks(errf, "memberships", m.Memberships, "body")
}

// checkReview checks a patient's review. A review without consent, or
// whose consent has expired, is not published.
func checkReview(f *file, now time.Time) {
	r, p := f.page.PatientReview, f.page.File
	if f.missing("author", r.Author) {
		f.probs.Errorf(p, f.line("author"), "author", "missing — write the name the patient agreed to be shown with, e.g. \"author: Sarah, 42\"")
	}
	if _, set := f.lines["rating"]; !set {
		f.probs.Errorf(p, 1, "rating", "missing — write the patient's rating from 1 to 5, e.g. \"rating: 5\"")
	} else if !f.bad["rating"] && (r.Rating < 1 || r.Rating > 5) {
		f.probs.Errorf(p, f.line("rating"), "rating", "%d is not a rating — write the patient's rating from 1 to 5, e.g. \"rating: 5\"", r.Rating)
	}
	if f.missing("source", r.Source) {
		f.probs.Errorf(p, f.line("source"), "source", "missing — say where the review was written, e.g. \"source: Google\", \"source: RealSelf\" or \"source: Patient survey\"")
	}
	if r.URL != "" && !webAddress(r.URL) {
		f.probs.Errorf(p, f.line("url"), "url", "%q is not a web address — write the review's page where it was written, in full, starting with https://", r.URL)
	}
	if f.page.Date.IsZero() && !f.bad["date"] {
		f.probs.Errorf(p, f.line("date"), "date", "missing — write the date the review was written, e.g. \"date: 2025-06-30\"")
	}
	if len(strings.TrimSpace(string(f.page.Body))) == 0 {
		f.probs.Errorf(p, f.page.BodyLine, "", "the review has no text — write the patient's words below the front matter")
	}
	switch {
	case r.Consent.IsZero():
		f.publish = false
		if !f.bad["consent"] {
			f.probs.Errorf(p, f.line("consent"), "consent", "missing — write the date the patient's written consent to publish this review was recorded, e.g. \"consent: 2025-07-01\"; without it the review is not published")
		}
	case inFuture(f, "consent", r.Consent, now):
		f.publish = false
	case r.ConsentExpires != nil && !r.ConsentExpires.After(now):
		f.publish = false
		f.probs.Warnf(p, f.line("consent_expires"), "consent_expires", "consent for this review expired on %s, so it is not published — renew the patient's consent and update the date, or remove the review", r.ConsentExpires.Format("2006-01-02"))
	}
}

// checkCase checks a before/after case. A case without consent, or whose
// consent has expired, is not published.
func checkCase(fsys fs.FS, f *file, now time.Time) {
	c, p := f.page.Case, f.page.File
	if f.missing("procedure", c.ProcedureSlug) {
		f.probs.Errorf(p, f.line("procedure"), "procedure", "missing — add a line such as \"procedure: rhinoplasty\" naming a file in content/procedures/")
	}
	if f.missing("surgeon", c.SurgeonSlug) {
		f.probs.Errorf(p, f.line("surgeon"), "surgeon", "missing — add a line such as \"surgeon: dr-amelia-hart\" naming a file in content/team/")
	}
	switch {
	case c.Consent.IsZero():
		f.publish = false
		if f.bad["consent"] {
			break
		}
		f.probs.Errorf(p, f.line("consent"), "consent", "missing — write the date the patient's written consent to publish on the web was recorded, e.g. \"consent: 2024-03-31\"; without it the case is not published")
	case inFuture(f, "consent", c.Consent, now):
		f.publish = false
	case c.ConsentExpires != nil && !c.ConsentExpires.After(now):
		f.publish = false
		f.probs.Warnf(p, f.line("consent_expires"), "consent_expires", "consent for case %q expired on %s, so the case is not published — renew the patient's consent and update the date, or remove the case", f.slug, c.ConsentExpires.Format("2006-01-02"))
	}
	checkCaseID(f)
	checkPatient(f)
	if len(c.Photos) == 0 {
		f.probs.Errorf(p, f.line("photos"), "photos", "no photos — add at least one pair: photos: [{before: before-front.jpg, after: after-front.jpg, angle: front, alt: …}]")
	}
	for i := range c.Photos {
		ph := &c.Photos[i]
		field := fmt.Sprintf("photos[%d]", i)
		for _, side := range []struct {
			key, name string
			ref       *FileRef
		}{{"before", ph.Before, &ph.BeforeFile}, {"after", ph.After, &ph.AfterFile}} {
			sub := field + "." + side.key
			*side.ref = FileRef{Line: f.line(sub), Field: sub}
			switch name := pageRelative(f.page, side.name); {
			case side.name == "":
				f.probs.Errorf(p, f.line(field), sub, "missing — name the %s photo's file in this case's folder", side.key)
			case !fileExists(fsys, name):
				f.probs.Errorf(p, f.line(sub), sub, "no file %s in %s/%s", side.name, path.Dir(name), FileHint(fsys, name))
			default:
				side.ref.Path = name
			}
		}
		if strings.TrimSpace(ph.Alt) == "" {
			f.probs.Errorf(p, f.line(field), field+".alt", "missing — describe the photos for patients who cannot see them, e.g. \"alt: front view, 6 months after\"")
		}
	}
}

// pageRelative resolves a file name written in a page's front matter
// against the page's folder.
func pageRelative(pg *Page, name string) string {
	if strings.HasPrefix(name, "/") {
		return path.Join("content", name)
	}
	return path.Join(path.Dir(pg.File), name)
}

func fileExists(fsys fs.FS, name string) bool {
	info, err := fs.Stat(fsys, name)
	return err == nil && !info.IsDir()
}

// FileHint is the end of a problem about the missing file name (a path
// in fsys): the files of its folder it likely meant (one differing in
// letter case only, as IMG_2041.JPG for IMG_2041.jpg, or in a few
// letters), else how to fix it.
func FileHint(fsys fs.FS, name string) string {
	entries, _ := fs.ReadDir(fsys, path.Dir(name))
	var files []string
	for _, e := range entries {
		if !e.IsDir() && !strings.HasSuffix(e.Name(), ".md") {
			files = append(files, e.Name())
		}
	}
	best := problem.Suggest(path.Base(name), problem.Names(files))
	switch {
	case len(best) == 1 && strings.EqualFold(best[0], path.Base(name)):
		return " — did you mean " + best[0] + "? A file's name must be written exactly, capitals included"
	case len(best) > 0:
		return " — did you mean " + strings.Join(best, " or ") + "?"
	}
	return " — check the name, or add the file"
}
