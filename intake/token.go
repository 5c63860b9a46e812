package intake

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// A form token tells how long ago the form was opened: the page's script
// fetches one from GET /v1/consultations/token when the form is shown and
// sends it back with the request. It is
// "v2.<issued, Unix ms>.<nonce>.<MAC>": the nonce, 72 random bits, makes
// each token unique (a used token gets no second confirmation, so two
// patients must never hold the same one), and the MAC is an HMAC-SHA256 of
// the parts before it under the service's secret. A token carries no
// personal data and is not tied to a client. The "v1.<issued>.<MAC>"
// tokens of earlier releases, without a nonce, are still judged, so that
// forms opened before an upgrade send leads as before.

const tokenVersion = "v2"

// tokens issues and judges form tokens.
type tokens struct {
	secret   []byte
	previous []byte // a key signed with before a rotation, or nil: what it signed is still good
	minFill  time.Duration
	maxAge   time.Duration
}

// issue returns a token issued at now.
func (t tokens) issue(now time.Time) string {
	var nonce [9]byte
	rand.Read(nonce[:])
	payload := tokenVersion + "." + strconv.FormatInt(now.UnixMilli(), 10) + "." +
		base64.RawURLEncoding.EncodeToString(nonce[:])
	return payload + "." + t.mac(payload)
}

// mac returns the MAC of payload under the service's secret.
func (t tokens) mac(payload string) string { return macWith(t.secret, payload) }

func macWith(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:18])
}

// signed reports whether sum is the MAC of payload under the secret, or
// under the previous one during a rotation, comparing in constant time: a
// comparison that stops at the first wrong byte would tell a forger, by
// its time, how much of a guess is right.
func (t tokens) signed(payload, sum string) bool {
	return hmac.Equal([]byte(sum), []byte(t.mac(payload))) ||
		len(t.previous) > 0 && hmac.Equal([]byte(sum), []byte(macWith(t.previous, payload)))
}

// judge returns the spam signal a token gives at now, or "" for a token
// from a form that a person could have filled in.
func (t tokens) judge(token string, now time.Time) string {
	i := strings.LastIndexByte(token, '.')
	if i < 0 {
		return signalBadToken
	}
	payload, sum := token[:i], token[i+1:]
	if !t.signed(payload, sum) {
		return signalBadToken
	}
	parts := strings.Split(payload, ".")
	if !(len(parts) == 3 && parts[0] == tokenVersion || len(parts) == 2 && parts[0] == "v1") {
		return signalBadToken
	}
	n, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return signalBadToken
	}
	age := now.Sub(time.UnixMilli(n))
	switch {
	case age < -time.Minute: // issued in the future: a forged clock, or another server's
		return signalBadToken
	case age < t.minFill:
		return signalTooFast
	case age > t.maxAge:
		return signalStaleToken
	}
	return ""
}
