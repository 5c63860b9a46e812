package lead

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/care"
)

// carePolicy is policy's practice with the demo's rhinoplasty plan, the
// UK's cooling-off period and a surgeon on call.
func carePolicy(t testing.TB) CarePolicy {
	return CarePolicy{
		Policy:   policy(t),
		Care:     care.Settings{CoolingOffDays: 14, UrgentTo: []string{"oncall@harbour.example"}}.WithDefaults("IE"),
		Steps:    func(string) []CareStep { return demoSteps },
		Surgeons: map[string]string{"dr-hart": "Dr Amelia Hart"},
	}
}

var niamh = Person{Name: "Niamh Byrne", Email: "niamh@harbour.example"}

var aoife = Lead{ID: "ld_j", Email: "aoife@example.org", FirstName: "Aoife", Category: "face"}

func book(t *testing.T, j Journey, a Appointment, now time.Time, p CarePolicy) JourneyChange {
	t.Helper()
	c, err := Book(j, aoife, a, niamh, now, p)
	if err != nil {
		t.Fatalf("book %s at %s: %v", a.Kind, a.At, err)
	}
	return c
}

func sends(c JourneyChange) string {
	var s []string
	for _, m := range c.Mails {
		s = append(s, m.Kind+" "+m.ID+" → "+m.To)
	}
	return strings.Join(s, "\n")
}

func pendings(j Journey) string {
	var s []string
	for _, p := range j.Pending {
		s = append(s, p.Kind+":"+p.Name+"@"+p.At.In(dublin).Format("2 Jan 15:04"))
	}
	return strings.Join(s, " ")
}

