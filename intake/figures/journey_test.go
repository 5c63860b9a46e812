package figures

import (
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// TestComputeJourneys counts a period's bookings, moves, cancellations,
// overrides, acknowledgements and check-ins, by step and procedure.
func TestComputeJourneys(t *testing.T) {
	day := func(d, h int) time.Time { return time.Date(2026, 12, d, h, 0, 0, 0, time.UTC) }
	a := lead.Journey{
		Appointments: []lead.Appointment{
			{Kind: lead.Consultation, N: 1, At: day(3, 10), BookedAt: day(1, 9)},
			{Kind: lead.Surgery, N: 1, At: day(24, 8), Procedure: "rhinoplasty", BookedAt: day(3, 11), Moves: 1, ChangedAt: day(5, 9)},
		},
		Overrides: []lead.Override{{Surgery: 1, At: day(3, 11)}},
		Sent: []lead.Sent{{Step: "medicines", Surgery: 1, At: day(10, 9), Ack: true}, {Step: "fasting", Surgery: 1, At: day(22, 9), Ack: true},
			{Step: "first-day", Surgery: 1, At: day(25, 9)}},
		Answers: []lead.Answer{{Step: "medicines", Surgery: 1, Kind: lead.Acknowledged, At: day(10, 11)},
			{Step: "first-day", Surgery: 1, Kind: lead.Worried, At: day(25, 22)}},
		Tasks: []lead.Task{{ID: "1", Kind: lead.TaskAcknowledge, Step: "fasting"}, {ID: "2", Kind: lead.TaskWorry, Step: "first-day"}},
	}
	b := lead.Journey{Appointments: []lead.Appointment{{Kind: lead.Consultation, N: 1, At: day(4, 10), BookedAt: day(2, 9)},
		{Kind: lead.Surgery, N: 1, At: day(28, 8), BookedAt: day(4, 12), Cancelled: true, CancelledAt: day(6, 9)}}}
	f := ComputeJourneys([]JourneyOf{{Procedure: "rhinoplasty", Journey: a}, {Procedure: "facelift", Journey: b}}, day(1, 0), day(31, 0), day(31, 0))
	if f.ConsultationsBooked != 2 || f.ConsultationsHeld != 2 || f.SurgeriesBooked != 2 || f.SurgeriesCancelled != 1 || f.SurgeriesMoved != 1 ||
		f.CoolingOffOverrides != 1 || f.StepsSent != 3 || f.AcknowledgementsAsked != 2 || *f.AcknowledgedPercent != 50 ||
		*f.MedianSecondsToAcknowledge != 7200 || f.CheckIns != (CheckIns{Worried: 1}) {
		t.Errorf("figures = %+v", f)
	}
	if len(f.ByStep) != 2 || f.ByStep[0].Step != "fasting" || f.ByStep[0].Acknowledged != 0 || f.ByStep[1].Procedure != "rhinoplasty" ||
		*f.ByStep[1].AcknowledgedPercent != 100 {
		t.Errorf("by step = %+v", f.ByStep)
	}
	// A period that holds none of it.
	if f := ComputeJourneys([]JourneyOf{{Journey: a}}, day(29, 0), day(30, 0), day(31, 0)); f.StepsSent != 0 || f.AcknowledgedPercent != nil {
		t.Errorf("an empty period: %+v", f)
	}
	if st := StatusOf(a); st != (JourneyStatus{Sent: 3, Acknowledged: 1, Overdue: 1, Waiting: 1}) {
		t.Errorf("status = %+v", st)
	}
}
