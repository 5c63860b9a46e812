package lead

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/internal/care"
)

// A lead's journey after "Consultation booked": its consultation and
// surgery dates, the steps of its care plan sent at their times, the
// patient's acknowledgements and check-ins, and the coordinator's tasks
// they make. Like the lifecycle, every change is a pure function of the
// journey, an event and the time, returning what the store keeps: the
// journey after, its emails and its history.

// The appointments of a journey.
const (
	Consultation = "consultation"
	Surgery      = "surgery"
)

// The kinds of a consultation.
const (
	InPerson = "in_person"
	Video    = "video"
)

// The kinds of email of a journey.
const (
	AppointmentMail      = "appointment"           // a booking, move or cancellation, to the patient, with its .ics
	ConsultationReminder = "consultation_reminder" // a consultation to come, to the patient
	CareStepMail         = "care_step"             // a step of the care plan, to the patient
	CareTask             = "care_task"             // a task for the coordinator: an acknowledgement overdue, a question, a change asked for, steps missed
	CareEscalation       = "care_escalation"       // a task not done by its due time, to the escalation list
	CareWorry            = "care_worry"            // a patient who is worried, at once, to the coordinator and care.urgent_to
)

// Appointment is a consultation or a surgery as booked.
type Appointment struct {
	Kind        string    `json:"kind"`                  // Consultation or Surgery
	N           int       `json:"n"`                     // its number among the lead's appointments of its kind, from 1: a new one after a cancellation
	At          time.Time `json:"at"`                    // when, UTC
	Mode        string    `json:"mode,omitempty"`        // a consultation's: InPerson or Video
	Surgeon     string    `json:"surgeon,omitempty"`     // a team member's slug
	Procedure   string    `json:"procedure,omitempty"`   // a surgery's procedure slug: it may differ from the one first asked about
	Place       string    `json:"place,omitempty"`       // the address, or the video link staff paste; personal data of the patient's appointment
	Sequence    int       `json:"sequence"`              // 0 when booked, raised on each change: the calendar's SEQUENCE
	Cancelled   bool      `json:"cancelled,omitempty"`   // cancelled: its steps and reminders are stopped
	Override    string    `json:"override,omitempty"`    // a surgery inside the cooling-off period: the surgeon's agreement, with its reason
	BookedBy    string    `json:"booked_by,omitempty"`   // who booked it, and last changed it
	ChangedAt   time.Time `json:"changed_at"`            // when it was booked or last changed
	FirstAt     time.Time `json:"first_at"`              // when it was first booked for: a moved appointment's first date
	Moves       int       `json:"moves,omitempty"`       // how many times its date moved
	BookedAt    time.Time `json:"booked_at"`             // when it was booked
	CancelledAt time.Time `json:"cancelled_at,omitzero"` // when it was cancelled
}

// UID is the appointment's identity in the patient's calendar, stable
// across every change: "<lead id>.<kind>.<n>".
func (a Appointment) UID(leadID string) string {
	return leadID + "." + a.Kind + "." + strconv.Itoa(a.N)
}

// Journey is a lead's path after booking. Its steps to come are Pending,
// kept by the store a row each so that the clock finds those due without
// reading a journey that waits.
type Journey struct {
	Appointments []Appointment `json:"appointments"`                // every one booked, cancelled ones too, in the order booked
	First        time.Time     `json:"first_consultation,omitzero"` // the first consultation's date: the cooling-off period counts from it
	Sent         []Sent        `json:"sent,omitempty"`              // the care steps sent, of every surgery
	Missed       []Sent        `json:"missed,omitempty"`            // steps whose time had passed when their surgery was set: listed for the coordinator, never sent
	Answers      []Answer      `json:"answers,omitempty"`           // the patient's acknowledgements and check-ins
	Tasks        []Task        `json:"tasks,omitempty"`             // the coordinator's tasks
	Overrides    []Override    `json:"overrides,omitempty"`         // surgeries booked inside the cooling-off period
	Pending      []Pending     `json:"-"`                           // the journey's clock: what is to come, earliest first
}

