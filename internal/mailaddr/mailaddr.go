// Package mailaddr is the one rule for an email address that Consulta
// sends mail to or from: the practice's addresses in content/site.yaml,
// which `consulta check` checks, and the patient's, which the intake
// service checks. One rule for both means that an address the check lets
// through is never refused when an email is composed.
//
// It imports nothing of Consulta's.
package mailaddr

import (
	"errors"
	"net/mail"
	"strings"
	"unicode/utf8"
)

// Why an address is refused. Each reads after the address: "… is not an
// address emails can go to: it has a letter outside plain ASCII".
var (
	ErrNotASCII = errors.New("it has a letter outside plain ASCII (a–z, 0–9 and punctuation)")
	ErrNotBare  = errors.New("it is not one bare address (no name, no <>, no spaces)")
	ErrNoDot    = errors.New("the part after @ has no dot, as a domain like example.org has")
)

// Check returns nil for an address emails can be sent to and from: in
// ASCII (the emails carry no SMTPUTF8), bare (one that net/mail reads back
// exactly as written: no name, no angle brackets, no comments), and with a
// dot in its domain (so "desk@localhost" and "desk@harbour-aesthetic" are
// refused: no mail reaches them from the Internet). Otherwise it returns
// ErrNotASCII, ErrNotBare or ErrNoDot.
func Check(addr string) error {
	for i := 0; i < len(addr); i++ {
		if addr[i] >= utf8.RuneSelf {
			return ErrNotASCII
		}
	}
	a, err := mail.ParseAddress(addr)
	if err != nil || a.Address != addr || a.Name != "" {
		return ErrNotBare
	}
	if domain := addr[strings.LastIndexByte(addr, '@')+1:]; !strings.Contains(domain, ".") {
		return ErrNoDot
	}
	return nil
}

// OK reports whether Check accepts addr.
func OK(addr string) bool { return Check(addr) == nil }