// TestJourney books a consultation and a surgery 20 days after it (one
// 10 days after refused under the cooling-off period), sends the steps,
// acknowledges one and lets another become a task, moves the surgery and
// cancels it.
func TestJourney(t *testing.T) {
	p := carePolicy(t)
	now := at(12, 1, 9, 15)
	consult := Appointment{Kind: Consultation, At: at(12, 10, 10, 0), Mode: Video, Surgeon: "dr-hart", Place: "https://meet.example/abc"}
	c := book(t, Journey{}, consult, now, p)
	if got := sends(c); got != "appointment ld_j.consultation.1.0 → aoife@example.org" {
		t.Errorf("booking sends %s", got)
	}
	if got := pendings(c.After); got != "reminder:1@8 Dec 09:00 reminder:2@10 Dec 08:00" {
		t.Errorf("reminders: %s", got)
	}
	if c.Event.Kind != "consultation.booked" || c.Event.Detail != "Thu 10 Dec 2026 10:00, video, dr-hart" || c.Event.By != niamh {
		t.Errorf("history: %+v", c.Event)
	}
	j := c.After

	// Surgery 10 days after the consultation: refused, then allowed with
	// the surgeon's agreement; 20 days after: booked.
	surgery := Appointment{Kind: Surgery, At: at(12, 20, 8, 0), Surgeon: "dr-hart", Procedure: "rhinoplasty", Place: "7 Linden Quay"}
	_, err := Book(j, aoife, surgery, niamh, now, p)
	var co *ErrCoolingOff
	if !errors.As(err, &co) || !co.Earliest.Equal(at(12, 24, 0, 0)) {
		t.Fatalf("a surgery 10 days after the consultation: %v", err)
	}
	over := surgery
	over.Override = "Dr Hart agrees: the patient had a consultation elsewhere in October"
	if c, err := Book(j, aoife, over, niamh, now, p); err != nil || !strings.Contains(c.Event.Detail, "with the surgeon's agreement") {
		t.Errorf("with an override: %v, %q", err, c.Event.Detail)
	}
	surgery.At = at(12, 30, 8, 0) // 20 days after
	c = book(t, j, surgery, now, p)
	if got := sends(c); got != "appointment ld_j.surgery.1.0 → aoife@example.org" {
		t.Errorf("surgery sends %s", got)
	}
	want := "care:medicines-and-smoking@16 Dec 09:00 care:companion@23 Dec 09:00 care:fasting@28 Dec 09:00 care:first-day@31 Dec 09:00 " +
		"care:nose-care@2 Jan 09:00 care:stitches@6 Jan 09:00 care:glasses-and-exercise@13 Jan 09:00 care:six-week-review@10 Feb 09:00"
	if got := pendings(c.After); got != "reminder:1@8 Dec 09:00 reminder:2@10 Dec 08:00 "+want {
		t.Errorf("pending:\n%s", got)
	}
	j = c.After

	// The clock: the reminders, then the -14d step, acknowledged.
	tick := func(now time.Time) JourneyChange {
		t.Helper()
		c, ok := JourneyTick(j, aoife, now, p)
		if !ok {
			t.Fatalf("nothing due at %s: %s", now, pendings(j))
		}
		j = c.After
		return c
	}
	if got := sends(tick(at(12, 8, 9, 0))); got != "consultation_reminder ld_j.reminder.1.0.1 → aoife@example.org" {
		t.Errorf("reminder: %s", got)
	}
	tick(at(12, 10, 8, 0))
	if got := sends(tick(at(12, 16, 9, 0))); got != "care_step ld_j.care.1.medicines-and-smoking → aoife@example.org" {
		t.Errorf("step: %s", got)
	}
	if !strings.Contains(pendings(j), "ack:medicines-and-smoking@29 Dec 00:00") {
		t.Errorf("no deadline: %s", pendings(j))
	}
	c, ok := Acknowledge(j, "medicines-and-smoking", at(12, 16, 20, 0))
	if !ok || strings.Contains(pendings(c.After), "ack:") {
		t.Fatalf("acknowledge: %v %s", ok, pendings(c.After))
	}
	j = c.After
	if _, ok := Acknowledge(j, "medicines-and-smoking", at(12, 17, 20, 0)); ok {
		t.Error("acknowledged twice")
	}
	// companion and fasting are sent and not acknowledged: at the deadline,
	// each becomes a task, escalated at its due time.
	tick(at(12, 23, 9, 0))
	tick(at(12, 28, 9, 0))
	c = tick(at(12, 29, 0, 0))
	if got := sends(c); got != "care_task ld_j.task.1 → face@harbour.example" || c.Mails[0].Data.Task.Step != "companion" {
		t.Errorf("deadline: %s", got)
	}
	// The task is due two open hours later: Tuesday 29 December at 11:00.
	if j.Tasks[0].Due != at(12, 29, 11, 0) {
		t.Errorf("task due %s", j.Tasks[0].Due.In(dublin))
	}
	tick(at(12, 29, 0, 0)) // fasting's deadline too
	if c = tick(at(12, 29, 11, 0)); sends(c) != "care_escalation ld_j.task.1.escalation.0 → manager@harbour.example\ncare_escalation ld_j.task.1.escalation.1 → owner@harbour.example" {
		t.Errorf("escalation: %s", sends(c))
	}
	if c, ok, err := DoneTask(j, "2", niamh, at(12, 29, 10, 0)); err != nil || !ok || strings.Contains(pendings(c.After), "task:2") {
		t.Errorf("done: %v %v %s", ok, err, pendings(c.After))
	} else {
		j = c.After
	}

	// The surgery moves a week later: what was sent stays sent, the rest
	// follows the date.
	now = at(12, 29, 12, 0)
	moved := surgery
	moved.At = at(1, 6, 8, 0).AddDate(1, 0, 0)
	c = book(t, j, moved, now, p)
	if c.Event.Kind != "surgery.moved" || sends(c) != "appointment ld_j.surgery.1.1 → aoife@example.org" {
		t.Errorf("move: %+v %s", c.Event, sends(c))
	}
	want = "care:first-day@7 Jan 09:00 care:nose-care@9 Jan 09:00 care:stitches@13 Jan 09:00 care:glasses-and-exercise@20 Jan 09:00 care:six-week-review@17 Feb 09:00"
	if got := pendings(c.After); got != want {
		t.Errorf("after the move:\n%s\nwant\n%s", got, want)
	}
	j = c.After

	// A check-in: worried, at 02:00 on a Sunday, goes at once to the
	// coordinator and the surgeon on call.
	tick(at(1, 7, 9, 0).AddDate(1, 0, 0))
	sunday := time.Date(2027, 1, 10, 2, 0, 0, 0, dublin)
	c, ok, err = CheckIn(j, aoife, "first-day", Worried, "The left side is more swollen", sunday, p)
	if err != nil || !ok {
		t.Fatal(ok, err)
	}
	if got := sends(c); got != "care_worry ld_j.task.3.urgent.0 → face@harbour.example\ncare_worry ld_j.task.3.urgent.1 → oncall@harbour.example" {
		t.Errorf("worry: %s", got)
	}
	if c.Mails[0].Data.Task.Text != "The left side is more swollen" {
		t.Errorf("the worry's text: %+v", c.Mails[0].Data.Task)
	}
	j = c.After
	c, _, _ = CheckIn(j, aoife, "first-day", Question, "May I shower?", sunday, p)
	if j.Tasks[len(j.Tasks)-1].Kind != TaskWorry || c.After.Tasks[len(c.After.Tasks)-1].Due != at(1, 11, 11, 0).AddDate(1, 0, 0) {
		t.Errorf("a question is due two open hours after Monday's opening: %+v", c.After.Tasks)
	}

	// Cancelled: nothing more is sent.
	c, err = Cancel(j, aoife, Surgery, niamh, sunday, p)
	if err != nil || sends(c) != "appointment ld_j.surgery.1.2 → aoife@example.org" || strings.Contains(pendings(c.After), "care:") {
		t.Errorf("cancel: %v %s %s", err, sends(c), pendings(c.After))
	}
	if a := c.Mails[0].Data.Appointment; !a.Cancelled || a.Sequence != 2 {
		t.Errorf("the cancellation's calendar: %+v", a)
	}
}