// Sent is a care step sent for a surgery (its N), and when.
type Sent struct {
	Step    string    `json:"step"`
	Surgery int       `json:"surgery"`
	At      time.Time `json:"at"`
	Ack     bool      `json:"ack,omitempty"` // it asked "I have read this"
}

// Override is a surgery date set inside the cooling-off period with the
// surgeon's agreement: who recorded it, and when (the reason is the
// appointment's).
type Override struct {
	Surgery int       `json:"surgery"`
	At      time.Time `json:"at"`
	By      string    `json:"by,omitempty"`
}

// The patient's answers.
const (
	Acknowledged = "acknowledged" // "I have read this"
	DoingWell    = "doing_well"
	Question     = "question"
	Worried      = "worried"
)

// Answer is an acknowledgement or a check-in's answer.
type Answer struct {
	Step    string    `json:"step"`
	Surgery int       `json:"surgery"`
	Kind    string    `json:"kind"` // Acknowledged, DoingWell, Question, Worried
	At      time.Time `json:"at"`
}

// The kinds of a coordinator's task.
const (
	TaskAcknowledge = "acknowledge" // a step not acknowledged by its deadline: call the patient
	TaskQuestion    = "question"    // the patient asked a question
	TaskWorry       = "worry"       // the patient is worried: told at once
	TaskChange      = "change"      // the patient asked to change an appointment
	TaskMissed      = "missed"      // steps whose time had passed when the surgery was set: go through them with the patient
)

// Task is something a coordinator must do for a patient, on the response
// clock: an email to the coordinator, then to the escalation list if it
// is not done by its due time.
type Task struct {
	ID        string    `json:"id"` // "1", "2", …: with the lead's id, its emails' and links' name
	Kind      string    `json:"kind"`
	Step      string    `json:"step,omitempty"`     // the care step, or the appointment kind of a change
	Steps     []string  `json:"steps,omitempty"`    // TaskMissed: the steps
	Text      string    `json:"text,omitempty"`     // what the patient wrote; personal data
	Created   time.Time `json:"created"`            //
	Due       time.Time `json:"due"`                // by the response clock
	Done      time.Time `json:"done,omitzero"`      // zero while open
	DoneBy    string    `json:"done_by,omitempty"`  // "" for the patient (a late acknowledgement)
	Escalated time.Time `json:"escalated,omitzero"` // when it was escalated
}

// Open reports whether the task is still to do.
func (t Task) Open() bool { return t.Done.IsZero() }

// The kinds of the journey's clock.
const (
	PendingCare     = "care"     // Name is a step's slug: send it
	PendingReminder = "reminder" // Name is the reminder's number: remind the patient of the consultation
	PendingAck      = "ack"      // Name is a step's slug: its acknowledgement's deadline
	PendingTask     = "task"     // Name is a task's id: its due time, then escalate
)

// Pending is one thing the journey's clock has to do, at At.
type Pending struct {
	Kind string    `json:"kind"`
	Name string    `json:"name"`
	At   time.Time `json:"at"`
}

// CarePolicy is how the practice runs journeys: its response clock and
// coordinators (Policy), its care settings, and its care plans.
type CarePolicy struct {
	Policy
	Care care.Settings
	// Steps returns the care plan of a procedure, the defaults for one
	// without its own; nil plans nothing.
	Steps func(procedure string) []CareStep
	// Surgeons are the practice's surgeons, by slug: who may be named.
	Surgeons map[string]string
}

func (p CarePolicy) steps(procedure string) []CareStep {
	if p.Steps == nil {
		return nil
	}
	return p.Steps(procedure)
}

func (p CarePolicy) step(procedure, slug string) (CareStep, bool) {
	for _, s := range p.steps(procedure) {
		if s.Slug == slug {
			return s, true
		}
	}
	return CareStep{}, false
}

