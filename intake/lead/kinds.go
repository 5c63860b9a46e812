package lead

// The kinds of email that a lead's lifecycle sends. Every layer names them
// so: the outbox keeps them, the mail composer has templates for each, and
// the action links of each are chosen by kind.
const (
	Coordinator = "coordinator" // the lead, to the practice's coordinator
	Patient     = "patient"     // the confirmation, to the patient
	Reminder    = "reminder"    // a lead unclaimed at its due time, to its coordinator
	Escalation  = "escalation"  // a lead still unclaimed after its reminder, to the escalation list
	FollowUp    = "follow_up"   // a lead contacted but not booked or closed, to whoever contacted it
	Digest      = "digest"      // the daily digest, to the digest list; of no one lead
)

// The digest's lists of leads, named as the kinds are: each offers buttons
// of its own on every lead it lists.
const (
	DigestOverdue = Digest + ".overdue" // leads still new after their due time
	DigestHeld    = Digest + ".held"    // leads held as suspected spam
)
