package generator

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/consultahq/consulta/generator/compliance"
	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
)

// startCompliance makes the checker of the advertising rules that
// content/site.yaml names, if any, and checks what is checked once a
// build: the settings' wording and the reviews, which are no pages. Pages
// are checked in checkSite, by checkCompliance.
func (b *builder) startCompliance(ctx context.Context, site *content.Site, m *made) error {
	c, probs := compliance.New(site.Config, site.ConfigLines)
	b.compliance, m.complianceSite = c, probs
	if c == nil {
		return nil
	}
	c.Settings(site.Config, site.ConfigLines, probs)
	return b.checkCompliance(ctx, site.Reviews, m)
}

// checkCompliance checks pages against the advertising rules on every
// worker, keeping each page's problems and allowances in m. It reads the
// pages' Markdown: it runs before renderMarkdown lets it go.
func (b *builder) checkCompliance(ctx context.Context, pages []*content.Page, m *made) error {
	c := b.compliance
	if c == nil || len(pages) == 0 {
		return nil
	}
	t0 := time.Now()
	probs := make([]*problem.List, len(pages))
	allowed := make([][]compliance.Allowance, len(pages))
	// A page takes microseconds: a few batches a worker, not a goroutine a page.
	batch := max(1, len(pages)/(4*b.cfg.Workers))
	err := each(ctx, b.cfg.Workers, (len(pages)+batch-1)/batch, func(k int) error {
		for i := k * batch; i < min(len(pages), (k+1)*batch); i++ {
			probs[i] = &problem.List{}
			allowed[i] = c.Page(pages[i], probs[i])
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, p := range pages {
		m.compliance[p] = probs[i]
		if len(allowed[i]) > 0 {
			m.allowed[p] = allowed[i]
		}
	}
	b.cfg.Logger.Debug("checked the advertising rules", "pages", len(pages), "took", time.Since(t0))
	return nil
}

// addComplianceProblems adds the compliance problems of every page and of
// the settings to probs, and returns how many there are.
func (m *made) addComplianceProblems(probs *problem.List) int {
	n := m.complianceSite.Len()
	probs.Merge(m.complianceSite)
	for _, pl := range m.compliance {
		n += pl.Len()
		probs.Merge(pl)
	}
	return n
}

// allowances returns every allowance used, by file and line.
func (m *made) allowances() []compliance.Allowance {
	var all []compliance.Allowance
	for _, a := range m.allowed {
		all = append(all, a...)
	}
	slices.SortFunc(all, func(a, b compliance.Allowance) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Rule, b.Rule))
	})
	return all
}
