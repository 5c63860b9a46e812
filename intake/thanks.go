package intake

import (
	"bytes"
	"html/template"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

// What a patient is told once a request is taken: when the practice will
// be in touch, by the response clock, and the request's reference. A
// request sent with JavaScript gets them in the JSON answer; one sent as a
// plain form is sent (303) to the thank-you page, GET
// /v1/consultations/thanks, which shows them.

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
		DueText: mail.DueText(l.Due, s.location())}
}

// location is the practice's time zone.
func (s *server) location() *time.Location {
	if loc := s.cfg.Practice.TimeZone; loc != nil {
		return loc
	}
	return time.UTC
}

// thanksURL returns the address of the thank-you page that gives ref and
// the due time, signed so that the page says only what the service said.
func (s *server) thanksURL(ref string, due time.Time) string {
	sec := strconv.FormatInt(due.Unix(), 10)
	q := url.Values{"ref": {ref}, "due": {sec}, "sig": {s.tokens.mac("thanks." + ref + "." + sec)}}
	return thanksPath + "?" + q.Encode()
}

// handleThanks shows the thank-you page: GET /v1/consultations/thanks. A
// link without a good signature shows the page without a time or a
// reference.
func (s *server) handleThanks() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		p := s.cfg.Practice
		page := form.Thanks{Practice: p.Name, Lang: s.cfg.Language, Phone: p.Phone, Tel: mail.TelURL(p.Phone),
			Next: s.cfg.ThankYouURL}
		ref, due := q.Get("ref"), q.Get("due")
		if sec, err := strconv.ParseInt(due, 10, 64); err == nil && len(ref) <= 40 &&
			mail.HeaderSafe(ref) && s.tokens.signed("thanks."+ref+"."+due, q.Get("sig")) {
			page.Ref, page.Due = ref, mail.DueText(time.Unix(sec, 0), s.location())
		}
		var buf bytes.Buffer
		if t := s.form.thanks; t != nil {
			if err := t.Execute(&buf, page); err != nil {
				s.log.Error("render the site's thank-you page; using the built-in one", slog.String("err", err.Error()))
				buf.Reset()
			}
		}
		if buf.Len() == 0 {
			if err := builtinThanks.Execute(&buf, page); err != nil {
				s.log.Error("render the built-in thank-you page", "err", err)
				httpError(w, http.StatusInternalServerError, "Thank you: your request has reached us.")
				return
			}
		}
		w.Header().Set("Content-Security-Policy", s.form.csp)
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(buf.Bytes())
	})
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
{{with .Tel}}<p>If you would rather talk now, call us on <a href="{{.}}">{{$.Phone}}</a>.</p>{{end}}
{{with .Next}}<p><a href="{{.}}">What happens next</a></p>{{end}}
</main>
</body>
</html>
`))
