package content

import (
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/consultahq/consulta/internal/mailaddr"
)

// checkAddresses checks every email address of site.yaml by the rule the
// intake service sends mail by (package mailaddr), so that an address
// `consulta check` lets through is never refused when an email is composed,
// and one it refuses is refused with the same words when the intake starts.
func (c *configFile) checkAddresses() {
	cfg := &c.cfg
	check := func(field, addr, fix string) {
		err := mailaddr.Check(addr)
		switch {
		case err == nil:
		case errors.Is(err, mailaddr.ErrNotBare):
			c.probs.Errorf(configPath, c.line(field), field, "%q is not an email address — %s", addr, fix)
		default:
			c.probs.Errorf(configPath, c.line(field), field, "%q is not an address emails can be sent to: %v — %s", addr, err, fix)
		}
	}
	if cfg.Email != "" {
		check("email", cfg.Email, "write the practice's address, e.g. hello@your-practice.example")
	}
	if cfg.CoordinatorEmail != "" {
		check("coordinator_email", cfg.CoordinatorEmail, "write the coordinator's address, e.g. coordinator@your-practice.example")
	}
	// In file order, as staff read them.
	slugs := slices.SortedFunc(maps.Keys(cfg.Intake.Coordinators), func(a, b string) int {
		return c.line("intake.coordinators."+a) - c.line("intake.coordinators."+b)
	})
	for _, slug := range slugs {
		if to := cfg.Intake.Coordinators[slug]; to != "" { // "" leaves the category to coordinator_email
			check("intake.coordinators."+slug, to, "write one address, e.g. "+slug+"@your-practice.example")
		}
	}
	for i, m := range cfg.Intake.Staff {
		if m.Email != "" { // checkStaff says it is missing
			check(fmt.Sprintf("intake.staff[%d].email", i), m.Email, "write the address this person's links go to, e.g. niamh@your-practice.example")
		}
	}
	for _, list := range []struct {
		key   string
		addrs []string
	}{{"intake.escalate_to", cfg.Intake.EscalateTo}, {"intake.digest_to", cfg.Intake.DigestTo}} {
		for i, addr := range list.addrs {
			check(fmt.Sprintf("%s[%d]", list.key, i), addr, "write one address per item, e.g. manager@example.org")
		}
	}
}
