package remind_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/hours"
	"github.com/consultahq/consulta/internal/mailpit"
	"github.com/consultahq/consulta/internal/pgtest"
)

const (
	coordinator = "coordinator@harbour.example"
	manager     = "manager@harbour.example"
)

var dublin = func() *time.Location {
	loc, err := time.LoadLocation("Europe/Dublin")
	if err != nil {
		panic(err)
	}
	return loc
}()

// at is a time in Dublin in late 2026 (Dublin keeps UTC in winter).
func at(month time.Month, day, h, m int) time.Time {
	return time.Date(2026, month, day, h, m, 0, 0, dublin)
}

// store is what the clock runs on: the outbox and its lead lifecycle.
type store = *outbox.Store

// rig is a real store (a SQLite file, or PostgreSQL when url is set), a
// real Mailpit, and the clock's settings; the test drives time by calling
// Tick, and flush sends what is queued.
type rig struct {
	t     *testing.T
	path  string
	url   string
	store store
	mp    *mailpit.Server
	smtp  mail.Transport
	cfg   remind.Config
	sent  []string  // outbox ids, in the order flush sent them
	now   time.Time // the store's clock: the last time given to tick or flush
	signs action.Signer
}

// onEachStore runs test with rigs on SQLite, and on a real PostgreSQL that
// the tests start: the clock keeps the same promises on both.
func onEachStore(t *testing.T, test func(t *testing.T, newRig func(*testing.T) *rig)) {
	t.Run("sqlite", func(t *testing.T) { test(t, func(t *testing.T) *rig { return newRig(t, "") }) })
	t.Run("postgres", func(t *testing.T) {
		test(t, func(t *testing.T) *rig { return newRig(t, pgtest.Start(t).Database(t)) })
	})
}

// TestMain stops the PostgreSQL server the tests started.
func TestMain(m *testing.M) {
	if path, url := os.Getenv("JOURNEY_KILL_DB"), os.Getenv("JOURNEY_KILL_PG"); path != "" || url != "" {
		killChild(path, url) // the child of TestJourneyKill
		return
	}
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}

