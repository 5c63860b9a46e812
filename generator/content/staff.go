package content

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/consultahq/consulta/internal/mailaddr"
)

// maxStaffName is the longest name intake.staff takes.
const maxStaffName = 80

// checkStaff checks intake.staff: each person has a name, shown on the
// lead's page and in its history, once, and an address (checked with the
// others by checkAddresses) that some of the practice's lead emails go
// to, since a person acts only through the links sent there.
func (c *configFile) checkStaff() {
	cfg := &c.cfg
	// A key left out is reported at its person's line.
	errf := func(field, format string, args ...any) {
		line := c.line(field)
		if _, set := c.lines[field]; !set {
			line = c.line(field[:strings.LastIndexByte(field, '.')])
		}
		c.probs.Errorf(configPath, line, field, format, args...)
	}
	receivers := append([]string{cfg.CoordinatorEmail}, cfg.Intake.EscalateTo...)
	receivers = append(receivers, cfg.Intake.DigestTo...)
	for _, to := range cfg.Intake.Coordinators {
		receivers = append(receivers, to)
	}
	named := map[string]int{}
	for i, m := range cfg.Intake.Staff {
		at := fmt.Sprintf("intake.staff[%d]", i)
		name := strings.TrimSpace(m.Name)
		switch {
		case name == "":
			errf(at+".name", "no name — give the person's name as colleagues know it, e.g. {name: \"Niamh Byrne\", email: niamh@your-practice.example}")
		case utf8.RuneCountInString(name) > maxStaffName || strings.ContainsFunc(name, unicode.IsControl):
			errf(at+".name", "%q is not a name — write the person's name on one line, at most %d characters", m.Name, maxStaffName)
		default:
			if first, twice := named[strings.ToLower(name)]; twice {
				errf(at+".name", "%q is listed already, as intake.staff[%d] — list each person once", name, first)
			}
			named[strings.ToLower(name)] = i
		}
		if m.Email == "" {
			errf(at+".email", "no address — give the address this person's links go to: their own, or a mailbox they share, e.g. %s",
				cfg.CoordinatorEmail)
			continue
		}
		if mailaddr.Check(m.Email) == nil && !slices.ContainsFunc(receivers, func(a string) bool { return strings.EqualFold(a, m.Email) }) {
			c.probs.Warnf(configPath, c.line(at+".email"), at+".email",
				"%s receives none of the practice's lead emails, so %s would never open a lead's page — list the person with the address "+
					"their links go to (coordinator_email, intake.coordinators, intake.escalate_to or intake.digest_to)", m.Email, cmp.Or(name, "this person"))
		}
	}
}
