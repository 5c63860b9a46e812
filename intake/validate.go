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
	"github.com/consultahq/consulta/internal/form"
)

// checker validates submissions and explains, in words meant for a
// patient, what is wrong with each field.
type checker struct {
	v      *validator.Validate
	region string
	own    func(host string) bool // whether a host (lower case) is the practice's site
}

// newChecker returns a checker that knows the site's procedures, the
// default region for phone numbers and the site's own hosts (own). It checks each field of the form by
// its declaration (form.Field.Validation), and the rules named there that
// are the intake's own are registered here.
func newChecker(procedures map[string]Procedure, surgeons map[string]Surgeon, region string, own func(host string) bool) *checker {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			return ""
		}
		return name
	})
	v.RegisterStructValidationMapRules(formRules(), form.Values{})
	// singleline is what may go into an email header: the same rule as
	// mail.Compose's, so that a lead that passes can always be mailed.
	must(v.RegisterValidation("singleline", func(fl validator.FieldLevel) bool {
		return mail.HeaderSafe(fl.Field().String())
	}))
	// visible is every field's: no character that changes how text shows
	// without being seen (form.Invisible).
	must(v.RegisterValidation("visible", func(fl validator.FieldLevel) bool {
		return !form.HasInvisible(fl.Field().String())
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
		return ok || slug == form.NotSure
	}))
	// page is a page of the practice's own site (form.SitePath).
	must(v.RegisterValidation("surgeon", func(fl validator.FieldLevel) bool {
		_, ok := surgeons[fl.Field().String()]
		return ok
	}))
	must(v.RegisterValidation("page", func(fl validator.FieldLevel) bool {
		_, ok := form.SitePath(fl.Field().String(), own)
		return ok
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

	return &checker{v: v, region: region, own: own}
}

// formRules returns the validation of each field of the form, by the
// name of its place in form.Values, as the validator takes them.
func formRules() map[string]string {
	rules := map[string]string{}
	t := reflect.TypeFor[form.Values]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if f, ok := form.Lookup(name); ok && f.Validation() != "" {
			rules[t.Field(i).Name] = f.Validation()
		}
	}
	return rules
}

// message explains fe to a patient, in the words of the field's
// declaration. It never repeats the value entered.
func message(fe validator.FieldError) string {
	f, ok := form.Lookup(fe.Field())
	if !ok {
		f = form.Field{Name: fe.Field()}
	}
	return f.Message(fe.Tag(), fe.Param())
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
			out["phone"] = form.Must("phone").Message("phone", "")
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// procedureSlug folds the ways a patient may say "not sure yet" into one
// slug, and otherwise returns the slug as given, lower-cased.
func procedureSlug(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	switch strings.Join(strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }), "-") {
	case "not-sure", "not-sure-yet", "unsure":
		return form.NotSure
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

// siteHosts returns whether a host is one of the practice's own: that of
// its site, of the service's public address, or of an allowed origin.
func siteHosts(cfg Config) func(host string) bool {
	hosts := map[string]bool{}
	for _, u := range append([]string{cfg.Practice.SiteURL, cfg.PublicURL}, cfg.AllowedOrigins...) {
		if p, err := url.Parse(u); err == nil && p.Hostname() != "" {
			hosts[strings.ToLower(p.Hostname())] = true
		}
	}
	return func(host string) bool { return hosts[host] }
}

// must panics on an error that only a programming mistake can cause.
func must(err error) {
	if err != nil {
		panic(err)
	}
}
