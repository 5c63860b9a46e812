package content

import (
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/problem"
)

// patch resolves the site again after edits of procedures' front matter
// that leave every other page's links as they were: it links the edited
// pages in the place of the pages they replace, where resolve would link
// every page of the site again. It reports false, having changed nothing,
// for any other edit; resolve then does the work.
//
// An edit qualifies when the procedure was published and stays so, under
// the same URL, aliases, surgeons and sensitive_photos, and when the only
// problems of its file were its own: no other file shares its URL.
func (l *Loader) patch(changes []Change, olds map[string]*file) (*Site, *problem.List, bool) {
	if l.site == nil || l.procedures == nil {
		return nil, nil, false
	}
	old := l.site
	changes = slices.DeleteFunc(slices.Clone(changes), func(c Change) bool { return !c.Meta }) // a body's edit keeps its page
	for _, c := range changes {
		f, of := l.files[c.File], olds[c.File]
		if of == nil || f == nil || !samePlace(of, f) || old.ByURL[of.page.URL] != of.page {
			return nil, nil, false
		}
		// The file's problems in the list are its own and its links'
		// alone: no other file shares its URL or its aliases.
		links := &problem.List{}
		l.resolver(old, links).procedureLinks(of)
		if countProblems(l.probs, c.File) != of.probs.Len()+links.Len() {
			return nil, nil, false
		}
	}
	site := *old
	site.ByURL = old.ByURL // replaced in place: the old site is done with
	site.Pages = slices.Clone(old.Pages)
	site.Procedures = slices.Clone(old.Procedures)
	kept := &problem.List{}
	for _, p := range l.probs.Sorted() {
		if !slices.ContainsFunc(changes, func(c Change) bool { return c.File == p.File }) {
			kept.Add(p)
		}
	}
	for _, c := range changes {
		f := l.files[c.File]
		l.procedures[f.slug] = f
		kept.Merge(&f.probs)
	}
	r := l.resolver(&site, kept)
	for _, c := range changes {
		o, n := olds[c.File].page, l.files[c.File].page
		r.procedureLinks(l.files[c.File])
		n.Procedure.Cases, n.Procedure.Reviews = o.Procedure.Cases, o.Procedure.Reviews
		for _, cs := range n.Procedure.Cases {
			cs.Case.Procedure = n
		}
		for _, rv := range n.Procedure.Reviews {
			rv.PatientReview.Procedure = n
		}
		for _, pr := range site.Procedures {
			if i := slices.Index(pr.Procedure.Related, o); i >= 0 {
				pr.Procedure.Related[i] = n
			}
		}
		site.ByURL[n.URL] = n
		i, _ := slices.BinarySearchFunc(site.Pages, o.URL, func(p *Page, url string) int { return strings.Compare(p.URL, url) })
		site.Pages[i] = n
		i, _ = slices.BinarySearchFunc(site.Procedures, o, byWeight)
		site.Procedures = slices.Delete(site.Procedures, i, i+1)
		i, _ = slices.BinarySearchFunc(site.Procedures, n, byWeight)
		site.Procedures = slices.Insert(site.Procedures, i, n)
		for _, m := range n.Procedure.Surgeons {
			m.Member.Procedures = m.Member.Procedures[:0]
			for _, pr := range site.Procedures {
				for _, s := range pr.Procedure.Surgeons {
					if s == m {
						m.Member.Procedures = append(m.Member.Procedures, pr)
					}
				}
			}
		}
	}
	l.site, l.probs = &site, kept
	return &site, kept, true
}

// samePlace reports whether the procedure file f, read again, keeps the
// place of of in the site: published, at the same URL, with the same
// aliases, surgeons and gate on its cases' photos.
func samePlace(of, f *file) bool {
	o, n := of.page, f.page
	return o.Kind == KindProcedure && n.Kind == KindProcedure && of.publish && f.publish && !n.Draft &&
		o.URL == n.URL && of.slug == f.slug && slices.Equal(o.Aliases, n.Aliases) &&
		slices.Equal(o.Procedure.SurgeonSlugs, n.Procedure.SurgeonSlugs) &&
		o.Procedure.SensitivePhotos == n.Procedure.SensitivePhotos
}

// countProblems counts the problems of the file name in probs.
func countProblems(probs *problem.List, name string) int {
	n := 0
	for _, p := range probs.Sorted() {
		if p.File == name {
			n++
		}
	}
	return n
}
