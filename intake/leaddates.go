package intake

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// The lead page's dates: once a consultation is booked, the page asks for
// its date and time (practice time), its kind and its surgeon; then the
// surgery's date and time, surgeon, procedure (it may differ from the one
// first asked about) and place. Each can be moved or cancelled; the
// journey decides (intake.Schedule), and the history keeps who and when.

// The buttons of the dates' form, as it posts them in "do".
const (
	doDate   = "date:"   // and the appointment's kind: book or move it
	doCancel = "cancel:" // and the appointment's kind: cancel it
)

// datesView is the dates' part of the lead's page.
type datesView struct {
	Consultation string // as booked, in words; "" when none is
	Surgery      string
	ConsultAt    string // the form's values: the one booked, or none
	SurgeryAt    string
	Video        bool
	VideoLink    string
	Surgeon      string // the consultation's surgeon
	SurgSurgeon  string // the surgery's
	Procedure    string
	Place        string
	Surgeons     []option
	Procedures   []option
	CoolingOff   string // "14 days", when a rule set asks for a cooling-off period
}

type option struct{ Value, Label string }

// dates fills the dates' part of v for lead t: only once a consultation is
// booked, and while the patient's details are kept.
func (s *server) dates(ctx context.Context, v *leadView, t lead.Tracked) {
	js, ok := s.store.(JourneyStore)
	if t.State != lead.Booked || !ok || v.Purged {
		return
	}
	_, j, err := js.Journey(ctx, t.Lead.ID)
	if err != nil {
		s.log.Error("read a journey for the lead's page", "lead", t.Lead.ID, "err", err)
		return
	}
	loc := s.location()
	d := &datesView{Procedure: t.Lead.Procedure, Place: s.cfg.Practice.Address}
	for _, sg := range s.cfg.Surgeons {
		d.Surgeons = append(d.Surgeons, option{sg.Slug, sg.Name})
	}
	for _, p := range s.cfg.Procedures {
		d.Procedures = append(d.Procedures, option{p.Slug, p.Title})
	}
	if n := s.cfg.Care.CoolingOffDays; n > 0 {
		d.CoolingOff = strconv.Itoa(n) + " days"
	}
	if a, ok := j.Current(lead.Consultation); ok {
		d.Consultation = s.appointmentWords(a)
		d.ConsultAt, d.Video, d.Surgeon = a.At.In(loc).Format("2006-01-02T15:04"), a.Mode == lead.Video, a.Surgeon
		if d.Video {
			d.VideoLink = a.Place
		}
	}
	if a, ok := j.Current(lead.Surgery); ok {
		d.Surgery = s.appointmentWords(a)
		d.SurgeryAt, d.SurgSurgeon, d.Procedure, d.Place = a.At.In(loc).Format("2006-01-02T15:04"), a.Surgeon, a.Procedure, a.Place
	}
	v.Dates = d
}

// appointmentWords is an appointment as the lead's page says it:
// "Thu 10 Dec, 10:00, by video, with Dr Amelia Hart".
func (s *server) appointmentWords(a lead.Appointment) string {
	w := s.staffTime(a.At)
	if a.Kind == lead.Consultation {
		w += map[string]string{lead.Video: ", by video", lead.InPerson: ", in person"}[a.Mode]
	} else if pr, ok := s.cfg.Practice.Procedures[a.Procedure]; ok && pr.Title != "" {
		w += ", " + pr.Title
	}
	if name := s.cfg.Practice.Surgeons[a.Surgeon]; name != "" {
		w += ", with " + name
	}
	if a.Moves > 0 {
		w += " (moved)"
	}
	if a.Override != "" {
		w += "; inside the cooling-off period, with the surgeon's agreement"
	}
	return w
}

