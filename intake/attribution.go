package intake

import (
	"strings"
	"unicode/utf8"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

// Bounds of the attribution fields. A value out of bounds is dropped, never
// a reason to refuse a patient's request: the patient cannot see or fix it.
const (
	maxAttributionURL   = 2048 // landing_page, referrer
	maxAttributionValue = 200  // utm_*, in characters
	maxClickID          = 255  // gclid, fbclid, msclkid
)

// attribution returns where s's visit came from, keeping only values
// within bounds, or nil when nothing is known. Invisible characters
// (form.Invisible) are taken out first: the patient cannot see or fix
// these values, so they are never a reason to refuse the lead.
func attribution(s submission, own func(host string) bool) *lead.Attribution {
	for _, f := range s.visit() {
		*f.value = form.StripInvisible(*f.value)
	}
	a := lead.Attribution{
		Landing:     landingPath(s.LandingPage, own),
		Referrer:    referrerHost(s.Referrer),
		UTMSource:   campaignValue(s.UTMSource),
		UTMMedium:   campaignValue(s.UTMMedium),
		UTMCampaign: campaignValue(s.UTMCampaign),
		UTMTerm:     campaignValue(s.UTMTerm),
		UTMContent:  campaignValue(s.UTMContent),
		UTMID:       campaignValue(s.UTMID),
		GCLID:       clickID(s.GCLID),
		FBCLID:      clickID(s.FBCLID),
		MSCLKID:     clickID(s.MSCLKID),
	}
	if a == (lead.Attribution{}) {
		return nil
	}
	return &a
}

// landingPath returns s as a path of the practice's own site, with its
// query (form.SitePath), within bounds; else "".
func landingPath(s string, own func(host string) bool) string {
	if len(s) > maxAttributionURL {
		return ""
	}
	p, _ := form.SitePath(s, own)
	return p
}

// referrerHost returns the host of s, an absolute http(s) URL within
// bounds (form.Host), else "": the referrer is kept as its host alone.
func referrerHost(s string) string {
	if len(s) > maxAttributionURL {
		return ""
	}
	return form.Host(s)
}

// campaignValue returns s if it is one line of at most
// maxAttributionValue characters, else "".
func campaignValue(s string) string {
	if utf8.RuneCountInString(s) > maxAttributionValue || !mail.HeaderSafe(s) {
		return ""
	}
	return s
}

// clickID returns s if it looks like an ad network's click id: printable
// ASCII without spaces, at most maxClickID long; else "".
func clickID(s string) string {
	if len(s) > maxClickID || strings.ContainsFunc(s, func(r rune) bool { return r <= ' ' || r > '~' }) {
		return ""
	}
	return s
}
