package intake

import (
	"cmp"
	"errors"
	"net/http"
	"slices"

	"github.com/gorilla/mux"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// taskWords are the tasks as the coordinator's page names them.
var taskWords = map[string]string{
	lead.TaskAcknowledge: "Not acknowledged: call the patient and go through the step",
	lead.TaskQuestion:    "The patient asked a question",
	lead.TaskWorry:       "The patient is worried: call them now",
	lead.TaskChange:      "The patient asks to change a date",
	lead.TaskMissed:      "Steps missed: go through them with the patient",
}

// handleTask serves GET and POST /v1/tasks/{token}: a task's page, and
// its Done.
func (s *server) handleTask() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", careCSP)
		tok, err := s.actions.VerifyTask(mux.Vars(r)["token"])
		if err != nil {
			s.careRefused(w, err)
			return
		}
		t, j, ok := s.journeyOf(w, r, tok.Lead, func(lead.Tracked) bool { return true },
			carePage{Title: "This lead is no longer kept", Message: "Nothing was changed."})
		if !ok {
			return
		}
		if !s.policy().Staff(t, tok.Recipient) {
			s.carePageOf(w, http.StatusForbidden, carePage{Title: "This link was not sent to you",
				Message: "It belongs to an address that no longer receives this practice's leads. Nothing was changed."})
			return
		}
		if r.Method == http.MethodPost {
			now := s.cfg.Now()
			by, _ := s.actor(r, tok.Recipient) // a shared mailbox without a choice: the address
			_, _, err := s.store.(JourneyStore).UpdateJourney(r.Context(), tok.Lead, func(_ lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
				c, ok, err := lead.DoneTask(j, tok.Task, by, now)
				return c, nil, ok, err
			})
			if err != nil && !errors.Is(err, lead.ErrNoTask) {
				s.log.Error("mark a task done", "lead", tok.Lead, "err", err)
				httpError(w, http.StatusServiceUnavailable, "The change could not be saved just now. Please try again in a minute.")
				return
			}
			http.Redirect(w, r, r.URL.Path, http.StatusSeeOther)
			return
		}
		s.carePageOf(w, http.StatusOK, s.taskView(tok, t, j))
	})
}

// taskView is the task's page: what it is, and its Done, or who did it.
func (s *server) taskView(tok action.TaskToken, t lead.Tracked, j lead.Journey) carePage {
	i := slices.IndexFunc(j.Tasks, func(x lead.Task) bool { return x.ID == tok.Task })
	if i < 0 {
		return carePage{Title: "This task is no longer kept", Message: "Nothing was changed."}
	}
	task := j.Tasks[i]
	loc := zoneOf(s.cfg)
	v := carePage{Title: taskWords[task.Kind]}
	v.TaskFacts = []mail.Figure{{Label: "Reference", Value: cmp.Or(t.Lead.Ref, t.Lead.ID)}, {Label: "Patient", Value: firstName(t.Lead.FirstName)}}
	if s2, ok := j.Current(lead.Surgery); ok {
		if st, ok := s.cfg.Practice.Care.Step(s2.Procedure, task.Step); ok {
			v.TaskFacts = append(v.TaskFacts, mail.Figure{Label: "Step", Value: st.Title})
		}
	}
	v.TaskFacts = append(v.TaskFacts, mail.Figure{Label: "Due", Value: task.Due.In(loc).Format(mail.StaffTime)})
	if task.Open() {
		v.Button = "Done"
	} else {
		v.Done = "Done " + task.Done.In(loc).Format(mail.StaffTime)
		if task.DoneBy != "" {
			v.Done += " by " + task.DoneBy
		} else {
			v.Done += ": the patient acknowledged it"
		}
	}
	return v
}
