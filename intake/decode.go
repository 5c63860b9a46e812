package intake

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"reflect"
	"strings"
)

// submission is a consultation request as the patient sent it, before it
// is validated and normalised into a lead.Lead.
type submission struct {
	FirstName        string  `json:"first_name" validate:"required,max=100,singleline,noencoded"`
	LastName         string  `json:"last_name" validate:"required,max=100,singleline,noencoded"`
	Email            string  `json:"email" validate:"required,max=254,singleline,plainaddress,localpart,email,mailbox"`
	Phone            string  `json:"phone" validate:"omitempty,max=40,singleline"` // checked and normalised by checker.check
	Procedure        string  `json:"procedure" validate:"required,max=100,procedure"`
	PreferredContact string  `json:"preferred_contact" validate:"omitempty,oneof=phone email text"`
	PreferredTime    string  `json:"preferred_time" validate:"max=100,singleline"`
	Message          string  `json:"message" validate:"max=2000,text"`
	Source           string  `json:"source" validate:"max=100,singleline"`
	Language         string  `json:"language" validate:"omitempty,max=35,bcp47_language_tag"`
	Page             string  `json:"page" validate:"omitempty,max=2048,page"`
	ConsentPrivacy   tickbox `json:"consent_privacy" validate:"required"`
	SMSOptIn         tickbox `json:"sms_opt_in"`
	WordingVersion   string  `json:"wording_version" validate:"max=40,singleline"`

	// Where the visit came from, as the site's script recorded it; bounded
	// by attribution, which drops what it cannot keep.
	LandingPage string `json:"landing_page"`
	Referrer    string `json:"referrer"`
	UTMSource   string `json:"utm_source"`
	UTMMedium   string `json:"utm_medium"`
	UTMCampaign string `json:"utm_campaign"`
	UTMTerm     string `json:"utm_term"`
	UTMContent  string `json:"utm_content"`
	UTMID       string `json:"utm_id"`
	GCLID       string `json:"gclid"`
	FBCLID      string `json:"fbclid"`
	MSCLKID     string `json:"msclkid"`

	Website        string `json:"website"`                                  // the honeypot: people leave it empty
	FormToken      string `json:"form_token" validate:"max=200,token"`      // from GET /v1/consultations/token
	IdempotencyKey string `json:"idempotency_key" validate:"max=100,token"` // or the Idempotency-Key header
}

// tickbox is a ticked box: in JSON true or false (null is false); in a
// form one of the values a ticked box sends ("on", "true", "yes", "1"),
// or nothing. Anything else is refused: "maybe" is not a consent.
type tickbox bool

// UnmarshalJSON accepts a JSON boolean or null.
func (c *tickbox) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*c = true
	case "false", "null":
		*c = false
	default:
		return errNotBool
	}
	return nil
}

// errNotBool is a tick box sent as something other than true or false.
var errNotBool = errors.New("expected true or false")

// ticked returns the tick box a form value means, or false and an error
// for a value no tick box sends.
func ticked(v string) (tickbox, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1":
		return true, nil
	case "":
		return false, nil
	}
	return false, errNotBool
}

// body kinds: how a request was sent, and so how it is answered.
const (
	kindJSON = "json"
	kindForm = "form"
)

// errUnsupported is a content type other than JSON or a URL-encoded form.
var errUnsupported = errors.New("send application/json or application/x-www-form-urlencoded")

// badRequest is a body that could not be read as its content type says.
type badRequest struct{ msg string }

func (e *badRequest) Error() string { return e.msg }

// bodyKind returns kindJSON or kindForm for a Content-Type header.
func bodyKind(contentType string) (string, error) {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return "", errUnsupported
	}
	switch mt {
	case "application/json":
		return kindJSON, nil
	case "application/x-www-form-urlencoded":
		return kindForm, nil
	}
	return "", errUnsupported
}

// readSubmission reads r's body as kind. Errors are *badRequest, or
// *http.MaxBytesError for a body over the limit.
func readSubmission(r *http.Request, kind string) (submission, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return submission{}, err
		}
		return submission{}, &badRequest{"The request body could not be read."}
	}
	s, err := decode(kind, body)
	if err != nil {
		return submission{}, err
	}
	if s.IdempotencyKey == "" {
		s.IdempotencyKey = strings.TrimSpace(r.Header.Get("Idempotency-Key"))
	}
	return s, nil
}

// decode parses body as kind and trims every field.
func decode(kind string, body []byte) (submission, error) {
	var s submission
	switch kind {
	case kindJSON:
		if err := uniqueKeys(body); err != nil {
			return submission{}, err
		}
		d := json.NewDecoder(bytes.NewReader(body))
		if err := d.Decode(&s); err != nil {
			return submission{}, &badRequest{jsonProblem(err)}
		}
		if _, err := d.Token(); err != io.EOF {
			return submission{}, &badRequest{"The request body has data after the JSON object."}
		}
	case kindForm:
		vals, err := url.ParseQuery(string(body))
		if err != nil {
			return submission{}, &badRequest{"The form data could not be read."}
		}
		if err := fromForm(&s, vals); err != nil {
			return submission{}, err
		}
	default:
		return submission{}, errUnsupported
	}
	trim(&s)
	return s, nil
}

// uniqueKeys refuses a JSON object that names a field twice, as encoding/
// json matches names: without regard to case. The last one would win, so
// what a check saw could differ from what is kept. A body that is not an
// object is left to the decoder to refuse.
func uniqueKeys(body []byte) error {
	d := json.NewDecoder(bytes.NewReader(body))
	if tok, err := d.Token(); err != nil || tok != json.Delim('{') {
		return nil
	}
	seen := map[string]bool{}
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return nil
		}
		key, _ := tok.(string)
		folded := strings.ToLower(strings.ToUpper(key))
		if seen[folded] {
			return &badRequest{fmt.Sprintf("The field %q appears more than once.", key)}
		}
		seen[folded] = true
		var skip json.RawMessage
		if err := d.Decode(&skip); err != nil {
			return nil
		}
	}
	return nil
}

// jsonProblem explains a JSON decoding error without echoing the body.
func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return fmt.Sprintf("The field %q has the wrong type: expected %s.", typ.Field, typ.Type)
	}
	if errors.Is(err, errNotBool) {
		return "A tick box field (consent_privacy, sms_opt_in) must be true or false."
	}
	return "The request body is not a valid JSON object."
}

// fromForm copies the first value of each known form field into s. A tick
// box with a value no tick box sends is refused.
func fromForm(s *submission, vals url.Values) error {
	v := reflect.ValueOf(s).Elem()
	t := v.Type()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		got := vals.Get(name)
		switch f := v.Field(i); f.Kind() {
		case reflect.String:
			f.SetString(got)
		case reflect.Bool:
			on, err := ticked(got)
			if err != nil {
				return &badRequest{fmt.Sprintf("The tick box %q must be ticked (on) or left out.", name)}
			}
			f.SetBool(bool(on))
		}
	}
	return nil
}

// trim removes the spaces around every text field.
func trim(s *submission) {
	v := reflect.ValueOf(s).Elem()
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.String {
			f.SetString(strings.TrimSpace(f.String()))
		}
	}
}
