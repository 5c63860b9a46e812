package intake

import (
	"net/url"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/locales/en"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	entrans "github.com/go-playground/validator/v10/translations/en"
	"github.com/nyaruka/phonenumbers"

	"github.com/consultahq/consulta/intake/mail"
)

// checker validates submissions and explains, in words meant for a
// patient, what is wrong with each field.
type checker struct {
	v      *validator.Validate
	trans  ut.Translator
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

// messages are the patient-facing texts by validation tag; {0} is the
// field's label and {1} the tag's parameter.
var messages = map[string]string{
	"required":           "Please enter your {0}.",
	"max":                "Please shorten your {0} to at most {1} characters.",
	"email":              "Please enter an email address like name@example.com.",
	"mailbox":            "Please enter an email address like name@example.com, in plain Latin letters.",
	"phone":              "Please enter a phone number we can call, with the country code if you are abroad (for example +44 20 7946 0123).",
	"procedure":          "Please choose a procedure from the list, or \"Not sure yet\".",
	"oneof":              "Please choose phone, email or text.",
	"singleline":         "Please use letters, numbers and punctuation only, on one line.",
	"text":               "Please remove the unusual characters from your {0}.",
	"bcp47_language_tag": "Please choose a language from the list.",
	"page":               "The page address is not valid.",
	"token":              "Please reload the page and try again.",
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

	english := en.New()
	trans, _ := ut.New(english, english).GetTranslator("en")
	must(entrans.RegisterDefaultTranslations(v, trans))
	for tag, text := range messages {
		must(v.RegisterTranslation(tag, trans,
			func(t ut.Translator) error { return t.Add(tag, text, true) },
			translate))
	}
	return &checker{v: v, trans: trans, region: region}
}

// translate writes fe for a patient. It never returns the value entered.
func translate(t ut.Translator, fe validator.FieldError) string {
	field := fe.Field()
	switch {
	case field == "consent_privacy":
		return "Please tick the box to agree to our privacy notice, so that we may contact you."
	case field == "procedure" && fe.Tag() == "required":
		return "Please choose a procedure, or \"Not sure yet\"."
	case field == "phone" && fe.Tag() == "required":
		return "Please enter a phone number, so that we can call or text you as you asked."
	case field == "preferred_contact":
		return messages["oneof"]
	}
	label := labels[field]
	if label == "" {
		label = field
	}
	msg, err := t.T(fe.Tag(), label, fe.Param())
	if err != nil {
		return "Please check this field."
	}
	return msg
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
				out[fe.Field()] = fe.Translate(c.trans)
			}
		}
	}
	if _, bad := out["phone"]; !bad && s.Phone != "" {
		if e164, ok := normalPhone(s.Phone, c.region); ok {
			s.Phone = e164
		} else {
			out["phone"] = messages["phone"]
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
