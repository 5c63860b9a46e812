package intake

import (
	"crypto/sha256"
	"log/slog"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// The patient's confirmation goes to whatever address a request names, so
// the service decides for each lead whether to send one (confirmations.
// decide). It sends one only when the request carries a form token that
// is valid, unexpired and used for the first time, and the lead shows no
// sign of spam; at most one a day to one address (RFC 3834 §2); and at
// most Config.ConfirmationsPerHour in any hour. The lead itself always
// reaches the coordinator.
//
// What it remembers is kept in memory: after a restart a token or an
// address may be confirmed once more.

// Reasons for sending no confirmation, the label of
// consulta_intake_confirmations_skipped_total.
const (
	skipSpam      = "spam"       // the lead shows signs of spam
	skipNoToken   = "no_token"   // sent without a form token (no JavaScript)
	skipTokenUsed = "token_used" // the form token confirmed a lead before
	skipRecent    = "recent"     // the address was confirmed within a day
	skipCap       = "cap"        // the hourly cap was reached
)

// recentFor is how long an address is not confirmed again.
const recentFor = 24 * time.Hour

// confirmations remembers the tokens and addresses confirmed, and keeps
// the hourly cap.
type confirmations struct {
	log       *slog.Logger
	perHour   int
	tokenLife time.Duration // how long a token is good: a used one is forgotten after

	mu        sync.Mutex
	cap       *rate.Limiter
	tokens    map[string]time.Time   // used token → when it can be forgotten
	recent    map[[32]byte]time.Time // hashed address → when it may be confirmed again
	lastSweep time.Time
	capLogged time.Time // when reaching the cap was last logged
}

func newConfirmations(log *slog.Logger, perHour int, tokenLife time.Duration) *confirmations {
	return &confirmations{
		log:       log,
		perHour:   perHour,
		tokenLife: tokenLife,
		cap:       rate.NewLimiter(rate.Every(time.Hour/time.Duration(perHour)), perHour),
		tokens:    map[string]time.Time{},
		recent:    map[[32]byte]time.Time{},
	}
}

// decide reports whether a lead from a request with form token tok, to
// address, received at now, gets a confirmation, and if not, why. spam is
// whether the lead showed any spam signal (a bad, stale or too-fast token
// among them). A yes counts the token and the address as used, until
// release takes it back.
func (c *confirmations) decide(tok, address string, spam bool, now time.Time) (ok bool, reason string) {
	switch {
	case spam:
		return false, skipSpam
	case tok == "":
		return false, skipNoToken
	}
	addr := sha256.Sum256([]byte(strings.ToLower(address)))
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sweep(now)
	if _, used := c.tokens[tok]; used {
		return false, skipTokenUsed
	}
	c.tokens[tok] = now.Add(c.tokenLife + time.Minute) // a token issued up to a minute ahead is good
	if until, ok := c.recent[addr]; ok && now.Before(until) {
		return false, skipRecent
	}
	if !c.cap.AllowN(now, 1) {
		if now.Sub(c.capLogged) >= time.Minute {
			c.log.Warn("confirmations per hour reached: leads are delivered without a confirmation to the patient",
				"cap", c.perHour)
			c.capLogged = now
		}
		return false, skipCap
	}
	c.recent[addr] = now.Add(recentFor)
	return true, ""
}

// release takes back a yes of decide for a lead that was not stored (the
// store failed) or was a duplicate: the patient's retry with the same
// token may then be confirmed. The hourly cap keeps what it counted, which
// errs on the side of fewer confirmations.
func (c *confirmations) release(tok, address string) {
	addr := sha256.Sum256([]byte(strings.ToLower(address)))
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.tokens, tok)
	delete(c.recent, addr)
}

// sweep forgets what no longer matters, at most once a minute.
func (c *confirmations) sweep(now time.Time) {
	if now.Sub(c.lastSweep) < time.Minute {
		return
	}
	c.lastSweep = now
	for k, until := range c.tokens {
		if now.After(until) {
			delete(c.tokens, k)
		}
	}
	for k, until := range c.recent {
		if now.After(until) {
			delete(c.recent, k)
		}
	}
}
