package intake

import (
	"net/url"
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
func attribution(s submission) *lead.Attribution {
	for _, f := range s.visit() {
		*f.value = form.StripInvisible(*f.value)
	}
	a := lead.Attribution{
		Landing:     landingPath(s.LandingPage),
		Referrer:    referrerURL(s.Referrer),
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

// landingPath returns s if it is a site path (with its query) within
// bounds, else "". An absolute URL is cut to its path and query.
func landingPath(s string) string {
	if len(s) > maxAttributionURL || !validPage(s) {
		return ""
	}
	if strings.HasPrefix(s, "/") {
		return s
	}
	u, _ := url.Parse(s) // validPage parsed it
	return u.RequestURI()
}

// referrerURL returns s if it is an absolute http(s) URL within bounds,
// without its fragment, else "".
func referrerURL(s string) string {
	if len(s) > maxAttributionURL || strings.HasPrefix(s, "/") || !validPage(s) {
		return ""
	}
	u, _ := url.Parse(s)
	u.Fragment, u.User = "", nil
	return u.String()
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