// TestBookRefuses: what staff may get wrong is refused with a message.
func TestBookRefuses(t *testing.T) {
	p := carePolicy(t)
	now := at(12, 1, 9, 0)
	for _, tc := range []struct {
		a    Appointment
		want error
	}{
		{Appointment{Kind: Consultation, At: at(11, 30, 10, 0), Mode: InPerson}, ErrPast},
		{Appointment{Kind: Consultation, At: at(12, 10, 10, 0), Mode: "phone"}, ErrBadMode},
		{Appointment{Kind: Consultation, At: at(12, 10, 10, 0), Mode: InPerson, Surgeon: "dr-who"}, ErrUnknownSurgeon},
		{Appointment{Kind: Surgery, At: at(12, 30, 10, 0)}, ErrNoProcedure},
		{Appointment{Kind: Surgery, At: at(12, 30, 10, 0), Procedure: "rhinoplasty"}, ErrNoConsultation},
	} {
		if _, err := Book(Journey{}, aoife, tc.a, Person{Email: "x@harbour.example"}, now, p); !errors.Is(err, tc.want) {
			t.Errorf("%+v: %v, want %v", tc.a, err, tc.want)
		}
	}
	if _, err := Cancel(Journey{}, aoife, Surgery, Person{}, now, p); !errors.Is(err, ErrNothingBooked) {
		t.Errorf("cancel nothing: %v", err)
	}
}

