// Package action signs and checks the action links of the intake's
// emails: "I'm handling it", "Reached", "Consultation booked", "Not a
// lead", "Open the lead", and the digest's "Release". Every link opens
// the lead's page (package intake), signed for one lead and one member of
// staff; its action is the page's main button while the lead can still
// take it. Buttons says which each kind of email offers;
// the composer receives them signed, as data.
//
// A link is /v1/actions/<token>. The token names one lead, one action and
// one recipient, and when it expires, and is signed with an HMAC-SHA256
// under the service's secret:
//
//	a1.<lead id>.<action>.<expiry, Unix seconds, base 36>.<recipient, base64url>.<MAC>
//
// It carries no patient data. The recipient is a member of staff; the
// action is recorded as theirs. It imports nothing of Consulta's but lead.
package action

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// The actions, as they appear in links.
const (
	Claim     = "claim"
	Contacted = "contacted"
	Booked    = "booked"
	Closed    = "closed"
	NotALead  = "not_a_lead"
	Spam      = "spam"
	Release   = "release" // deliver a lead held as suspected spam
	Open      = "open"    // open the lead's page, whose buttons then act
)

// Labels are the buttons' words, by action.
var Labels = map[string]string{
	Claim:     "I'm handling it",
	Contacted: "Reached",
	Booked:    "Consultation booked",
	Closed:    "Closed, no booking",
	NotALead:  "Not a lead",
	Spam:      "Spam",
	Release:   "Release",
	Open:      "Open the lead",
}

// States are the lead states the actions set; Release sets lead.New.
var States = map[string]string{
	Claim:     lead.Claimed,
	Contacted: lead.Contacted,
	Booked:    lead.Booked,
	Closed:    lead.Closed,
	NotALead:  lead.NotALead,
	Spam:      lead.Spam,
	Release:   lead.New,
	Open:      "", // moves nothing
}

// LeadActions are the actions of a coordinator's email, in order.
var LeadActions = []string{Claim, Contacted, Booked, NotALead}

// Buttons are the actions each kind of email offers, in order: a lead's
// own and the clock's notices about it, by their kind (lead.Coordinator,
// …), and the digest on each lead it lists as overdue
// (lead.DigestOverdue) or as held (lead.DigestHeld).
var Buttons = map[string][]string{
	lead.Coordinator:   LeadActions,
	lead.Reminder:      LeadActions,
	lead.Escalation:    LeadActions,
	lead.FollowUp:      {Booked, Closed, NotALead},
	lead.Attempt:       {Open},
	lead.Again:         {Open},
	lead.DigestOverdue: LeadActions,
	lead.DigestHeld:    {Release},
}

// Path is where action links are served; a token follows it.
const Path = "/v1/actions/"

// DefaultTTL is how long a link stays good when Signer.TTL is zero.
const DefaultTTL = 30 * 24 * time.Hour

// Errors of Verify.
var (
	ErrForged  = errors.New("action link: not signed by this service, or altered")
	ErrExpired = errors.New("action link: expired")
)

// Token is what an action link says.
type Token struct {
	Lead      string // lead id
	Action    string // Claim, Contacted, …
	Recipient string // the address the link was sent to
	Expires   time.Time
}

// Signer makes and checks action links.
type Signer struct {
	Secret []byte // the service's secret; at least 32 bytes
	// Previous is the secret signed with before a rotation, or nil: the
	// links it signed still verify; new ones are signed with Secret.
	Previous []byte
	Base     string           // the service's public address, e.g. "https://www.example.org", without the path
	TTL      time.Duration    // how long a link stays good; default DefaultTTL
	Now      func() time.Time // default time.Now
}

func (s Signer) now() time.Time {
	if s.Now == nil {
		return time.Now()
	}
	return s.Now()
}

const version = "a1"

// Lifetime is how long a link stays good: TTL, or DefaultTTL.
func (s Signer) Lifetime() time.Duration {
	if s.TTL <= 0 {
		return DefaultTTL
	}
	return s.TTL
}

// Sign returns the token of one action on one lead for one recipient.
func (s Signer) Sign(leadID, act, recipient string) string {
	payload := strings.Join([]string{version, leadID, act,
		strconv.FormatInt(s.now().Add(s.Lifetime()).Unix(), 36),
		base64.RawURLEncoding.EncodeToString([]byte(recipient))}, ".")
	return payload + "." + s.mac(payload)
}

func (s Signer) mac(payload string) string { return macWith(s.Secret, payload) }

func macWith(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("consulta action\n")) // never the MAC of a form token
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:20])
}

// URL returns the link of one action on one lead for one recipient.
func (s Signer) URL(leadID, act, recipient string) string {
	return strings.TrimSuffix(s.Base, "/") + Path + s.Sign(leadID, act, recipient)
}

// Link is an action's button in an email.
type Link struct {
	Action string // Claim, …
	Label  string // "I'm handling it", …
	URL    string
}

// Links returns the links of actions (LeadActions when none are named) on
// lead leadID for recipient, in order.
func (s Signer) Links(leadID, recipient string, actions ...string) []Link {
	if len(actions) == 0 {
		actions = LeadActions
	}
	out := make([]Link, len(actions))
	for i, a := range actions {
		out[i] = Link{Action: a, Label: Labels[a], URL: s.URL(leadID, a, recipient)}
	}
	return out
}

// For returns the links of the buttons of an email of kind (see Buttons)
// about lead leadID, for recipient: none for a kind without buttons.
func (s Signer) For(kind, leadID, recipient string) []Link {
	actions, ok := Buttons[kind]
	if !ok {
		return nil
	}
	return s.Links(leadID, recipient, actions...)
}

// Verify checks token and returns what it says: ErrForged when it was not
// signed with the secret (or the previous one), was altered, or names no action; ErrExpired when
// its time has passed.
func (s Signer) Verify(token string) (Token, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(s.Secret) == 0 {
		return Token{}, ErrForged
	}
	payload, sum := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sum), []byte(s.mac(payload))) &&
		(len(s.Previous) == 0 || !hmac.Equal([]byte(sum), []byte(macWith(s.Previous, payload)))) {
		return Token{}, ErrForged
	}
	parts := strings.Split(payload, ".")
	if len(parts) != 5 || parts[0] != version {
		return Token{}, ErrForged
	}
	exp, err := strconv.ParseInt(parts[3], 36, 64)
	recipient, err2 := base64.RawURLEncoding.DecodeString(parts[4])
	if _, ok := States[parts[2]]; !ok || err != nil || err2 != nil {
		return Token{}, ErrForged
	}
	t := Token{Lead: parts[1], Action: parts[2], Recipient: string(recipient), Expires: time.Unix(exp, 0).UTC()}
	if !s.now().Before(t.Expires) {
		return t, ErrExpired
	}
	return t, nil
}
