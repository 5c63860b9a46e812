package outbox_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/care"
)

// journeySteps is a plan of three steps: one to acknowledge, the first
// day's check-in and the six-week review.
var journeySteps = []lead.CareStep{
	{Slug: "medicines", Send: care.Offset{N: -14, Unit: care.Day}, Acknowledge: true},
	{Slug: "first-day", Send: care.Offset{N: 1, Unit: care.Day}, CheckIn: true},
	{Slug: "review", Send: care.Offset{N: 6, Unit: care.Week}},
}

var carePolicy = lead.CarePolicy{Policy: policy, Care: care.Settings{}.WithDefaults("IE"),
	Steps: func(string) []lead.CareStep { return journeySteps }}

// planMails plans the emails of a journey's change as the outbox keeps them.
func planMails(c lead.JourneyChange) []outbox.Message {
	var msgs []outbox.Message
	for _, m := range c.Mails {
		msgs = append(msgs, outbox.Message{ID: m.ID, MessageID: "<" + m.ID + "@example.com>", Kind: m.Kind,
			From: "desk@example.com", To: []string{m.To}})
	}
	return msgs
}

// bookJourney books lead id's appointment a at now, as the lead page does.
func bookJourney(t *testing.T, s store, id string, a lead.Appointment, now time.Time) lead.Journey {
	t.Helper()
	j, ok, err := s.UpdateJourney(context.Background(), id, func(tr lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
		c, err := lead.Book(j, tr.Lead, a, lead.Person{Email: "coordinator@example.com"}, now, carePolicy)
		return c, planMails(c), err == nil, err
	})
	if err != nil || !ok {
		t.Fatalf("book %s: %v", a.Kind, err)
	}
	return j
}

