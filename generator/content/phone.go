package content

import (
	"cmp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// PhoneE164 returns the practice's phone in E.164 form, e.g.
// "+35315550142": as written when it starts with + and its country code,
// else read as a number of intake.region. "" when there is no phone or it
// cannot be read (check reports it).
func (c Config) PhoneE164() string {
	if c.Phone == "" {
		return ""
	}
	n, err := phonenumbers.Parse(c.Phone, cmp.Or(strings.ToUpper(c.Intake.Region), "ZZ"))
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// checkPhone checks that the practice's phone says its country, by a +
// and its code or by intake.region: every call link dials it from abroad
// too, and a number without its country dials nowhere.
func (c *configFile) checkPhone() {
	cfg := &c.cfg
	if cfg.Phone == "" || c.cfg.PhoneE164() != "" {
		return
	}
	if !strings.HasPrefix(strings.TrimSpace(cfg.Phone), "+") && cfg.Intake.Region == "" {
		c.probs.Errorf(configPath, c.line("phone"), "phone", "%q does not say its country — write it with + and the country code, e.g. \"+353 1 555 0142\", or set intake.region (e.g. IE) so that it is read as that country's", cfg.Phone)
		return
	}
	region := cmp.Or(strings.ToUpper(cfg.Intake.Region), "its country code")
	c.probs.Errorf(configPath, c.line("phone"), "phone", "%q is not a phone number of %s — check the digits, and write it with + and the country code, e.g. \"+353 1 555 0142\"", cfg.Phone, region)
}