// postDates books, moves or cancels an appointment of pg's lead as the
// dates' form asks (do), by pg's person; it returns false, with pg's
// problem set, when the page is to be shown again with what to correct.
func (s *server) postDates(w http.ResponseWriter, r *http.Request, pg *page, do string) bool {
	var sc Scheduling
	sc.By = pg.person
	if kind, ok := strings.CutPrefix(do, doCancel); ok {
		sc.Cancel, sc.Appointment.Kind = true, kind
	} else {
		kind := strings.TrimPrefix(do, doDate)
		a := lead.Appointment{Kind: kind}
		f := r.PostForm
		at, fix := s.dateField(f.Get(kind + "_at"))
		if fix != "" {
			pg.status, pg.fix = http.StatusUnprocessableEntity, fix
			return false
		}
		a.At = at
		switch kind {
		case lead.Consultation:
			a.Mode, a.Surgeon = lead.InPerson, f.Get("consultation_surgeon")
			if f.Get("mode") == lead.Video {
				a.Mode, a.Place = lead.Video, strings.TrimSpace(f.Get("video"))
				if !strings.HasPrefix(a.Place, "https://") {
					pg.status, pg.fix = http.StatusUnprocessableEntity, "Paste the video link, starting with https://, for a video consultation."
					return false
				}
			}
		case lead.Surgery:
			a.Surgeon, a.Procedure = f.Get("surgery_surgeon"), cmp.Or(f.Get("procedure"), pg.lead.Lead.Procedure)
			a.Place, a.Override = strings.TrimSpace(f.Get("place")), strings.TrimSpace(f.Get("override"))
		default:
			pg.status, pg.fix = http.StatusBadRequest, "That button is not one of this page's. Nothing was changed."
			return false
		}
		sc.Appointment = a
	}
	_, err := Schedule(r.Context(), s.store.(JourneyStore), s.cfg, pg.tok.Lead, sc, s.cfg.Now())
	var co *lead.ErrCoolingOff
	switch {
	case errors.As(err, &co):
		pg.status, pg.fix = http.StatusUnprocessableEntity, "Refused: "+co.Error()+", in the field below."
		return false
	case errors.Is(err, lead.ErrPast), errors.Is(err, lead.ErrNoConsultation), errors.Is(err, lead.ErrNothingBooked),
		errors.Is(err, lead.ErrUnknownSurgeon), errors.Is(err, lead.ErrNoProcedure), errors.Is(err, lead.ErrBadMode):
		pg.status, pg.fix = http.StatusUnprocessableEntity, "Nothing was changed: "+err.Error()+"."
		return false
	case err != nil:
		s.log.Error("schedule", "lead", pg.tok.Lead, "err", err)
		httpError(w, http.StatusServiceUnavailable, "The change could not be saved just now. Please try again in a minute.")
		return true
	}
	http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
	return true
}

// dateField reads a date and time as the page's field gives it
// ("2026-12-10T10:00", practice time), and says what to correct.
func (s *server) dateField(v string) (time.Time, string) {
	t, err := time.ParseInLocation("2006-01-02T15:04", strings.TrimSpace(v), s.location())
	if err != nil {
		return time.Time{}, "Pick the appointment's date and time."
	}
	return t, ""
}

// journeyWords say what a journey's entry of the history did.
var journeyWords = map[string]string{
	"consultation.booked": "Consultation booked", "consultation.moved": "Consultation moved", "consultation.changed": "Consultation changed",
	"consultation.cancelled": "Consultation cancelled", "surgery.booked": "Surgery booked", "surgery.moved": "Surgery moved",
	"surgery.changed": "Surgery changed", "surgery.cancelled": "Surgery cancelled", "care.sent": "Care step sent",
	"care.acknowledged": "The patient confirmed reading", "care.unacknowledged": "Not acknowledged in time: a task",
	"checkin." + lead.DoingWell: "Check-in: doing well", "checkin." + lead.Question: "Check-in: a question",
	"checkin." + lead.Worried: "Check-in: worried", "change.requested": "The patient asks to change the",
	"task.done": "Task done", "task.escalated": "Task not done in time: escalated",
}

// journeyEntry says a journey's entry in words, and false for an entry of
// another kind.
func journeyEntry(e lead.Entry) (string, bool) {
	w, ok := journeyWords[e.Kind]
	if !ok {
		return "", false
	}
	if e.Detail != "" {
		w += ": " + e.Detail
	}
	return w, true
}
