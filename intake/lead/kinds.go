package lead

// The kinds of email that a lead's lifecycle sends. Every layer names them
// so: the outbox keeps them, the mail composer has templates for each, and
// the action links of each are chosen by kind.
const (
	Coordinator = "coordinator" // the lead, to the practice's coordinator
	Patient     = "patient"     // the confirmation, to the patient
	Reminder    = "reminder"    // a lead not reached at its due time, to its coordinator, or its owner once claimed
	Escalation  = "escalation"  // a lead still not reached after its reminder, to the escalation list
	FollowUp    = "follow_up"   // a lead reached but not booked or closed, to whoever reached it
	Digest      = "digest"      // the daily digest, to the digest list; of no one lead
	Attempt     = "attempt"     // the next planned call, or the call back the patient asked for, to the lead's owner
	Unreached   = "unreached"   // to the patient, once every planned call went unanswered: how to reach the practice
	Again       = "again"       // the patient of an open lead wrote again, to its owner
	Correction  = "correction"  // the phone or email the patient corrected after sending, to the lead's coordinator
)

// The digest's lists of leads, named as the kinds are: each offers buttons
// of its own on every lead it lists.
const (
	DigestOverdue = Digest + ".overdue" // leads not reached after their due time
	DigestHeld    = Digest + ".held"    // leads held as suspected spam
)
