package intake

import (
	"net/url"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/nyaruka/phonenumbers"

	"github.com/consultahq/consulta/intake/mail"
)

// checker validates submissions and explains, in words meant for a
// patient, what is wrong with each field.
type checker struct {
	v      *validator.Validate
	region string
}

// labels name each field as the form does, for the messages.
var labels = map[string]string{
	"first_name":        "first name",
	"last_name":         "last name",
	"email":             "email address",
	"phone":             "phone number",
	"procedure":         "procedure",
	"preferred_contact": "way to contact you",
	"preferred_time":    "preferred time",
	"message":           "message",
	"source":            "answer to how you heard of us",
	"language":          "language",
	"page":              "page",
	"wording_version":   "wording version",
	"form_token":        "form token",
	"idempotency_key":   "submission key",
}

// newChecker returns a checker that knows the site's procedures and the
// default region for phone numbers.
func newChecker(procedures map[string]Procedure, region string) *checker {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	// singleline is what may go into an email header: the same rule as
	// mail.Compose's, so that a lead that passes can always be mailed.
	must(v.RegisterValidation("singleline", func(fl validator.FieldLevel) bool {
		return mail.HeaderSafe(fl.Field().String())
	}))
	must(v.RegisterValidation("text", func(fl validator.FieldLevel) bool {
		s := fl.Field().String()
		return utf8.ValidString(s) && !strings.ContainsFunc(s, func(r rune) bool {
			return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
		})
	}))
	// An RFC 2047 encoded-word ("=?utf-8?q?…?=") in a name or an address
	// is decoded by mail clients into whatever it encodes: another
	// address, a line break.
	must(v.RegisterValidation("noencoded", func(fl validator.FieldLevel) bool {
		return !strings.Contains(fl.Field().String(), "=?")
	}))
	// "?", "%", "&" and "!" are legal in an address, but only ever used to
	// smuggle headers into a mailto: link or route mail; patients do not.
	must(v.RegisterValidation("plainaddress", func(fl validator.FieldLevel) bool {
		return !strings.ContainsAny(fl.Field().String(), "?%&!")
	}))
	must(v.RegisterValidation("localpart", func(fl validator.FieldLevel) bool {
		local, _, _ := strings.Cut(fl.Field().String(), "@")
		return len(local) <= 64 // RFC 5321 §4.5.3.1.1
	}))
	must(v.RegisterValidation("mailbox", func(fl validator.FieldLevel) bool {
		return mail.AddressOK(fl.Field().String())
	}))
	must(v.RegisterValidation("procedure", func(fl validator.FieldLevel) bool {
		slug := procedureSlug(fl.Field().String())
		_, ok := procedures[slug]
		return ok || slug == notSure
	}))
	must(v.RegisterValidation("page", func(fl validator.FieldLevel) bool {
		return validPage(fl.Field().String())
	}))
	must(v.RegisterValidation("token", func(fl validator.FieldLevel) bool {
		return !strings.ContainsFunc(fl.Field().String(), func(r rune) bool { return r <= ' ' || r > '~' })
	}))
	v.RegisterStructValidation(func(sl validator.StructLevel) {
		s := sl.Current().Interface().(submission)
		if s.Phone == "" && (s.PreferredContact == "phone" || s.PreferredContact == "text" || bool(s.SMSOptIn)) {
			sl.ReportError(s.Phone, "phone", "Phone", "required", "")
		}
	}, submission{})

	return &checker{v: v, region: region}
}

// Patient-facing texts that more than one field, or check itself, uses.
const (
	msgPhone     = "Please enter a phone number we can call, with the country code if you are abroad (for example +44 20 7946 0123)."
	msgContactBy = "Please choose phone, email or text."
	msgEmail     = "Please enter an email address like name@example.com."
)

// message explains fe to a patient, by the field and the validation tag
// that failed. It never repeats the value entered.
func message(fe validator.FieldError) string {
	field, tag := fe.Field(), fe.Tag()
	label := labels[field]
	if label == "" {
		label = field
	}
	switch {
	case field == "consent_privacy":
		return "Please tick the box to agree to our privacy notice, so that we may contact you."
	case field == "procedure" && tag == "required":
		return "Please choose a procedure, or \"Not sure yet\"."
	case field == "phone" && tag == "required":
		return "Please enter a phone number, so that we can call or text you as you asked."
	case field == "preferred_contact":
		return msgContactBy
	}
	switch tag {
	case "required":
		return "Please enter your " + label + "."
	case "max":
		return "Please shorten your " + label + " to at most " + fe.Param() + " characters."
	case "email":
		return msgEmail
	case "noencoded":
		return "Please remove \"=?\" from your " + label + "."
	case "plainaddress":
		return "Please enter your email address without the characters ? % & or !."
	case "localpart":
		return "The part of your email address before the @ is too long: at most 64 characters."
	case "mailbox":
		return "Please enter an email address like name@example.com, in plain Latin letters."
	case "procedure":
		return "Please choose a procedure from the list, or \"Not sure yet\"."
	case "singleline":
		return "Please use letters, numbers and punctuation only, on one line."
	case "text":
		return "Please remove the unusual characters from your " + label + "."
	case "bcp47_language_tag":
		return "Please choose a language from the list."
	case "page":
		return "The page address is not valid."
	case "token":
		return "Please reload the page and try again."
	}
	return "Please check your " + label + "."
}

// check validates s and returns every problem by JSON field name, or nil.
// A valid phone number is rewritten in E.164 (parsed once: it is the
// costliest check).
func (c *checker) check(s *submission) map[string]string {
	out := map[string]string{}
	if err := c.v.Struct(*s); err != nil {
		verrs, ok := err.(validator.ValidationErrors)
		if !ok {
			return map[string]string{"body": "The request could not be read."}
		}
		for _, fe := range verrs {
			if _, dup := out[fe.Field()]; !dup {
				out[fe.Field()] = message(fe)
			}
		}
	}
	if _, bad := out["phone"]; !bad && s.Phone != "" {
		if e164, ok := normalPhone(s.Phone, c.region); ok {
			s.Phone = e164
		} else {
			out["phone"] = msgPhone
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// notSure is the procedure slug for "not sure yet" (lead.NotSure).
const notSure = "not-sure"

// procedureSlug folds the ways a patient may say "not sure yet" into one
// slug, and otherwise returns the slug as given, lower-cased.
func procedureSlug(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "-") {
	case "not-sure", "not-sure-yet", "unsure":
		return notSure
	}
	return s
}

// normalPhone parses s as a phone number, national numbers in region, and
// returns it in E.164.
func normalPhone(s, region string) (string, bool) {
	if len(s) > 40 {
		return "", false
	}
	n, err := phonenumbers.Parse(s, region)
	if err != nil || !phonenumbers.IsValidNumber(n) {
		return "", false
	}
	return phonenumbers.Format(n, phonenumbers.E164), true
}

// validPage reports whether s is a site path or an http(s) URL.
func validPage(s string) bool {
	if strings.ContainsFunc(s, unicode.IsControl) {
		return false
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	if u.Scheme == "" {
		return strings.HasPrefix(s, "/") && !strings.HasPrefix(s, "//")
	}
	return (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}

// must panics on an error that only a programming mistake can cause.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
