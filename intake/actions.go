package intake

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/gorilla/mux"
)

// Every action link of every email (package action) opens the lead's
// page: GET shows the lead, how to reach the patient, the next step and
// the others, the call form and the history; only a POST from one of its
// buttons acts. Mail scanners fetch every link of an email, so a GET
// never changes anything. A POST that finds the work done already changes
// nothing either. Each POST answers 303 to the page as it now stands, or
// 422 with the page and what to correct.
//
// Who acts is a person: the address the link was sent to, named by the
// staff list (intake.staff). A link sent to a mailbox that several listed
// people share asks which of them is acting, and remembers the answer on
// that device in a first-party cookie holding only the person's index in
// the list (staffCookie).

// actionCSP lets the page style itself and post its forms, nothing else.
const actionCSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

// staffCookie names the cookie that remembers who is acting on a shared
// mailbox's links on this device: the index of a person in the staff list.
const staffCookie = "consulta_staff"

// The buttons of the lead's page, as its forms post them in "do", beside
// the actions of package action (claim, contacted, booked, …).
const (
	doCall   = "call:"  // and a call's outcome: "call:no_answer"
	doUndo   = "undo"   // take back the latest action
	doPerson = "person" // say which of a shared mailbox's people is acting
	doForget = "forget" // forget who is acting on this device
)

// handleAction serves GET and POST /v1/actions/{token}: the lead's page.
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
			s.log.Error("read lead for its page", "lead", tok.Lead, "err", err)
			httpError(w, http.StatusServiceUnavailable, "The service cannot read this lead just now. Please try again in a minute.")
			return
		}
		p := s.policy()
		if !p.Staff(t, tok.Recipient) { // today's settings alone
			s.actionRefused(w, "This link was not sent to you", "It belongs to an address that no longer receives this practice's leads. "+
				"Nothing was changed.")
			return
		}
		pg := page{tok: tok, lead: t}
		pg.person, pg.known = s.actor(r, tok.Recipient)
		if r.Method == http.MethodPost {
			if s.post(w, r, &pg) {
				return
			}
		}
		s.leadPage(w, r, pg)
	})
}

// page is one request for a lead's page: its link, the lead, who is
// acting (known is false while a shared mailbox's person is not chosen),
// and what went wrong with a POST, said on the page.
type page struct {
	tok    action.Token
	lead   lead.Tracked
	person lead.Person
	known  bool
	status int    // 200, or 422 with problem
	fix    string // what to correct, said at the top of the page
	note   string // the note as written, kept when the page is shown again
}

// actor returns who acts on a link sent to addr: the one person the staff
// list gives that address; for a mailbox several people share, the one
// this device's cookie names, or false when none is chosen; else the
// address itself.
func (s *server) actor(r *http.Request, addr string) (lead.Person, bool) {
	p := s.policy()
	sharing := p.Sharing(addr)
	switch len(sharing) {
	case 0:
		return lead.Person{Email: addr}, true
	case 1:
		return p.People[sharing[0]], true
	}
	if c, err := r.Cookie(staffCookie); err == nil {
		if i, err := strconv.Atoi(c.Value); err == nil && slices.Contains(sharing, i) {
			return p.People[i], true
		}
	}
	return lead.Person{Email: addr}, false
}

// post acts on pg's lead as its form asks, and answers 303 to the page as
// it now stands; it returns false, with pg's problem set, when the page
// is to be shown again with what to correct.
func (s *server) post(w http.ResponseWriter, r *http.Request, pg *page) bool {
	if err := r.ParseForm(); err != nil {
		pg.status, pg.fix = http.StatusBadRequest, "The form could not be read. Please try again."
		return false
	}
	do := r.PostForm.Get("do")
	switch do {
	case doPerson:
		return s.choosePerson(w, r, pg)
	case doForget:
		http.SetCookie(w, s.cookie(r, "", -1))
		http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
		return true
	}
	if !pg.known {
		pg.status, pg.fix = http.StatusUnprocessableEntity, "Say who you are first: this link went to a mailbox several people share."
		return false
	}
	pg.note = strings.TrimSpace(r.PostForm.Get("note"))
	if n := utf8.RuneCountInString(pg.note); n > lead.MaxNote {
		pg.status, pg.fix = http.StatusUnprocessableEntity, "The note is "+strconv.Itoa(n)+" characters long: keep it to "+
			strconv.Itoa(lead.MaxNote)+" at most. Nothing was recorded."
		return false
	}
	if do == "" { // a button of the earlier one-button page: the link's own action
		do = pg.tok.Action
	}
	if strings.HasPrefix(do, doDate) || strings.HasPrefix(do, doCancel) {
		return s.postDates(w, r, pg, do)
	}
	var back time.Time
	if do == doCall+lead.CallBack {
		var fix string
		if back, fix = s.callBackTime(r.PostForm.Get("back")); fix != "" {
			pg.status, pg.fix = http.StatusUnprocessableEntity, fix
			return false
		}
	}
	if err := s.act(r, pg, do, back); err != nil {
		if errors.Is(err, errUnknownAction) {
			pg.status, pg.fix = http.StatusBadRequest, "That button is not one of this page's. Nothing was changed."
			return false
		}
		s.log.Error("act on a lead", "lead", pg.tok.Lead, "action", do, "err", err)
		httpError(w, http.StatusServiceUnavailable, "The change could not be saved just now. Please try again in a minute.")
		return true
	}
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther) // the page, as it now stands
	return true
}

