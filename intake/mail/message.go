// Package mail composes the two emails a consultation request produces (one
// to the practice's coordinator, one confirmation to the patient) and sends
// them over SMTP, or writes them as .eml files into a folder.
package mail

import "context"

// Message kinds.
const (
	Coordinator = "coordinator" // the lead, to the practice's coordinator
	Patient     = "patient"     // the confirmation, to the patient
	Reminder    = "reminder"    // a lead unclaimed at its due time, to its coordinator
	Escalation  = "escalation"  // a lead still unclaimed after its reminder, to the escalation list
	FollowUp    = "follow_up"   // a lead contacted but not booked or closed, to whoever contacted it
	Digest      = "digest"      // the daily digest, to the digest list; of no one lead
)

// Message is one composed email, ready to send as it is.
type Message struct {
	ID        string   // "<lead id>.<kind>", unique in the outbox
	MessageID string   // the Message-ID header, stable across resends: "<lead-id.kind@domain>"
	From      string   // envelope sender (bare address)
	To        []string // envelope recipients (bare addresses)
	Raw       []byte   // the RFC 5322 message, CRLF line endings
	Kind      string   // Coordinator or Patient
}

// Transport delivers a message to a mail server or a folder.
type Transport interface {
	Send(ctx context.Context, m Message) error
}
