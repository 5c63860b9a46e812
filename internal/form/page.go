package form

import (
	"net/netip"
	"net/url"
	"strings"
	"unicode"
)

// SitePath returns the page that a request says it was sent from (the
// page field, or where the visit landed) as a path on the practice's own
// site, with its query and without its fragment: page as a path ("/a/?b"),
// or an http(s) URL whose host is one of the site's own (own reports it,
// given in lower case). ok is false for anything else: another site's
// address, a scheme-relative "//host", a backslash, which browsers read as
// a slash, or a control character. The practice's emails link only such a
// path, under the site's address, so that a request can never put another
// site's link in them.
func SitePath(page string, own func(host string) bool) (path string, ok bool) {
	if strings.ContainsFunc(page, unicode.IsControl) || strings.Contains(page, `\`) {
		return "", false
	}
	u, err := url.Parse(page)
	if err != nil {
		return "", false
	}
	switch {
	case u.Scheme == "" && strings.HasPrefix(page, "/") && !strings.HasPrefix(page, "//"):
	case (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && own(strings.ToLower(u.Hostname())):
	default:
		return "", false
	}
	return u.RequestURI(), true
}

// Host returns the host of an http(s) URL in lower case, without port or
// credentials, when it is an IP address or a domain name with a dot;
// else "". It is how the referrer is kept and shown: plain text, never a
// link, never a path that could hold what the patient searched for.
func Host(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return ""
	}
	h := strings.ToLower(u.Hostname())
	if _, err := netip.ParseAddr(h); err == nil {
		return h
	}
	if !DomainName(h) {
		return ""
	}
	return h
}

// DomainName reports whether h is a domain name of two labels or more,
// each of ASCII letters, digits and inner hyphens, as a browser sends a
// host (an international name in its xn-- form).
func DomainName(h string) bool {
	if len(h) > 253 || !strings.Contains(h, ".") {
		return false
	}
	for label := range strings.SplitSeq(strings.TrimSuffix(h, "."), ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c := label[i]
			if !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || 'A' <= c && c <= 'Z') {
				return false
			}
		}
	}
	return true
}
