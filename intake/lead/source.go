package lead

import (
	"net/netip"
	"net/url"
	"strings"

	"golang.org/x/net/publicsuffix"
)

// SourceOf names where lead l came from as a category, for counts by
// source (the report, the digest), never as what the patient typed. It
// is, the first that applies:
//
//   - the campaign's utm_source, in lower case, when it is a short token
//     (letters, digits, ".", "_" and "-", at most 32);
//   - the ad network of a click id: "google-ads", "meta-ads",
//     "microsoft-ads";
//   - the referrer's registered domain: "google.co.uk" for
//     www.google.co.uk (the public suffix list);
//   - the patient's answer to "How did you hear of us?" when it is one of
//     the form's fixed answers (answers), as the form writes it;
//   - "direct" when nothing at all is known, else "other".
//
// The patient's own words stay with the lead, for the coordinator's email,
// and go when it is purged; its category stays.
func SourceOf(l Lead, answers ...string) string {
	if a := l.Attribution; a != nil {
		switch s := strings.ToLower(a.UTMSource); {
		case token(s):
			return s
		case a.GCLID != "":
			return "google-ads"
		case a.FBCLID != "":
			return "meta-ads"
		case a.MSCLKID != "":
			return "microsoft-ads"
		}
		if d := registeredDomain(a.Referrer); d != "" {
			return d
		}
	}
	for _, ans := range answers {
		if strings.EqualFold(strings.TrimSpace(l.Source), ans) {
			return ans
		}
	}
	if a := l.Attribution; l.Source == "" && (a == nil || a.UTMSource == "" && a.Referrer == "") {
		return "direct" // a campaign name or a landing page alone says nothing of where from
	}
	return "other"
}

// token reports whether s is a short token: 1 to 32 lower-case letters,
// digits, ".", "_" or "-".
func token(s string) bool {
	if s == "" || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// registeredDomain returns the registered domain (eTLD+1) of a referrer,
// kept as a host ("www.google.co.uk") or, by releases before, as an
// address; "" for an IP address, a public suffix, or what is no host.
func registeredDomain(ref string) string {
	host := strings.ToLower(ref)
	if u, err := url.Parse(ref); err == nil && u.Hostname() != "" {
		host = strings.ToLower(u.Hostname())
	}
	if _, err := netip.ParseAddr(host); err == nil || !strings.Contains(host, ".") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(strings.TrimSuffix(host, "."))
	if err != nil || !domainLike(d) {
		return ""
	}
	return d
}

// domainLike reports whether d holds only what a domain name may: ASCII
// letters, digits, "-" and ".".
func domainLike(d string) bool {
	for i := 0; i < len(d); i++ {
		c := d[i]
		if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '.') {
			return false
		}
	}
	return d != ""
}
