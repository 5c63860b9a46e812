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
	"unicode"
	"unicode/utf8"

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
		vals, err := formFields(body)
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

// uniqueKeys refuses a JSON object that names one of the request's
// fields twice, as encoding/json matches names: without regard to case.
// The last one would win, so what a check saw could differ from what is
// kept. Keys the request does not have are ignored, however often they
// come, as the decoder ignores them. It scans the bytes for the top-level
// keys once, looking each up in requestKeys, so that its cost grows with
// the body's length and no more (a json.Decoder pass cost more than the
// rest of decoding); a body that is not valid JSON is left to the decoder
// to refuse.
func uniqueKeys(body []byte) error {
	var seen [64]bool // by index in requestKeys
	var buf [64]byte
	depth := 0
	for i := 0; i < len(body); i++ {
		switch body[i] {
		case '"':
			end := stringEnd(body, i+1)
			if end < 0 {
				return nil // not JSON: the decoder says so
			}
			if depth == 1 && expectingKey(body[:i]) {
				quoted := body[i : end+1]
				if folded, ok := foldKey(buf[:0], quoted); ok {
					if k, known := requestKeys[string(folded)]; known {
						if seen[k] {
							key, _ := jsonKey(quoted)
							return &badRequest{fmt.Sprintf("The field %q appears more than once.", key)}
						}
						seen[k] = true
					}
				}
			}
			i = end
		case '{', '[':
			depth++
		case '}', ']':
			depth--
		}
	}
	return nil
}

// stringEnd returns the index of the quote that ends the JSON string
// whose text starts at from, or -1 when it does not end.
func stringEnd(body []byte, from int) int {
	for {
		j := bytes.IndexByte(body[from:], '"')
		if j < 0 {
			return -1
		}
		q := from + j
		slashes := 0
		for k := q - 1; k >= from && body[k] == '\\'; k-- {
			slashes++
		}
		if slashes%2 == 0 {
			return q
		}
		from = q + 1
	}
}

// requestKeys are the JSON names of the request's fields (the form's and
// the visit's), folded by foldName, each with a number of its own.
var requestKeys = func() map[string]int {
	m := map[string]int{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			if f.Anonymous {
				add(f.Type)
				continue
			}
			if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
				m[string(foldName(nil, name))] = len(m)
			}
		}
	}
	add(reflect.TypeFor[submission]())
	if len(m) > 64 {
		panic("intake: more request fields than uniqueKeys counts")
	}
	return m
}()

// foldKey appends to out the folded name (foldName) of a quoted JSON
// key, unescaped; ok is false for a key too long to be a field's name or
// that cannot be read.
func foldKey(out, quoted []byte) (folded []byte, ok bool) {
	if len(quoted) > longestKey {
		return nil, false
	}
	name := string(quoted[1 : len(quoted)-1])
	if strings.IndexByte(name, '\\') >= 0 && json.Unmarshal(quoted, &name) != nil {
		return nil, false
	}
	return foldName(out, name), true
}

// longestKey is the longest a key can be and still be a field's name: a
// name is under 20 bytes, and a rune of up to 4 bytes may fold to one.
const longestKey = 4 * 20

// foldName appends name to out folded as encoding/json folds a name to
// match it to a field: ASCII letters in upper case, any other letter as
// the smallest rune that folds to it ("ſ" as "S", the Kelvin sign as "K").
func foldName(out []byte, name string) []byte {
	for i := 0; i < len(name); {
		if c := name[i]; c < utf8.RuneSelf {
			if 'a' <= c && c <= 'z' {
				c -= 'a' - 'A'
			}
			out = append(out, c)
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(name[i:])
		for {
			r2 := unicode.SimpleFold(r)
			if r2 <= r {
				r = r2
				break
			}
			r = r2
		}
		out = utf8.AppendRune(out, r)
		i += n
	}
	return out
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

// formFields reads a URL-encoded body as url.ParseQuery does (a body it
// would refuse is refused), but keeps only the first value of each of the
// request's fields (requestKeys): the others cost a scan, never a copy, so
// that a body of many keys costs its length and no more.
func formFields(body []byte) (url.Values, error) {
	vals := url.Values{}
	for rest := string(body); rest != ""; {
		var pair string
		pair, rest, _ = strings.Cut(rest, "&")
		if strings.Contains(pair, ";") {
			return nil, errors.New("invalid semicolon separator")
		}
		if pair == "" {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if strings.ContainsAny(key, "%+") {
			var err error
			if key, err = url.QueryUnescape(key); err != nil {
				return nil, err
			}
		}
		known := false
		if len(key) <= longestKey {
			var buf [longestKey]byte
			_, known = requestKeys[string(foldName(buf[:0], key))]
		}
		if !known || vals.Has(key) {
			if !escapesOK(value) {
				return nil, errors.New("invalid escape")
			}
			continue
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			return nil, err
		}
		vals[key] = []string{v}
	}
	return vals, nil
}

// escapesOK reports whether every "%" of s starts an escape: two hex digits.
func escapesOK(s string) bool {
	for {
		i := strings.IndexByte(s, '%')
		if i < 0 {
			return true
		}
		if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
			return false
		}
		s = s[i+3:]
	}
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
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
