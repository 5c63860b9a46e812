package lead

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/care"
)

// demoSteps are eight steps as the demo practice's rhinoplasty has them.
var demoSteps = []CareStep{
	{Slug: "medicines-and-smoking", Send: care.Offset{N: -14, Unit: care.Day}, Acknowledge: true},
	{Slug: "companion", Send: care.Offset{N: -7, Unit: care.Day}, Acknowledge: true},
	{Slug: "fasting", Send: care.Offset{N: -2, Unit: care.Day}, Acknowledge: true},
	{Slug: "first-day", Send: care.Offset{N: 1, Unit: care.Day}, CheckIn: true},
	{Slug: "nose-care", Send: care.Offset{N: 3, Unit: care.Day}},
	{Slug: "stitches", Send: care.Offset{N: 1, Unit: care.Week}},
	{Slug: "glasses-and-exercise", Send: care.Offset{N: 2, Unit: care.Week}},
	{Slug: "six-week-review", Send: care.Offset{N: 6, Unit: care.Week}, CheckIn: true},
}

func plannedString(ps []Planned) string {
	var b strings.Builder
	for _, p := range ps {
		fmt.Fprintf(&b, "%s %s", p.Step, p.At.In(dublin).Format("Mon 2 Jan 15:04"))
		if !p.AckBy.IsZero() {
			fmt.Fprintf(&b, " ack by %s", p.AckBy.In(dublin).Format("Mon 2 Jan 15:04"))
		}
		b.WriteString("\n")
	}
	return b.String()
}

// TestPlan: days and weeks fall at send_at on calendar days in practice
// time, across the clocks' change; an acknowledgement is due by the end
// of the second day before the surgery, or a day after a step after it.
func TestPlan(t *testing.T) {
	// Surgery on Thursday 2 April 2026 at 07:30: the clocks went forward
	// on Sunday 29 March, between the -14d and -2d steps.
	surgery := time.Date(2026, 4, 2, 7, 30, 0, 0, dublin)
	got := plannedString(Plan(demoSteps, surgery, care.Settings{}, dublin))
	want := `medicines-and-smoking Thu 19 Mar 09:00 ack by Wed 1 Apr 00:00
companion Thu 26 Mar 09:00 ack by Wed 1 Apr 00:00
fasting Tue 31 Mar 09:00 ack by Wed 1 Apr 00:00
first-day Fri 3 Apr 09:00
nose-care Sun 5 Apr 09:00
stitches Thu 9 Apr 09:00
glasses-and-exercise Thu 16 Apr 09:00
six-week-review Thu 14 May 09:00
`
	if got != want {
		t.Errorf("Plan =\n%s\nwant\n%s", got, want)
	}
	// send_at set, an hour offset, and a step after the surgery to acknowledge.
	steps := []CareStep{
		{Slug: "arrive", Send: care.Offset{N: -2, Unit: care.Hour}},
		{Slug: "wound", Send: care.Offset{N: 2, Unit: care.Day}, Acknowledge: true},
		{Slug: "bra", Send: care.Offset{N: -10, Unit: care.Day}, Acknowledge: true},
	}
	got = plannedString(Plan(steps, surgery, care.Settings{SendAt: 18*60 + 30}, dublin))
	want = `bra Mon 23 Mar 18:30 ack by Wed 1 Apr 00:00
arrive Thu 2 Apr 05:30
wound Sat 4 Apr 18:30 ack by Sun 5 Apr 18:30
`
	if got != want {
		t.Errorf("Plan =\n%s\nwant\n%s", got, want)
	}
}

// TestSchedule: booking late misses the steps whose time has passed;
// moving keeps sent steps sent and plans the rest from the new date.
func TestSchedule(t *testing.T) {
	surgery := time.Date(2026, 12, 17, 8, 0, 0, 0, dublin)
	now := time.Date(2026, 12, 7, 11, 0, 0, 0, dublin) // ten days before
	pending, missed := Schedule(demoSteps, surgery, nil, now, care.Settings{}, dublin)
	if got := plannedString(missed); got != "medicines-and-smoking Thu 3 Dec 09:00 ack by Wed 16 Dec 00:00\n" {
		t.Errorf("missed = %s", got)
	}
	if len(pending) != 7 || pending[0].Step != "companion" {
		t.Errorf("pending = %s", plannedString(pending))
	}
	// Sent companion and fasting; then the surgery moves a week later.
	sent := []string{"companion", "fasting"}
	now = time.Date(2026, 12, 15, 10, 0, 0, 0, dublin)
	pending, missed = Schedule(demoSteps, surgery.AddDate(0, 0, 7), sent, now, care.Settings{}, dublin)
	want := `first-day Fri 25 Dec 09:00
nose-care Sun 27 Dec 09:00
stitches Thu 31 Dec 09:00
glasses-and-exercise Thu 7 Jan 09:00
six-week-review Thu 4 Feb 09:00
`
	if got := plannedString(pending); got != want {
		t.Errorf("pending after the move =\n%s\nwant\n%s", got, want)
	}
	if got := plannedString(missed); got != "medicines-and-smoking Thu 10 Dec 09:00 ack by Wed 23 Dec 00:00\n" {
		t.Errorf("missed after the move = %s", got)
	}
}

