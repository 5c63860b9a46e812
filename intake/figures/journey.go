package figures

import (
	"cmp"
	"slices"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// JourneyOf is a lead's journey as the figures read it: its procedure and
// its journey, no patient data.
type JourneyOf struct {
	Procedure string // the lead's: a surgery names its own
	Journey   lead.Journey
}

// Journeys is the figures of patients' journeys after booking in one
// period: what was booked, held, cancelled and moved in it, how the
// patients acknowledged the steps sent in it, and how they answered its
// check-ins. Its JSON is the "journey" of `consulta intake report
// --format json`.
type Journeys struct {
	ConsultationsBooked   int `json:"consultations_booked"`   // booked in the period
	ConsultationsHeld     int `json:"consultations_held"`     // whose time came in the period, not cancelled
	SurgeriesBooked       int `json:"surgeries_booked"`       // booked in the period
	SurgeriesCancelled    int `json:"surgeries_cancelled"`    // cancelled in the period
	SurgeriesMoved        int `json:"surgeries_moved"`        // moves of a surgery's date in the period
	CoolingOffOverrides   int `json:"cooling_off_overrides"`  // surgeries set inside the cooling-off period, with the surgeon's agreement
	StepsSent             int `json:"steps_sent"`             // care steps sent in the period
	AcknowledgementsAsked int `json:"acknowledgements_asked"` // of them, those asking "I have read this"
	// AcknowledgedPercent is the share of those acknowledged, at any
	// time; MedianSecondsToAcknowledge the median time from sending to
	// the acknowledgement. Null with nothing to measure.
	AcknowledgedPercent        *float64     `json:"acknowledged_percent"`
	MedianSecondsToAcknowledge *float64     `json:"median_seconds_to_acknowledge"`
	ByStep                     []StepFigure `json:"by_step"`   // by step and procedure
	CheckIns                   CheckIns     `json:"check_ins"` // the answers given in the period
}

// StepFigure is the acknowledgements of one step of one procedure.
type StepFigure struct {
	Step                       string   `json:"step"`
	Procedure                  string   `json:"procedure"`
	Sent                       int      `json:"sent"`
	Acknowledged               int      `json:"acknowledged"`
	AcknowledgedPercent        *float64 `json:"acknowledged_percent"`
	MedianSecondsToAcknowledge *float64 `json:"median_seconds_to_acknowledge"`
}

// CheckIns counts the check-ins' answers.
type CheckIns struct {
	DoingWell int `json:"doing_well"`
	Question  int `json:"question"`
	Worried   int `json:"worried"`
}

// ComputeJourneys makes the journey figures of [since, until), as they
// stand at now.
func ComputeJourneys(js []JourneyOf, since, until, now time.Time) Journeys {
	var f Journeys
	in := func(t time.Time) bool { return !t.Before(since) && t.Before(until) }
	type key struct{ step, procedure string }
	acks := map[key]*struct {
		sent, acked int
		secs        []float64
	}{}
	var allSecs []float64
	acked := 0
	for _, jo := range js {
		j := jo.Journey
		procedure := map[int]string{}
		for _, a := range j.Appointments {
			switch a.Kind {
			case lead.Consultation:
				if in(a.BookedAt) {
					f.ConsultationsBooked++
				}
				if !a.Cancelled && in(a.At) && a.At.Before(now) {
					f.ConsultationsHeld++
				}
			case lead.Surgery:
				procedure[a.N] = cmp.Or(a.Procedure, jo.Procedure)
				if in(a.BookedAt) {
					f.SurgeriesBooked++
				}
				if a.Cancelled && in(a.CancelledAt) {
					f.SurgeriesCancelled++
				}
				if a.Moves > 0 && in(a.ChangedAt) {
					f.SurgeriesMoved += a.Moves
				}
			}
		}
		for _, o := range j.Overrides {
			if in(o.At) {
				f.CoolingOffOverrides++
			}
		}
		for _, s := range j.Sent {
			if !in(s.At) {
				continue
			}
			f.StepsSent++
			if !s.Ack {
				continue
			}
			f.AcknowledgementsAsked++
			k := key{s.Step, procedure[s.Surgery]}
			a := acks[k]
			if a == nil {
				a = &struct {
					sent, acked int
					secs        []float64
				}{}
				acks[k] = a
			}
			a.sent++
			i := slices.IndexFunc(j.Answers, func(x lead.Answer) bool {
				return x.Step == s.Step && x.Surgery == s.Surgery && x.Kind == lead.Acknowledged
			})
			if i >= 0 {
				secs := j.Answers[i].At.Sub(s.At).Seconds()
				a.acked++
				a.secs = append(a.secs, secs)
				acked++
				allSecs = append(allSecs, secs)
			}
		}
		for _, a := range j.Answers {
			if !in(a.At) {
				continue
			}
			switch a.Kind {
			case lead.DoingWell:
				f.CheckIns.DoingWell++
			case lead.Question:
				f.CheckIns.Question++
			case lead.Worried:
				f.CheckIns.Worried++
			}
		}
	}
	if f.AcknowledgementsAsked > 0 {
		f.AcknowledgedPercent = ptr(100 * float64(acked) / float64(f.AcknowledgementsAsked))
	}
	if len(allSecs) > 0 {
		f.MedianSecondsToAcknowledge = ptr(median(allSecs))
	}
	for k, a := range acks {
		s := StepFigure{Step: k.step, Procedure: k.procedure, Sent: a.sent, Acknowledged: a.acked,
			AcknowledgedPercent: ptr(100 * float64(a.acked) / float64(a.sent))}
		if len(a.secs) > 0 {
			s.MedianSecondsToAcknowledge = ptr(median(a.secs))
		}
		f.ByStep = append(f.ByStep, s)
	}
	slices.SortFunc(f.ByStep, func(a, b StepFigure) int {
		return cmp.Or(cmp.Compare(a.Procedure, b.Procedure), cmp.Compare(a.Step, b.Step))
	})
	return f
}

// JourneyStatus is where one patient's journey stands, for the digest:
// the steps of their current surgery sent, acknowledged and overdue (an
// acknowledgement's deadline passed), and their questions and worries
// not yet answered.
type JourneyStatus struct {
	Sent, Acknowledged, Overdue, Waiting int
}

// StatusOf returns where j stands.
func StatusOf(j lead.Journey) JourneyStatus {
	var st JourneyStatus
	s, ok := j.Current(lead.Surgery)
	if !ok {
		return st
	}
	for _, x := range j.Sent {
		if x.Surgery == s.N {
			st.Sent++
		}
	}
	for _, a := range j.Answers {
		if a.Surgery == s.N && a.Kind == lead.Acknowledged {
			st.Acknowledged++
		}
	}
	for _, t := range j.Tasks {
		switch {
		case !t.Open():
		case t.Kind == lead.TaskAcknowledge:
			st.Overdue++
		case t.Kind == lead.TaskQuestion || t.Kind == lead.TaskWorry:
			st.Waiting++
		}
	}
	return st
}