// Mail is an email a journey's change sends, with what it says besides
// the lead: the store keeps Data with it (as JSON), so that the email says
// what was decided even if the journey changes before it is sent.
type Mail struct {
	Send
	Data MailData
}

// MailData is what a journey's email says besides the lead.
type MailData struct {
	Appointment *Appointment `json:"appointment,omitempty"` // AppointmentMail and ConsultationReminder: as it stood
	Step        string       `json:"step,omitempty"`        // CareStepMail: the step's slug
	Surgery     *Appointment `json:"surgery,omitempty"`     // CareStepMail: the surgery it is a step of
	Task        *Task        `json:"task,omitempty"`        // CareTask, CareEscalation, CareWorry
	Missed      []string     `json:"missed,omitempty"`      // the steps of a TaskMissed
}

// JourneyChange is what an event does to a journey: the journey after (its
// Pending all it then has), the emails it sends, and its history's entry.
type JourneyChange struct {
	After Journey
	Mails []Mail
	Event Event // zero when the history keeps nothing; its Detail says what: "Thu 10 Dec 2026 10:00, video, dr-amelia-hart"
}

// Current returns the journey's appointment of kind that is not cancelled,
// and false when there is none.
func (j Journey) Current(kind string) (Appointment, bool) {
	for i := len(j.Appointments) - 1; i >= 0; i-- {
		if a := j.Appointments[i]; a.Kind == kind {
			return a, !a.Cancelled
		}
	}
	return Appointment{}, false
}

func (j Journey) last(kind string) int {
	for i := len(j.Appointments) - 1; i >= 0; i-- {
		if j.Appointments[i].Kind == kind {
			return i
		}
	}
	return -1
}

// clone copies what a change may modify, so that the journey it was
// given is left as it was.
func (j Journey) clone() Journey {
	j.Appointments = slices.Clone(j.Appointments)
	j.Sent, j.Missed = slices.Clone(j.Sent), slices.Clone(j.Missed)
	j.Answers, j.Tasks, j.Overrides = slices.Clone(j.Answers), slices.Clone(j.Tasks), slices.Clone(j.Overrides)
	j.Pending = slices.Clone(j.Pending)
	return j
}

// ErrCoolingOff is the error of a surgery date inside the cooling-off
// period without the surgeon's agreement.
type ErrCoolingOff struct {
	First    time.Time // the first consultation
	Earliest time.Time // the first day a surgery may be booked for
	Days     int
}

func (e *ErrCoolingOff) Error() string {
	return fmt.Sprintf("a surgery date less than %d days after the patient's first consultation is refused: the earliest is %s — or record the surgeon's agreement with a reason",
		e.Days, e.Earliest.Format("Mon 2 Jan 2006"))
}

// Errors of Book and Cancel, written for staff.
var (
	ErrPast           = errors.New("the date has passed — give a date and time to come")
	ErrNoConsultation = errors.New("the patient has no consultation recorded, and the cooling-off period counts from it — book the consultation first, or record the surgeon's agreement with a reason")
	ErrNothingBooked  = errors.New("there is no such appointment to change or cancel")
	ErrUnknownSurgeon = errors.New("no surgeon of that name — name a team member whose role is surgeon")
	ErrNoProcedure    = errors.New("a surgery needs its procedure")
	ErrBadMode        = errors.New("a consultation is in person or by video")
	ErrNotSent        = errors.New("this step has not been sent")
	ErrNoTask         = errors.New("no such task")
)

func (p CarePolicy) loc() *time.Location {
	if p.Clock.Location == nil {
		return time.UTC
	}
	return p.Clock.Location
}

