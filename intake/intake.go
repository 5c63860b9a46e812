// Package intake is the HTTP side of the intake service: it takes a
// patient's consultation request from the site's form, validates it, stores
// it durably in the outbox with the two emails it produces, and answers.
// The delivery worker (package delivery) sends the emails afterwards.
//
// The API (routes.go is the whole of it):
//
//	POST /v1/consultations        a request, as a form or JSON
//	GET  /v1/consultations/token  a signed form token, fetched by the page's script
//	GET  /v1/consultations/thanks the thank-you page of a form sent without JavaScript
//	POST /v1/consultations/correction/{token}  the patient's correction of her phone and email
//	GET  /v1/actions/{token}      the lead's page, from any action link: the lead, one-tap contact,
//	                              the next step, the call form, undo and the history (actions.go)
//	POST /v1/actions/{token}      its buttons: claim, a call's outcome, booked, closed, not a lead,
//	                              spam, release, undo, and who of a shared mailbox is acting
//	GET  /v1/care/{token}         a patient's page: a care step, its "I have read this" or check-in; or a change of date
//	POST /v1/care/{token}         the patient's answer
//	GET  /v1/tasks/{token}        a coordinator's task of a patient's journey, and its Done
//	POST /v1/tasks/{token}        Done
//	GET  /healthz                 alive
//	GET  /readyz                  the store is reachable; age of the oldest undelivered email
//
// Prometheus metrics are served at GET /metrics on an address of their
// own (Service.Metrics), never on the public one.
//
// A request is sent as application/x-www-form-urlencoded (the plain HTML
// form) or application/json, with these fields: first_name, last_name,
// email, phone, procedure (a procedure slug or "not-sure"), surgeon (a
// surgeon's slug, optional), preferred_contact (phone, email or text),
// preferred_time, preferred_days, message,
// source, language, page, consent_privacy (required), sms_opt_in,
// wording_version, and the anti-spam fields website (a honeypot, left
// empty), form_token and idempotency_key (or the Idempotency-Key header).
//
// The request may also say where the visit came from (the site's script
// sends these): landing_page, referrer, utm_source, utm_medium,
// utm_campaign, utm_term, utm_content, utm_id, gclid, fbclid and msclkid.
// A value out of bounds is dropped, never a reason to refuse the request.
//
// Answers: JSON gets 202 {"id", "ref", "due", "due_text", "confirmation",
// "correction", "opens_text"} (due in RFC 3339 and due_text as "11:00 on
// Monday 1 December", both in practice time, by the response clock;
// confirmation whether an email to the patient is queued, which needs a
// fresh form token: see confirm.go; correction where the patient may
// correct her phone and email, see correction.go; opens_text when the
// practice opens, while it is closed)
// or 422 {"errors": {"field": "message"}}; a form gets
// 303 to the thank-you page (GET /v1/consultations/thanks, which says the
// same) or 422 with the form shown again, values kept and each error
// beside its field. A body that cannot be read gets 400, 413 or 415; an
// origin not allowed 403; a client over its rate limit 429 with
// Retry-After. A request with a strong spam signal (the honeypot, a forged
// form token) is answered as a real lead, stored with its signals, and
// not mailed; weaker signals (sent too fast, an old token, many links)
// deliver it with "Possible spam" in the coordinator's subject. Logs never
// hold personal data.
package intake

import (
	"cmp"
	"html/template"
	"maps"
	"net/netip"
	"time"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/form"
	"github.com/consultahq/consulta/internal/hours"
	"golang.org/x/time/rate"
)

