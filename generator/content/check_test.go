package content

import "testing"

// TestRisksSection: a body has a section of risks when a heading of
// level 2 or 3 starts with the word Risks, in any case.
func TestRisksSection(t *testing.T) {
	for _, tt := range []struct {
		body string
		want bool
	}{
		{"## Risks\n\nBruising.", true},
		{"Intro.\n\n### risks and complications\nSwelling.", true},
		{"Intro.\r\n## RISKS\r\nSwelling.", true},
		{"##\tRisks", true},
		{"## Risks: what can go wrong", true},
		{"# Risks", false},
		{"#### Risks", false},
		{"##Risks", false},
		{"## Riskscore", false},
		{"## Risks_and_more", false},
		{"Text ## Risks", false},
		{" ## Risks", false},
		{"## The risks", false},
		{"## Risk", false},
		{"", false},
	} {
		if got := hasRisksSection([]byte(tt.body)); got != tt.want {
			t.Errorf("hasRisksSection(%q) = %v, want %v", tt.body, got, tt.want)
		}
	}
}