// Book books an appointment of a.Kind for the journey of lead l, by
// staff member by at now, or moves (and changes) the one booked: the
// patient's email with its calendar, and for a consultation its
// reminders (ConsultationReminders), for a surgery its care plan
// (Schedule), are planned again. A surgery inside the cooling-off period
// of p.Care is refused (*ErrCoolingOff) unless a.Override gives the
// surgeon's agreement and its reason.
func Book(j Journey, l Lead, a Appointment, by Person, now time.Time, p CarePolicy) (JourneyChange, error) {
	switch {
	case !a.At.After(now):
		return JourneyChange{}, ErrPast
	case a.Surgeon != "" && p.Surgeons != nil && p.Surgeons[a.Surgeon] == "":
		return JourneyChange{}, ErrUnknownSurgeon
	case a.Kind == Consultation && a.Mode != InPerson && a.Mode != Video:
		return JourneyChange{}, ErrBadMode
	case a.Kind == Surgery && a.Procedure == "":
		return JourneyChange{}, ErrNoProcedure
	case a.Kind != Consultation && a.Kind != Surgery:
		return JourneyChange{}, fmt.Errorf("%q is not an appointment", a.Kind)
	}
	if a.Kind == Surgery {
		if err := coolingOff(j, a, now, p); err != nil {
			return JourneyChange{}, err
		}
	}
	j = j.clone()
	a.At = a.At.UTC()
	a.ChangedAt, a.BookedBy, a.Cancelled = now, by.String(), false
	verb := "booked"
	if cur, ok := j.Current(a.Kind); ok { // a change of the one booked
		verb = "moved"
		if cur.At.Equal(a.At) {
			verb = "changed"
		} else {
			a.Moves = cur.Moves + 1
		}
		a.N, a.Sequence, a.FirstAt, a.BookedAt = cur.N, cur.Sequence+1, cur.FirstAt, cur.BookedAt
		j.Appointments[j.last(a.Kind)] = a
	} else {
		a.N, a.Sequence, a.FirstAt, a.BookedAt = 1, 0, a.At, now
		if i := j.last(a.Kind); i >= 0 {
			a.N = j.Appointments[i].N + 1
		}
		j.Appointments = append(j.Appointments, a)
	}
	c := JourneyChange{Event: Event{Kind: a.Kind + "." + verb, By: by, At: now, Detail: describe(a, p.loc())}}
	if a.Kind == Consultation {
		if j.First.IsZero() || j.First.After(now) { // not yet held: it follows the date
			j.First = a.At
		}
		j.Pending = withoutKind(j.Pending, PendingReminder)
		for i, at := range ConsultationReminders(a.At, now, p.Care, p.loc()) {
			j.Pending = append(j.Pending, Pending{Kind: PendingReminder, Name: strconv.Itoa(i + 1), At: at})
		}
	} else {
		c.Mails = append(c.Mails, j.plan(l, a, now, p)...)
	}
	if a.Override != "" && a.Kind == Surgery && coolingOff(j, Appointment{Kind: Surgery, At: a.At}, now, p) != nil {
		// the reason is kept with the appointment, and purged with it
		j.Overrides = append(j.Overrides, Override{Surgery: a.N, At: now, By: by.String()})
		c.Event.Detail += "; inside the cooling-off period, with the surgeon's agreement"
	}
	c.Mails = append(c.Mails, appointmentMail(l, a))
	sortPending(j.Pending)
	c.After = j
	return c, nil
}

// coolingOff refuses a surgery date inside the cooling-off period, unless
// it carries the surgeon's agreement.
func coolingOff(j Journey, a Appointment, now time.Time, p CarePolicy) error {
	days := p.Care.CoolingOffDays
	if days <= 0 || a.Override != "" {
		return nil
	}
	if j.First.IsZero() {
		return ErrNoConsultation
	}
	if earliest := CoolingOff(j.First, days, p.loc()); a.At.Before(earliest) {
		return &ErrCoolingOff{First: j.First, Earliest: earliest, Days: days}
	}
	return nil
}

