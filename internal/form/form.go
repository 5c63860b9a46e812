// Package form declares the consultation form once: its fields in one
// table (Fields: name, label, order, limits, validation, the message a
// patient reads, the label of the coordinator's email), and the data a
// theme's form templates are executed with, both on the site
// (generator/render) and by the intake service when it shows the form
// again after mistakes. The theme draws each field from its declaration
// (Page.Field), the intake decodes, validates and explains by it, and the
// coordinator's email labels by it; one type of data for site and service
// is what lets one template serve both.
//
// It imports nothing of Consulta's.
package form

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// Where the form is, and where it posts, when content/site.yaml does not
// say (form.page, form.endpoint, form.thank_you).
const (
	DefaultPage     = "/consultation/"           // the page with the form
	DefaultAction   = "/v1/consultations"        // the intake service's address for requests, on the site's origin
	DefaultThankYou = "/consultation/thank-you/" // the page on what happens next
)

// Page is the state of the consultation form.
type Page struct {
	Practice       string            // the practice's name
	Lang           string            // BCP 47, for <html lang>
	Action         string            // where the form posts
	Values         Values            // what the patient sent, trimmed; on the site, the defaults
	Errors         map[string]string // by field name (e.g. "email"); empty when there are none
	Summary        []FieldError      // the same errors in the order of the form
	Groups         []Group           // the procedures by category, in the site's order
	Surgeons       []Choice          // the surgeons a patient may ask for: Value their slug, Label their name; none hides the field
	Times          []Choice          // the best times to call, from the practice's hours; none is the field's own Choices
	Consultation   string            // the first consultation in words, said beside the Send button: "€150, deducted from your surgery · …"; "" for nothing
	PrivacyWording string            // label of the privacy consent box; "" is the field's own Label
	SMSWording     string            // label of the SMS opt-in box; "" is the field's own Label
	WordingVersion string            // sent back as wording_version
	CountryCode    string            // the practice's country calling code, e.g. "+353", for the phone hint (see CountryCode); may be ""
}

// Input is one field as a template draws it: its declaration, its value
// and its error.
type Input struct {
	Field
	Value   string // the value to show; for a tick box, "on" when ticked
	Checked bool   // a tick box that is ticked
	Error   string // the field's mistake, for the patient; "" when none
}

// Field returns the field called name with its value and error, for the
// template: {{with .Field "email"}}…{{.Label}}…{{.Value}}…{{end}}. The
// tick boxes' labels are the site's wording (PrivacyWording, SMSWording)
// when it has its own, the phone's hint ends with the practice's
// CountryCode as an example, and the surgeon's and the best time's
// choices are the site's (Surgeons, Times). A name the form does not have is a template
// error.
func (p Page) Field(name string) (Input, error) {
	f, ok := Lookup(name)
	if !ok {
		return Input{}, &noFieldError{name}
	}
	switch {
	case name == "consent_privacy" && p.PrivacyWording != "":
		f.Label = p.PrivacyWording
	case name == "sms_opt_in" && p.SMSWording != "":
		f.Label = p.SMSWording
	case name == "phone" && p.CountryCode != "":
		f.Hint = strings.TrimSuffix(f.Hint, ".") + ", e.g. " + p.CountryCode + "."
	case name == "surgeon":
		f.Choices = p.Surgeons
	case name == "preferred_time" && len(p.Times) > 0:
		f.Choices = p.Times
	}
	in := Input{Field: f, Value: p.Values.Get(name), Error: p.Errors[name]}
	in.Checked = f.Kind == Checkbox && in.Value != ""
	return in, nil
}

// noFieldError is a template asking for a field the form does not have.
type noFieldError struct{ name string }

func (e *noFieldError) Error() string {
	return "the consultation form has no field " + strconv.Quote(e.name)
}

// CountryCode is a practice's country calling code for the form's phone
// hint, e.g. "+353": that of its phone number, else that of its region
// (ISO 3166, e.g. "IE"); "" when neither says. The site's form and the
// form the intake service shows again both take it from here.
func CountryCode(phone, region string) string {
	region = strings.ToUpper(region)
	def := region
	if def == "" {
		def = "ZZ"
	}
	if n, err := phonenumbers.Parse(phone, def); err == nil && n.GetCountryCode() != 0 {
		return "+" + strconv.Itoa(int(n.GetCountryCode()))
	}
	if c := phonenumbers.GetCountryCodeForRegion(region); region != "" && c != 0 {
		return "+" + strconv.Itoa(c)
	}
	return ""
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

// Choices returns a Select's or a Radio's choices from labels, each its
// own value: the practice's best times to call, for Page.Times.
func Choices(labels ...string) []Choice { return choices(labels...) }

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
	Opens    string       // when the practice opens, while it is closed: "08:30 on Monday 7 December"; "" while it is open

	Contact   Contact    // the phone and email the patient gave, said back to her; zero when not known
	Correct   Correction // the form that corrects them; its Action is "" when it is not offered
	Corrected bool       // a correction was taken just now
}

// Contact is how the practice will be in touch, as the thank-you page
// says it back to the patient: "We will call you on 087 123 4567."
type Contact struct {
	Way   string // the request's preferred_contact: "phone", "email" or "text"
	Phone string // as the patient reads it, e.g. "087 123 4567"; "" when none was given
	Email string
}

// Correction is the form on the thank-you page that corrects the phone
// and the email of the request just sent; the intake service passes the
// correction to the coordinator as part of the same lead.
type Correction struct {
	Action  string       // where it posts, with the request's signed token; on the site, "" until the form's script sets it
	Phone   Input        // the phone field, with the value to correct and its error
	Email   Input        // the email field, likewise
	Summary []FieldError // the fields' errors, in order
}

// Fields returns the correction's fields in their order: the phone, then
// the email.
func (c Correction) Fields() []Input { return []Input{c.Phone, c.Email} }

// Correction returns the correction form posting to action, with the
// page's phone and email values and errors.
func (p Page) Correction(action string) Correction {
	c := Correction{Action: action}
	c.Phone, _ = p.Field("phone")
	c.Email, _ = p.Field("email")
	for _, in := range []Input{c.Phone, c.Email} {
		if in.Error != "" {
			c.Summary = append(c.Summary, FieldError{Field: in.Name, Message: in.Error})
		}
	}
	return c
}
