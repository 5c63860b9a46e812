package intake

import (
	"cmp"
	"crypto/rand"
	"encoding/base32"
	"encoding/binary"
	"encoding/json"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

// handleConsultation takes a consultation request: POST /v1/consultations.
func (s *server) handleConsultation() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ri := info(r)
		kind, ok := s.admit(w, r, "request")
		if !ok {
			return
		}
		sub, err := readSubmission(r, kind)
		if err != nil {
			if isTooLarge(err) {
				s.fail(w, r, kind, http.StatusRequestEntityTooLarge, outcomeBadRequest, "The request is too large.")
				return
			}
			s.fail(w, r, kind, http.StatusBadRequest, outcomeBadRequest, err.Error())
			return
		}
		now := s.cfg.Now().UTC()
		if errs := s.check.check(&sub); errs != nil {
			ri.outcome = outcomeInvalid
			if kind == kindJSON {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
				return
			}
			s.showForm(w, r, sub, errs)
			return
		}

		l := s.lead(sub, now)
		// The messages are planned here and composed by the delivery
		// worker from the stored lead (composeStored), so that composing
		// costs the patient no time. Plan refuses only what validation
		// refuses, so a yes is not spent on a lead that then fails.
		confirm, why := s.confirm.decide(sub.FormToken, l.Email, l.Spam || len(l.Signals) > 0, now)
		msgs, err := mail.Plan(l, s.cfg.Practice, confirm)
		if err != nil {
			s.log.Error("compose lead", "lead", l.ID, "err", err)
			s.fail(w, r, kind, http.StatusInternalServerError, outcomeError,
				"Your request could not be taken just now. Please try again, or call us.")
			return
		}
		t, msgs, again := s.attach(r, l, msgs)
		id, dup, err := s.store.Enqueue(r.Context(), t, sub.IdempotencyKey, stored(msgs))
		if confirm && (err != nil || dup) { // no confirmation was stored for this request
			s.confirm.release(sub.FormToken, l.Email)
		}
		if err != nil {
			if r.Context().Err() == nil { // not a client that gave up
				s.writes.failed(now, err)
			}
			s.log.Error("store lead", "lead", l.ID, "err", err)
			s.fail(w, r, kind, http.StatusServiceUnavailable, outcomeError,
				"Your request could not be taken just now. Please try again in a minute, or call us.")
			return
		}
		s.writes.stored()
		ri.lead = id
		switch {
		case dup:
			ri.outcome = outcomeDuplicate
		case l.Spam:
			ri.outcome, ri.signals = outcomeSpam, l.Signals
			s.metrics.spam.Inc()
		case again:
			ri.outcome = outcomeAgain
		default:
			ri.outcome = outcomeAccepted
			s.metrics.leads.Inc()
		}
		if !dup {
			s.countConfirmation(confirm, why)
		}
		// Spam and duplicates are answered as a new lead is. The answer says
		// whether a confirmation is on its way, so that the page does not
		// promise one that will not come.
		a := s.answerFor(id, l)
		a.Confirmation = confirm && !dup
		if kind == kindJSON {
			writeJSON(w, http.StatusAccepted, a)
			return
		}
		http.Redirect(w, r, s.thanksURL(a.Ref, l.Due, s.correctionToken(id, now)), http.StatusSeeOther)
	})
}

// attach returns lead l as it starts, with its planned emails msgs: when
// the same patient has an open lead of the last AgainWithin, l joins it
// (lead.Attach), and the owner of that lead is told in place of a new
// lead's email; the patient's confirmation stays as it is. A store that
// cannot say starts a lead of its own: a lead is never lost to the check.
func (s *server) attach(r *http.Request, l lead.Lead, msgs []mail.Message) (lead.Tracked, []mail.Message, bool) {
	if l.Spam {
		return lead.Start(l, s.heard...), msgs, false
	}
	orig, ok, err := s.store.Match(r.Context(), l, l.Received.Add(-lead.AgainWithin))
	if err != nil {
		s.log.Error("match a request to an open lead", "lead", l.ID, "err", err)
	}
	if !ok {
		return lead.Start(l, s.heard...), msgs, false
	}
	t, send := lead.Attach(orig, l, s.policy(), s.heard...)
	again, err := mail.Envelope(send.Kind, send.ID, send.To, s.cfg.Practice)
	if err != nil {
		s.log.Error("plan the email of a patient who wrote again", "lead", l.ID, "err", err)
		return lead.Start(l, s.heard...), msgs, false
	}
	return t, append([]mail.Message{again}, msgs[1:]...), true
}

