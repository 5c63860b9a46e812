// Package lead defines a consultation request as the intake service keeps
// it: validated, normalised, and ready to be stored and mailed.
//
// It is the one type that the request handlers, the outbox and the mail
// composer share, and it imports nothing of Consulta's.
package lead

import "time"

// Lead is a validated consultation request.
//
// Every field but ID, Received, Ref, Due, Spam and Signals is personal data: it must
// never reach a log.
type Lead struct {
	ID       string    `json:"id"`       // assigned at intake, e.g. "ld_01J9…"; stable across retries
	Received time.Time `json:"received"` // UTC
	Ref      string    `json:"ref"`      // short human reference, e.g. "HAS-1129-7K2Q" (see Ref)
	Due      time.Time `json:"due"`      // when the practice promised to answer, by its response clock

	FirstName        string `json:"first_name"`
	LastName         string `json:"last_name"`
	Email            string `json:"email"`
	Phone            string `json:"phone"`     // E.164, e.g. "+442079460123"
	Procedure        string `json:"procedure"` // a procedure slug, or NotSure
	ProcedureTitle   string `json:"procedure_title"`
	Category         string `json:"category"`          // the procedure's category slug; "" for NotSure
	PreferredContact string `json:"preferred_contact"` // "phone", "email" or "text"
	PreferredTime    string `json:"preferred_time"`
	Message          string `json:"message"`
	Source           string `json:"source"`   // how they heard of the practice
	Language         string `json:"language"` // BCP 47
	Page             string `json:"page"`     // the page the form was on

	SMSOptIn *OptIn `json:"sms_opt_in,omitempty"` // nil unless the patient ticked the box

	Spam    bool     `json:"spam"`              // suspected spam: stored, not mailed
	Signals []string `json:"signals,omitempty"` // why it was marked as spam, e.g. "honeypot", "too-fast"
}

// NotSure is the Procedure of a patient who has not chosen one yet.
const NotSure = "not-sure"

// OptIn records a consent given on the form.
type OptIn struct {
	At      time.Time `json:"at"`
	Page    string    `json:"page"`
	Wording string    `json:"wording"` // the wording version shown
}

// The states of a lead. A lead moves New → Claimed → Contacted → Booked or
// Closed, and to Spam or NotALead by hand; a lead held as suspected spam
// starts in Spam. A state only ever moves forward: Booked, Closed, Spam
// and NotALead are final.
const (
	New       = "new"        // received, nobody has taken it yet
	Claimed   = "claimed"    // a coordinator is handling it
	Contacted = "contacted"  // the patient has been answered
	Booked    = "booked"     // a consultation is booked
	Closed    = "closed"     // answered, and no consultation came of it
	Spam      = "spam"       // not a patient: held, or marked by hand
	NotALead  = "not_a_lead" // a real message, but not a consultation request
)

// States lists every state, in the order a lead moves through them.
var States = []string{New, Claimed, Contacted, Booked, Closed, Spam, NotALead}

// Rank orders states: a lead may move only to a state of higher rank. It
// is -1 for a string that is no state.
func Rank(state string) int {
	switch state {
	case New:
		return 0
	case Claimed:
		return 1
	case Contacted:
		return 2
	case Booked, Closed, Spam, NotALead:
		return 3
	}
	return -1
}
