package outbox

import "time"

// Message is one email as the store keeps it: its envelope, and either
// the message itself (Raw) or nothing, for an email that the delivery
// worker composes when it sends it.
type Message struct {
	ID        string   // unique in the outbox: "<lead id>.<kind>", "digest.<day>.<n>"
	Kind      string   // what it is: "coordinator", "patient", "reminder", …
	MessageID string   // the Message-ID header, stable across attempts
	From      string   // envelope sender, a bare address
	To        []string // envelope recipients, bare addresses
	Raw       []byte   // the RFC 5322 message; empty when it is composed at delivery, and once purged
}

// Msg is a claimed message with what the worker needs besides the email.
type Msg struct {
	Message
	LeadID   string    // "" for a message of no one lead (the digest)
	Attempts int       // attempts finished before this one
	Created  time.Time // when it was enqueued
}