// admit answers a post of the form's (a request, a correction: what) that
// may not go on: over its client's rate limit, of a kind the service does
// not read, or from an origin not allowed. It returns the body's kind,
// and false when it answered.
func (s *server) admit(w http.ResponseWriter, r *http.Request, what string) (string, bool) {
	kind, kindErr := bodyKind(r.Header.Get("Content-Type"))
	if ok, wait := s.limit.allow(s.limit.client(r), s.cfg.Now()); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
		s.fail(w, r, kind, http.StatusTooManyRequests, outcomeRateLimited,
			"Too many requests from your connection. Please wait a little and try again.")
		return kind, false
	}
	if kindErr != nil {
		s.fail(w, r, kind, http.StatusUnsupportedMediaType, outcomeBadRequest, "Send the "+what+" as application/json or application/x-www-form-urlencoded.")
		return kind, false
	}
	if origin := r.Header.Get("Origin"); origin != "" && !s.originAllowed(origin, r) {
		s.fail(w, r, kind, http.StatusForbidden, outcomeForbidden, "This site may not send requests here.")
		return kind, false
	}
	return kind, true
}

// countConfirmation counts a lead stored with a confirmation, or without
// one and why.
func (s *server) countConfirmation(sent bool, why string) {
	if sent {
		s.metrics.confirmed.Inc()
		return
	}
	s.metrics.unconfirmed.WithLabelValues(why).Inc()
}

// lead turns a valid submission into a lead received at now.
func (s *server) lead(sub submission, now time.Time) lead.Lead {
	id := newLeadID(now)
	l := lead.Lead{
		ID:               id,
		Ref:              lead.Ref(lead.RefPrefix(s.cfg.Practice.Name), id, now, s.cfg.Practice.TimeZone),
		Received:         now,
		Due:              s.policy().Due(now),
		FirstName:        sub.FirstName,
		LastName:         sub.LastName,
		Email:            sub.Email,
		Phone:            sub.Phone, // E.164 after check
		Procedure:        procedureSlug(sub.Procedure),
		PreferredContact: sub.PreferredContact,
		PreferredTime:    sub.PreferredTime,
		PreferredDays:    sub.PreferredDays,
		Message:          sub.Message,
		Source:           sub.Source,
		Language:         sub.Language,
	}
	l.Page, _ = form.SitePath(sub.Page, s.check.own) // check took it
	if p, ok := s.procedures[l.Procedure]; ok {
		l.ProcedureTitle, l.Category = p.Title, p.Category
	} else {
		l.Procedure, l.ProcedureTitle = lead.NotSure, form.Must("procedure").StaffChoice(form.NotSure)
	}
	if sg, ok := s.surgeons[sub.Surgeon]; ok {
		l.Surgeon, l.SurgeonName = sg.Slug, sg.Name
	}
	if l.PreferredContact == "" {
		l.PreferredContact = "email"
	}
	if l.Language == "" {
		l.Language = s.cfg.Language
	}
	if sub.SMSOptIn {
		l.SMSOptIn = &lead.OptIn{At: now, Page: l.Page, Wording: cmp.Or(sub.WordingVersion, s.cfg.WordingVersion)}
	}
	l.Privacy = &lead.OptIn{At: now, Page: l.Page, Wording: cmp.Or(sub.WordingVersion, s.cfg.WordingVersion)}
	l.Attribution = attribution(sub, s.check.own)
	l.Signals = s.tokens.signals(sub, now)
	l.Spam = slices.ContainsFunc(l.Signals, holds)
	return l
}

// fail answers a request that was not taken, in the request's kind: JSON
// {"error": msg}, else plain text.
func (s *server) fail(w http.ResponseWriter, r *http.Request, kind string, code int, outcome, msg string) {
	info(r).outcome = outcome
	if kind == kindJSON {
		writeJSON(w, code, map[string]string{"error": msg})
		return
	}
	httpError(w, code, msg)
}

// handleToken issues a form token: GET /v1/consultations/token.
func (s *server) handleToken() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := s.cfg.Now()
		if ok, wait := s.tokenLimit.allow(s.tokenLimit.client(r), now); !ok {
			w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
			s.fail(w, r, kindJSON, http.StatusTooManyRequests, outcomeRateLimited,
				"Too many requests from your connection. Please wait a little and try again.")
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"token": s.tokens.issue(now)})
	})
}

// writeJSON answers v as JSON with code.
func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	json.NewEncoder(w).Encode(v)
}

// leadIDs encodes lead ids: Crockford's base32, which sorts as the bytes do.
var leadIDs = base32.NewEncoding("0123456789ABCDEFGHJKMNPQRSTVWXYZ").WithPadding(base32.NoPadding)

// newLeadID returns "ld_" and a ULID: 48 bits of Unix milliseconds, then 80
// random bits, so that ids sort by the time they were received.
func newLeadID(now time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(now.UnixMilli())<<16)
	rand.Read(b[6:])
	return "ld_" + leadIDs.EncodeToString(b[:])
}
