package intake

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

// What a patient is told once a request is taken: when the practice will
// be in touch, by the response clock, the request's reference, and, while
// the practice is closed, when it opens; with a token that lets her
// correct the phone and email she gave (correction.go). A request sent
// with JavaScript gets them in the JSON answer; one sent as a plain form
// is sent (303) to the thank-you page, GET /v1/consultations/thanks,
// which shows them and says her phone and email back to her.

// thanksPath is the thank-you page of requests sent as a plain form.
const thanksPath = form.DefaultAction + "/thanks" // /v1/consultations/thanks

// answer is the JSON answer to a request that was taken.
type answer struct {
	ID      string `json:"id"`
	Ref     string `json:"ref"`      // "HAS-1129-7K2Q"
	Due     string `json:"due"`      // RFC 3339, in practice time: "2026-12-01T11:00:00Z"
	DueText string `json:"due_text"` // "11:00 on Monday 1 December", as the confirmation says it
	// Confirmation says whether a confirmation to the patient is queued,
	// so that the page never promises an email that will not come.
	Confirmation bool `json:"confirmation"`
	// Correction is where the patient may post a correction of her phone
	// and email (POST, fields phone and email) for a day.
	Correction string `json:"correction"`
	// OpensText is when the practice opens, "08:30 on Monday 7
	// December", while it is closed; "" while it is open.
	OpensText string `json:"opens_text,omitempty"`
}

// answerFor returns the answer to a request stored as lead id: l is the
// lead made of the request, whose id is another when the request was a
// duplicate (the answer then names the first lead).
func (s *server) answerFor(id string, l lead.Lead) answer {
	ref := l.Ref
	if id != l.ID {
		ref = lead.Ref(lead.RefPrefix(s.cfg.Practice.Name), id, l.Received, s.cfg.Practice.TimeZone)
	}
	return answer{ID: id, Ref: ref, Due: l.Due.In(s.location()).Format(time.RFC3339),
		DueText: mail.DueText(l.Due, s.location()), Correction: correctionPath + s.correctionToken(id, l.Received),
		OpensText: s.opens(l.Received)}
}

// opens says when the practice opens, as the thank-you page says it,
// when it is closed at now; "" when it is open.
func (s *server) opens(now time.Time) string {
	if s.cfg.Clock.Open(now) {
		return ""
	}
	return mail.DueText(s.cfg.Clock.NextOpen(now), s.location())
}

// location is the practice's time zone.
func (s *server) location() *time.Location {
	if loc := s.cfg.Practice.TimeZone; loc != nil {
		return loc
	}
	return time.UTC
}

// thanksURL returns the address of the thank-you page that gives ref and
// the due time, signed so that the page says only what the service said,
// and the request's correction token (correctionToken), with which the
// page says the patient's phone and email back to her.
func (s *server) thanksURL(ref string, due time.Time, correction string) string {
	sec := strconv.FormatInt(due.Unix(), 10)
	q := url.Values{"ref": {ref}, "due": {sec}, "sig": {s.tokens.mac("thanks." + ref + "." + sec)}, "c": {correction}}
	return thanksPath + "?" + q.Encode()
}

// handleThanks shows the thank-you page: GET /v1/consultations/thanks. A
// link without a good signature shows the page without a time or a
// reference, and one without a good correction token without the
// patient's phone and email.
func (s *server) handleThanks() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		now := s.cfg.Now()
		page := s.thanksPage(lead.Lead{}, "", now)
		ref, due := q.Get("ref"), q.Get("due")
		if sec, err := strconv.ParseInt(due, 10, 64); err == nil && len(ref) <= 40 &&
			mail.HeaderSafe(ref) && s.tokens.signed("thanks."+ref+"."+due, q.Get("sig")) {
			page.Ref, page.Due = ref, mail.DueText(time.Unix(sec, 0), s.location())
		}
		if token := q.Get("c"); token != "" {
			if id, ok := s.correctionLead(token, now); ok {
				info(r).lead = id
				if t, err := s.store.Lead(r.Context(), id); err == nil {
					with := s.thanksPage(t.Lead, token, now)
					page.Contact, page.Correct, page.Corrected = with.Contact, with.Correct, q.Get("corrected") == "1"
				}
			}
		}
		s.showThanks(w, http.StatusOK, page)
	})
}

// thanksPage returns the thank-you page of lead l, corrected with token,
// at now: the practice's phone and when it opens, and, for a lead with
// personal data, her phone and email and the form that corrects them.
func (s *server) thanksPage(l lead.Lead, token string, now time.Time) form.Thanks {
	p := s.cfg.Practice
	page := form.Thanks{Practice: p.Name, Lang: s.cfg.Language, Phone: p.Phone, Tel: mail.TelURL(p.Phone),
		Next: s.cfg.ThankYouURL, Opens: s.opens(now)}
	if l.Email == "" || token == "" {
		return page
	}
	phone := ""
	if l.Phone != "" {
		phone = mail.NationalPhone(l.Phone, s.cfg.Region)
	}
	page.Contact = form.Contact{Way: l.PreferredContact, Phone: phone, Email: l.Email}
	page.Correct = form.Page{Values: form.Values{Phone: phone, Email: l.Email},
		CountryCode: form.CountryCode(p.Phone, s.cfg.Region)}.Correction(correctionPath + token)
	return page
}

// showThanks answers with the thank-you page: the site's, else the
// built-in one.
func (s *server) showThanks(w http.ResponseWriter, code int, page form.Thanks) {
	body := s.execute(s.form.thanks, builtinThanks, page, "thank-you")
	if body == nil {
		httpError(w, http.StatusInternalServerError, "Thank you: your request has reached us.")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	s.writePage(w, code, body)
}

// builtinThanks is the plain thank-you page, for a site whose theme has no
// "consultation-thanks-page".
var builtinThanks = template.Must(template.New("thanks").Parse(`<!doctype html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Thank you – {{.Practice}}</title>
<style>body{font:1.0625rem/1.5 system-ui,sans-serif;max-width:40rem;margin:0 auto;padding:1rem;color:#1a1a1a;background:#fff}.due{font-size:1.25rem;font-weight:700}a{color:#1f4e79}</style>
</head>
<body>
<main>
<h1>Thank you — your request has reached us</h1>
{{with .Due}}<p class="due">We will be in touch by {{.}}.</p>{{end}}
<p>Our patient coordinator will get in touch the way you asked.</p>
{{with .Ref}}<p>Your reference: <strong>{{.}}</strong></p>{{end}}
{{with .Contact.Email}}<p>We have your email address as <strong>{{.}}</strong>{{with $.Contact.Phone}} and your phone number as <strong>{{.}}</strong>{{end}}.</p>{{end}}
{{with .Tel}}{{if $.Opens}}<p>We are closed now, and open at {{$.Opens}}: you can call us then on <a href="{{.}}">{{$.Phone}}</a>.</p>{{else}}<p>If you would rather talk now, call us on <a href="{{.}}">{{$.Phone}}</a>.</p>{{end}}{{end}}
{{with .Next}}<p><a href="{{.}}">What happens next</a></p>{{end}}
</main>
</body>
</html>
`))