func TestConsultationReminders(t *testing.T) {
	consultation := time.Date(2026, 12, 10, 10, 0, 0, 0, dublin)
	for _, tc := range []struct {
		name   string
		booked time.Time
		s      care.Settings
		want   string
	}{
		{"booked a week before", time.Date(2026, 12, 3, 15, 0, 0, 0, dublin), care.Settings{}, "Tue 8 Dec 09:00, Thu 10 Dec 08:00"},
		{"booked the day before", time.Date(2026, 12, 9, 12, 0, 0, 0, dublin), care.Settings{}, "Thu 10 Dec 08:00"},
		{"booked within the hour of the reminder", time.Date(2026, 12, 10, 7, 30, 0, 0, dublin), care.Settings{}, ""},
		{"booked an hour before the reminder", time.Date(2026, 12, 10, 7, 0, 0, 0, dublin), care.Settings{}, "Thu 10 Dec 08:00"},
		{"none", time.Date(2026, 12, 1, 9, 0, 0, 0, dublin), care.Settings{ConsultationReminders: []care.Offset{}}, ""},
		{"own offsets", time.Date(2026, 12, 1, 9, 0, 0, 0, dublin), care.Settings{SendAt: 17 * 60, ConsultationReminders: []care.Offset{{N: -30, Unit: care.Minute}, {N: -1, Unit: care.Week}, {N: -7, Unit: care.Day}}}, "Thu 3 Dec 17:00, Thu 10 Dec 09:30"},
	} {
		var got []string
		for _, r := range ConsultationReminders(consultation, tc.booked, tc.s, dublin) {
			got = append(got, r.In(dublin).Format("Mon 2 Jan 15:04"))
		}
		if strings.Join(got, ", ") != tc.want {
			t.Errorf("%s: reminders %v, want %s", tc.name, got, tc.want)
		}
	}
}

func TestCoolingOff(t *testing.T) {
	first := time.Date(2026, 12, 10, 16, 30, 0, 0, dublin)
	if got, want := CoolingOff(first, 14, dublin), time.Date(2026, 12, 24, 0, 0, 0, 0, dublin); !got.Equal(want) {
		t.Errorf("CoolingOff = %s, want %s", got, want)
	}
	if !CoolingOff(first, 0, dublin).IsZero() || !CoolingOff(time.Time{}, 14, dublin).IsZero() {
		t.Error("no period, or no consultation, sets a date")
	}
}

// TestScheduleProperties books, moves and cancels a surgery in random
// sequences while the clock sends what is due, keeping what a store
// keeps (the pending steps, and the steps sent for the surgery), and
// checks after every event that the pending steps are exactly the plan
// computed from the last date, less the steps sent and the steps whose
// time had passed when it was set; that no step is sent twice, none late,
// and none after a cancellation.
func TestScheduleProperties(t *testing.T) {
	runs := 3000
	if testing.Short() {
		runs = 300
	}
	s := care.Settings{}
	for run := range runs {
		r := rand.New(rand.NewPCG(uint64(run), 19))
		if err := scheduleRun(r, s, 30); err != nil {
			t.Fatalf("run %d: %v", run, err)
		}
	}
}

func scheduleRun(r *rand.Rand, s care.Settings, n int) error {
	now := time.Date(2026, 9, 1, 8, 0, 0, 0, dublin).Add(time.Duration(r.IntN(60*24*60)) * time.Minute)
	var (
		surgery  time.Time // zero: none booked
		setAt    time.Time // when the last date was set
		pending  []Planned
		sent     []string // for this surgery
		sentEver = map[string]bool{}
	)
	for i := range n {
		switch k := r.IntN(10); {
		case k < 3 || surgery.IsZero() && k < 6: // book, or move
			if surgery.IsZero() {
				sent = nil
				for k := range sentEver {
					delete(sentEver, k) // a new surgery: its steps are new
				}
			}
			surgery = now.Add(time.Duration(1+r.IntN(40*24*60)) * time.Minute).Truncate(15 * time.Minute)
			setAt = now
			pending, _ = Schedule(demoSteps, surgery, sent, now, s, dublin)
		case k < 4: // cancel
			surgery, pending = time.Time{}, nil
		default: // time passes; the clock sends what is due
			now = now.Add(time.Duration(1+r.IntN(5*24*60)) * time.Minute)
			for len(pending) > 0 && !pending[0].At.After(now) {
				p := pending[0]
				pending = pending[1:]
				if sentEver[p.Step] {
					return fmt.Errorf("event %d: %s sent twice", i, p.Step)
				}
				if p.At.Before(setAt) {
					return fmt.Errorf("event %d: %s sent late: due %s, planned at %s", i, p.Step, p.At, setAt)
				}
				sentEver[p.Step] = true
				sent = append(sent, p.Step)
			}
		}
		var want []Planned
		if !surgery.IsZero() {
			for _, p := range Plan(demoSteps, surgery, s, dublin) {
				if !slices.Contains(sent, p.Step) && p.At.After(setAt) && p.At.After(now) {
					want = append(want, p)
				}
			}
		}
		if plannedString(pending) != plannedString(want) {
			return fmt.Errorf("event %d: pending\n%s\nwant the plan from %s:\n%s", i, plannedString(pending), surgery, plannedString(want))
		}
	}
	return nil
}
