package intake

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"strconv"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/consultahq/consulta/internal/form"
)

// fieldOrder is the order of the fields on the form, for the error summary.
var fieldOrder = []string{"first_name", "last_name", "email", "phone", "procedure",
	"preferred_contact", "preferred_time", "message", "source", "language", "page",
	"consent_privacy", "sms_opt_in", "wording_version", "form_token", "idempotency_key"}

// formRenderer writes the form page with the site's template, falling back
// to the built-in one if the site's fails.
type formRenderer struct {
	site    *template.Template
	builtin *template.Template
	thanks  *template.Template // the site's "consultation-thanks-page", or nil
	csp     string
}

func newFormRenderer(cfg Config) formRenderer {
	src := strings.Join(cfg.AllowedOrigins, " ")
	var thanks *template.Template
	if cfg.Form != nil {
		thanks = cfg.Form.Lookup("consultation-thanks-page")
	}
	return formRenderer{
		site:    cfg.Form,
		thanks:  thanks,
		builtin: DefaultFormTemplate(),
		csp: "default-src 'none'; style-src 'self' 'unsafe-inline' " + src +
			"; img-src 'self' data: " + src + "; script-src 'self' " + src +
			"; connect-src 'self' " + src + "; frame-ancestors 'none'; base-uri 'none'",
	}
}

// DefaultFormTemplate returns the plain built-in form page. It defines the
// template "consultation-form" (the form alone), which a theme may
// redefine in a clone to restyle the form and keep the page.
func DefaultFormTemplate() *template.Template {
	return template.Must(template.New("page").Funcs(formFuncs).Parse(builtinForm))
}

// formFuncs are the functions the built-in form uses.
var formFuncs = template.FuncMap{
	"field": func(p form.Page, name, label, value, typ, autocomplete string) textField {
		return textField{Name: name, Label: label, Value: value, Type: typ, Autocomplete: autocomplete, Error: p.Errors[name]}
	},
}

// textField is the data of the built-in form's "text-field" template.
type textField struct {
	Name, Label, Value, Type, Autocomplete, Error string
}

// showForm answers 422 with the form, sub's values kept and errs beside
// their fields.
func (s *server) showForm(w http.ResponseWriter, r *http.Request, sub submission, errs map[string]string) {
	key := sub.IdempotencyKey
	if key == "" || errs["idempotency_key"] != "" {
		key = newKey()
	}
	page := form.Page{
		Practice: s.practiceName(),
		Lang:     s.cfg.Language,
		Action:   s.cfg.FormAction,
		Values: form.Values{
			FirstName: sub.FirstName, LastName: sub.LastName, Email: sub.Email, Phone: sub.Phone,
			Procedure:        procedureSlug(sub.Procedure),
			PreferredContact: sub.PreferredContact, PreferredTime: sub.PreferredTime,
			Message: sub.Message, Source: sub.Source, Language: sub.Language, Page: sub.Page,
			ConsentPrivacy: bool(sub.ConsentPrivacy), SMSOptIn: bool(sub.SMSOptIn),
			FormToken: sub.FormToken, IdempotencyKey: key,
		},
		Errors:         errs,
		Groups:         groups(s.cfg.Procedures),
		PrivacyWording: s.cfg.PrivacyWording,
		SMSWording:     s.cfg.SMSWording,
		WordingVersion: s.cfg.WordingVersion,
		CountryCode:    callingCode(s.cfg.Region),
	}
	for _, f := range fieldOrder {
		if msg, ok := errs[f]; ok {
			page.Summary = append(page.Summary, form.FieldError{Field: f, Message: msg})
		}
	}
	var buf bytes.Buffer
	if t := s.form.site; t != nil {
		if err := t.Execute(&buf, page); err != nil {
			s.log.Error("render the site's form template; using the built-in one", slog.String("err", err.Error()))
			buf.Reset()
		}
	}
	if buf.Len() == 0 {
		if err := s.form.builtin.Execute(&buf, page); err != nil {
			s.log.Error("render the built-in form", "err", err)
			httpError(w, http.StatusUnprocessableEntity, "Some fields need correcting. Please go back and check the form.")
			return
		}
	}
	w.Header().Set("Content-Security-Policy", s.form.csp)
	// The form on this page posts back here: with no-referrer (the
	// middleware's default) Chrome sends "Origin: null" and the post is
	// refused as cross-origin.
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusUnprocessableEntity)
	w.Write(buf.Bytes())
}

// groups returns procs by category, categories in order of first appearance.
func groups(procs []Procedure) []form.Group {
	var out []form.Group
	at := map[string]int{}
	for _, p := range procs {
		i, ok := at[p.Category]
		if !ok {
			i = len(out)
			at[p.Category] = i
			title := p.CategoryTitle
			if title == "" {
				title = p.Category
			}
			out = append(out, form.Group{Title: title})
		}
		out[i].Procedures = append(out[i].Procedures, form.Procedure{Slug: p.Slug, Title: p.Title})
	}
	return out
}

// newKey returns a random idempotency key for a form shown again.
func newKey() string {
	var b [18]byte
	rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// practiceName is the practice's name for page titles.
func (s *server) practiceName() string { return s.cfg.Practice.Name }

// callingCode is a region's country calling code for the form's phone
// hint, e.g. "+353" for "IE"; "" for no region or an unknown one.
func callingCode(region string) string {
	if c := phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region)); region != "" && c != 0 {
		return "+" + strconv.Itoa(c)
	}
	return ""
}
