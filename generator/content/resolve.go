package content

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/problem"
)

// resolve builds the Site from the files read: it links references between
// pages, checks URLs are unique and collects every problem. It reads no
// file, so that it stays cheap enough to run after every edit.
func (l *Loader) resolve() (*Site, *problem.List) {
	probs := &problem.List{}
	probs.Merge(&l.config.probs)
	site := &Site{Config: l.config.cfg, ConfigLines: l.config.lines, Sections: map[string]*Page{}, ByURL: make(map[string]*Page, len(l.files))}

	procedures := map[string]*file{}
	members := map[string]*file{}
	var care []*file
	for _, p := range l.paths {
		f := l.files[p]
		probs.Merge(&f.probs)
		resetLinks(f.page)
		switch f.page.Kind {
		case KindProcedure:
			procedures[f.slug] = f
		case KindMember:
			members[f.slug] = f
		case KindCare:
			care = append(care, f)
		}
	}
	l.procedures, l.members = procedures, members
	r := l.resolver(site, probs)

	published := make([]*file, 0, len(l.paths))
	for _, p := range l.paths {
		f := l.files[p]
		if f.page.Draft {
			site.Drafts = append(site.Drafts, f.page.File)
		}
		if !f.publish && !f.page.Draft && f.probs.HasErrors() && f.page.URL != "" {
			if site.Failed == nil {
				site.Failed = map[string]*Page{}
			}
			site.Failed[f.page.URL] = f.page
		}
		if f.page.Kind == KindCare {
			continue // never published: linked by careLinks
		}
		if f.publish && (f.page.Kind != KindCase || r.caseLinks(f)) {
			published = append(published, f)
		} else if !f.publish && !f.page.Draft && f.page.Case != nil {
			r.caseLinks(f) // not published, but its every mistake is told at once
		}
	}
	owners := make(map[string]*file, len(published))
	for _, f := range published {
		pg := f.page
		if pg.Kind == KindReview {
			r.reviewLinks(f)
			site.Reviews = append(site.Reviews, pg)
			continue
		}
		if prev, ok := owners[pg.URL]; ok {
			sameURL(prev, f, probs)
			continue
		}
		owners[pg.URL] = f
		site.ByURL[pg.URL] = pg
		site.Pages = append(site.Pages, pg)
		switch pg.Kind {
		case KindHome:
			site.Home = pg
		case KindSection:
			if pg.URL == "/"+pg.Section+"/" {
				site.Sections[pg.Section] = pg
			}
		case KindProcedure:
			r.procedureLinks(f)
			site.Procedures = append(site.Procedures, pg)
		case KindMember:
			site.Members = append(site.Members, pg)
		case KindCase:
			site.Cases = append(site.Cases, pg)
		}
	}
	checkAliases(site, published, probs)

	slices.SortFunc(site.Pages, func(a, b *Page) int { return strings.Compare(a.URL, b.URL) })
	slices.SortFunc(site.Procedures, byWeight)
	slices.SortFunc(site.Members, byWeight)
	slices.SortFunc(site.Cases, newestConsent)
	slices.SortFunc(site.Reviews, newestReview)
	for _, pr := range site.Procedures {
		for _, m := range pr.Procedure.Surgeons {
			m.Member.Procedures = append(m.Member.Procedures, pr)
		}
	}
	for _, c := range site.Cases {
		pr := c.Case.Procedure.Procedure
		pr.Cases = append(pr.Cases, c)
	}
	linkReviews(site)
	site.Care = r.careLinks(care, l.now())
	l.site, l.probs = site, probs
	return site, probs
}

// sameURL reports two files that give one URL: on the line of each that
// sets the URL with slug, or on both files when neither does.
func sameURL(a, b *file, probs *problem.List) {
	_, aSlug := a.lines["slug"]
	_, bSlug := b.lines["slug"]
	for _, f := range []struct{ this, other *file }{{a, b}, {b, a}} {
		if _, set := f.this.lines["slug"]; set {
			probs.Errorf(f.this.page.File, f.this.line("slug"), "slug", "the URL %s is also the URL of %s — choose another slug", f.this.page.URL, f.other.page.File)
		} else if !aSlug && !bSlug {
			probs.Errorf(f.this.page.File, 0, "", "the URL %s is also the URL of %s — rename one of the files, or give one a slug", f.this.page.URL, f.other.page.File)
		}
	}
}

// resetLinks clears what a previous resolve linked, so that a page read
// once can be resolved again after other files changed.
func resetLinks(pg *Page) {
	switch {
	case pg.Procedure != nil:
		pr := pg.Procedure
		pr.CategoryInfo, pr.Surgeons, pr.Related, pr.Cases, pr.Reviews, pr.Reviewer = nil, nil, nil, nil, nil, nil
	case pg.Member != nil:
		pg.Member.Procedures, pg.Member.Reviews = nil, nil
	case pg.Case != nil:
		pg.Case.Procedure, pg.Case.Surgeon = nil, nil
	case pg.PatientReview != nil:
		pg.PatientReview.Procedure, pg.PatientReview.Surgeon = nil, nil
	}
}

