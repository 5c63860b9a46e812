// Package form holds the data of the consultation form: what a theme's form
// templates are executed with, both on the site (generator/render) and by
// the intake service when it shows the form again after mistakes. One type
// for both is what lets one template serve both.
//
// It imports nothing of Consulta's.
package form

import "html/template"

// Page is the state of the consultation form.
type Page struct {
	Practice       string            // the practice's name
	Lang           string            // BCP 47, for <html lang>
	Action         string            // where the form posts
	Values         Values            // what the patient sent, trimmed; on the site, the defaults
	Errors         map[string]string // by field name (e.g. "email"); empty when there are none
	Summary        []FieldError      // the same errors in the order of the form
	Groups         []Group           // the procedures by category, in the site's order
	PrivacyWording string            // label of the privacy consent box
	SMSWording     string            // label of the SMS opt-in box
	WordingVersion string            // sent back as wording_version
	CountryCode    string            // the practice's country calling code, e.g. "+353", for the phone hint; may be ""
}

// Values are the values of the form's fields.
type Values struct {
	FirstName, LastName, Email, Phone string
	Procedure                         string // a slug, or "not-sure"
	PreferredContact, PreferredTime   string
	Message, Source, Language, Page   string
	ConsentPrivacy, SMSOptIn          bool
	FormToken, IdempotencyKey         string
}

// FieldError is one field's problem.
type FieldError struct {
	Field   string // the field's name, also the id of its input
	Message string // written for the patient
}

// Group is a category and its procedures, for an <optgroup>.
type Group struct {
	Title      string
	Procedures []Procedure
}

// Procedure is a procedure a patient may choose.
type Procedure struct {
	Slug  string // as ?procedure= and the form's value name it
	Title string
}

// Thanks is what the thank-you page says once a request sent without
// JavaScript has been taken: the intake service executes the theme's
// "consultation-thanks-page" with it. (With JavaScript, the form's script
// says the same in place, from the service's JSON answer.)
type Thanks struct {
	Practice string       // the practice's name
	Lang     string       // BCP 47, for <html lang>
	Ref      string       // the request's short reference, e.g. "HAS-1129-7K2Q"; "" when not known
	Due      string       // when the practice will be in touch: "11:00 on Monday 1 December"; "" when not known
	Phone    string       // the practice's phone, as written; "" when none
	Tel      template.URL // Phone as a tel: URL
	Next     string       // the site's page on what happens next; "" when none
}
