package intake

import (
	"cmp"
	"errors"
	"html/template"
	"net/http"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/gorilla/mux"
)

// An action link (package action) opens a small page: GET shows the lead's
// reference, its state and who set it, and a button; only the POST from
// that button acts. Mail scanners fetch every link of an email, so a GET
// never changes anything. A POST that finds the work done already changes
// nothing either, and both answer with the page that says who did what,
// and when. The page shows no patient data beyond the first name and the
// procedure.

// actionCSP lets the page style itself and post its one form, nothing else.
const actionCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// handleAction serves GET and POST /v1/actions/{token}.
func (s *server) handleAction() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", actionCSP)
		tok, err := s.actions.Verify(mux.Vars(r)["token"])
		switch {
		case errors.Is(err, action.ErrExpired):
			s.actionRefused(w, "This link has expired", "Links in the practice's emails work for "+
				figures.Duration(s.actions.Lifetime())+". Use the buttons of a newer email about this lead.")
			return
		case err != nil:
			s.actionRefused(w, "This link is not valid", "It was not made by this practice's service, or it was changed on the way. "+
				"Open the link from the email itself, without editing it.")
			return
		}
		info(r).lead = tok.Lead
		t, err := s.store.Lead(r.Context(), tok.Lead)
		if errors.Is(err, outbox.ErrNotFound) {
			s.actionRefused(w, "This lead is no longer kept", "Nothing was changed.")
			return
		}
		if err != nil {
			s.log.Error("read lead for an action", "lead", tok.Lead, "err", err)
			httpError(w, http.StatusServiceUnavailable, "The service cannot read this lead just now. Please try again in a minute.")
			return
		}
		if !s.policy().Staff(t, tok.Recipient) { // today's settings alone
			s.actionRefused(w, "This link was not sent to you", "It belongs to an address that no longer receives this practice's leads. "+
				"Nothing was changed.")
			return
		}
		if r.Method == http.MethodPost {
			if err := s.act(r, tok); err != nil {
				s.log.Error("act on a lead", "lead", tok.Lead, "action", tok.Action, "err", err)
				httpError(w, http.StatusServiceUnavailable, "The change could not be saved just now. Please try again in a minute.")
				return
			}
			http.Redirect(w, r, r.URL.Path, http.StatusSeeOther) // the page, as it now stands
			return
		}
		s.actionPage(w, http.StatusOK, s.actionView(tok, t))
	})
}

// act applies tok's action to its lead, as the lifecycle decides it
// (lead.Act, lead.Release): nothing when it is done already.
func (s *server) act(r *http.Request, tok action.Token) error {
	now := s.cfg.Now()
	p := s.policy()
	var claimedBefore bool
	after, changed, err := s.store.Update(r.Context(), tok.Lead, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		claimedBefore = !t.ClaimedAt.IsZero()
		if tok.Action == action.Release {
			c, ok := lead.Release(t, tok.Recipient, now, p)
			return c, nil, ok, nil
		}
		c, ok, err := lead.Act(t, action.States[tok.Action], tok.Recipient, now, p)
		return c, nil, ok, err
	})
	if err == nil && changed && !claimedBefore && !after.ClaimedAt.IsZero() {
		s.metrics.claimed(after.ClaimedAt.Sub(after.Lead.Received))
	}
	return err
}

// policy is the practice's response clock as the lifecycle applies it.
func (s *server) policy() lead.Policy {
	return lead.Policy{Clock: s.cfg.Clock, Coordinator: s.cfg.Practice.To}
}

// actionView is the data of the action page.
type actionView struct {
	Practice  string
	Colours   mail.Colours
	Ref       string
	FirstName string
	Procedure string
	State     string // in words: "Claimed"
	StateBy   string // "" for the service
	StateAt   string // in practice time
	Due       string
	Button    string // "" when there is nothing left to do
	Done      string // why not, when there is nothing left to do
}

// stateWords are the states as the page says them.
var stateWords = map[string]string{
	lead.New: "New, not yet claimed", lead.Claimed: "Claimed", lead.Contacted: "Contacted",
	lead.Booked: "Consultation booked", lead.Closed: "Closed, no booking", lead.Spam: "Held as suspected spam",
	lead.NotALead: "Not a lead",
}

