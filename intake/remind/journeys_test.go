package remind_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/hours"
	"github.com/consultahq/consulta/internal/pgtest"
)

// journeyPlan is a plan of three steps: the -14d step to acknowledge, the
// -2d step, and the first day's check-in.
var journeyPlan = []mail.CareText{
	{Slug: "medicines", Title: "Medicines", Send: care.Offset{N: -14, Unit: care.Day}, Acknowledge: true, Text: "Stop smoking."},
	{Slug: "fasting", Title: "Fasting", Send: care.Offset{N: -2, Unit: care.Day}, Text: "Eat nothing after midnight."},
	{Slug: "first-day", Title: "The first day", Send: care.Offset{N: 1, Unit: care.Day}, CheckIn: true, Text: "Rest."},
}

// withCare gives the rig's clock a care plan and settings.
func (r *rig) withCare() {
	r.cfg.Practice.Care = mail.Care{Plans: map[string][]mail.CareText{"": journeyPlan}}
	r.cfg.CarePlans = r.cfg.Practice.Care.Plan
	r.cfg.Care = care.Settings{}.WithDefaults("IE")
}

// book books lead id's appointment a at now, as the lead's page does.
func (r *rig) book(id string, a lead.Appointment, now time.Time) {
	r.t.Helper()
	r.now = now
	p := remind.CarePolicy(r.cfg)
	if _, _, err := r.store.UpdateJourney(context.Background(), id, func(t lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
		c, err := lead.Book(j, t.Lead, a, lead.Person{Email: coordinator}, now, p)
		if err != nil {
			return c, nil, false, err
		}
		msgs, err := remind.PlanMails(c, r.cfg.Practice)
		return c, msgs, err == nil, err
	}); err != nil {
		r.t.Fatal(err)
	}
}

// TestJourneyClock runs a journey's clock on each store: the reminders
// and steps go at their times, at any hour; a restart loses and repeats
// none; the digest lists the week's surgery and the day's consultation.
func TestJourneyClock(t *testing.T) { onEachStore(t, testJourneyClock) }

func testJourneyClock(t *testing.T, newRig func(*testing.T) *rig) {
	r := newRig(t)
	r.withCare()
	l := r.receive("ld_J1", "rhinoplasty", "Instagram", at(11, 23, 10, 0), false)
	r.flush(at(11, 23, 10, 1))
	r.setState(l.ID, lead.Booked, coordinator, at(11, 23, 10, 30))
	r.book(l.ID, lead.Appointment{Kind: lead.Consultation, At: at(12, 1, 10, 0), Mode: lead.InPerson}, at(11, 23, 11, 0))
	r.book(l.ID, lead.Appointment{Kind: lead.Surgery, At: at(12, 21, 8, 0), Procedure: "rhinoplasty"}, at(11, 23, 11, 5))
	if kinds := r.flush(at(11, 23, 11, 6)); strings.Join(kinds, " ") != "appointment appointment" {
		t.Errorf("booking sends %v", kinds)
	}
	// Sunday 29 November, 09:00: the consultation's reminder two days
	// before, on a day the practice is closed.
	if next := r.tick(at(11, 28, 12, 0)); !next.Equal(at(11, 29, 9, 0)) {
		t.Errorf("next tick %s, want the reminder's", next)
	}
	r.tick(at(11, 29, 9, 0))
	if kinds := r.flush(at(11, 29, 9, 0)); strings.Join(kinds, " ") != "consultation_reminder" {
		t.Errorf("Sunday 09:00 sends %v", kinds)
	}
	r.tick(at(12, 1, 8, 0))
	r.flush(at(12, 1, 8, 0))
	// The -14d step, then a restart, then the clock again: sent once.
	r.tick(at(12, 7, 9, 0))
	r.restart()
	r.tick(at(12, 7, 9, 0))
	if kinds := r.flush(at(12, 7, 9, 1)); strings.Join(kinds, " ") != "care_step" {
		t.Errorf("the -14d step: %v", kinds)
	}
	if got := r.mailTo("Medicines"); len(got) != 1 || !strings.Contains(got[0].Text, "Stop smoking.") {
		t.Errorf("the step's email: %+v", got)
	}
	// The digest of Monday 21 December lists the surgery of the week.
	r.tick(at(12, 19, 9, 0))
	r.flush(at(12, 19, 9, 0))
	r.tick(at(12, 21, 8, 30))
	r.flush(at(12, 21, 8, 30))
	digests := r.mailTo("Leads digest Mon 21 Dec")
	if len(digests) == 0 {
		t.Fatal("no digest of Monday 21 December")
	}
	text := digests[0].Text
	for _, want := range []string{"This week's surgeries", "Niamh · " + l.Ref, "2 sent, 0 acknowledged, 1 overdue"} {
		if !strings.Contains(text, want) {
			t.Errorf("the digest lacks %q:\n%s", want, text)
		}
	}
}

// TestJourneyKill kills a process with SIGKILL while it takes the steps
// due on many journeys, on each store, and then runs the clock again: no
// step is lost, and none is sent twice — each journey's steps sent, its
// emails and its steps to come agree.
func TestJourneyKill(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "outbox.db")
		killDuringTick(t, "", path)
	})
	t.Run("postgres", func(t *testing.T) {
		killDuringTick(t, pgtest.Start(t).Database(t), "")
	})
}

