// Package lead is the intake's domain: a consultation request as the
// service keeps it (Lead), where it stands (Status), what happened to it
// (History), and its lifecycle: the states it moves through, which moves
// are allowed, the calls to the patient and their outcomes, undo, a
// patient writing again, and the response clock's policy (the due time,
// the reminder and escalation, the planned call attempts, the follow-up,
// waiting while the practice is closed), as pure functions of a lead, an
// event and the time (lifecycle.go, calls.go, history.go, again.go,
// clock.go).
//
// The domain decides; the store keeps what it decided (package outbox),
// the composer writes its emails (package mail), and the lead's page
// (package intake) offers what the domain allows. It imports nothing of
// Consulta's but the practice's hours (internal/hours).
//
// Extension points, for what builds on a lead (later steps of a
// patient's care):
//
//   - a new kind of scheduled step is one row of the steps table
//     (clock.go): its kind, the states it is taken in, and what it sends
//     and schedules next. A Step is a kind, a due time and a Payload, kept
//     by the store as they are; a lead has one step of a kind, so a kind
//     that recurs names each occurrence ("check_in.7").
//   - a new kind of email is a const of kinds.go, a template pair in
//     package mail, and its buttons in package action.
//   - a new action by hand is a function of (Tracked, …, by Person, now,
//     Policy) returning a Change whose Event carries Before (so that Undo
//     takes it back) and a note; the history shows every Event.
//   - who may act is Policy.Staff, by today's settings alone.
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
	Category         string `json:"category"`               // the procedure's category slug; "" for NotSure
	Surgeon          string `json:"surgeon,omitempty"`      // the slug of the surgeon the patient asked to see; "" for no preference
	SurgeonName      string `json:"surgeon_name,omitempty"` // e.g. "Dr Amelia Hart"
	PreferredContact string `json:"preferred_contact"`      // "phone", "email" or "text"
	PreferredTime    string `json:"preferred_time"`
	PreferredDays    string `json:"preferred_days,omitempty"` // the days that suit the patient, in their words
	Message          string `json:"message"`
	Source           string `json:"source"`   // how they heard of the practice
	Language         string `json:"language"` // BCP 47
	Page             string `json:"page"`     // the page of the site the form was on, as a path: "/consultation/"

	Privacy  *OptIn `json:"privacy_consent,omitempty"` // the privacy consent the form requires; nil for leads kept before it was recorded
	SMSOptIn *OptIn `json:"sms_opt_in,omitempty"`      // nil unless the patient ticked the box

	Attribution *Attribution `json:"attribution,omitempty"` // where the visit came from; nil when unknown

	Corrections []Corrected `json:"corrections,omitempty"` // what the patient corrected after sending, oldest first

	Spam    bool     `json:"spam"`              // held as spam: stored, not mailed
	Signals []string `json:"signals,omitempty"` // why it looks like spam, e.g. "honeypot", "too-fast"; a lead with only weak signals is delivered as possible spam
}

// NotSure is the Procedure of a patient who has not chosen one yet.
const NotSure = "not-sure"

// Corrected is a correction of the lead's phone and email that the
// patient sent from the thank-you page: when, and what they were before
// it. The lead holds the corrected ones.
type Corrected struct {
	At    time.Time `json:"at"`
	Phone string    `json:"phone"` // the phone before the correction, E.164 or ""
	Email string    `json:"email"` // the email before the correction
}

// OptIn records a consent given on the form.
type OptIn struct {
	At      time.Time `json:"at"`
	Page    string    `json:"page"`    // the page of the site it was given on, as a path
	Wording string    `json:"wording"` // the wording version shown
}

// Attribution is where the patient's visit came from, as the site's script
// recorded it when the visit began: the first page, the referring page and
// the campaign parameters of the first page's address. Every field is
// optional and bounded by the intake service.
type Attribution struct {
	Landing     string `json:"landing,omitempty"`  // path and query of the first page of the visit
	Referrer    string `json:"referrer,omitempty"` // the host of the page that linked to it, e.g. "www.google.com"
	UTMSource   string `json:"utm_source,omitempty"`
	UTMMedium   string `json:"utm_medium,omitempty"`
	UTMCampaign string `json:"utm_campaign,omitempty"`
	UTMTerm     string `json:"utm_term,omitempty"`
	UTMContent  string `json:"utm_content,omitempty"`
	UTMID       string `json:"utm_id,omitempty"`
	GCLID       string `json:"gclid,omitempty"`   // Google Ads click
	FBCLID      string `json:"fbclid,omitempty"`  // Meta (Facebook, Instagram) click
	MSCLKID     string `json:"msclkid,omitempty"` // Microsoft Advertising click
}