// plan sets the care plan of surgery a: its steps not yet sent for it are
// planned from its date; those whose time has passed become one task for
// the coordinator. The deadlines of steps sent but not acknowledged
// follow the date.
func (j *Journey) plan(l Lead, a Appointment, now time.Time, p CarePolicy) []Mail {
	steps := p.steps(a.Procedure)
	var sent []string
	for _, s := range j.Sent {
		if s.Surgery == a.N {
			sent = append(sent, s.Step)
		}
	}
	pending, missed := Schedule(steps, a.At, sent, now, p.Care, p.loc())
	j.Pending = slices.DeleteFunc(j.Pending, func(pd Pending) bool { return pd.Kind == PendingCare || pd.Kind == PendingAck })
	for _, pl := range pending {
		j.Pending = append(j.Pending, Pending{Kind: PendingCare, Name: pl.Step, At: pl.At})
	}
	for _, s := range j.Sent {
		if st, ok := p.step(a.Procedure, s.Step); ok && s.Surgery == a.N && st.Acknowledge && !j.answered(s.Step, a.N) && !j.tasked(s.Step, a.BookedAt) {
			j.Pending = append(j.Pending, Pending{Kind: PendingAck, Name: s.Step, At: care.AcknowledgeBy(s.At, a.At, p.loc())})
		}
	}
	var newly []string
	for _, m := range missed {
		if !slices.ContainsFunc(j.Missed, func(s Sent) bool { return s.Step == m.Step && s.Surgery == a.N }) {
			j.Missed = append(j.Missed, Sent{Step: m.Step, Surgery: a.N, At: now})
			newly = append(newly, m.Step)
		}
	}
	if len(newly) == 0 {
		return nil
	}
	t := j.newTask(TaskMissed, "", "", now, p.Clock.Due(now))
	t.Steps = newly
	j.Tasks[len(j.Tasks)-1] = t
	return []Mail{j.taskMail(l, t, p)}
}

// answered reports whether the patient acknowledged or answered step of
// surgery n.
func (j Journey) answered(step string, n int) bool {
	return slices.ContainsFunc(j.Answers, func(a Answer) bool { return a.Step == step && a.Surgery == n })
}

// tasked reports whether a step's missing acknowledgement became a task
// since the surgery was booked: its deadline has passed, whatever the
// dates become.
func (j Journey) tasked(step string, since time.Time) bool {
	return slices.ContainsFunc(j.Tasks, func(t Task) bool {
		return t.Kind == TaskAcknowledge && t.Step == step && !t.Created.Before(since)
	})
}

// Cancel cancels the journey's appointment of kind, by by at now: the
// patient's email cancels it in their calendar, and its reminders, or its
// care plan, stop.
func Cancel(j Journey, l Lead, kind string, by Person, now time.Time, p CarePolicy) (JourneyChange, error) {
	a, ok := j.Current(kind)
	if !ok {
		return JourneyChange{}, ErrNothingBooked
	}
	j = j.clone()
	a.Cancelled, a.Sequence, a.ChangedAt, a.CancelledAt, a.BookedBy = true, a.Sequence+1, now, now, by.String()
	j.Appointments[j.last(kind)] = a
	if kind == Consultation {
		j.Pending = withoutKind(j.Pending, PendingReminder)
		if j.First.Equal(a.At) && a.At.After(now) { // never held
			j.First = time.Time{}
		}
	} else {
		j.Pending = slices.DeleteFunc(j.Pending, func(pd Pending) bool { return pd.Kind == PendingCare || pd.Kind == PendingAck })
	}
	return JourneyChange{After: j, Mails: []Mail{appointmentMail(l, a)}, Event: Event{Kind: kind + ".cancelled", By: by, At: now,
		Detail: describe(a, p.loc())}}, nil
}

