package mail

import (
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// Letter is what one email is composed from: its kind, its envelope as the
// outbox keeps it, and the data its templates show. The caller reads it
// from the store when the email is sent, and signs its links: the composer
// knows neither storage nor signing.
type Letter struct {
	Kind string    // Coordinator, Patient, Reminder, …
	ID   string    // the outbox id, "<lead id>.<kind>"; it names the Message-ID
	To   string    // the recipient, a bare address: its links are signed for it
	Date time.Time // when the step that sent it was taken; Coordinator and Patient are dated by the lead's receipt

	// Lead is the lead the email is about, as stored; zero for the digest.
	Lead lead.Lead
	// Status is where the lead stands: its owner, its calls, when it was
	// reached, for the notices about it.
	Status lead.Status
	// Again is the request that joined Lead, for an email of kind Again;
	// nil for every other kind.
	Again *lead.Lead

	// Links are the email's action buttons, in order, each signed for To.
	Links []Link
	// Digest is what the digest says; nil for every other kind.
	Digest *DigestData
	// Journey is what a journey's email says besides the lead; nil for
	// every other kind.
	Journey *JourneyLetter
}

// Link is an action's button in an email.
type Link struct {
	Label string // "I'm handling it"
	URL   string // signed for the recipient
}

// DigestData is what the daily digest says: the figures of the leads received
// in [Since, Until), and the leads that wait, as things stood when it was
// due. The clock decides it and the outbox keeps it (as JSON) until the
// digest is sent.
type DigestData struct {
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Figures are the period's figures in words, in order: "Leads" "5",
	// "Median time to claim" "1h 40m", …
	Figures []Figure `json:"figures"`

	Leads   []DigestLead `json:"leads"`   // received in the period
	Overdue []DigestLead `json:"overdue"` // not reached after their due time
	Held    []DigestLead `json:"held"`    // held as suspected spam

	ByCoordinator []Count `json:"by_coordinator"`
	ByProcedure   []Count `json:"by_procedure"`
	BySource      []Count `json:"by_source"`

	Surgeries     []DigestJourney `json:"surgeries"`     // this week's, Monday to Sunday
	Consultations []DigestJourney `json:"consultations"` // today's and tomorrow's
}

// DigestJourney is a patient's appointment as the digest lists it: their
// first name, and where their journey stands.
type DigestJourney struct {
	ID           string    `json:"id"`
	Ref          string    `json:"ref"`
	FirstName    string    `json:"first_name"`
	Procedure    string    `json:"procedure"` // a slug
	At           time.Time `json:"at"`
	Mode         string    `json:"mode"`    // a consultation's: lead.InPerson or lead.Video
	Surgeon      string    `json:"surgeon"` // a slug
	Override     bool      `json:"override"`
	Sent         int       `json:"sent"`         // the surgery's steps sent
	Acknowledged int       `json:"acknowledged"` // of them, acknowledged
	Overdue      int       `json:"overdue"`      // acknowledgements past their deadline
	Waiting      int       `json:"waiting"`      // questions and worries not yet answered
}

// Figure is one labelled figure of the digest.
type Figure struct {
	Label string `json:"label"`
	Value string `json:"value"`
}

// DigestLead is a lead as the digest lists it: no patient data.
type DigestLead struct {
	ID          string    `json:"id"`
	Ref         string    `json:"ref"`          // the id for leads kept before references
	FirstName   string    `json:"-"`            // overdue leads: read when the digest is sent, never kept with it
	Phone       string    `json:"-"`            // overdue leads: E.164, read when the digest is sent
	Procedure   string    `json:"procedure"`    // a slug; "" for none
	State       string    `json:"state"`        // lead.New, …
	FirstAction string    `json:"first_action"` // how long until someone first acted, in words; "" for none yet
	Received    time.Time `json:"received"`     // held leads
	Due         time.Time `json:"due"`          // overdue leads
	Signals     []string  `json:"signals"`      // held leads: why
	EmailDomain string    `json:"email_domain"` // held leads
	Links       []Link    `json:"-"`            // signed when the digest is sent
}

// Count is how many leads share a key, and their figures in words.
type Count struct {
	Key   string `json:"key"`
	Leads int    `json:"leads"`
	Says  string `json:"says"` // "3 leads, reached within the promise 67%, …"; "" in digests queued before it was said
}