// tickJourneys takes every journey step due at now, as the clock does.
func tickJourneys(t *testing.T, s store, now time.Time) int {
	t.Helper()
	taken := 0
	for {
		ids, err := s.DueJourneys(context.Background(), now, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 {
			return taken
		}
		for _, id := range ids {
			_, ok, err := s.UpdateJourney(context.Background(), id, func(tr lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
				c, ok := lead.JourneyTick(j, tr.Lead, now, carePolicy)
				return c, planMails(c), ok, nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if ok {
				taken++
			}
		}
	}
}

// TestJourneyStore books a surgery, moves it and lets the clock send its
// steps: the store keeps the journey, its steps to come a row each, the
// emails with what they say, and the history with its detail.
func TestJourneyStore(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		now := t0
		s, db := tracked(t, open, &now, "ld_j")
		ctx := context.Background()
		bookJourney(t, s, "ld_j", lead.Appointment{Kind: lead.Consultation, At: t0.Add(48 * time.Hour), Mode: lead.InPerson, Surgeon: "dr-hart"}, t0)
		surgeryAt := t0.AddDate(0, 0, 20)
		j := bookJourney(t, s, "ld_j", lead.Appointment{Kind: lead.Surgery, At: surgeryAt, Procedure: "rhinoplasty", Place: "7 Linden Quay"}, t0)
		if len(j.Pending) != 4 { // the reminder two hours before (two days before is within the hour of booking), three steps
			t.Fatalf("pending = %+v", j.Pending)
		}
		var n int
		if err := db.QueryRow(`SELECT count(*) FROM journey_steps WHERE lead_id = 'ld_j'`).Scan(&n); err != nil || n != 4 {
			t.Errorf("journey_steps rows = %d, %v", n, err)
		}
		var data string
		if err := db.QueryRow(`SELECT data FROM messages WHERE id = 'ld_j.surgery.1.0'`).Scan(&data); err != nil || !strings.Contains(data, `"place":"7 Linden Quay"`) {
			t.Errorf("the booking's email keeps its appointment: %q, %v", data, err)
		}
		var detail string
		if err := db.QueryRow(`SELECT detail FROM lead_events WHERE lead_id = 'ld_j' AND kind = 'surgery.booked'`).Scan(&detail); err != nil || !strings.Contains(detail, "rhinoplasty") {
			t.Errorf("history: %q, %v", detail, err)
		}
		// Nothing due yet; then the clock sends the reminders and the -14d step.
		if got := tickJourneys(t, s, t0.Add(time.Hour)); got != 0 {
			t.Errorf("%d steps taken before any is due", got)
		}
		next, ok, err := s.NextJourneyStep(ctx)
		if err != nil || !ok || !next.After(t0) {
			t.Errorf("next = %v %v %v", next, ok, err)
		}
		if got := tickJourneys(t, s, surgeryAt.AddDate(0, 0, -13)); got != 2 {
			t.Errorf("took %d steps, want the reminder and the step", got)
		}
		_, j, err = s.Journey(ctx, "ld_j")
		if err != nil || len(j.Sent) != 1 || j.Sent[0].Step != "medicines" {
			t.Fatalf("sent = %+v, %v", j.Sent, err)
		}
		// Moved a week later: sent stays sent, the rest follows.
		moved := lead.Appointment{Kind: lead.Surgery, At: surgeryAt.AddDate(0, 0, 7), Procedure: "rhinoplasty", Place: "7 Linden Quay"}
		j = bookJourney(t, s, "ld_j", moved, surgeryAt.AddDate(0, 0, -12))
		var pending []string
		for _, p := range j.Pending {
			pending = append(pending, p.Kind+":"+p.Name)
		}
		if !slices.Equal(pending, []string{"ack:medicines", "care:first-day", "care:review"}) {
			t.Errorf("after the move: %v", pending)
		}
		rows, err := db.Query(`SELECT id FROM messages WHERE lead_id = 'ld_j' AND kind <> 'coordinator' AND kind <> 'patient' ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for rows.Next() {
			var id string
			rows.Scan(&id)
			ids = append(ids, id)
		}
		rows.Close()
		want := []string{"ld_j.care.1.medicines", "ld_j.consultation.1.0", "ld_j.reminder.1.0.1", "ld_j.surgery.1.0", "ld_j.surgery.1.1"}
		if !slices.Equal(ids, want) {
			t.Errorf("messages:\n%v\nwant\n%v", ids, want)
		}
	})
}

// TestJourneyPurge: a journey keeps its lead until a retention period
// after its last step; then the lead is purged, and the journey keeps
// only what the report counts.
func TestJourneyPurge(t *testing.T) {
	eachStore(t, func(t *testing.T, open opener) {
		now := t0
		s, db := tracked(t, open, &now, "ld_j", "ld_k")
		ctx := context.Background()
		for _, id := range []string{"ld_j", "ld_k"} {
			if _, err := db.Exec(`UPDATE messages SET state = 'sent' WHERE lead_id = $1`, id); err != nil {
				t.Fatal(err)
			}
		}
		bookJourney(t, s, "ld_j", lead.Appointment{Kind: lead.Consultation, At: t0.Add(48 * time.Hour), Mode: lead.Video, Place: "https://meet.example/secret-room"}, t0)
		surgeryAt := t0.AddDate(0, 0, 20)
		bookJourney(t, s, "ld_j", lead.Appointment{Kind: lead.Surgery, At: surgeryAt, Procedure: "rhinoplasty", Place: "7 Linden Quay"}, t0)
		// 30 days after receipt: ld_k goes, ld_j's journey is not over.
		n, err := s.PurgeDelivered(ctx, t0.AddDate(0, 0, 1))
		if err != nil || n != 1 {
			t.Fatalf("purged %d, %v; want ld_k alone", n, err)
		}
		// Its steps sent; a worried answer with words of the patient's own.
		tickJourneys(t, s, surgeryAt.AddDate(0, 0, 2))
		if _, ok, err := s.UpdateJourney(ctx, "ld_j", func(tr lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
			c, ok, err := lead.CheckIn(j, tr.Lead, "first-day", lead.Worried, "my left eye is swollen shut", surgeryAt.AddDate(0, 0, 2), carePolicy)
			return c, planMails(c), ok, err
		}); err != nil || !ok {
			t.Fatal(ok, err)
		}
		last := surgeryAt.AddDate(0, 0, 42)
		if n, err := s.PurgeDelivered(ctx, last.Add(-time.Hour)); err != nil || n != 0 {
			t.Errorf("purged %d before the journey's last step: %v", n, err)
		}
		tickJourneys(t, s, last) // the review, and the acknowledgement of medicines missed: a task, due two hours later
		last = last.Add(3 * time.Hour)
		tickJourneys(t, s, last) // the task escalated
		if n, err := s.PurgeDelivered(ctx, last.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("purged %d after the journey's last step: %v", n, err)
		}
		for _, secret := range []string{"secret-room", "7 Linden Quay", "swollen shut"} {
			for _, q := range []string{`SELECT count(*) FROM journeys WHERE data LIKE '%' || $1 || '%'`,
				`SELECT count(*) FROM messages WHERE data LIKE '%' || $1 || '%'`,
				`SELECT count(*) FROM lead_events WHERE detail LIKE '%' || $1 || '%'`} {
				var n int
				if err := db.QueryRow(q, secret).Scan(&n); err != nil || n != 0 {
					t.Errorf("%q is left: %s: %d, %v", secret, q, n, err)
				}
			}
		}
		var data string
		if err := db.QueryRow(`SELECT data FROM journeys WHERE lead_id = 'ld_j'`).Scan(&data); err != nil {
			t.Fatal(err)
		}
		var j lead.Journey
		if err := json.Unmarshal([]byte(data), &j); err != nil || len(j.Appointments) != 2 || len(j.Answers) != 1 || len(j.Sent) != 3 {
			t.Errorf("what the report counts is gone: %+v, %v", j, err)
		}
		if err := db.QueryRow(`SELECT count(*) FROM journey_steps`).Scan(&n); err != nil || n != 0 {
			t.Errorf("%d steps left", n)
		}
	})
}