// Config is what the service needs to know of the site and of its
// deployment. It is the one home of the service's settings: the zero value
// of each optional field means the default documented beside it, and
// WithDefaults fills them in.
type Config struct {
	// Practice is the practice as the emails present it, and its
	// coordinators; the delivery worker composes the emails with it.
	Practice mail.Practice

	// Procedures are the site's procedures a patient may choose.
	Procedures []Procedure
	// Surgeons are the site's surgeons a patient may ask to see; none
	// leaves the form's surgeon field out of the form shown again.
	Surgeons []Surgeon
	// BestTimes are the form's choices of a best time to call, from the
	// practice's opening hours; none is the form's own.
	BestTimes []string
	// Consultation is the practice's first consultation in words, said
	// beside the Send button of the form shown again: "€150, deducted
	// from your surgery · 45 minutes with a consultant · in person or by
	// video"; "" says nothing.
	Consultation string
	// Region is the default region of phone numbers written without a
	// country code, as ISO 3166 (e.g. "GB"); "" requires a country code.
	Region string
	// Language is the language of a lead that does not name one; default "en".
	Language string

	// ThankYouURL is the site's page on what happens next, linked from the
	// thank-you page that a form post which succeeded is sent to;
	// default form.DefaultThankYou.
	ThankYouURL string
	// FormAction is where the form shown again after errors posts;
	// default form.DefaultAction, the service's own address for requests.
	FormAction string
	// Form renders the form shown again after errors, executed with a
	// form.Page; nil uses the built-in plain page around the built-in
	// theme's own form (see builtinFormTemplate).
	Form *template.Template
	// PrivacyWording and SMSWording label the consent boxes of the form
	// shown again; "" is the form's own wording (package form), as on the
	// site. WordingVersion is kept with an SMS opt-in whose request does
	// not name the version shown.
	PrivacyWording string
	SMSWording     string
	WordingVersion string

	// AllowedOrigins may post the form and call the API from a browser
	// (CORS), e.g. "https://www.example-clinic.com". The service's own
	// origin is always allowed.
	AllowedOrigins []string

	// DataDir is the folder of the service's files: outbox.db, form-secret
	// and, without SMTP, the mail/ folder of .eml files. Open needs it;
	// NewServer does not use it.
	DataDir string
	// DatabaseURL, when set, keeps the outbox in PostgreSQL (a postgres://
	// URL) instead of the SQLite file DataDir/outbox.db: for several
	// instances of the service sharing one database.
	DatabaseURL string
	// Lease is how long an email claimed for sending stays with the
	// instance sending it before any instance may send it again, as after
	// a crash mid-send; default outbox.DefaultLease. With SQLite, a
	// restart takes its claims back at once; with PostgreSQL, the lease
	// decides.
	Lease time.Duration
	// SMTPURL is the mail server (see mail.NewSMTP); "" writes each email
	// as a .eml file into DataDir/mail.
	SMTPURL string
	// Helo is the name given to the mail server in EHLO; "" uses the From
	// address's domain.
	Helo string
	// Delivery tunes the worker that sends the emails; its zero value is
	// usable (see delivery.Options), and its SendTimeout is at most half
	// the Lease, so that a send ends within its lease.
	Delivery delivery.Options

	// Secret signs form tokens; at least 32 bytes. Open reads it from
	// DataDir/form-secret when nil, making and keeping one on first use;
	// NewServer makes a random one, so tokens do not outlive the process.
	Secret []byte
	// PreviousSecret is the key signed with before a rotation
	// (CONSULTA_FORM_SECRET_PREVIOUS): the action links, form tokens and
	// thank-you pages it signed are still accepted, while everything new is
	// signed with Secret. Nil accepts Secret alone.
	PreviousSecret []byte
	// MinFill is the least time between opening the form and sending it
	// that a person needs; default 3s. Faster is suspected spam.
	MinFill time.Duration
	// MaxTokenAge is how long a form token stays good; default 24h.
	MaxTokenAge time.Duration

	// ConfirmationsPerHour caps the patient confirmations sent in any
	// hour, whoever asks; default 30. Above it leads still reach the
	// coordinator, without a confirmation.
	ConfirmationsPerHour int

	// TrustedProxyHeader names the header from which a reverse proxy in
	// front of the service gives the client's address (e.g.
	// "X-Forwarded-For"); "" uses the connection's address. No other
	// header is ever trusted.
	TrustedProxyHeader string
	// TrustedProxies are the reverse proxies whose addresses the trusted
	// proxy header may hold besides the client's: the client is the
	// right-most address in it that is none of them. Nil trusts none, so
	// the right-most address is taken.
	TrustedProxies []netip.Prefix
	// RateLimit is how many requests each client may send per second on
	// average, and RateBurst how many at once; defaults 1 every 10s and 5.
	RateLimit rate.Limit
	RateBurst int
	// MaxBody is the largest request body in bytes; default 64 KiB.
	MaxBody int64

	// Retention is how long the personal data of a lead is kept once its
	// coordinator email was delivered, counted from its receipt; default
	// 30 days. SpamRetention is how long suspected spam is kept; default
	// 30 days. PurgeEvery is how often both are applied; default 1 hour.
	Retention     time.Duration
	SpamRetention time.Duration
	PurgeEvery    time.Duration

	// Clock is the practice's response clock: its hours, time zone and
	// promises; each lead is due at Clock.Due of its receipt. Its zero
	// value is always open, in UTC (see hours.Clock for the defaults).
	// Its Location is the emails' time zone unless Practice.TimeZone is set.
	Clock hours.Clock
	// PublicURL is the service's public address, without a path (e.g.
	// "https://www.example.org"): action links in the emails point to it.
	// Default Practice.SiteURL.
	PublicURL string
	// ActionTTL is how long an action link stays good; default
	// action.DefaultTTL.
	ActionTTL time.Duration

	// Staff are the people who act on leads, by name and address
	// (site.yaml's intake.staff): the lead's page records each action as
	// theirs, and asks which of them is acting on a link sent to an
	// address several of them share. Whoever is listed may act on every
	// lead, as long as they are listed; nil lets the addresses act alone.
	Staff []lead.Person

	// Care is the practice's care settings: site.yaml's care keys, and
	// the cooling-off period of its advertising rules. Its zero fields
	// are their defaults (care.Settings); the care plans themselves are
	// the Practice's.
	Care care.Settings

	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Procedure is a procedure a patient may ask about.
type Procedure struct {
	Slug          string // e.g. "rhinoplasty"
	Title         string // e.g. "Rhinoplasty"
	Category      string // category slug, e.g. "face"; routes the lead
	CategoryTitle string // e.g. "Face"
}

// Surgeon is a surgeon a patient may ask to see.
type Surgeon struct {
	Slug string // e.g. "dr-amelia-hart"
	Name string // e.g. "Dr Amelia Hart"
}

// WithDefaults returns c with every unset optional field set to its
// default.
func (c Config) WithDefaults() Config {
	if c.Language == "" {
		c.Language = "en"
	}
	if c.ThankYouURL == "" {
		c.ThankYouURL = form.DefaultThankYou
	}
	if c.FormAction == "" {
		c.FormAction = form.DefaultAction
	}
	if c.MinFill == 0 {
		c.MinFill = 3 * time.Second
	}
	if c.MaxTokenAge == 0 {
		c.MaxTokenAge = 24 * time.Hour
	}
	if c.ConfirmationsPerHour == 0 {
		c.ConfirmationsPerHour = 30
	}
	if c.RateLimit == 0 {
		c.RateLimit = rate.Every(10 * time.Second)
	}
	if c.RateBurst == 0 {
		c.RateBurst = 5
	}
	if c.MaxBody == 0 {
		c.MaxBody = 64 << 10
	}
	if c.Lease == 0 {
		c.Lease = outbox.DefaultLease
	}
	if c.Delivery.SendTimeout == 0 { // a send must end within its lease
		c.Delivery.SendTimeout = min(delivery.DefaultSendTimeout, c.Lease/2)
	}
	if c.Retention == 0 {
		c.Retention = 30 * 24 * time.Hour
	}
	if c.SpamRetention == 0 {
		c.SpamRetention = 30 * 24 * time.Hour
	}
	if c.PurgeEvery == 0 {
		c.PurgeEvery = time.Hour
	}
	if c.Now == nil {
		c.Now = time.Now
	}
	c.Clock = c.Clock.WithDefaults()
	c.Care = c.Care.WithDefaults(c.Region)
	if len(c.Procedures) > 0 { // the emails name a procedure by its title
		procs := make(map[string]mail.Procedure, len(c.Procedures))
		maps.Copy(procs, c.Practice.Procedures)
		for _, pr := range c.Procedures {
			page := procs[pr.Slug]
			page.Title = cmp.Or(page.Title, pr.Title)
			procs[pr.Slug] = page
		}
		c.Practice.Procedures = procs
	}
	if c.Practice.TimeZone == nil {
		c.Practice.TimeZone = c.Clock.Location
	}
	if c.PublicURL == "" {
		c.PublicURL = c.Practice.SiteURL
	}
	return c
}