func byWeight(a, b *Page) int {
	wa, wb := a.Weight, b.Weight
	if wa == 0 {
		wa = 1 << 30 // pages without a weight come last
	}
	if wb == 0 {
		wb = 1 << 30
	}
	return cmp.Or(cmp.Compare(wa, wb), strings.Compare(a.Title, b.Title), strings.Compare(a.URL, b.URL))
}

func newestConsent(a, b *Page) int {
	return cmp.Or(b.Case.Consent.Compare(a.Case.Consent), strings.Compare(a.URL, b.URL))
}

// resolver returns the resolver of site's links, reporting in probs.
func (l *Loader) resolver(site *Site, probs *problem.List) *resolver {
	return &resolver{probs: probs, procedures: l.procedures, members: l.members, cfg: &site.Config, cfgLines: l.config.lines, cfgRead: l.config.read}
}

type resolver struct {
	probs      *problem.List
	procedures map[string]*file // every procedure read, drafts included, by slug
	members    map[string]*file
	cfg        *Config
	cfgLines   map[string]int // site.yaml's field paths → file line
	cfgRead    bool           // content/site.yaml was read: its categories can be checked
}

// procedureLinks resolves a procedure's category, surgeons and related
// procedures. A reference to a draft is left out without a problem.
func (r *resolver) procedureLinks(f *file) {
	pr, p := f.page.Procedure, f.page.File
	if pr.Category != "" && r.cfgRead {
		i := slices.IndexFunc(r.cfg.Categories, func(c Category) bool { return c.Slug == pr.Category })
		if i < 0 {
			r.probs.Errorf(p, f.line("category"), "category", "no category %q%s — use one of %s (the categories in content/site.yaml)",
				pr.Category, didYouMean(pr.Category, r.cfg.Categories), categoryList(r.cfg.Categories))
		} else {
			pr.CategoryInfo = &r.cfg.Categories[i]
		}
	}
	pr.Surgeons = make([]*Page, 0, len(pr.SurgeonSlugs))
	for i, slug := range pr.SurgeonSlugs {
		if m := r.clinician(f, listField("surgeons", i), slug); m != nil {
			pr.Surgeons = append(pr.Surgeons, m)
		}
	}
	if pr.ReviewedBy != "" {
		pr.Reviewer = r.clinician(f, fixedField("reviewed_by"), pr.ReviewedBy)
	}
	pr.Related = make([]*Page, 0, len(pr.RelatedSlugs))
	for i, slug := range pr.RelatedSlugs {
		if slug == f.slug {
			field := listField("related", i)()
			r.probs.Errorf(p, f.line(field), field, "a procedure cannot be related to itself — remove %q", slug)
			continue
		}
		if rel := r.lookup(f, listField("related", i), slug, r.procedures, "procedure", "content/procedures/"); rel != nil {
			pr.Related = append(pr.Related, rel)
		}
	}
}

// caseLinks resolves a case's procedure and surgeon, and reports whether
// the case can be published.
func (r *resolver) caseLinks(f *file) bool {
	c := f.page.Case
	if c.ProcedureSlug != "" {
		c.Procedure = r.lookup(f, fixedField("procedure"), c.ProcedureSlug, r.procedures, "procedure", "content/procedures/")
	}
	if c.SurgeonSlug != "" {
		c.Surgeon = r.clinician(f, fixedField("surgeon"), c.SurgeonSlug)
	}
	c.Gated = c.Sensitive
	if c.Procedure != nil && c.Procedure.Procedure.SensitivePhotos {
		c.Gated = true
		if _, set := f.lines["sensitive"]; set && !c.Sensitive {
			r.probs.Errorf(f.page.File, f.line("sensitive"), "sensitive", "%s's photos are sensitive (sensitive_photos: true in %s), so its cases are always shown only when the visitor chooses — remove this line", c.ProcedureSlug, c.Procedure.File)
		}
	}
	return c.Procedure != nil && c.Surgeon != nil
}

// clinician finds the team member slug names, as lookup does, and reports
// one whose role is not a clinical one: only clinicians may be named as a
// surgeon or as a page's medical reviewer.
func (r *resolver) clinician(f *file, fieldName func() string, slug string) *Page {
	return r.memberWith(f, fieldName, slug, (*Member).Clinical,
		"is not a clinician: only team members with a clinical role (surgeon, doctor, nurse, …) may be named here", "give a team member a clinical role")
}

