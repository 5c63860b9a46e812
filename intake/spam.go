package intake

import (
	"strings"
	"time"
)

// Spam signals, as stored with a suspected lead and listed by
// `consulta intake spam`.
const (
	signalHoneypot   = "honeypot"    // the hidden field people never see was filled in
	signalTooFast    = "too-fast"    // sent sooner after the form was opened than a person can type
	signalStaleToken = "stale-token" // the form token is older than a day
	signalBadToken   = "bad-token"   // the form token was not issued by this service
	signalLinks      = "links"       // the message is mostly links
)

// holds reports whether signal is strong enough to hold a request instead
// of delivering it: only a filled honeypot and a forged token are. A lead
// with weaker signals (too fast, an old token, links) is delivered as
// possible spam, so that no patient is silently lost.
func holds(signal string) bool {
	return signal == signalHoneypot || signal == signalBadToken
}

// maxLinks is how many links a message may hold before it looks like spam.
const maxLinks = 3

// signals returns why s looks like spam, or nil. A request without a form
// token (the form was sent without JavaScript) is judged by the rest.
func (t tokens) signals(s submission, now time.Time) []string {
	var out []string
	if s.Website != "" {
		out = append(out, signalHoneypot)
	}
	if s.FormToken != "" {
		if sig := t.judge(s.FormToken, now); sig != "" {
			out = append(out, sig)
		}
	}
	if strings.Count(strings.ToLower(s.Message), "http") > maxLinks {
		out = append(out, signalLinks)
	}
	return out
}