// newRig makes a rig on the PostgreSQL database at url, or on a new SQLite
// file when url is "".
func newRig(t *testing.T, url string) *rig {
	t.Helper()
	w, _, err := hours.ParseWeek(map[string]string{"mon-fri": "09:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	mp := mailpit.Start(t)
	tr, err := mail.NewSMTP("smtp://"+mp.SMTP+"?tls=none", mail.SMTPOptions{Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	r := &rig{t: t, path: filepath.Join(t.TempDir(), "outbox.db"), url: url, mp: mp, smtp: tr}
	r.cfg = remind.Config{
		Clock: hours.Clock{Schedule: hours.Schedule{Location: dublin, Week: w},
			RespondWithin: 2 * time.Hour, EscalateTo: []string{manager}, FollowUpAfter: 3, DigestTo: []string{manager}},
		Practice: mail.Practice{Name: "Harbour Aesthetic Surgery", From: "hello@harbour.example", Coordinator: coordinator,
			SiteURL: "https://www.harbour.example", TimeZone: dublin},
	}
	r.signs = action.Signer{Secret: []byte(strings.Repeat("s", 32)), Base: "https://www.harbour.example"}
	r.open()
	t.Cleanup(func() { r.store.Close() })
	return r
}

func (r *rig) open() {
	clock := outbox.WithClock(func() time.Time { return r.now })
	var err error
	if r.url != "" {
		r.store, err = outbox.OpenPostgres(context.Background(), r.url, clock)
	} else {
		r.store, err = outbox.Open(context.Background(), r.path, clock)
	}
	if err != nil {
		r.t.Fatal(err)
	}
}

// restart closes the store and opens it again, as after a crash.
func (r *rig) restart() {
	r.store.Close()
	r.open()
}

// receive stores a lead received at when, as the intake does.
func (r *rig) receive(id, procedure, source string, when time.Time, spam bool) lead.Lead {
	r.t.Helper()
	r.now = when
	l := lead.Lead{ID: id, Received: when.UTC(), Due: r.cfg.Clock.Due(when), FirstName: "Niamh", LastName: "Secret" + id,
		Email: "niamh@patient.example", Phone: "+353871234567", Procedure: procedure, ProcedureTitle: strings.ToUpper(procedure[:1]) + procedure[1:],
		Source: source, Spam: spam}
	l.Ref = lead.Ref("HAS", id, when, dublin)
	if spam {
		l.Signals = []string{"honeypot"}
	}
	msgs, err := mail.Plan(l, r.cfg.Practice, true)
	if err != nil {
		r.t.Fatal(err)
	}
	var stored []outbox.Message
	for _, m := range msgs {
		stored = append(stored, outbox.Message(m))
	}
	if _, _, err := r.store.Enqueue(context.Background(), lead.Start(l), "", stored); err != nil {
		r.t.Fatal(err)
	}
	return l
}

// tick runs the clock at now and returns when it says to tick next.
func (r *rig) tick(now time.Time) time.Time {
	r.t.Helper()
	r.now = now
	next, err := remind.Tick(context.Background(), r.store, r.cfg, now)
	if err != nil {
		r.t.Fatalf("Tick(%s): %v", now, err)
	}
	return next
}

// flush composes every due message and sends it to Mailpit, as the
// delivery worker would, and returns the kinds sent.
func (r *rig) flush(now time.Time) []string {
	r.t.Helper()
	r.now = now
	ctx := context.Background()
	msgs, err := r.store.Claim(ctx, now, 100)
	if err != nil {
		r.t.Fatal(err)
	}
	composer := delivery.Composer{Leads: r.store, Practice: r.cfg.Practice, Links: func(kind, id, to string) []mail.Link {
		var out []mail.Link
		for _, l := range r.signs.For(kind, id, to) {
			out = append(out, mail.Link{Label: l.Label, URL: l.URL})
		}
		return out
	}}
	var kinds []string
	for _, m := range msgs {
		if len(m.Raw) > 0 {
			r.t.Fatalf("%s was composed before it was sent; want it planned, composed on delivery", m.ID)
		}
		c, err := composer.Compose(ctx, m)
		if err != nil {
			r.t.Fatalf("compose %s: %v", m.ID, err)
		}
		if err := r.smtp.Send(ctx, c); err != nil {
			r.t.Fatalf("send %s: %v", m.ID, err)
		}
		if err := r.store.Done(ctx, m.ID); err != nil {
			r.t.Fatal(err)
		}
		r.sent = append(r.sent, m.ID)
		kinds = append(kinds, m.Kind)
	}
	slices.Sort(kinds)
	return kinds
}

// mailTo returns the messages Mailpit holds whose subject starts with prefix.
func (r *rig) mailTo(prefix string) []mailpit.Message {
	r.t.Helper()
	all, err := r.mp.Messages(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	var out []mailpit.Message
	for _, m := range all {
		if strings.HasPrefix(m.Subject, prefix) {
			m.Text = strings.ReplaceAll(m.Text, "\r\n", "\n")
			out = append(out, m)
		}
	}
	return out
}

func (r *rig) setState(id, state, by string, when time.Time) {
	r.t.Helper()
	r.now = when
	p := lead.Policy{Clock: r.cfg.Clock, Coordinator: r.cfg.Practice.To}
	if _, _, err := r.store.Update(context.Background(), id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok, err := lead.Act(t, state, lead.Person{Email: by}, when, p)
		return c, nil, ok, err
	}); err != nil {
		r.t.Fatal(err)
	}
}

func TestReminderEscalationFollowUp(t *testing.T) { onEachStore(t, testReminderEscalationFollowUp) }

func testReminderEscalationFollowUp(t *testing.T, newRig func(*testing.T) *rig) {
	r := newRig(t)
	r.cfg.Clock.DigestTo = nil // the digest has its own test
	// Friday 27 November, 17:00: one open hour today, one on Monday.
	l := r.receive("ld_1", "rhinoplasty", "", at(11, 27, 17, 0), false)
	if want := at(11, 30, 10, 0); !l.Due.Equal(want) {
		t.Fatalf("due %s, want %s", l.Due, want)
	}
	if next := r.tick(at(11, 27, 17, 0)); !next.Equal(at(11, 30, 10, 0)) {
		t.Errorf("after receipt the clock wakes at %s, want Monday 10:00", next)
	}
	if got := r.flush(at(11, 27, 17, 0)); !slices.Equal(got, []string{mail.Coordinator, mail.Patient}) {
		t.Errorf("sent %v", got)
	}
	// The weekend passes: nothing.
	for _, now := range []time.Time{at(11, 28, 12, 0), at(11, 29, 23, 0), at(11, 30, 9, 59)} {
		if next := r.tick(now); len(r.flush(now)) > 0 || !next.Equal(at(11, 30, 10, 0)) {
			t.Errorf("at %s: something was sent, or next %s", now, next)
		}
	}
	// Monday 10:00: the reminder to the coordinator; the escalation is set
	// for half the promise later.
	if next := r.tick(at(11, 30, 10, 0)); !next.Equal(at(11, 30, 11, 0)) {
		t.Errorf("after the reminder the clock wakes at %s, want 11:00", next)
	}
	if got := r.flush(at(11, 30, 10, 0)); !slices.Equal(got, []string{mail.Reminder}) {
		t.Fatalf("at due: sent %v, want the reminder", got)
	}
	rem := r.mailTo("Reminder: ")
	if len(rem) != 1 || rem[0].To[0].Address != coordinator || !strings.Contains(rem[0].Subject, l.Ref) ||
		!strings.Contains(rem[0].Subject, "Mon 30 Nov, 10:00") || !strings.Contains(rem[0].Text, "I'm handling it:\nhttps://www.harbour.example/v1/actions/") {
		t.Fatalf("reminder: %+v", rem)
	}
	if h, err := r.mp.Headers(context.Background(), rem[0].ID); err != nil || h["In-Reply-To"][0] != "<ld_1.coordinator@harbour.example>" {
		t.Errorf("reminder In-Reply-To: %v, %v", h["In-Reply-To"], err)
	}
	if strings.Contains(rem[0].Text, "Secretld_1") || strings.Contains(rem[0].Text, "niamh@") {
		t.Errorf("the reminder shows more than the first name:\n%s", rem[0].Text)
	}

	// A restart in the middle of the clock: nothing is repeated or lost.
	r.restart()
	if r.tick(at(11, 30, 10, 30)); len(r.flush(at(11, 30, 10, 30))) > 0 {
		t.Error("after a restart, the reminder went again")
	}
	if r.tick(at(11, 30, 11, 0)); !slices.Equal(r.flush(at(11, 30, 11, 0)), []string{mail.Escalation}) {
		t.Fatal("at 11:00 no escalation")
	}
	esc := r.mailTo("Unanswered: ")
	if len(esc) != 1 || esc[0].To[0].Address != manager || !strings.Contains(esc[0].Text, "https://www.harbour.example/v1/actions/") {
		t.Fatalf("escalation: %+v", esc)
	}
	if i, j := slices.Index(r.sent, "ld_1.reminder"), slices.Index(r.sent, "ld_1.escalation.0"); i < 0 || j < i {
		t.Errorf("sent in order %v: want the reminder before the escalation", r.sent)
	}
	r.restart()
	if next := r.tick(at(11, 30, 12, 0)); len(r.flush(at(11, 30, 12, 0))) > 0 || !next.IsZero() {
		t.Errorf("after the escalation: more mail, or the clock still waits (%s)", next)
	}

	// Claimed at 12:10 and contacted at 12:20: the follow-up is due three
	// working days later, Thursday 12:20, to whoever marked it contacted.
	r.setState("ld_1", lead.Claimed, coordinator, at(11, 30, 12, 10))
	r.setState("ld_1", lead.Contacted, manager, at(11, 30, 12, 20))
	if next := r.tick(at(12, 3, 12, 19)); len(r.flush(at(12, 3, 12, 19))) > 0 || !next.Equal(at(12, 3, 12, 20)) {
		t.Errorf("before the follow-up: mail, or next %s", next)
	}
	r.restart()
	r.tick(at(12, 3, 12, 20))
	if got := r.flush(at(12, 3, 12, 20)); !slices.Equal(got, []string{mail.FollowUp}) {
		t.Fatalf("follow-up: sent %v", got)
	}
	fu := r.mailTo("Follow up: ")
	if len(fu) != 1 || fu[0].To[0].Address != manager || !strings.Contains(fu[0].Text, "Consultation booked:") {
		t.Fatalf("follow-up: %+v", fu)
	}
	if r.tick(at(12, 10, 12, 0)); len(r.flush(at(12, 10, 12, 0))) > 0 {
		t.Error("a second follow-up")
	}
}

func TestStepsWaitWhileClosed(t *testing.T) { onEachStore(t, testStepsWaitWhileClosed) }

func testStepsWaitWhileClosed(t *testing.T, newRig func(*testing.T) *rig) {
	r := newRig(t)
	r.cfg.Clock.DigestTo = nil
	// Monday 15:00: due 17:00, escalation due 18:00, as the practice closes.
	r.receive("ld_2", "facelift", "", at(11, 30, 15, 0), false)
	r.flush(at(11, 30, 15, 0))
	r.tick(at(11, 30, 17, 0))
	if got := r.flush(at(11, 30, 17, 0)); !slices.Equal(got, []string{mail.Reminder}) {
		t.Fatalf("at 17:00 sent %v", got)
	}
	if next := r.tick(at(11, 30, 18, 0)); len(r.flush(at(11, 30, 18, 0))) > 0 || !next.Equal(at(12, 1, 9, 0)) {
		t.Errorf("at closing: mail sent, or the escalation waits until %s; want Tuesday 09:00", next)
	}
	if r.tick(at(12, 1, 8, 59)); len(r.flush(at(12, 1, 8, 59))) > 0 {
		t.Error("mail before opening")
	}
	r.tick(at(12, 1, 9, 0))
	if got := r.flush(at(12, 1, 9, 0)); !slices.Equal(got, []string{mail.Escalation}) {
		t.Errorf("at opening sent %v, want the escalation", got)
	}
}

func TestDigest(t *testing.T) { onEachStore(t, testDigest) }

func testDigest(t *testing.T, newRig func(*testing.T) *rig) {
	r := newRig(t)
	ctx := context.Background()
	// Monday 30 November, by hand:
	//   A 09:00 rhinoplasty, own words, claimed 09:20 (20m, due 11:00: within), reached 09:25
	//   B 10:00 facelift,    direct, claimed 13:00 (3h, due 12:00: late), not reached: overdue
	//   C 11:00 rhinoplasty, direct, never claimed (due 13:00: overdue)
	//   D 12:00 facelift,    direct, held as spam
	//   E 14:00 not-sure,    direct, not a lead at 14:05
	// Median time to claim (20m, 3h) is 1h 40m, the 90th percentile 3h;
	// within the promise: A of A, B and C, 33.3%.
	// A's answer to "How did you hear of us?" is the patient's own words:
	// the digest counts it as "other", and never shows them.
	r.receive("ld_A", "rhinoplasty", "my friend Siobhan, who had her nose done with you", at(11, 30, 9, 0), false)
	b := r.receive("ld_B", "facelift", "", at(11, 30, 10, 0), false)
	c := r.receive("ld_C", "rhinoplasty", "", at(11, 30, 11, 0), false)
	d := r.receive("ld_D", "facelift", "", at(11, 30, 12, 0), true)
	r.receive("ld_E", "not-sure", "", at(11, 30, 14, 0), false)
	r.setState("ld_A", lead.Claimed, coordinator, at(11, 30, 9, 20))
	r.setState("ld_A", lead.Contacted, coordinator, at(11, 30, 9, 25))
	r.setState("ld_B", lead.Claimed, coordinator, at(11, 30, 13, 0))
	r.setState("ld_E", lead.NotALead, coordinator, at(11, 30, 14, 5))

	// No digest before 08:30 on Tuesday; one at 08:30, once.
	r.tick(at(12, 1, 8, 29))
	if _, ok, _ := r.store.LastDigest(ctx); ok {
		t.Fatal("a digest before digest_at")
	}
	for _, now := range []time.Time{at(12, 1, 8, 30), at(12, 1, 9, 0)} {
		r.tick(now)
		r.restart()
	}
	r.flush(at(12, 1, 9, 0))
	digests := r.mailTo("Leads digest ")
	if len(digests) != 1 {
		t.Fatalf("%d digests, want 1", len(digests))
	}
	dg := digests[0]
	text := dg.Text
	t.Logf("digest:\n%s", text)
	for _, want := range []string{
		"Leads digest Tue 1 Dec: 5 new, 2 overdue, 1 held",
		"Leads received from Mon 30 Nov, 08:30 to Tue 1 Dec, 08:30.",
		"Leads: 5\n",
		"Median time to claim: 1h 40m\n",
		"90th percentile time to claim: 3h 00m\n",
		"Claimed within the promise: 33.3%\n",
		"Median time to reach: 25m\n",
		"Reached within the promise: 33.3%\n",
		"  " + c.Ref + " · rhinoplasty · New · no action yet\n",
		"Overdue: not reached yet\n  Niamh · " + b.Ref + " · facelift · Claimed · was due Mon 30 Nov, 12:00\n",
		"  Niamh · " + c.Ref + " · rhinoplasty · New · was due Mon 30 Nov, 13:00\n" +
			"    Call Niamh: +353 87 123 4567 (tel:+353871234567)\n    I'm handling it: https://www.harbour.example/v1/actions/",
		"  " + d.Ref + " · facelift · received Mon 30 Nov, 12:00 · why: honeypot · from @patient.example\n    Release: https://www.harbour.example/v1/actions/",
		"By coordinator\n  Not claimed · 3 leads, reached within the promise 0%, 0 calls a lead, booked 0%\n",
		"By procedure\n  facelift · 2 leads, reached within the promise 0%, 0 calls a lead, booked 0%\n",
		"  Not sure yet · 1 lead\n",
		"By source\n  direct · 4 leads,",
		"  other · 1 lead, reached within the promise 100%, median to reach 25m",
		"Not a lead · first action after 5m",
	} {
		if !strings.Contains(dg.Subject+"\n"+text, want) {
			t.Errorf("the digest has no %q", want)
		}
	}
	if dg.To[0].Address != manager {
		t.Errorf("digest to %v", dg.To)
	}
	for _, secret := range []string{"Secretld_", "niamh@", "Siobhan"} {
		if strings.Contains(text, secret) || strings.Contains(dg.HTML, secret) {
			t.Errorf("the digest shows %q", secret)
		}
	}
	// Only the overdue leads' first names and phones, to call at once.
	if n := strings.Count(text, "871234567"); n != 2 {
		t.Errorf("the digest shows a phone number %d times, want twice, for the leads overdue", n)
	}
	// The Release link is signed for the digest's recipient and lead D.
	i := strings.Index(text, "Release: https://www.harbour.example/v1/actions/")
	token := strings.Fields(text[i+len("Release: https://www.harbour.example/v1/actions/"):])[0]
	if tok, err := r.signs.Verify(token); err != nil || tok.Lead != "ld_D" || tok.Action != action.Release || tok.Recipient != manager {
		t.Errorf("Release token: %+v, %v", tok, err)
	}
	// One each open day: none on Saturday or Sunday.
	for day := 2; day <= 6; day++ {
		r.tick(at(12, day, 8, 30))
	}
	r.flush(at(12, 6, 9, 0))
	if n := len(r.mailTo("Leads digest ")); n != 4 {
		t.Errorf("%d digests by Sunday, want 4 (Tue to Fri): %v", n, subjects(r.mailTo("Leads digest ")))
	}
}

func subjects(ms []mailpit.Message) string {
	var s []string
	for _, m := range ms {
		s = append(s, m.Subject)
	}
	return fmt.Sprint(s)
}
