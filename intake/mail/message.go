// Package mail composes every email of the intake service and sends it
// over SMTP, or writes it as a .eml file into a folder.
//
// One composer (Compose) writes every kind: the coordinator's email of a
// lead and the patient's confirmation, the response clock's reminder,
// escalation, call attempt and follow-up, the patient's email once every
// planned call went unanswered, a patient writing again, and the daily
// digest. Each kind has its own
// embedded templates (templates/<language>/<kind>.txt and .html), and each
// is composed when it is sent, from a Letter: what the store holds and
// the links the caller signed. The package knows neither storage nor
// signing; it imports nothing of Consulta's but lead.
package mail

import (
	"context"

	"github.com/consultahq/consulta/intake/lead"
)

// The kinds of message, as package lead names them.
const (
	Coordinator = lead.Coordinator // the lead, to the practice's coordinator
	Patient     = lead.Patient     // the confirmation, to the patient
	Reminder    = lead.Reminder    // a lead not reached at its due time, to its coordinator or owner
	Escalation  = lead.Escalation  // a lead still not reached after its reminder, to the escalation list
	FollowUp    = lead.FollowUp    // a lead reached but not booked or closed, to whoever reached it
	Digest      = lead.Digest      // the daily digest, to the digest list; of no one lead
	Attempt     = lead.Attempt     // the next planned call, or a call back, to the lead's owner
	Unreached   = lead.Unreached   // to the patient not reached: how to reach the practice
	Again       = lead.Again       // the patient of an open lead wrote again, to its owner
	Correction  = lead.Correction  // the phone or email the patient corrected after sending, to the lead's coordinator
)

// Message is one composed email, ready to send as it is.
type Message struct {
	ID        string   // "<lead id>.<kind>", unique in the outbox
	MessageID string   // the Message-ID header, stable across resends: "<lead-id.kind@domain>"
	From      string   // envelope sender (bare address)
	To        []string // envelope recipients (bare addresses)
	Raw       []byte   // the RFC 5322 message, CRLF line endings
	Kind      string   // Coordinator, Patient, Reminder, …
}

// Transport delivers a message to a mail server or a folder.
type Transport interface {
	Send(ctx context.Context, m Message) error
}
