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
	"strings"

	"github.com/consultahq/consulta/internal/form"
)

// submission is a consultation request as the patient sent it, before it
// is validated and normalised into a lead.Lead: the form's fields
// (declared in package form, by which they are decoded and validated),
// and where the visit came from.
type submission struct {
	form.Values

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
// what a check saw could differ from what is kept. It scans the bytes for
// the top-level keys (the body is a few hundred bytes; a json.Decoder pass
// cost more than the rest of decoding); a body that is not valid JSON is
// left to the decoder to refuse.
func uniqueKeys(body []byte) error {
	var keys [24]string // the submission's fields, and some room
	seen := keys[:0]
	depth, inString, escaped, keyStart := 0, false, false, -1
	for i, c := range body {
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
				if keyStart < 0 {
					continue
				}
				key, ok := jsonKey(body[keyStart : i+1])
				keyStart = -1
				if !ok {
					return nil
				}
				for _, k := range seen {
					if strings.EqualFold(k, key) {
						return &badRequest{fmt.Sprintf("The field %q appears more than once.", key)}
					}
				}
				seen = append(seen, key)
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			if depth == 1 && expectingKey(body[:i]) {
				keyStart = i
			}
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
	}
	return nil
}

// expectingKey reports whether a string that starts after before is an
// object's key: the last byte other than white space is "{" or ",".
func expectingKey(before []byte) bool {
	for i := len(before) - 1; i >= 0; i-- {
		switch before[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case '{', ',':
			return true
		}
		return false
	}
	return false
}

// jsonKey returns the value of a quoted JSON string.
func jsonKey(quoted []byte) (string, bool) {
	if bytes.IndexByte(quoted, '\\') < 0 {
		return string(quoted[1 : len(quoted)-1]), true
	}
	var s string
	err := json.Unmarshal(quoted, &s)
	return s, err == nil
}

// jsonProblem explains a JSON decoding error without echoing the body.
func jsonProblem(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) && typ.Field != "" {
		return fmt.Sprintf("The field %q has the wrong type: expected %s.", typ.Field, typ.Type)
	}
	if errors.Is(err, form.ErrNotTick) {
		return "A tick box field (consent_privacy, sms_opt_in) must be true or false."
	}
	return "The request body is not a valid JSON object."
}

// fromForm copies the first value of each of the form's fields, and of
// the visit's, into s. A tick box with a value no tick box sends is
// refused.
func fromForm(s *submission, vals url.Values) error {
	for _, f := range form.Fields() {
		if err := s.Set(f.Name, vals.Get(f.Name)); err != nil {
			return &badRequest{fmt.Sprintf("The tick box %q must be ticked (on) or left out.", f.Name)}
		}
	}
	for _, f := range s.visit() {
		*f.value = vals.Get(f.name)
	}
	return nil
}

// trim removes the spaces around every text field.
func trim(s *submission) {
	s.Trim()
	for _, f := range s.visit() {
		*f.value = strings.TrimSpace(*f.value)
	}
}

// visitField is one of the fields that say where the visit came from.
type visitField struct {
	name  string // as sent: "utm_source"
	value *string
}

// visit returns the fields that say where the visit came from.
func (s *submission) visit() [11]visitField {
	return [...]visitField{
		{"landing_page", &s.LandingPage}, {"referrer", &s.Referrer},
		{"utm_source", &s.UTMSource}, {"utm_medium", &s.UTMMedium}, {"utm_campaign", &s.UTMCampaign},
		{"utm_term", &s.UTMTerm}, {"utm_content", &s.UTMContent}, {"utm_id", &s.UTMID},
		{"gclid", &s.GCLID}, {"fbclid", &s.FBCLID}, {"msclkid", &s.MSCLKID},
	}
}
