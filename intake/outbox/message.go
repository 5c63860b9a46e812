package outbox

import "time"

// Message is one email as the store keeps it: its envelope, and either
// the message itself (Raw) or nothing, for an email that the delivery
// worker composes when it sends it. Its fields are those of a composed
// email (package mail's Message), in the same order, so that either
// converts to the other.
type Message struct {
	ID        string   // unique in the outbox: "<lead id>.<kind>", "digest.<day>.<n>"
	MessageID string   // the Message-ID header, stable across attempts
	From      string   // envelope sender, a bare address
	To        []string // envelope recipients, bare addresses
	Raw       []byte   // the RFC 5322 message; empty when it is composed at delivery, and once purged
	Kind      string   // what it is: lead.Coordinator, lead.Patient, lead.Reminder, …
}

// Msg is a claimed message with what the worker needs besides the email.
type Msg struct {
	Message
	LeadID   string    // "" for a message of no one lead (the digest)
	Data     []byte    // what its composer needs besides the lead: the digest's, as JSON; empty for others
	Attempts int       // attempts finished before this one
	Created  time.Time // when it was enqueued
}