// memberWith finds the team member slug names, as lookup does, and
// reports one whose role ok refuses, saying why and naming the members
// it accepts, or how to have one.
func (r *resolver) memberWith(f *file, fieldName func() string, slug string, ok func(*Member) bool, why, none string) *Page {
	m := r.lookup(f, fieldName, slug, r.members, "team member", "content/team/")
	if m == nil || ok(m.Member) {
		return m
	}
	var names []string
	for s, mf := range r.members {
		if ok(mf.page.Member) {
			names = append(names, s)
		}
	}
	slices.Sort(names)
	field := fieldName()
	r.probs.Errorf(f.page.File, f.line(field), field, "%s (role: %s) %s — write one of %s", slug, cmp.Or(m.Member.Role, "not given"), why, cmp.Or(strings.Join(names, ", "), "none yet: "+none))
	return nil
}

// reviewLinks resolves the procedure and surgeon a review names.
func (r *resolver) reviewLinks(f *file) {
	rv := f.page.PatientReview
	if rv.ProcedureSlug != "" {
		rv.Procedure = r.lookup(f, fixedField("procedure"), rv.ProcedureSlug, r.procedures, "procedure", "content/procedures/")
	}
	if rv.SurgeonSlug != "" {
		rv.Surgeon = r.lookup(f, fixedField("surgeon"), rv.SurgeonSlug, r.members, "team member", "content/team/")
	}
}

// linkReviews lists each review on its procedure, and on its surgeon, or
// when it names none, on every surgeon of its procedure.
func linkReviews(site *Site) {
	for _, rp := range site.Reviews {
		rv := rp.PatientReview
		if pr := rv.Procedure; pr != nil {
			pr.Procedure.Reviews = append(pr.Procedure.Reviews, rp)
		}
		switch {
		case rv.Surgeon != nil:
			rv.Surgeon.Member.Reviews = append(rv.Surgeon.Member.Reviews, rp)
		case rv.Procedure != nil:
			for _, m := range rv.Procedure.Procedure.Surgeons {
				m.Member.Reviews = append(m.Member.Reviews, rp)
			}
		}
	}
}

func newestReview(a, b *Page) int {
	return cmp.Or(b.Date.Compare(a.Date), strings.Compare(a.File, b.File))
}

// lookup finds the page that slug names in pages, reporting an unknown
// slug at the field's line. It returns nil for an unknown slug or a draft.
func (r *resolver) lookup(f *file, fieldName func() string, slug string, pages map[string]*file, what, dir string) *Page {
	target, ok := pages[slug]
	if !ok && strings.HasPrefix(slug, StarterMark) {
		return nil // a starter's text, reported as such
	}
	if !ok {
		field := fieldName()
		cands := make([]problem.Candidate, 0, len(pages))
		for s, pf := range pages {
			cands = append(cands, problem.Candidate{Name: s, Also: []string{pf.page.Title}})
		}
		slices.SortFunc(cands, func(a, b problem.Candidate) int { return strings.Compare(a.Name, b.Name) })
		r.probs.Errorf(f.page.File, f.line(field), field, "no %s %q (no file %s%s.md)%s", what, slug, dir, slug, problem.Hint(slug, cands))
		return nil
	}
	if !target.publish {
		return nil
	}
	return target.page
}

// listField and fixedField name a field for lookup, which needs the name
// only to report a problem: formatting names of list items for every
// reference would slow down every resolve.
func listField(list string, i int) func() string {
	return func() string { return fmt.Sprintf("%s[%d]", list, i) }
}

func fixedField(name string) func() string { return func() string { return name } }

// didYouMean returns " — did you mean X?" for the categories s likely
// meant, by slug or title, or "".
func didYouMean(s string, cs []Category) string {
	cands := make([]problem.Candidate, len(cs))
	for i, c := range cs {
		cands[i] = problem.Candidate{Name: c.Slug, Also: []string{c.Title}}
	}
	if best := problem.Suggest(s, cands); len(best) > 0 {
		return " — did you mean " + strings.Join(best, " or ") + "?"
	}
	return ""
}

// checkAliases reports aliases that clash with a page's URL or another alias.
func checkAliases(site *Site, published []*file, probs *problem.List) {
	owner := map[string]*Page{}
	for _, f := range published {
		pg := f.page
		if site.ByURL[pg.URL] != pg {
			continue
		}
		for i, a := range pg.Aliases {
			field := fmt.Sprintf("aliases[%d]", i)
			if !strings.HasPrefix(a, "/") {
				continue // reported when read
			}
			if other, ok := site.ByURL[a]; ok {
				probs.Errorf(pg.File, f.line(field), field, "%s is the URL of %s — an alias must be an old URL that no page has now", a, other.File)
			} else if other, ok := owner[a]; ok {
				probs.Errorf(pg.File, f.line(field), field, "%s is already an alias of %s — keep it on one page only", a, other.File)
			} else {
				owner[a] = pg
			}
		}
	}
}