func (s *server) actionView(tok action.Token, t lead.Tracked) actionView {
	loc := s.cfg.Clock.Location
	if loc == nil {
		loc = time.UTC
	}
	const layout = mail.StaffTime
	c := s.cfg.Practice.Colours
	v := actionView{
		Practice:  s.practiceName(),
		Colours:   c.WithDefaults(),
		Ref:       cmp.Or(t.Lead.Ref, t.Lead.ID),
		FirstName: t.Lead.FirstName,
		Procedure: t.Lead.ProcedureTitle,
		State:     stateWords[t.State],
		StateBy:   t.StateBy,
		StateAt:   t.StateAt.In(loc).Format(layout),
	}
	if !t.Lead.Due.IsZero() {
		v.Due = t.Lead.Due.In(loc).Format(layout)
	}
	target := action.States[tok.Action]
	switch {
	case tok.Action == action.Release && t.State == lead.Spam && t.Lead.Spam:
		v.Button = "Release: deliver this request"
	case tok.Action == action.Release:
		v.Done = "It has been released already, or was never held."
	case lead.CanMove(t.State, target):
		v.Button = action.Labels[tok.Action]
	case target == t.State:
		v.Done = "Done: this step is recorded. The email's other buttons take the lead further."
	default:
		v.Done = "The lead has already moved past this step. Nothing was changed."
	}
	return v
}

// actionRefused answers 403 with a page that says why, and changes nothing.
func (s *server) actionRefused(w http.ResponseWriter, title, why string) {
	s.actionPage(w, http.StatusForbidden, actionView{Practice: s.practiceName(), Done: why, State: title,
		Colours: mail.Colours{}.WithDefaults()})
}

func (s *server) actionPage(w http.ResponseWriter, code int, v actionView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := actionTemplate.Execute(w, v); err != nil {
		s.log.Error("render action page", "err", err)
	}
}

var actionTemplate = template.Must(template.New("action").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{if .Ref}}{{.Ref}} · {{end}}{{.Practice}}</title>
<style>
body { margin: 0; font: 1.125rem/1.5 system-ui, sans-serif; color: {{.Colours.Ink}}; background: {{.Colours.Paper}}; }
main { max-width: 32rem; margin: 0 auto; padding: 1.5rem 1rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; }
p.practice { color: {{.Colours.Muted}}; margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: auto 1fr; gap: .25rem 1rem; margin: 0 0 1.5rem; }
dt { color: {{.Colours.Muted}}; }
dd { margin: 0; }
button { font: inherit; font-weight: 600; min-height: 48px; width: 100%; padding: .75rem 1rem; border: 0; border-radius: .5rem;
	color: {{.Colours.Paper}}; background: {{.Colours.Accent}}; cursor: pointer; }
button:focus-visible { outline: 3px solid {{.Colours.Ink}}; outline-offset: 3px; }
</style>
</head>
<body>
<main>
<p class="practice">{{.Practice}}</p>
{{if .Ref}}<h1>Lead {{.Ref}}</h1>
<dl>
{{if .FirstName}}<dt>Patient</dt><dd>{{.FirstName}}</dd>{{end}}
{{if .Procedure}}<dt>Asking about</dt><dd>{{.Procedure}}</dd>{{end}}
<dt>State</dt><dd>{{.State}}</dd>
<dt>Set by</dt><dd>{{if .StateBy}}{{.StateBy}}{{else}}the practice's service{{end}}, {{.StateAt}}</dd>
{{if .Due}}<dt>Reply by</dt><dd>{{.Due}}</dd>{{end}}
</dl>
{{if .Button}}<form method="post"><button type="submit">{{.Button}}</button></form>
{{else}}<p>{{.Done}}</p>{{end}}
{{else}}<h1>{{.State}}</h1>
<p>{{.Done}}</p>{{end}}
</main>
</body>
</html>
`))

// remindConfig is what the response clock needs: the same clock, practice
// and action links as the handlers.
func (s *server) remindConfig() remind.Config {
	return remind.Config{Clock: s.cfg.Clock, Practice: s.cfg.Practice, Logger: s.log, Now: s.cfg.Now}
}
