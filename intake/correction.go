package intake

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/form"
	"github.com/go-playground/validator/v10"
	"github.com/gorilla/mux"
)

// A patient who sees, on the thank-you page, that she mistyped her phone
// number or email may correct them: POST /v1/consultations/correction/{token}
// with phone and email, as a form or JSON. The token, given in the
// request's answer and on the thank-you page, signs the lead it corrects
// and when it expires: "<lead id>.<expiry, Unix s>.<MAC>". The correction
// changes the lead and reaches its coordinator as an email answering the
// lead's own (lead.Correct), through the outbox like every email.

// correctionPath is the address of corrections, before the token.
const correctionPath = form.DefaultAction + "/correction/"

// correctionToken returns the token that lets the patient correct lead id
// until the form tokens' lifetime has passed from now.
func (s *server) correctionToken(id string, now time.Time) string {
	payload := id + "." + strconv.FormatInt(now.Add(s.cfg.MaxTokenAge).Unix(), 10)
	return payload + "." + s.tokens.mac("correct."+payload)
}

// correctionLead returns the lead a correction token names, and whether
// the token is good at now.
func (s *server) correctionLead(token string, now time.Time) (string, bool) {
	i := strings.LastIndexByte(token, '.')
	if i < 0 || !s.tokens.signed("correct."+token[:i], token[i+1:]) {
		return "", false
	}
	id, exp, ok := strings.Cut(token[:i], ".")
	sec, err := strconv.ParseInt(exp, 10, 64)
	if !ok || err != nil || !now.Before(time.Unix(sec, 0)) {
		return "", false
	}
	return id, true
}

// handleCorrection takes a correction: POST /v1/consultations/correction/{token}.
// JSON gets 200 {"phone", "email"} (as the thank-you page says them) or
// 422 {"errors"}; a form gets 303 to the thank-you page, which says the
// correction was taken, or 422 with the page and the errors.
func (s *server) handleCorrection() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		kind, ok := s.admit(w, r, "correction")
		if !ok {
			return
		}
		now := s.cfg.Now()
		token := mux.Vars(r)["token"]
		id, ok := s.correctionLead(token, now)
		if !ok {
			s.fail(w, r, kind, http.StatusForbidden, outcomeForbidden,
				"This page can no longer correct your request. Please call us, and we will correct it for you.")
			return
		}
		info(r).lead = id
		sub, err := readSubmission(r, kind)
		if err != nil {
			s.fail(w, r, kind, http.StatusBadRequest, outcomeBadRequest, "The correction could not be read.")
			return
		}
		t, err := s.store.Lead(r.Context(), id)
		if errors.Is(err, outbox.ErrNotFound) {
			s.fail(w, r, kind, http.StatusNotFound, outcomeBadRequest, "This request is no longer kept. Please call us.")
			return
		}
		if err != nil {
			s.log.Error("read lead for a correction", "lead", id, "err", err)
			s.fail(w, r, kind, http.StatusServiceUnavailable, outcomeError, "Your correction could not be taken just now. Please try again in a minute, or call us.")
			return
		}
		phone, errs := s.check.contact(sub.Phone, sub.Email, t.Lead.PreferredContact, t.Lead.SMSOptIn != nil)
		if errs != nil {
			info(r).outcome = outcomeInvalid
			if kind == kindJSON {
				writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"errors": errs})
				return
			}
			page := s.thanksPage(t.Lead, token, now)
			page.Correct = form.Page{Values: form.Values{Phone: sub.Phone, Email: sub.Email}, Errors: errs,
				CountryCode: form.CountryCode(s.cfg.Practice.Phone, s.cfg.Region)}.Correction(correctionPath + token)
			s.showThanks(w, http.StatusUnprocessableEntity, page)
			return
		}
		p := s.policy()
		_, _, err = s.store.Update(r.Context(), id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
			c, ok := lead.Correct(t, phone, sub.Email, now.UTC(), p)
			if !ok {
				return c, nil, false, nil
			}
			msgs := make([]outbox.Message, len(c.Sends))
			for i, send := range c.Sends {
				m, err := mail.Envelope(send.Kind, send.ID, send.To, s.cfg.Practice)
				if err != nil {
					return c, nil, false, err
				}
				msgs[i] = outbox.Message(m)
			}
			return c, msgs, true, nil
		})
		if err != nil {
			s.log.Error("correct lead", "lead", id, "err", err)
			s.fail(w, r, kind, http.StatusServiceUnavailable, outcomeError, "Your correction could not be taken just now. Please try again in a minute, or call us.")
			return
		}
		info(r).outcome = outcomeAccepted
		if kind == kindJSON {
			writeJSON(w, http.StatusOK, map[string]string{"phone": mail.NationalPhone(phone, s.cfg.Region), "email": sub.Email})
			return
		}
		http.Redirect(w, r, s.thanksURL(t.Lead.Ref, t.Lead.Due, token)+"&corrected=1", http.StatusSeeOther)
	})
}

// contact checks a corrected phone and email by the form's own rules, as
// the request's were checked; phone is required when the patient asked
// for a call or texts. It returns the phone in E.164, or the errors by
// field.
func (c *checker) contact(phone, email, way string, sms bool) (string, map[string]string) {
	errs := map[string]string{}
	for _, f := range []struct{ name, value string }{{"phone", phone}, {"email", email}} {
		field := form.Must(f.name)
		if err := c.v.Var(f.value, field.Validation()); err != nil {
			var verrs validator.ValidationErrors
			if errors.As(err, &verrs) && len(verrs) > 0 {
				errs[f.name] = field.Message(verrs[0].Tag(), verrs[0].Param())
			} else {
				errs[f.name] = field.Message("", "")
			}
		}
	}
	switch {
	case errs["phone"] != "":
	case phone == "" && (way == "phone" || way == "text" || sms):
		errs["phone"] = form.Must("phone").Message("required", "")
	case phone != "":
		e164, ok := normalPhone(phone, c.region)
		if !ok {
			errs["phone"] = form.Must("phone").Message("phone", "")
		}
		phone = e164
	}
	if len(errs) > 0 {
		return "", errs
	}
	return phone, nil
}