// JourneyTick takes the journey's earliest step if it is due at now: a
// care step or a consultation reminder to the patient, at any hour (they
// are timed for the patient); an acknowledgement's deadline passed, which
// becomes a task; a task not done by its due time, which is escalated.
// It returns false when nothing is due.
func JourneyTick(j Journey, l Lead, now time.Time, p CarePolicy) (JourneyChange, bool) {
	if len(j.Pending) == 0 || j.Pending[0].At.After(now) {
		return JourneyChange{}, false
	}
	j = j.clone()
	pd := j.Pending[0]
	j.Pending = j.Pending[1:]
	c := JourneyChange{}
	switch pd.Kind {
	case PendingCare:
		s, _ := j.Current(Surgery)
		st, ok := p.step(s.Procedure, pd.Name)
		if !ok || s.N == 0 { // a step no longer in the plan, or no surgery
			break
		}
		j.Sent = append(j.Sent, Sent{Step: st.Slug, Surgery: s.N, At: now, Ack: st.Acknowledge})
		if st.Acknowledge {
			j.Pending = append(j.Pending, Pending{Kind: PendingAck, Name: st.Slug, At: care.AcknowledgeBy(now, s.At, p.loc())})
		}
		if l.Email != "" {
			id := l.ID + ".care." + strconv.Itoa(s.N) + "." + st.Slug
			surgery := s
			c.Mails = []Mail{{Send: Send{Kind: CareStepMail, ID: id, To: l.Email}, Data: MailData{Step: st.Slug, Surgery: &surgery}}}
		}
		c.Event = Event{Kind: "care.sent", At: now, Detail: st.Title}
	case PendingReminder:
		a, ok := j.Current(Consultation)
		if !ok || l.Email == "" {
			break
		}
		id := l.ID + ".reminder." + strconv.Itoa(a.N) + "." + strconv.Itoa(a.Sequence) + "." + pd.Name
		c.Mails = []Mail{{Send: Send{Kind: ConsultationReminder, ID: id, To: l.Email}, Data: MailData{Appointment: &a}}}
	case PendingAck:
		s, _ := j.Current(Surgery)
		if s.N == 0 || j.answered(pd.Name, s.N) {
			break
		}
		t := j.newTask(TaskAcknowledge, pd.Name, "", now, p.Clock.Due(now))
		c.Mails = []Mail{j.taskMail(l, t, p)}
		c.Event = Event{Kind: "care.unacknowledged", At: now, Detail: pd.Name}
	case PendingTask:
		i := slices.IndexFunc(j.Tasks, func(t Task) bool { return t.ID == pd.Name })
		if i < 0 || !j.Tasks[i].Open() {
			break
		}
		j.Tasks[i].Escalated = now
		t := j.Tasks[i]
		for n, to := range p.Clock.EscalateTo {
			id := l.ID + ".task." + t.ID + ".escalation." + strconv.Itoa(n)
			c.Mails = append(c.Mails, Mail{Send: Send{Kind: CareEscalation, ID: id, To: to}, Data: MailData{Task: &t}})
		}
		c.Event = Event{Kind: "task.escalated", At: now, Detail: t.Kind}
	}
	sortPending(j.Pending)
	c.After = j
	return c, true
}

// newTask adds an open task of kind, due at due, and schedules its
// escalation when the practice escalates.
func (j *Journey) newTask(kind, step, text string, now, due time.Time) Task {
	t := Task{ID: strconv.Itoa(len(j.Tasks) + 1), Kind: kind, Step: step, Text: text, Created: now, Due: due}
	j.Tasks = append(j.Tasks, t)
	j.Pending = append(j.Pending, Pending{Kind: PendingTask, Name: t.ID, At: due})
	return t
}

// taskMail is the coordinator's email of task t.
func (j Journey) taskMail(l Lead, t Task, p CarePolicy) Mail {
	return Mail{Send: Send{Kind: CareTask, ID: l.ID + ".task." + t.ID, To: p.coordinator(l.Category)}, Data: MailData{Task: &t, Missed: t.Steps}}
}

