package content

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// leadPageYAML is site.yaml with the keys of the lead's page: the plan of
// calls, and the staff, two of whom share the coordinator's mailbox.
const leadPageYAML = `name: Harbour Aesthetic Surgery
base_url: https://www.example.org/
coordinator_email: leads@example.org
intake:
  escalate_to: [manager@example.org]
  attempts: [90m, next morning, day 4]
  staff:
    - {name: "Niamh Byrne", email: leads@example.org}
    - {name: "Ciara Walsh", email: leads@example.org}
    - {name: "Dr Mark Kelly", email: manager@example.org}
`

func TestLeadPageKeys(t *testing.T) {
	cfg, probs := loadConfigText(t, leadPageYAML)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(probs, "\n"))
	}
	if got, want := cfg.Clock().Attempts, []hours.Retry{{After: 90 * time.Minute}, {NextMorning: true}, {Day: 4}}; !slices.Equal(got, want) {
		t.Errorf("attempts = %v, want %v", got, want)
	}
	if s := cfg.Intake.Staff; len(s) != 3 || s[1] != (StaffMember{Name: "Ciara Walsh", Email: "leads@example.org"}) {
		t.Errorf("staff = %+v", s)
	}
	// Without the key, the default plan; written empty, one call only.
	if cfg, _ := loadConfigText(t, "name: X\nbase_url: https://x.example/\n"); !slices.Equal(cfg.Clock().Attempts, hours.DefaultAttempts) {
		t.Errorf("attempts by default = %v", cfg.Clock().Attempts)
	}
	if cfg, _ := loadConfigText(t, "name: X\nbase_url: https://x.example/\nintake:\n  attempts: []\n"); len(cfg.Clock().Attempts) != 0 ||
		cfg.Clock().Calls() != 1 {
		t.Errorf("attempts written empty = %v", cfg.Clock().Attempts)
	}
}

// TestLeadPageKeysProblems: each mistake in the keys of the lead's page
// is reported at its line, with what to write.
func TestLeadPageKeysProblems(t *testing.T) {
	tests := []struct {
		name, old, new string
		want           []string
	}{
		{"a step of the plan", "day 4", "day four",
			[]string{`content/site.yaml:6: the third item of intake.attempts: "day four" is not a day to call again — write day 2 to day 30, counting the day of the first call as day 1, e.g. day 3`}},
		{"another", "90m", "tomorrow",
			[]string{`content/site.yaml:6: the first item of intake.attempts: "tomorrow" is not a time to call again — write open time (2h, 90m), "next morning" or "day 3"`}},
		{"too many calls", "[90m, next morning, day 4]", "[1h, 1h, 1h, 1h, 1h, 1h, 1h]",
			[]string{`content/site.yaml:6: intake.attempts: 7 calls after the first is more than a patient should get — plan at most 6, e.g. [2h, next morning, day 3]`}},
		{"no name", `{name: "Ciara Walsh", email: leads@example.org}`, `{email: leads@example.org}`,
			[]string{`content/site.yaml:9: the second item of intake.staff's name: no name — give the person's name as colleagues know it, e.g. {name: "Niamh Byrne", email: niamh@your-practice.example}`}},
		{"a name twice", `"Ciara Walsh"`, `"niamh byrne"`,
			[]string{`content/site.yaml:9: the second item of intake.staff's name: "niamh byrne" is listed already, as intake.staff[0] — list each person once`}},
		{"no address", `{name: "Ciara Walsh", email: leads@example.org}`, `{name: "Ciara Walsh"}`,
			[]string{`content/site.yaml:9: the second item of intake.staff's email: no address — give the address this person's links go to: their own, or a mailbox they share, e.g. leads@example.org`}},
		{"not an address", `"Dr Mark Kelly", email: manager@example.org`, `"Dr Mark Kelly", email: "Mark <manager@example.org>"`,
			[]string{`content/site.yaml:10: the third item of intake.staff's email: "Mark <manager@example.org>" is not an email address — write the address this person's links go to, e.g. niamh@your-practice.example`}},
		{"an address no lead email goes to", "email: manager@example.org}", "email: mark@example.org}",
			[]string{`content/site.yaml:10: warning: the third item of intake.staff's email: mark@example.org receives none of the practice's lead emails, so Dr Mark Kelly would never open a lead's page — list the person with the address their links go to (coordinator_email, intake.coordinators, intake.escalate_to or intake.digest_to)`}},
		{"misspelt key", "staff:", "staf:",
			[]string{`content/site.yaml:7: intake.staf: unknown key — did you mean staff?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(leadPageYAML, tt.old) {
				t.Fatalf("no %q", tt.old)
			}
			_, got := loadConfigText(t, strings.Replace(leadPageYAML, tt.old, tt.new, 1))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
