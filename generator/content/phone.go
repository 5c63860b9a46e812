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
func (c Config) PhoneE164() string { return e164(c.Phone, c.Intake.Region) }

// e164 returns phone in E.164 form, read as a number of region unless it
// starts with + and its country code; "" when it cannot be read.
func e164(phone, region string) string {
	if phone == "" {
		return ""
	}
	n, err := phonenumbers.Parse(phone, cmp.Or(strings.ToUpper(region), "ZZ"))
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return ""
	}
	return phonenumbers.Format(n, phonenumbers.E164)
}

// checkPhone checks that the practice's phone says its country, by a +
// and its code or by intake.region: every call link dials it from abroad
// too, and a number without its country dials nowhere.
func (c *configFile) checkPhone() { c.checkPhoneField("phone", c.cfg.Phone) }

// checkPhoneField checks the phone number of a site.yaml field as
// checkPhone checks the practice's.
func (c *configFile) checkPhoneField(field, phone string) {
	cfg := &c.cfg
	if phone == "" || e164(phone, cfg.Intake.Region) != "" {
		return
	}
	if !strings.HasPrefix(strings.TrimSpace(phone), "+") && cfg.Intake.Region == "" {
		c.probs.Errorf(configPath, c.line(field), field, "%q does not say its country — write it with + and the country code, e.g. \"+353 1 555 0142\", or set intake.region (e.g. IE) so that it is read as that country's", phone)
		return
	}
	region := cmp.Or(strings.ToUpper(cfg.Intake.Region), "its country code")
	c.probs.Errorf(configPath, c.line(field), field, "%q is not a phone number of %s — check the digits, and write it with + and the country code, e.g. \"+353 1 555 0142\"", phone, region)
}