// Acknowledge records that the patient read step of their current
// surgery ("I have read this"), at now; an open task about it is done.
// It returns false when there is nothing to record: the step was not
// sent, or was acknowledged already.
func Acknowledge(j Journey, step string, now time.Time) (JourneyChange, bool) {
	s, ok := j.Current(Surgery)
	if !ok || !slices.ContainsFunc(j.Sent, func(x Sent) bool { return x.Step == step && x.Surgery == s.N }) || j.answered(step, s.N) {
		return JourneyChange{}, false
	}
	j = j.clone()
	j.Answers = append(j.Answers, Answer{Step: step, Surgery: s.N, Kind: Acknowledged, At: now})
	j.Pending = slices.DeleteFunc(j.Pending, func(pd Pending) bool { return pd.Kind == PendingAck && pd.Name == step })
	for i, t := range j.Tasks {
		if t.Kind == TaskAcknowledge && t.Step == step && t.Open() {
			j.Tasks[i].Done = now
			j.Pending = slices.DeleteFunc(j.Pending, func(pd Pending) bool { return pd.Kind == PendingTask && pd.Name == t.ID })
		}
	}
	return JourneyChange{After: j, Event: Event{Kind: "care.acknowledged", At: now, Detail: step}}, true
}

// CheckIn records the patient's answer to a check-in step: doing well, a
// question (a task due within care.question_within of open time), or a
// worry, which goes at once, at any hour, to the coordinator and to each
// of care.urgent_to. It returns false for a step not sent; a later answer
// to the same step is recorded too (the patient may write again).
func CheckIn(j Journey, l Lead, step, answer, text string, now time.Time, p CarePolicy) (JourneyChange, bool, error) {
	s, ok := j.Current(Surgery)
	if !ok || !slices.ContainsFunc(j.Sent, func(x Sent) bool { return x.Step == step && x.Surgery == s.N }) {
		return JourneyChange{}, false, nil
	}
	if answer != DoingWell && answer != Question && answer != Worried {
		return JourneyChange{}, false, fmt.Errorf("%q is not an answer", answer)
	}
	j = j.clone()
	j.Answers = append(j.Answers, Answer{Step: step, Surgery: s.N, Kind: answer, At: now})
	c := JourneyChange{Event: Event{Kind: "checkin." + answer, At: now, Detail: step}}
	switch answer {
	case Question:
		within := p.Care.QuestionWithin
		if within <= 0 {
			within = care.DefaultQuestionWithin
		}
		t := j.newTask(TaskQuestion, step, text, now, p.Clock.Add(now, within))
		c.Mails = []Mail{j.taskMail(l, t, p)}
	case Worried:
		// The team is told at once, whatever the hour: the task is due now,
		// and no escalation waits for the practice to open.
		t := j.newTask(TaskWorry, step, text, now, now)
		j.Pending = slices.DeleteFunc(j.Pending, func(pd Pending) bool { return pd.Kind == PendingTask && pd.Name == t.ID })
		to := append([]string{p.coordinator(l.Category)}, p.Care.UrgentTo...)
		for n, addr := range to {
			if addr == "" {
				continue
			}
			id := l.ID + ".task." + t.ID + ".urgent." + strconv.Itoa(n)
			c.Mails = append(c.Mails, Mail{Send: Send{Kind: CareWorry, ID: id, To: addr}, Data: MailData{Task: &t}})
		}
	}
	sortPending(j.Pending)
	c.After = j
	return c, true, nil
}

// RequestChange records the patient's request to change their
// appointment of kind: a task for the coordinator on the response clock.
func RequestChange(j Journey, l Lead, kind, text string, now time.Time, p CarePolicy) (JourneyChange, bool) {
	if _, ok := j.Current(kind); !ok {
		return JourneyChange{}, false
	}
	j = j.clone()
	t := j.newTask(TaskChange, kind, text, now, p.Clock.Due(now))
	sortPending(j.Pending)
	return JourneyChange{After: j, Mails: []Mail{j.taskMail(l, t, p)}, Event: Event{Kind: "change.requested", At: now, Detail: kind}}, true
}

