package content

import (
	"strings"
	"testing"
)

const addressYAML = `name: Harbour Aesthetic Surgery
base_url: https://www.example.org/
email: hello@example.org
coordinator_email: coordinator@example.org
intake:
  coordinators:
    face: face@example.org
    skin: ""
  escalate_to: [manager@example.org]
  digest_to: [manager@example.org, owner@example.org]
`

// TestAddresses: every address key of site.yaml is checked by the one
// rule the intake sends by, each problem at its own line.
func TestAddresses(t *testing.T) {
	if _, probs := loadConfigText(t, addressYAML); len(probs) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(probs, "\n"))
	}
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"email not ASCII", "email: hello@example.org", "email: hello@exämple.org",
			`content/site.yaml:3: email: "hello@exämple.org" is not an address emails can be sent to: it has a letter outside plain ASCII (a–z, 0–9 and punctuation) — write the practice's address, e.g. hello@your-practice.example`},
		{"coordinator with a name", "coordinator_email: coordinator@example.org", `coordinator_email: "Desk <coordinator@example.org>"`,
			`content/site.yaml:4: coordinator_email: "Desk <coordinator@example.org>" is not an email address — write the coordinator's address, e.g. coordinator@your-practice.example`},
		{"coordinator without a domain ending", "coordinator_email: coordinator@example.org", `coordinator_email: "coordinator@harbour-aesthetic"`,
			`content/site.yaml:4: coordinator_email: "coordinator@harbour-aesthetic" is not an address emails can be sent to: the part after @ has no dot, as a domain like example.org has — write the coordinator's address, e.g. coordinator@your-practice.example`},
		{"route not ASCII", "face: face@example.org", "face: fäce@example.org",
			`content/site.yaml:7: intake.coordinators.face: "fäce@example.org" is not an address emails can be sent to: it has a letter outside plain ASCII (a–z, 0–9 and punctuation) — write one address, e.g. face@your-practice.example`},
		{"escalation not ASCII", "escalate_to: [manager@example.org]", "escalate_to: [mánager@example.org]",
			`content/site.yaml:9: the first address in intake.escalate_to: "mánager@example.org" is not an address emails can be sent to: it has a letter outside plain ASCII (a–z, 0–9 and punctuation) — write one address per item, e.g. manager@example.org`},
		{"digest not ASCII", "owner@example.org", "öwner@example.org",
			`content/site.yaml:10: the second address in intake.digest_to: "öwner@example.org" is not an address emails can be sent to: it has a letter outside plain ASCII (a–z, 0–9 and punctuation) — write one address per item, e.g. manager@example.org`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, probs := loadConfigText(t, strings.Replace(addressYAML, tc.old, tc.new, 1))
			if len(probs) != 1 || probs[0] != tc.want {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(probs, "\n"), tc.want)
			}
		})
	}
}
