package content

import (
	"context"
	"os"
	"testing"
	"time"
)

// TestGencorpusSite loads a site written by ../shared/bench/gencorpus
// (-procedures 6 -cases 2 -seed 1, with its photos replaced by small
// placeholder files), then given what the content rules added since ask
// for (a case's id, a procedure's risks and medical review, age bands).
func TestGencorpusSite(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) }
	site, probs := NewLoader(os.DirFS("testdata/gencorpus")).WithNow(now).Load(context.Background())
	for _, p := range probs.Sorted() {
		t.Error(p)
	}
	if len(site.Procedures) != 6 || len(site.Members) != 5 || len(site.Cases) != 2 || len(site.Sections) != 3 || site.Home == nil {
		t.Fatalf("loaded %d procedures, %d members, %d cases, %d sections", len(site.Procedures), len(site.Members), len(site.Cases), len(site.Sections))
	}
	if site.Config.CoordinatorEmail != "coordinator@example.org" || site.Members[0].Member.Email == "" {
		t.Errorf("coordinator_email or a member's email not loaded")
	}
	for _, p := range site.Procedures {
		pr := p.Procedure
		if pr.CategoryInfo == nil || len(pr.Surgeons) == 0 || len(pr.FAQ) == 0 || pr.Fees.From == 0 || pr.Fees.Currency != "EUR" {
			t.Errorf("%s: %+v", p.File, pr)
		}
	}
	for _, c := range site.Cases {
		if c.Case.Procedure == nil || c.Case.Surgeon == nil || len(c.Case.Photos) != 2 || c.Case.Consent.IsZero() {
			t.Errorf("%s: %+v", c.File, c.Case)
		}
	}
}
