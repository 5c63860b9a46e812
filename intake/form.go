package intake

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/consultahq/consulta/internal/form"
)

// formRenderer writes the form page with the site's template, falling back
// to the built-in one (see builtinFormTemplate) if the site's fails.
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
		builtin: builtinFormTemplate(),
		csp: "default-src 'none'; style-src 'self' 'unsafe-inline' " + src +
			"; img-src 'self' data: " + src + "; script-src 'self' " + src +
			"; connect-src 'self' " + src + "; frame-ancestors 'none'; base-uri 'none'",
	}
}

// showForm answers 422 with the form, sub's values kept and errs beside
// their fields.
func (s *server) showForm(w http.ResponseWriter, r *http.Request, sub submission, errs map[string]string) {
	key := sub.IdempotencyKey
	if key == "" || errs["idempotency_key"] != "" {
		key = newKey()
	}
	page := form.Page{
		Practice:       s.practiceName(),
		Lang:           s.cfg.Language,
		Action:         s.cfg.FormAction,
		Values:         sub.Values,
		Errors:         errs,
		Groups:         groups(s.cfg.Procedures),
		PrivacyWording: s.cfg.PrivacyWording,
		SMSWording:     s.cfg.SMSWording,
		WordingVersion: s.cfg.WordingVersion,
		CountryCode:    form.CountryCode(s.cfg.Practice.Phone, s.cfg.Region),
		Surgeons:       surgeonChoices(s.cfg.Surgeons),
		Times:          form.Choices(s.cfg.BestTimes...),
		Consultation:   s.cfg.Consultation,
	}
	page.Values.Procedure, page.Values.IdempotencyKey = procedureSlug(sub.Procedure), key
	for _, f := range form.Fields() {
		if msg, ok := errs[f.Name]; ok {
			page.Summary = append(page.Summary, form.FieldError{Field: f.Name, Message: msg})
		}
	}
	body := s.execute(s.form.site, s.form.builtin, page, "form")
	if body == nil {
		httpError(w, http.StatusUnprocessableEntity, "Some fields need correcting. Please go back and check the form.")
		return
	}
	s.writePage(w, http.StatusUnprocessableEntity, body)
}

// execute renders data with the site's template site, else, when it has
// none or it fails, with builtin (what the page is, for the log); nil
// when both fail.
func (s *server) execute(site, builtin *template.Template, data any, what string) []byte {
	var buf bytes.Buffer
	if site != nil {
		if err := site.Execute(&buf, data); err != nil {
			s.log.Error("render the site's "+what+" page; using the built-in one", slog.String("err", err.Error()))
			buf.Reset()
		}
	}
	if buf.Len() == 0 {
		if err := builtin.Execute(&buf, data); err != nil {
			s.log.Error("render the built-in "+what+" page", "err", err)
			return nil
		}
	}
	return buf.Bytes()
}

// writePage answers with code and an HTML page of the service's own,
// under its content security policy. A form on the page posts back here:
// with no-referrer (the middleware's default) Chrome would send "Origin:
// null" and the post would be refused as cross-origin.
func (s *server) writePage(w http.ResponseWriter, code int, body []byte) {
	w.Header().Set("Content-Security-Policy", s.form.csp)
	w.Header().Set("Referrer-Policy", "same-origin")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	w.Write(body)
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

// surgeonChoices returns the surgeons as the form's choices.
func surgeonChoices(surgeons []Surgeon) []form.Choice {
	out := make([]form.Choice, len(surgeons))
	for i, sg := range surgeons {
		out[i] = form.Choice{Value: sg.Slug, Label: sg.Name}
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
