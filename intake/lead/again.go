package lead

import (
	"slices"
	"strings"
	"time"
)

// AgainWithin is how far back a request from the same patient joins an
// open lead (Attach) rather than starting one of its own.
const AgainWithin = 30 * 24 * time.Hour

// Open are the states of a lead that takes in a later request from its
// patient received within AgainWithin: neither booked, closed, spam, nor
// itself attached.
var Open = []string{New, Claimed, NotReached, Contacted}

// OpenTo reports whether a lead in state takes in a later request from
// its patient (Open).
func OpenTo(state string) bool { return slices.Contains(Open, state) }

// Contact returns the keys by which a later request from the same patient
// is known: the email address, trimmed and in lower case, and the phone
// number as the intake keeps it (E.164). An empty key matches nothing.
func Contact(l Lead) (email, phone string) {
	return strings.ToLower(strings.TrimSpace(l.Email)), strings.TrimSpace(l.Phone)
}

// Attach returns again, a request from the patient of the open lead
// orig, as it is kept: attached to orig, with no clock of its own (the
// promise is orig's, and the report counts one lead), and the email that
// tells orig's owner, whose links open orig's page. The history of orig
// keeps the event Joined returns. answers are the form's fixed answers to
// "How did you hear of us?", as Start takes them.
func Attach(orig Tracked, again Lead, p Policy, answers ...string) (Tracked, Send) {
	t := Start(again, answers...)
	t.State, t.Steps, t.AttachedTo = Attached, nil, orig.Lead.ID
	return t, Send{Kind: Again, ID: again.ID + "." + Again, To: p.Owner(orig)}
}

// Joined returns the open lead that t, an attached request, joined, and
// the event its history keeps of it; false for any other lead.
func (t Tracked) Joined() (string, Event, bool) {
	if t.State != Attached || t.AttachedTo == "" {
		return "", Event{}, false
	}
	return t.AttachedTo, Event{Kind: KindAgain, At: t.Lead.Received, Detail: t.Lead.ID}, true
}
