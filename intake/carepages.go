package intake

import (
	"cmp"
	"errors"
	"html/template"
	"net/http"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/gorilla/mux"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
)

// The patient's pages of a journey: a care step's printable page, with
// its "I have read this" or its check-in ("How are you feeling
// today?"), and a request to change an appointment; and the
// coordinator's page of a task, with its Done. Each is opened by a link
// signed for one patient and one step (package action); a GET changes
// nothing, since mail scanners fetch every link, and only the page's own
// form acts. A page shows no more of the patient than their first name
// and the step, works without JavaScript, and never says whether a
// symptom is normal: a worried patient is told whom to call.

// careCSP lets the page style itself and post its one form.
const careCSP = actionCSP

// maxCareText is the longest question or worry a patient may write.
const maxCareText = 2000

// carePage is the data of the patient's pages.
type carePage struct {
	Practice  string
	C         mail.Colours
	Title     string // the page's heading
	Greeting  string // the patient's first name, or ""
	Body      template.HTML
	Bring     []string
	Message   string // why the page cannot be shown, or what was done
	Ack       string // "": no acknowledgement asked; "ask" or when it was given
	CheckIn   bool
	Answer    string // the answer preselected, or given
	Sent      string // the answer just given: "doing_well", "question", "worried", "change", "read"
	Due       string // when a question or a change will be answered
	When      string // a change request's appointment
	Change    bool
	Phone     string
	Tel       template.URL
	OutOfHrs  string
	OutTel    template.URL
	Emergency string
	Done      string // a task's: when and by whom it was done
	TaskFacts []mail.Figure
	Button    string
}

// handleCare serves GET and POST /v1/care/{token}.
func (s *server) handleCare() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", careCSP)
		tok, err := s.actions.VerifyCare(mux.Vars(r)["token"])
		if err != nil {
			s.careRefused(w, err)
			return
		}
		t, j, ok := s.journeyOf(w, r, tok.Lead, func(t lead.Tracked) bool { return t.Lead.Email != "" },
			carePage{Title: "This page is no longer kept", Message: "The practice keeps these pages only for a while after your care. " + s.callUs()})
		if !ok {
			return
		}
		if r.Method == http.MethodPost {
			sent, err := s.careAnswer(r, tok, t, j)
			if err != nil {
				s.log.Error("record a patient's answer", "lead", tok.Lead, "err", err)
				httpError(w, http.StatusServiceUnavailable, "Your answer could not be saved just now. Please try again in a minute, or call the practice.")
				return
			}
			http.Redirect(w, r, r.URL.Path+"?sent="+sent, http.StatusSeeOther)
			return
		}
		v, code := s.careView(tok, t, j, r.URL.Query().Get("answer"), r.URL.Query().Get("sent"))
		s.carePageOf(w, code, v)
	})
}

// journeyOf reads lead id and its journey for a page of its journey,
// and answers the request itself when it cannot be: gone (with page
// gone) when there is no such lead or kept says it is no longer kept,
// 404 on a store that keeps no journeys, 503 when the store cannot be
// read.
func (s *server) journeyOf(w http.ResponseWriter, r *http.Request, id string, kept func(lead.Tracked) bool, gone carePage) (lead.Tracked, lead.Journey, bool) {
	info(r).lead = id
	js, ok := s.store.(JourneyStore)
	if !ok {
		httpError(w, http.StatusNotFound, "Not found.")
		return lead.Tracked{}, lead.Journey{}, false
	}
	t, j, err := js.Journey(r.Context(), id)
	switch {
	case errors.Is(err, outbox.ErrNotFound) || err == nil && !kept(t):
		s.carePageOf(w, http.StatusGone, gone)
		return t, j, false
	case err != nil:
		s.log.Error("read a journey", "lead", id, "err", err)
		httpError(w, http.StatusServiceUnavailable, "This page cannot be shown just now. Please try again in a minute.")
		return t, j, false
	}
	return t, j, true
}

// careAnswer records what the patient's form posted, as the journey
// decides it, and returns what was sent: "read", an answer, or "change".
func (s *server) careAnswer(r *http.Request, tok action.CareToken, t lead.Tracked, j lead.Journey) (string, error) {
	now := s.cfg.Now()
	p := carePolicyOf(s.cfg)
	text := cleanText(r.PostFormValue("text"))
	answer := r.PostFormValue("answer")
	sent := ""
	_, _, err := s.store.(JourneyStore).UpdateJourney(r.Context(), tok.Lead, func(t lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
		var c lead.JourneyChange
		var ok bool
		var err error
		switch {
		case tok.What == action.CareChange:
			sent = "change"
			c, ok = lead.RequestChange(j, t.Lead, tok.Name, text, now, p)
		case r.PostFormValue("read") != "":
			sent = "read"
			c, ok = lead.Acknowledge(j, tok.Name, now)
		default:
			sent = answer
			c, ok, err = lead.CheckIn(j, t.Lead, tok.Name, answer, text, now, p)
		}
		if err != nil || !ok {
			return c, nil, false, err
		}
		msgs, err := remind.PlanMails(c, s.cfg.Practice)
		return c, msgs, err == nil, err
	})
	if !slices.Contains([]string{"read", "change", lead.DoingWell, lead.Question, lead.Worried}, sent) {
		sent = ""
	}
	return sent, err
}

