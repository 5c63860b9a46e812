package lead

import (
	"strconv"
	"time"
)

// MaxCorrections is how many times a patient may correct a lead's phone
// and email from the thank-you page; after that, the practice's phone.
const MaxCorrections = 3

// Correct changes t's phone and email to those the patient corrected at
// now, keeping what they were (Lead.Corrections), and sends the lead's
// owner (Policy.Owner: whoever claimed it, else its coordinator) an
// email of the correction, which answers the lead's own.
// A lead held as suspected spam is corrected without an email: the
// coordinator's email of it, sent if someone releases it, holds the
// corrected details. It returns false when nothing changes: the same
// details, a lead whose personal data is purged, or one corrected
// MaxCorrections times already.
func Correct(t Tracked, phone, email string, now time.Time, p Policy) (Change, bool) {
	l := t.Lead
	if l.Email == "" || phone == l.Phone && email == l.Email || len(l.Corrections) >= MaxCorrections {
		return Change{}, false
	}
	l.Corrections = append(append([]Corrected(nil), l.Corrections...), Corrected{At: now, Phone: l.Phone, Email: l.Email})
	l.Phone, l.Email = phone, email
	t.Lead = l
	c := Change{After: t, Event: Event{Kind: Correction, At: now}}
	if to := p.Owner(t); to != "" && !l.Spam {
		id := l.ID + "." + Correction + "." + strconv.Itoa(len(l.Corrections))
		c.Sends = []Send{{Kind: Correction, ID: id, To: to}}
	}
	return c, true
}
