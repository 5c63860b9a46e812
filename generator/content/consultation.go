package content

import (
	"fmt"
	"net/url"
	"strings"
)

// Consultation returns the site's first consultation as the pages and the
// form say it: "€150, deducted from your surgery · 45 minutes with a
// consultant · in person or by video"; "" when site.yaml says nothing of
// it. A fee without a currency is in the currency of the procedures' fees.
func (s *Site) Consultation() string {
	c := s.Config.Consultation
	var parts []string
	if c.Fee > 0 {
		currency := c.Currency
		for _, p := range s.Procedures {
			if currency != "" {
				break
			}
			if p.Procedure != nil {
				currency = p.Procedure.Fees.Currency
			}
		}
		fee := money(c.Fee, currency)
		if c.DeductedFromSurgery {
			fee += ", deducted from your surgery"
		}
		parts = append(parts, fee)
	}
	if c.Minutes > 0 {
		parts = append(parts, fmt.Sprintf("%d minutes with a consultant", c.Minutes))
	}
	var formats []string
	for _, f := range c.Formats {
		if say, ok := ConsultationFormats[strings.ToLower(strings.TrimSpace(f))]; ok {
			formats = append(formats, say)
		}
	}
	if len(formats) > 0 {
		parts = append(parts, orList(formats))
	}
	return strings.Join(parts, " · ")
}

// orList joins words as a sentence does: "a", "a or b", "a, b or c".
func orList(words []string) string {
	if len(words) == 1 {
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " or " + words[len(words)-1]
}

// checkConsultation checks site.yaml's consultation key.
func (c *configFile) checkConsultation() {
	con := c.cfg.Consultation
	errf := func(field, format string, args ...any) {
		c.probs.Errorf(configPath, c.line(field), field, format, args...)
	}
	if con.Fee < 0 {
		errf("consultation.fee", "%d is negative — write the consultation's fee in whole euros, pounds or dollars, e.g. 150", con.Fee)
	}
	if cur := con.Currency; cur != "" && (len(cur) != 3 || strings.ToUpper(cur) != cur) {
		errf("consultation.currency", "%q is not a currency code — write a three-letter ISO 4217 code such as EUR or GBP", cur)
	}
	if con.Minutes < 0 || con.Minutes > 8*60 {
		errf("consultation.minutes", "%d is not a length in minutes — write how long a consultation lasts, e.g. 45", con.Minutes)
	}
	for i, f := range con.Formats {
		if _, ok := ConsultationFormats[strings.ToLower(strings.TrimSpace(f))]; !ok {
			field := fmt.Sprintf("consultation.formats[%d]", i)
			errf(field, "%q is not a format — write in person, video or phone, e.g. formats: [in person, video]", f)
		}
	}
}

// webAddress reports whether s is a whole http or https address, as a
// link to another site must be.
func webAddress(s string) bool {
	u, err := url.Parse(strings.TrimSpace(s))
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}

// checkLinks checks a list of named links to other sites (a member's
// affiliations or memberships, site.yaml's memberships): each needs a
// name, and an address where it has one.
func checkLinks(errf func(field, format string, args ...any), key string, links []Link, what string) {
	for i, l := range links {
		field := fmt.Sprintf("%s[%d]", key, i)
		if strings.TrimSpace(l.Name) == "" {
			errf(field+".name", "missing — name the %s, e.g. \"name: St Linden's Hospital\"", what)
		}
		if l.URL != "" && !webAddress(l.URL) {
			errf(field+".url", "%q is not a web address — write the %s's site in full, starting with https://", l.URL, what)
		}
	}
}
