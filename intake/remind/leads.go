package remind

import (
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// when writes a time for staff, in practice time: "Mon 30 Nov, 11:00".
func when(cfg Config, t time.Time) string {
	return t.In(cfg.Clock.Location).Format("Mon 2 Jan, 15:04")
}

// ref is the lead's short reference, or its id for leads kept before it.
func ref(t outbox.Tracked) string {
	if t.Lead.Ref != "" {
		return t.Lead.Ref
	}
	return t.Lead.ID
}

// who is the lead as the notices name it: the first name and the
// procedure, no more.
func who(t outbox.Tracked) string {
	name := strings.TrimSpace(t.Lead.FirstName)
	proc := t.Lead.ProcedureTitle
	switch {
	case name == "" && proc == "":
		return "a patient"
	case proc == "":
		return name
	case name == "":
		return "a patient (" + proc + ")"
	}
	return name + " (" + proc + ")"
}

// facts are the lines every lead notice shows.
func facts(cfg Config, t outbox.Tracked) [][2]string {
	f := [][2]string{{"Reference", ref(t)}, {"Received", when(cfg, t.Lead.Received)}}
	if !t.Lead.Due.IsZero() {
		f = append(f, [2]string{"Reply was due", when(cfg, t.Lead.Due)})
	}
	return f
}

// reminder is the email to the lead's coordinator when it is still
// unclaimed at its due time.
func reminder(cfg Config, t outbox.Tracked, now time.Time) ([]outbox.Message, error) {
	to := cfg.Practice.To(t.Lead.Category)
	m, err := compose(notice{
		Kind: mail.Reminder, ID: t.Lead.ID + "." + mail.Reminder, To: []string{to}, About: t.Lead.ID, Date: now,
		Subject: "Reminder: " + ref(t) + " is waiting for a reply, due " + when(cfg, t.Lead.Due),
		Title:   "Reply due: " + ref(t),
		Intro: []string{
			"The request from " + who(t) + " has not been claimed, and the practice promised a reply by " + when(cfg, t.Lead.Due) + ".",
			"The request itself, with the patient's details, is in the email it answers. If you are handling it, say so, so that nobody else calls too.",
		},
		Facts: facts(cfg, t),
		Links: cfg.Actions.Links(t.Lead.ID, to),
	}, cfg.Practice)
	return []outbox.Message{m}, err
}

// escalation is the email to each address of the escalation list when a
// lead is still unclaimed after its reminder: one each, since each
// recipient's action links are their own.
func escalation(cfg Config, t outbox.Tracked, now time.Time) ([]outbox.Message, error) {
	var out []outbox.Message
	coordinator := cfg.Practice.To(t.Lead.Category)
	for i, to := range cfg.Clock.EscalateTo {
		f := append(facts(cfg, t), [2]string{"Coordinator", coordinator})
		if t.Lead.Phone != "" {
			f = append(f, [2]string{"Phone", t.Lead.Phone})
		}
		if t.Lead.Email != "" {
			f = append(f, [2]string{"Email", t.Lead.Email})
		}
		m, err := compose(notice{
			Kind: mail.Escalation, ID: t.Lead.ID + "." + mail.Escalation + "." + strconv.Itoa(i), To: []string{to},
			About: t.Lead.ID, Date: now,
			Subject: "Unanswered: " + ref(t) + " was due " + when(cfg, t.Lead.Due) + " and nobody has claimed it",
			Title:   "Unanswered: " + ref(t),
			Intro: []string{
				"The request from " + who(t) + " was due for a reply at " + when(cfg, t.Lead.Due) +
					". Its coordinator was reminded, and still nobody has claimed it.",
				"Claim it if you will call the patient, or pass it on.",
			},
			Facts: f,
			Links: cfg.Actions.Links(t.Lead.ID, to),
		}, cfg.Practice)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// followUp is the email to whoever marked a lead contacted, when it is
// neither booked nor closed after the follow-up days.
func followUp(cfg Config, t outbox.Tracked, now time.Time) ([]outbox.Message, error) {
	to := t.ContactedBy
	if to == "" {
		to = cfg.Practice.To(t.Lead.Category)
	}
	m, err := compose(notice{
		Kind: mail.FollowUp, ID: t.Lead.ID + "." + mail.FollowUp, To: []string{to}, About: t.Lead.ID, Date: now,
		Subject: "Follow up: " + ref(t) + ", contacted " + when(cfg, t.ContactedAt),
		Title:   "Time to follow up: " + ref(t),
		Intro: []string{
			"You marked the request from " + who(t) + " as contacted on " + when(cfg, t.ContactedAt) +
				". It is neither booked nor closed yet: time to follow up.",
		},
		Facts: facts(cfg, t),
		Links: cfg.Actions.Links(t.Lead.ID, to, action.Booked, action.Closed, action.NotALead),
	}, cfg.Practice)
	return []outbox.Message{m}, err
}
