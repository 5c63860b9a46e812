package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// TestIntakeSchedule books a demo lead's consultation and surgery from
// the command line, as the lead page would: a date too soon under the
// demo's uk and ie rules is refused, then booked with the surgeon's
// agreement; a move and a cancellation each queue the patient's email.
func TestIntakeSchedule(t *testing.T) {
	site, _ := filepath.Abs("../..") // the repository is the demo site
	data := t.TempDir()
	store, err := outbox.Open(context.Background(), filepath.Join(data, "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	l := lead.Lead{ID: "ld_SCHED", Ref: "HAS-1201-SCH1", Received: time.Now().UTC(), FirstName: "Aoife", LastName: "Byrne",
		Email: "aoife@example.org", Phone: "+353871234567", Procedure: "rhinoplasty", ProcedureTitle: "Rhinoplasty", Category: "face"}
	msg := outbox.Message{ID: l.ID + ".coordinator", MessageID: "<x@y>", From: "a@b.example", To: []string{"c@b.example"},
		Raw: []byte("Subject: x\r\n\r\nx\r\n"), Kind: mail.Coordinator}
	if _, _, err := store.Enqueue(context.Background(), lead.Start(l), "", []outbox.Message{msg}); err != nil {
		t.Fatal(err)
	}
	store.Close()
	day := func(n int, hm string) string { return time.Now().AddDate(0, 0, n).Format("2006-01-02") + " " + hm }
	args := func(more ...string) []string {
		return append([]string{"schedule", "has-1201-sch1", "-s", site, "--data", data}, more...)
	}
	out, err := intakeCmd(t, args("--consultation", day(7, "10:00"), "--surgeon", "dr-amelia-hart", "--video", "https://meet.example/r/aoife")...)
	if err != nil || !strings.Contains(out, "consultation on ") {
		t.Fatalf("consultation: %v\n%s", err, out)
	}
	out, err = intakeCmd(t, args("--surgery", day(17, "08:00"), "--surgeon", "dr-amelia-hart")...)
	if err == nil || !strings.Contains(err.Error(), "schedule surgery: a surgery date less than 14 days after the patient's first consultation is refused") {
		t.Errorf("a surgery ten days after the consultation: %v\n%s", err, out)
	}
	out, err = intakeCmd(t, args("--surgery", day(17, "08:00"), "--override", "Dr Hart agrees: seen twice in 2025")...)
	if err != nil || !strings.Contains(out, "surgery on ") {
		t.Errorf("with the surgeon's agreement: %v\n%s", err, out)
	}
	if out, err = intakeCmd(t, args("--surgery", day(27, "08:00"), "--surgeon", "dr-amelia-hart")...); err != nil {
		t.Errorf("moved: %v\n%s", err, out)
	}
	if out, err = intakeCmd(t, args("--cancel", "consultation")...); err != nil || !strings.Contains(out, "cancelled") {
		t.Errorf("cancel: %v\n%s", err, out)
	}
	if out, err = intakeCmd(t, "schedule", "HAS-0000-NONE", "-s", site, "--data", data, "--cancel", "surgery"); err == nil || !strings.Contains(err.Error(), "no lead HAS-0000-NONE") {
		t.Errorf("an unknown reference: %v\n%s", err, out)
	}

	store, err = outbox.Open(context.Background(), filepath.Join(data, "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	_, j, err := store.Journey(context.Background(), "ld_SCHED")
	if err != nil {
		t.Fatal(err)
	}
	s, ok := j.Current(lead.Surgery)
	if !ok || s.Moves != 1 || s.Sequence != 1 || s.Procedure != "rhinoplasty" || s.Override != "" { // moved out of the cooling-off period: no agreement needed
		t.Errorf("surgery = %+v", s)
	}
	if _, ok := j.Current(lead.Consultation); ok {
		t.Errorf("the consultation is not cancelled")
	}
	care := 0
	for _, p := range j.Pending {
		if p.Kind == lead.PendingCare {
			care++
		}
	}
	if care != 8 { // the demo's rhinoplasty: six defaults, two overridden, two of its own
		t.Errorf("%d care steps planned, want rhinoplasty's 8: %+v", care, j.Pending)
	}
	stats, err := store.Stats(context.Background())
	if err != nil || stats.Pending != 5 { // consultation booked and cancelled, surgery booked and moved, and the coordinator's
		t.Errorf("pending emails: %+v, %v", stats, err)
	}
}