// killJourneys is how many journeys have steps due when the child is killed.
const killJourneys = 400

// killAt is when the steps are due: each journey's -14d and -2d steps.
var killAt = time.Date(2026, 12, 21, 9, 0, 0, 0, time.UTC)

func killDuringTick(t *testing.T, url, path string) {
	ctx := context.Background()
	s := openKillStore(t, url, path)
	cfg := killConfig()
	p := remind.CarePolicy(cfg)
	for i := range killJourneys {
		id := fmt.Sprintf("ld_K%04d", i)
		received := killAt.AddDate(0, 0, -30)
		l := lead.Lead{ID: id, Received: received, Email: "p" + id + "@patient.example", FirstName: "P", Procedure: "rhinoplasty"}
		if _, _, err := s.Enqueue(ctx, lead.Start(l), "", nil); err != nil {
			t.Fatal(err)
		}
		for _, a := range []lead.Appointment{{Kind: lead.Consultation, At: received.AddDate(0, 0, 1), Mode: lead.InPerson},
			{Kind: lead.Surgery, At: killAt.AddDate(0, 0, 2).Add(-time.Hour), Procedure: "rhinoplasty"}} {
			if _, _, err := s.UpdateJourney(ctx, id, func(tr lead.Tracked, j lead.Journey) (lead.JourneyChange, []outbox.Message, bool, error) {
				c, err := lead.Book(j, tr.Lead, a, lead.Person{Name: "N"}, received, p)
				if err != nil {
					return c, nil, false, err
				}
				msgs, err := remind.PlanMails(c, cfg.Practice)
				return c, msgs, err == nil, err
			}); err != nil {
				t.Fatal(err)
			}
		}
	}
	s.Close()

	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "JOURNEY_KILL_DB="+path, "JOURNEY_KILL_PG="+url)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	if !lines.Scan() || lines.Text() != "ticking" {
		t.Fatalf("the child said %q", lines.Text())
	}
	time.Sleep(150 * time.Millisecond) // some steps taken, most not
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	s = openKillStore(t, url, path)
	defer s.Close()
	before := countSteps(t, s)
	if before == 0 || before >= 2*killJourneys {
		t.Logf("the kill came with %d of %d steps taken: the test shows less than it could", before, 2*killJourneys)
	}
	if _, err := remind.Tick(ctx, s, cfg, killAt); err != nil {
		t.Fatal(err)
	}
	for i := range killJourneys {
		id := fmt.Sprintf("ld_K%04d", i)
		_, j, err := s.Journey(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		var sent []string
		for _, x := range j.Sent {
			sent = append(sent, x.Step)
		}
		if strings.Join(sent, " ") != "medicines fasting" {
			t.Fatalf("%s sent %v, want each due step once", id, sent)
		}
		for _, pd := range j.Pending {
			if pd.Kind == lead.PendingCare && !pd.At.After(killAt) {
				t.Fatalf("%s still has %s due", id, pd.Name)
			}
		}
	}
	if n := countSteps(t, s); n != 2*killJourneys {
		t.Errorf("%d step emails kept, want %d: one for each step due", n, 2*killJourneys)
	}
	t.Logf("killed with %d of %d steps taken; after the restart, all %d once", before, 2*killJourneys, 2*killJourneys)
}

// countSteps counts the care step emails the store keeps.
func countSteps(t *testing.T, s *outbox.Store) int {
	t.Helper()
	n := 0
	for i := range killJourneys {
		_, j, err := s.Journey(context.Background(), fmt.Sprintf("ld_K%04d", i))
		if err != nil {
			t.Fatal(err)
		}
		n += len(j.Sent)
	}
	return n
}

func killConfig() remind.Config {
	cfg := remind.Config{Clock: hours.Clock{RespondWithin: 2 * time.Hour},
		Practice: mail.Practice{Name: "Harbour Aesthetic Surgery", From: "hello@harbour.example", Coordinator: coordinator,
			Care: mail.Care{Plans: map[string][]mail.CareText{"": journeyPlan}}}}
	cfg.CarePlans, cfg.Care = cfg.Practice.Care.Plan, care.Settings{}.WithDefaults("IE")
	return cfg
}

func openKillStore(t testing.TB, url, path string) *outbox.Store {
	t.Helper()
	s, err := openStoreAt(url, path)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openStoreAt opens the PostgreSQL store at url, or else the SQLite file at path.
func openStoreAt(url, path string) (*outbox.Store, error) {
	if url != "" {
		return outbox.OpenPostgres(context.Background(), url)
	}
	return outbox.Open(context.Background(), path)
}

// killChild is the child of TestJourneyKill: it takes the steps due at
// killAt until it is killed.
func killChild(path, url string) {
	s, err := openStoreAt(url, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Println("ticking")
	if _, err := remind.Tick(context.Background(), s, killConfig(), killAt); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	time.Sleep(time.Hour) // done before the kill: wait for it
}