// careView is the patient's page of tok, with answer preselected, or
// saying what was just sent.
func (s *server) careView(tok action.CareToken, t lead.Tracked, j lead.Journey, answer, sent string) (carePage, int) {
	p := s.cfg.Practice
	v := carePage{Greeting: firstName(t.Lead.FirstName), Phone: p.Phone, Tel: mail.TelURL(p.Phone),
		OutOfHrs: s.cfg.Care.OutOfHoursPhone, OutTel: mail.TelURL(s.cfg.Care.OutOfHoursPhone), Emergency: s.cfg.Care.EmergencyNumber}
	loc := zoneOf(s.cfg)
	if tok.What == action.CareChange {
		a, ok := j.Current(tok.Name)
		if !ok {
			v.Title, v.Message = "This appointment is no longer booked", "Nothing needs changing. "+s.callUs()
			return v, http.StatusOK
		}
		v.Title = "Change your " + tok.Name
		v.When, v.Change = mail.Appointed(a.At, loc), true
		if sent == "change" {
			v.Sent, v.Due = sent, dueOf(j, lead.TaskChange, loc)
		}
		return v, http.StatusOK
	}
	s2, _ := j.Current(lead.Surgery)
	procedure := cmp.Or(s2.Procedure, t.Lead.Procedure)
	st, ok := p.Care.Step(procedure, tok.Name)
	if !ok {
		v.Title, v.Message = "This page is no longer kept", "The practice has changed its instructions since. "+s.callUs()
		return v, http.StatusGone
	}
	v.Title, v.Body, v.Bring, v.CheckIn = st.Title, st.HTML, st.WhatToBring, st.CheckIn
	if st.Acknowledge {
		v.Ack = "ask"
		for _, a := range j.Answers {
			if a.Step == tok.Name && a.Surgery == s2.N && a.Kind == lead.Acknowledged {
				v.Ack = a.At.In(loc).Format("Monday 2 January at 15:04")
			}
		}
	}
	if slices.Contains([]string{lead.DoingWell, lead.Question, lead.Worried}, answer) {
		v.Answer = answer
	}
	switch sent {
	case "read", lead.DoingWell, lead.Worried:
		v.Sent = sent
	case lead.Question:
		v.Sent, v.Due = sent, dueOf(j, lead.TaskQuestion, loc)
	}
	return v, http.StatusOK
}

// dueOf is when the latest open task of kind is due, as the patient reads it.
func dueOf(j lead.Journey, kind string, loc *time.Location) string {
	for i := len(j.Tasks) - 1; i >= 0; i-- {
		if t := j.Tasks[i]; t.Kind == kind {
			return t.Due.In(loc).Format("15:04 on Monday 2 January")
		}
	}
	return ""
}

// callUs is what a page says to reach the practice.
func (s *server) callUs() string {
	if p := s.cfg.Practice.Phone; p != "" {
		return "To speak to us, call " + p + "."
	}
	return "To speak to us, reply to the practice's email."
}

// careRefused answers a link that is not good with a page that says why.
func (s *server) careRefused(w http.ResponseWriter, err error) {
	v := carePage{Title: "This link is not valid", Message: "It was not made by this practice, or it was changed on the way. Open the link from the email itself. " + s.callUs()}
	if errors.Is(err, action.ErrExpired) {
		v.Title, v.Message = "This link has expired", "Links in the practice's emails work for a few months. "+s.callUs()
	}
	s.carePageOf(w, http.StatusForbidden, v)
}

func (s *server) carePageOf(w http.ResponseWriter, code int, v carePage) {
	v.Practice, v.C = s.practiceName(), s.cfg.Practice.Colours.WithDefaults()
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := careTemplate.Execute(w, v); err != nil {
		s.log.Error("render a patient's page", "err", err)
	}
}

// firstName is the first name a page greets by, or "".
func firstName(s string) string {
	f := strings.Fields(s)
	if len(f) == 0 {
		return ""
	}
	return f[0]
}

// cleanText is what a patient wrote, without control characters, at
// most maxCareText characters.
func cleanText(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\n' {
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	if r := []rune(s); len(r) > maxCareText {
		s = string(r[:maxCareText])
	}
	return s
}

func zoneOf(cfg Config) *time.Location {
	if cfg.Clock.Location != nil {
		return cfg.Clock.Location
	}
	return time.UTC
}
