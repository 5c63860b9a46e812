package compliance

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
)

// An Allowance is a rule that a body line allows with
// <!-- compliance: allow RULE-ID -->, and the phrase it let through.
type Allowance struct {
	File   string // e.g. "content/our-standards.md"
	Line   int
	Rule   string // e.g. "prescription-only-medicine"
	Phrase string // as written, lower case, e.g. "botox"
}

// String formats the allowance as file:line: rule allowed "phrase".
func (a Allowance) String() string {
	return fmt.Sprintf("%s:%d: %s allowed %q", a.File, a.Line, a.Rule, a.Phrase)
}

// checks are the rules of fields that a rule set names with "check": each
// returns the field at fault, or "" when the page passes.
var checks = map[string]func(p *content.Page) string{
	// unretouched: a case attests its photos are unaltered.
	"unretouched": func(p *content.Page) string {
		if p.Case != nil && p.Case.Retouched != nil && !*p.Case.Retouched {
			return ""
		}
		return "retouched"
	},
}

// Site checks the wording of content/site.yaml and every published page
// of site, and returns the problems and the allowances used.
func (c *Checker) Site(site *content.Site) (*problem.List, []Allowance) {
	probs := &problem.List{}
	c.Settings(site.Config, site.ConfigLines, probs)
	var allowed []Allowance
	for _, p := range site.Pages {
		allowed = append(allowed, c.Page(p, probs)...)
	}
	for _, p := range site.Reviews {
		allowed = append(allowed, c.Page(p, probs)...)
	}
	return probs, allowed
}

// Settings checks the wording of content/site.yaml that reaches the
// public; lines maps its field paths to lines.
func (c *Checker) Settings(cfg content.Config, lines map[string]int, probs *problem.List) {
	pc := textCheck{c: c, m: c.matchers[inSettings], ps: c.patterns[inSettings], file: "content/site.yaml", probs: probs, line: func(f string) int { return lineOf(lines, f) }}
	pc.text(field{name: "name"}, cfg.Name)
	pc.text(field{name: "address"}, cfg.Address)
	pc.text(field{name: "town"}, cfg.Town)
	pc.text(field{name: "form.privacy_wording"}, cfg.Form.PrivacyWording)
	pc.text(field{name: "form.sms_wording"}, cfg.Form.SMSWording)
	pc.text(field{name: "gallery.disclaimer"}, cfg.Gallery.Disclaimer)
	for i, ct := range cfg.Categories {
		pc.text(field{name: "categories", i: i, key: "title"}, ct.Title)
	}
	for i, s := range cfg.Social {
		pc.text(field{name: "social", i: i, key: "name"}, s.Name)
	}
	for i, m := range cfg.Memberships {
		pc.text(field{name: "memberships", i: i, key: "name"}, m.Name)
	}
	if w := cfg.Photos.Watermark; w != nil {
		pc.text(field{name: "photos.watermark.text"}, w.Text)
	}
}

// Page checks the texts of p, a page or a review, that reach the public,
// and its fields, adding a problem to probs for each thing a rule forbids,
// and returns the allowances its body used. It reads p.Body: call it
// before the body is let go.
func (c *Checker) Page(p *content.Page, probs *problem.List) []Allowance {
	w := whereOf(p)
	pc := textCheck{c: c, m: c.matchers[w], ps: c.patterns[w], file: p.File, probs: probs, line: p.Line}
	pc.text(field{name: "title"}, p.Title)
	pc.text(field{name: "description"}, p.Description)
	switch {
	case p.Procedure != nil:
		pr := p.Procedure
		pc.text(field{name: "summary"}, pr.Summary)
		pc.text(field{name: "fees.note"}, pr.Fees.Note)
		pc.text(field{name: "recovery"}, pr.Recovery)
		pc.text(field{name: "duration"}, pr.Duration)
		pc.text(field{name: "anesthesia"}, pr.Anesthesia)
		for i, qa := range pr.FAQ {
			pc.text(field{name: "faq", i: i, key: "q"}, qa.Q)
			pc.text(field{name: "faq", i: i, key: "a"}, qa.A)
		}
		for i, r := range pr.Risks {
			pc.text(field{name: "risks", i: i}, r)
		}
	case p.Member != nil:
		pc.text(field{name: "role"}, p.Member.Role)
		pc.text(field{name: "credentials"}, p.Member.Credentials)
	case p.Case != nil:
		for i, ph := range p.Case.Photos {
			pc.text(field{name: "photos", i: i, key: "alt"}, ph.Alt)
		}
	case p.PatientReview != nil:
		pc.text(field{name: "author"}, p.PatientReview.Author)
	}
	for _, ri := range c.checks[w] {
		r := &c.rules[ri]
		if f := checks[r.Check](p); f != "" {
			probs.Add(problem.Problem{File: p.File, Line: p.Line(f), Field: f, Message: r.message("", 0), Severity: r.severity})
		}
	}
	return pc.body(p.Body, p.BodyLine)
}

// whereOf returns the kind of text p's texts are.
func whereOf(p *content.Page) where {
	switch p.Kind {
	case content.KindProcedure:
		return inProcedure
	case content.KindMember:
		if p.Member != nil && p.Member.Registration != nil && p.Member.Registration.Number != "" {
			return inMember
		}
		return inUnregistered
	case content.KindCase:
		return inCase
	case content.KindReview:
		return inReview
	}
	return inPage
}

// field names a front matter field: name, or name[i].key when key is set.
// It is formatted only for a problem.
type field struct {
	name string
	i    int
	key  string
}

