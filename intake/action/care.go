package action

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
)

// A journey's links: the patient's, each signed for one patient (a lead)
// and one thing of theirs — a care step's page, with its "I have read
// this" or its check-in, or a request to change an appointment — and the
// coordinator's "Done" of a task, signed for its recipient. They carry no
// patient data, and are signed apart from the action links, so that one
// can never be taken for another:
//
//	c1.<lead id>.<what>.<name>.<expiry, Unix seconds, base 36>.<MAC>
//	t1.<lead id>.<task id>.<expiry>.<recipient, base64url>.<MAC>

// What a patient's link opens.
const (
	CareStep   = "step"   // a care step's page; name is the step's slug
	CareChange = "change" // a request to change an appointment; name is its kind
)

// CarePath and TaskPath are where the journey's links are served.
const (
	CarePath = "/v1/care/"
	TaskPath = "/v1/tasks/"
)

// CareTTL is how long a patient's link stays good: past the six-week
// review, and the weeks after it the patient may read it again.
const CareTTL = 120 * 24 * time.Hour

// CareToken is what a patient's link says.
type CareToken struct {
	Lead    string
	What    string // CareStep or CareChange
	Name    string // the step's slug, or the appointment's kind
	Expires time.Time
}

// TaskToken is what a task's link says.
type TaskToken struct {
	Lead      string
	Task      string // the task's id
	Recipient string
	Expires   time.Time
}

// CareURL returns the link of a patient's page.
func (s Signer) CareURL(leadID, what, name string) string {
	payload := strings.Join([]string{"c1", leadID, what, name, s.expiry(CareTTL)}, ".")
	return strings.TrimSuffix(s.Base, "/") + CarePath + payload + "." + s.careMAC(s.Secret, payload)
}

// TaskURL returns the link of a task's "Done" for recipient.
func (s Signer) TaskURL(leadID, task, recipient string) string {
	payload := strings.Join([]string{"t1", leadID, task, s.expiry(s.Lifetime()), base64.RawURLEncoding.EncodeToString([]byte(recipient))}, ".")
	return strings.TrimSuffix(s.Base, "/") + TaskPath + payload + "." + s.careMAC(s.Secret, payload)
}

func (s Signer) expiry(ttl time.Duration) string {
	return strconv.FormatInt(s.now().Add(ttl).Unix(), 36)
}

func (s Signer) careMAC(key []byte, payload string) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte("consulta journey\n")) // never the MAC of an action link or a form token
	m.Write([]byte(payload))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:20])
}

// verifyParts checks token's MAC, with the secret or the previous one,
// and returns its parts: n of them, the first being version.
func (s Signer) verifyParts(token, version string, n int) ([]string, error) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || len(s.Secret) == 0 {
		return nil, ErrForged
	}
	payload, sum := token[:i], token[i+1:]
	if !hmac.Equal([]byte(sum), []byte(s.careMAC(s.Secret, payload))) &&
		(len(s.Previous) == 0 || !hmac.Equal([]byte(sum), []byte(s.careMAC(s.Previous, payload)))) {
		return nil, ErrForged
	}
	parts := strings.Split(payload, ".")
	if len(parts) != n || parts[0] != version {
		return nil, ErrForged
	}
	return parts, nil
}

func (s Signer) expired(field string) (time.Time, bool, error) {
	exp, err := strconv.ParseInt(field, 36, 64)
	if err != nil {
		return time.Time{}, false, ErrForged
	}
	t := time.Unix(exp, 0).UTC()
	return t, !s.now().Before(t), nil
}

// VerifyCare checks a patient's link: ErrForged, or ErrExpired with what
// it said.
func (s Signer) VerifyCare(token string) (CareToken, error) {
	p, err := s.verifyParts(token, "c1", 5)
	if err != nil {
		return CareToken{}, err
	}
	if p[2] != CareStep && p[2] != CareChange {
		return CareToken{}, ErrForged
	}
	exp, gone, err := s.expired(p[4])
	if err != nil {
		return CareToken{}, err
	}
	t := CareToken{Lead: p[1], What: p[2], Name: p[3], Expires: exp}
	if gone {
		return t, ErrExpired
	}
	return t, nil
}

// VerifyTask checks a task's link: ErrForged, or ErrExpired with what it
// said.
func (s Signer) VerifyTask(token string) (TaskToken, error) {
	p, err := s.verifyParts(token, "t1", 5)
	if err != nil {
		return TaskToken{}, err
	}
	recipient, err := base64.RawURLEncoding.DecodeString(p[4])
	if err != nil {
		return TaskToken{}, ErrForged
	}
	exp, gone, err := s.expired(p[3])
	if err != nil {
		return TaskToken{}, err
	}
	t := TaskToken{Lead: p[1], Task: p[2], Recipient: string(recipient), Expires: exp}
	if gone {
		return t, ErrExpired
	}
	return t, nil
}
