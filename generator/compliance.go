package generator

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/consultahq/consulta/generator/compliance"
)

// startRules makes the checker of the advertising rules that
// content/site.yaml names, if any, and checks the settings' own wording
// with it. Pages are checked by checkRules.
func (r *run) startRules() {
	c, probs := compliance.New(r.site.Config, r.site.ConfigLines)
	r.rules = c
	if c != nil {
		c.Settings(r.site.Config, r.site.ConfigLines, probs)
	}
	r.settings.Merge(probs)
	r.settingsRules = probs.Len()
}

// checkRules checks the pages of the run against the advertising rules on
// every worker, keeping each page's problems and allowances in its record.
func (r *run) checkRules(ctx context.Context, recs []*built) error {
	c := r.rules
	if c == nil || len(r.pages) == 0 {
		return nil
	}
	t0 := time.Now()
	// A page takes microseconds: a few batches a worker, not a goroutine a page.
	batch := max(1, len(r.pages)/(4*r.cfg.Workers))
	err := each(ctx, r.cfg.Workers, (len(r.pages)+batch-1)/batch, func(k int) error {
		for i := k * batch; i < min(len(r.pages), (k+1)*batch); i++ {
			rec := recs[i]
			n := rec.probs.Len()
			rec.allowed = c.Page(r.pages[i], &rec.probs)
			rec.rules = rec.probs.Len() - n
		}
		return nil
	})
	r.cfg.Logger.Debug("checked the advertising rules", "pages", len(r.pages), "took", time.Since(t0))
	return err
}

// compliance returns how many problems the advertising rules found, and
// every allowance used, by file and line.
func (r *run) compliance() (int, []compliance.Allowance) {
	if r.rules == nil {
		return 0, nil
	}
	count := r.settingsRules
	var all []compliance.Allowance
	for _, b := range r.built {
		count += b.rules
		all = append(all, b.allowed...)
	}
	slices.SortFunc(all, func(a, b compliance.Allowance) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Rule, b.Rule))
	})
	return count, all
}