// TestJourneyProperties books, moves and cancels consultations and
// surgeries at random while the clock ticks, and checks after every event
// that the journey's care steps to come are exactly the plan computed
// from the last surgery date, less the steps sent for it and those whose
// time had passed when it was set; that nothing is sent twice; and that
// nothing is sent for a cancelled surgery.
func TestJourneyProperties(t *testing.T) {
	p := carePolicy(t)
	p.Care.CoolingOffDays = 0
	runs := 1500
	if testing.Short() {
		runs = 150
	}
	for run := range runs {
		if err := journeyRun(rand.New(rand.NewPCG(uint64(run), 7)), p, 40); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
}

func journeyRun(r *rand.Rand, p CarePolicy, n int) error {
	now := at(9, 1, 8, 0).Add(time.Duration(r.IntN(60*24*60)) * time.Minute)
	var j Journey
	var setAt time.Time // when the surgery's date was last set
	ids := map[string]bool{}
	for i := range n {
		var c JourneyChange
		var err error
		what := ""
		switch k := r.IntN(12); {
		case k < 2:
			what = "consultation"
			c, err = Book(j, aoife, Appointment{Kind: Consultation, At: now.Add(time.Duration(1+r.IntN(20*24*60)) * time.Minute), Mode: InPerson}, Person{Name: "Niamh"}, now, p)
		case k < 5:
			what = "surgery"
			c, err = Book(j, aoife, Appointment{Kind: Surgery, At: now.Add(time.Duration(1+r.IntN(40*24*60)) * time.Minute), Procedure: "rhinoplasty"}, Person{Name: "Niamh"}, now, p)
			if err == nil {
				setAt = now
			}
		case k < 6:
			what = "cancel"
			c, err = Cancel(j, aoife, Surgery, Person{Name: "Niamh"}, now, p)
		case k < 7:
			what = "acknowledge"
			if len(j.Sent) > 0 {
				c, _ = Acknowledge(j, j.Sent[r.IntN(len(j.Sent))].Step, now)
			}
		default:
			what = "tick"
			now = now.Add(time.Duration(1+r.IntN(4*24*60)) * time.Minute)
			for {
				tc, ok := JourneyTick(j, aoife, now, p)
				if !ok {
					break
				}
				for _, m := range tc.Mails {
					if ids[m.ID] {
						return fmt.Errorf("event %d: %s sent twice", i, m.ID)
					}
					ids[m.ID] = true
				}
				if a, ok := j.Current(Surgery); tc.Mails != nil && tc.Mails[0].Kind == CareStepMail && (!ok || a.Cancelled) {
					return fmt.Errorf("event %d: a step of a cancelled surgery sent", i)
				}
				j = tc.After
			}
			continue
		}
		if err != nil && !errors.Is(err, ErrNothingBooked) {
			return fmt.Errorf("event %d (%s): %v", i, what, err)
		}
		if err == nil && c.Event.Kind != "" || what == "acknowledge" && c.After.Appointments != nil {
			for _, m := range c.Mails {
				if ids[m.ID] {
					return fmt.Errorf("event %d (%s): %s sent twice", i, what, m.ID)
				}
				ids[m.ID] = true
			}
			j = c.After
		}
		var want []string
		if s, ok := j.Current(Surgery); ok {
			for _, pl := range Plan(demoSteps, s.At, p.Care, dublin) {
				sent := slices.ContainsFunc(j.Sent, func(x Sent) bool { return x.Step == pl.Step && x.Surgery == s.N })
				if !sent && pl.At.After(setAt) && pl.At.After(now) {
					want = append(want, pl.Step+"@"+pl.At.In(dublin).Format("2 Jan 15:04"))
				}
			}
		}
		var got []string
		for _, pd := range j.Pending {
			if pd.Kind == PendingCare {
				got = append(got, pd.Name+"@"+pd.At.In(dublin).Format("2 Jan 15:04"))
			}
		}
		if !slices.Equal(got, want) {
			return fmt.Errorf("event %d (%s): pending care steps\n%v\nwant the plan of the last date\n%v", i, what, got, want)
		}
	}
	return nil
}