// choosePerson remembers on this device which of a shared mailbox's
// people is acting, and answers 303 to the page.
func (s *server) choosePerson(w http.ResponseWriter, r *http.Request, pg *page) bool {
	i, err := strconv.Atoi(r.PostForm.Get("person"))
	if err != nil || !slices.Contains(s.policy().Sharing(pg.tok.Recipient), i) {
		pg.status, pg.fix = http.StatusUnprocessableEntity, "Choose your name from the list."
		return false
	}
	http.SetCookie(w, s.cookie(r, strconv.Itoa(i), 365*24*60*60))
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	return true
}

// cookie returns the staff cookie holding value, for maxAge seconds (-1
// deletes it): first-party, for the lead pages' path only, out of reach
// of scripts, sent on the link from an email (Lax), and only over HTTPS
// where the service is reached by it.
func (s *server) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	secure := r.TLS != nil || strings.HasPrefix(s.cfg.PublicURL, "https://")
	return &http.Cookie{Name: staffCookie, Value: value, Path: action.Path, MaxAge: maxAge, HttpOnly: true,
		Secure: secure, SameSite: http.SameSiteLaxMode}
}

// callBackTime reads the time a patient asked to be called back at, as
// the page's field gives it ("2026-12-07T16:00", practice time), and says
// what to correct when it is no time to come.
func (s *server) callBackTime(v string) (time.Time, string) {
	if strings.TrimSpace(v) == "" {
		return time.Time{}, "Give the time the patient asked to be called back at."
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), s.location())
	if err != nil {
		return time.Time{}, "The call-back time was not understood: pick a date and a time."
	}
	if !t.After(s.cfg.Now()) {
		return time.Time{}, "The call-back time has passed: give a time to come."
	}
	return t, ""
}

// errUnknownAction is a button that is none of the page's.
var errUnknownAction = errors.New("no such action")

// act applies the action do (an action of package action, a call's
// outcome, or an undo) to pg's lead, by pg's person, with pg's note, as
// the lifecycle decides it: nothing when it is done already.
func (s *server) act(r *http.Request, pg *page, do string, back time.Time) error {
	now := s.cfg.Now()
	p := s.policy()
	by := pg.person
	var claimedBefore bool
	after, changed, err := s.store.Update(r.Context(), pg.tok.Lead, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		claimedBefore = !t.ClaimedAt.IsZero()
		var c lead.Change
		var ok bool
		var err error
		switch state, known := action.States[do]; {
		case do == doUndo:
			c, ok = lead.Undo(t, by, now)
		case strings.HasPrefix(do, doCall):
			c, ok, err = lead.Call(t, strings.TrimPrefix(do, doCall), back, by, now, p)
		case do == action.Release:
			c, ok = lead.Release(t, by, now, p)
		case do == action.Open:
		case known:
			c, ok, err = lead.Act(t, state, by, now, p)
		default:
			return c, nil, false, errUnknownAction
		}
		c.Event.Note = pg.note
		return c, nil, ok, err
	})
	if err == nil && changed && !claimedBefore && !after.ClaimedAt.IsZero() {
		s.metrics.claimed(after.ClaimedAt.Sub(after.Lead.Received))
	}
	return err
}

// policy is the practice's response clock as the lifecycle applies it,
// with its coordinators and its staff.
func (s *server) policy() lead.Policy {
	return lead.Policy{Clock: s.cfg.Clock, Coordinator: s.cfg.Practice.To, People: s.cfg.Staff}
}

// remindConfig is what the response clock needs: the same clock, practice,
// staff, care plans and action links as the handlers.
func (s *server) remindConfig() remind.Config { return remindConfigOf(s.cfg, s) }