func (f field) String() string {
	switch {
	case f.key != "":
		return f.name + "[" + strconv.Itoa(f.i) + "]." + f.key
	case f.name == "risks":
		return f.name + "[" + strconv.Itoa(f.i) + "]"
	}
	return f.name
}

// textCheck checks the texts of one file.
type textCheck struct {
	c     *Checker
	m     *matcher    // nil when no phrase applies
	ps    *patternSet // nil when no pattern applies
	file  string
	probs *problem.List
	line  func(field string) int // the line of a front matter field
}

// hit is a rule's phrase found in a text; overlapping phrases of one rule
// ("highly qualified", "qualified") are one hit.
type hit struct {
	rule       int
	sources    uint64
	start, end int
}

// hits returns what m finds in text.
func hits[T string | []byte](m *matcher, text T) []hit {
	var hs []hit
	scan(m, text, func(mt match) {
		ph := &m.phrase[mt.phrase]
		for i := len(hs) - 1; i >= 0; i-- {
			h := &hs[i]
			if h.rule == ph.rule && h.end > mt.start {
				h.start, h.end, h.sources = min(h.start, mt.start), max(h.end, mt.end), h.sources|ph.sources
				return
			}
		}
		hs = append(hs, hit{rule: ph.rule, sources: ph.sources, start: mt.start, end: mt.end})
	})
	return hs
}

// textHits returns what the matcher and the patterns find in text, in
// the order of the text.
func textHits[T string | []byte](pc *textCheck, text T) []hit {
	var hs []hit
	if pc.m != nil {
		hs = hits(pc.m, text)
	}
	if pc.ps != nil {
		hs = merge(hs, pc.ps.find(string(text)))
	}
	return hs
}

// text checks one front matter text, reporting at the field's line.
func (pc *textCheck) text(f field, text string) {
	if text == "" {
		return
	}
	for _, h := range textHits(pc, text) {
		name := f.String()
		pc.report(pc.line(name), name, h, text[h.start:h.end])
	}
}

func (pc *textCheck) report(line int, field string, h hit, phrase string) {
	r := &pc.c.rules[h.rule]
	pc.probs.Add(problem.Problem{File: pc.file, Line: line, Field: field, Message: r.message(quote(phrase), h.sources), Severity: r.severity})
}

// quote returns a phrase as found, in lower case, with Markdown's emphasis
// marks left out and each run of spaces as one space.
func quote(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '*' || r == '_' || r == '`' {
			return -1
		}
		return r
	}, strings.ToLower(s))
	return strings.Join(strings.Fields(s), " ")
}

// allowRE finds allowance comments: <!-- compliance: allow RULE-ID -->.
var allowRE = regexp.MustCompile(`<!--\s*compliance:\s*(.*?)\s*-->`)

// allowance is one rule id that a comment on a body line names.
type allowance struct {
	line int
	rule string
	used bool
}

// body checks a page's Markdown, whose first line is the file's line
// first, and returns the allowances used.
func (pc *textCheck) body(body []byte, first int) []Allowance {
	var allows []allowance
	if bytes.Contains(body, []byte("compliance:")) {
		allows = pc.allowances(body, first)
	}
	var used []Allowance
	line, off := first, 0
	for _, h := range textHits(pc, body) {
		line += bytes.Count(body[off:h.start], []byte{'\n'})
		off = h.start
		phrase := string(body[h.start:h.end])
		id := pc.c.rules[h.rule].ID
		if a := findAllowance(allows, line, id); a != nil {
			a.used = true
			used = append(used, Allowance{File: pc.file, Line: line, Rule: id, Phrase: quote(phrase)})
			continue
		}
		pc.report(line, "", h, phrase)
	}
	for _, a := range allows {
		if !a.used {
			pc.probs.Warnf(pc.file, a.line, "", "\"compliance: allow %s\" allows nothing on this line — remove the comment, or move it to the line it is for", a.rule)
		}
	}
	return used
}

func findAllowance(allows []allowance, line int, rule string) *allowance {
	for i := range allows {
		if allows[i].line == line && allows[i].rule == rule {
			return &allows[i]
		}
	}
	return nil
}

// allowances reads the allowance comments of a body, reporting those that
// are not written right or name no rule.
func (pc *textCheck) allowances(body []byte, first int) []allowance {
	var allows []allowance
	line, off := first, 0
	for _, loc := range allowRE.FindAllSubmatchIndex(body, -1) {
		line += bytes.Count(body[off:loc[0]], []byte{'\n'})
		off = loc[0]
		ids, ok := strings.CutPrefix(string(body[loc[2]:loc[3]]), "allow ")
		if !ok {
			pc.probs.Warnf(pc.file, line, "", "%q is not an allowance — write <!-- compliance: allow RULE-ID -->, e.g. <!-- compliance: allow %s -->", body[loc[0]:loc[1]], pc.c.ids[0])
			continue
		}
		for _, id := range strings.FieldsFunc(ids, func(r rune) bool { return r == ',' || r == ' ' }) {
			if _, found := slices.BinarySearch(pc.c.ids, id); !found {
				hint := ""
				if best := problem.Closest(id, pc.c.ids, max(2, len(id)/3)); best != "" {
					hint = "did you mean " + best + "? "
				}
				pc.probs.Warnf(pc.file, line, "", "\"compliance: allow %s\": there is no rule %s — %sthe rules are %s", id, id, hint, strings.Join(pc.c.ids, ", "))
				continue
			}
			allows = append(allows, allowance{line: line, rule: id})
		}
	}
	return allows
}