// DoneTask marks task id done by staff member by, at now; false when it
// is done already.
func DoneTask(j Journey, id string, by Person, now time.Time) (JourneyChange, bool, error) {
	i := slices.IndexFunc(j.Tasks, func(t Task) bool { return t.ID == id })
	if i < 0 {
		return JourneyChange{}, false, ErrNoTask
	}
	if !j.Tasks[i].Open() {
		return JourneyChange{}, false, nil
	}
	j = j.clone()
	j.Tasks[i].Done, j.Tasks[i].DoneBy = now, by.String()
	j.Pending = slices.DeleteFunc(j.Pending, func(pd Pending) bool { return pd.Kind == PendingTask && pd.Name == id })
	return JourneyChange{After: j, Event: Event{Kind: "task.done", By: by, At: now, Detail: j.Tasks[i].Kind}}, true, nil
}

// appointmentMail is the patient's email of a booking, move or
// cancellation of a, each with an id of its own.
func appointmentMail(l Lead, a Appointment) Mail {
	id := a.UID(l.ID) + "." + strconv.Itoa(a.Sequence)
	return Mail{Send: Send{Kind: AppointmentMail, ID: id, To: l.Email}, Data: MailData{Appointment: &a}}
}

// describe writes an appointment for the history: "Thu 10 Dec 2026
// 10:00, video, dr-amelia-hart".
func describe(a Appointment, loc *time.Location) string {
	s := a.At.In(loc).Format("Mon 2 Jan 2006 15:04")
	if a.Mode != "" {
		s += ", " + map[string]string{InPerson: "in person", Video: "video"}[a.Mode]
	}
	if a.Procedure != "" {
		s += ", " + a.Procedure
	}
	if a.Surgeon != "" {
		s += ", " + a.Surgeon
	}
	return s
}

// LastStep returns when the journey's last step is, or was, due: the
// latest of its appointments, steps sent and to come, and tasks; a
// journey's data is kept until a retention period after it.
func (j Journey) LastStep() time.Time {
	var last time.Time
	later := func(t time.Time) {
		if t.After(last) {
			last = t
		}
	}
	for _, a := range j.Appointments {
		later(a.At)
		later(a.ChangedAt)
	}
	for _, s := range j.Sent {
		later(s.At)
	}
	for _, p := range j.Pending {
		later(p.At)
	}
	for _, t := range j.Tasks {
		later(t.Created)
		later(t.Done)
	}
	for _, a := range j.Answers {
		later(a.At)
	}
	return last
}

// Stripped returns the journey without what identifies the patient or
// what they said: the places and video links of its appointments, the
// reasons given for a surgery inside the cooling-off period (whose fact
// is kept), and what the patient wrote. What is left is what the report
// counts.
func (j Journey) Stripped() Journey {
	j = j.clone()
	for i := range j.Appointments {
		a := &j.Appointments[i]
		a.Place, a.BookedBy = "", ""
		if a.Override != "" {
			a.Override = "recorded"
		}
	}
	for i := range j.Tasks {
		j.Tasks[i].Text, j.Tasks[i].DoneBy = "", ""
	}
	for i := range j.Overrides {
		j.Overrides[i].By = ""
	}
	j.Pending = nil
	return j
}

func withoutKind(ps []Pending, kind string) []Pending {
	return slices.DeleteFunc(ps, func(p Pending) bool { return p.Kind == kind })
}

func sortPending(ps []Pending) {
	slices.SortStableFunc(ps, func(a, b Pending) int {
		return cmp.Or(a.At.Compare(b.At), strings.Compare(a.Kind, b.Kind), strings.Compare(a.Name, b.Name))
	})
}
