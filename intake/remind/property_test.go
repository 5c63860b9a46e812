package remind_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/hours"
	"github.com/consultahq/consulta/internal/pgtest"
	_ "github.com/jackc/pgx/v5/stdlib" // database/sql for PostgreSQL: the test reads what the store wrote
)

// TestClockProperties drives a real store, on each flavour, through random
// sequences of leads received (some held as spam), buttons pressed,
// releases, ticks of the clock and restarts (the store closed and opened
// again), and checks after each event what the pure lifecycle's property
// test checks (package lead), as the store keeps it: states move only as
// the table allows, steps are those the state allows, no email is queued
// twice, and none is lost.
func TestClockProperties(t *testing.T) {
	runs := map[string]int{"sqlite": 12, "postgres": 4}
	if testing.Short() {
		runs = map[string]int{"sqlite": 2, "postgres": 1}
	}
	for _, flavour := range []string{"sqlite", "postgres"} {
		t.Run(flavour, func(t *testing.T) {
			for run := range runs[flavour] {
				url := ""
				if flavour == "postgres" {
					url = pgtest.Start(t).Database(t)
				}
				p := &prop{t: t, r: rand.New(rand.NewPCG(uint64(run), 7)), url: url, path: filepath.Join(t.TempDir(), "outbox.db"),
					held: map[string]bool{}}
				p.run(60)
			}
		})
	}
}

// prop is one run of TestClockProperties.
type prop struct {
	t            *testing.T
	r            *rand.Rand
	url, path    string
	store        *outbox.Store
	cfg          remind.Config
	now          time.Time
	lastOpenTick time.Time
	leads        []string
	held         map[string]bool // the leads received held as spam
	history      []string
	db           *sql.DB
}

func (p *prop) open() {
	var err error
	clock := outbox.WithClock(func() time.Time { return p.now })
	if p.url != "" {
		p.store, err = outbox.OpenPostgres(context.Background(), p.url, clock)
	} else {
		p.store, err = outbox.Open(context.Background(), p.path, clock)
	}
	if err != nil {
		p.t.Fatal(err)
	}
}

func (p *prop) policy() lead.Policy {
	return lead.Policy{Clock: p.cfg.Clock, Coordinator: p.cfg.Practice.To}
}

func (p *prop) run(n int) {
	t := p.t
	w, _, err := hours.ParseWeek(map[string]string{"mon-fri": "09:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	p.cfg = remind.Config{
		Clock: hours.Clock{Schedule: hours.Schedule{Location: dublin, Week: w}, RespondWithin: 2 * time.Hour,
			EscalateTo: []string{manager, "owner@harbour.example"}, FollowUpAfter: 3},
		Practice: mail.Practice{Name: "Harbour Aesthetic Surgery", From: "hello@harbour.example", Coordinator: coordinator, TimeZone: dublin},
	}
	p.now = at(11, 27, 8, 0).Add(time.Duration(p.r.IntN(5*24*60)) * time.Minute)
	p.open()
	defer func() { p.store.Close() }()
	ctx := context.Background()
	for i := range n {
		var what string
		switch k := p.r.IntN(100); {
		case k < 15 || len(p.leads) == 0:
			id := fmt.Sprintf("ld_%02d", len(p.leads))
			what = "receive " + id
			l := lead.Lead{ID: id, Received: p.now, Due: p.policy().Due(p.now), FirstName: "Niamh", Email: "niamh@patient.example",
				Procedure: "rhinoplasty", Spam: p.r.IntN(4) == 0}
			msgs, err := mail.Plan(l, p.cfg.Practice, false)
			if err != nil {
				t.Fatal(err)
			}
			if _, _, err := p.store.Enqueue(ctx, lead.Start(l), "", []outbox.Message{outbox.Message(msgs[0])}); err != nil {
				t.Fatal(err)
			}
			p.leads = append(p.leads, id)
			p.held[id] = l.Spam
		case k < 45:
			what = "tick"
			if _, err := remind.Tick(ctx, p.store, p.cfg, p.now); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			if p.cfg.Clock.Open(p.now) {
				p.lastOpenTick = p.now
			}
			if due, err := p.store.DueSteps(ctx, p.now, 10); err != nil || len(due) > 0 {
				t.Fatalf("event %d: after a tick at %s, %d leads have a step due (%v)", i, p.now, len(due), err)
			}
		case k < 65:
			id, to := p.leads[p.r.IntN(len(p.leads))], lead.States[1+p.r.IntN(len(lead.States)-1)]
			if p.r.IntN(3) == 0 { // often enough for follow-ups to fall due
				to = lead.Contacted
			}
			what = "act " + id + " " + to
			if _, _, err := p.store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
				c, ok, err := lead.Act(t, to, manager, p.now, p.policy())
				return c, nil, ok, err
			}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case k < 72:
			id := p.leads[p.r.IntN(len(p.leads))]
			what = "release " + id
			if _, _, err := p.store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
				c, ok := lead.Release(t, manager, p.now, p.policy())
				return c, nil, ok, nil
			}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case k < 80:
			what = "restart"
			p.store.Close()
			p.open()
		default:
			what = "wait"
			p.now = p.now.Add(time.Duration(1+p.r.IntN(2*24*60)) * time.Minute)
		}
		p.history = append(p.history, what)
		for _, id := range p.leads {
			if err := p.holds(ctx, id); err != nil {
				t.Fatalf("event %d (%s at %s): lead %s: %v\nhistory: %v", i, what, p.now.Format(time.DateTime), id, err, p.history)
			}
		}
	}
}

// holds checks lead id as the store keeps it.
func (p *prop) holds(ctx context.Context, id string) error {
	l, err := p.store.Lead(ctx, id)
	if err != nil {
		return err
	}
	// Its history: moves the table allows, from where it started.
	events, err := p.events(ctx, id)
	if err != nil {
		return err
	}
	state, held := lead.New, len(events) > 0 && events[0] == "held"
	if held {
		state = lead.Spam
	}
	sent := map[string]int{}
	for _, e := range events[1:] {
		var kind, to string
		fmt.Sscan(e, &kind, &to)
		switch kind {
		case "state":
			if !lead.CanMove(state, to) {
				return fmt.Errorf("history moves %s → %s: %v", state, to, events)
			}
			state = to
		case "released":
			if state != lead.Spam || !held {
				return fmt.Errorf("history releases a lead in %s: %v", state, events)
			}
			state, held = lead.New, false
		default:
			sent[kind]++
		}
	}
	if state != l.State || held != l.Lead.Spam {
		return fmt.Errorf("stands %s (held %v), history says %s (held %v)", l.State, l.Lead.Spam, state, held)
	}
	// No step doubled: each taken once, with its emails, and each email
	// with its step.
	queued, err := p.queued(ctx, id)
	if err != nil {
		return err
	}
	for _, k := range []string{lead.Reminder, lead.Escalation, lead.FollowUp} {
		want := 0
		if sent[k] > 0 {
			want = 1
			if k == lead.Escalation {
				want = len(p.cfg.Clock.EscalateTo)
			}
		}
		if sent[k] > 1 || len(queued[k]) != want {
			return fmt.Errorf("%d %s steps taken, %d emails queued %v", sent[k], k, len(queued[k]), queued[k])
		}
	}
	// Steps only where the state allows them.
	for _, s := range l.Steps {
		if want := map[string]string{lead.Reminder: lead.New, lead.Escalation: lead.New, lead.FollowUp: lead.Contacted}[s.Kind]; want != l.State {
			return fmt.Errorf("a %s step in state %s", s.Kind, l.State)
		}
	}
	// Nothing lost.
	clk := p.cfg.Clock
	switch {
	case l.State == lead.New && !l.Lead.Spam && !l.Lead.Due.After(p.lastOpenTick) && len(queued[lead.Reminder]) == 0:
		return fmt.Errorf("new, due %s, the clock ticked open at %s, and no reminder", l.Lead.Due, p.lastOpenTick)
	case l.State == lead.Contacted && !clk.FollowUp(l.ContactedAt).After(p.lastOpenTick) && len(queued[lead.FollowUp]) == 0:
		return fmt.Errorf("contacted at %s, the clock ticked open at %s, and no follow-up", l.ContactedAt, p.lastOpenTick)
	case l.State == lead.New && len(queued[lead.Reminder]) > 0 && len(queued[lead.Escalation]) == 0:
		reminded := queued[lead.Reminder][0]
		escalation := clk.Escalation(l.Lead.Due)
		if !escalation.After(reminded) {
			escalation = reminded.Add(time.Minute)
		}
		if !escalation.After(p.lastOpenTick) {
			return fmt.Errorf("reminded at %s, escalation due %s, the clock ticked open at %s, and no escalation", reminded, escalation, p.lastOpenTick)
		}
	}
	return nil
}

// events returns the history of lead id: "held" or "new" for how it
// started, then "state <state>", "released" and the steps taken, in order.
func (p *prop) events(ctx context.Context, id string) ([]string, error) {
	out := []string{"new"}
	if p.held[id] {
		out[0] = "held"
	}
	rows, err := p.raw().QueryContext(ctx, `SELECT kind, state FROM lead_events WHERE lead_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, state string
		if err := rows.Scan(&kind, &state); err != nil {
			return nil, err
		}
		out = append(out, strings.TrimSpace(kind+" "+state))
	}
	return out, rows.Err()
}

// queued returns when each email of the clock about lead id was queued,
// by kind.
func (p *prop) queued(ctx context.Context, id string) (map[string][]time.Time, error) {
	rows, err := p.raw().QueryContext(ctx, `SELECT kind, created_at FROM messages
		WHERE lead_id = $1 AND kind IN ('reminder', 'escalation', 'follow_up') ORDER BY created_at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string][]time.Time{}
	for rows.Next() {
		var kind string
		var at int64
		if err := rows.Scan(&kind, &at); err != nil {
			return nil, err
		}
		out[kind] = append(out[kind], time.UnixMilli(at))
	}
	return out, rows.Err()
}

// raw is a plain connection to the store's database, to read what it
// wrote.
func (p *prop) raw() *sql.DB {
	if p.db == nil {
		driver, dsn := "sqlite", "file:"+p.path
		if p.url != "" {
			driver, dsn = "pgx", p.url
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			p.t.Fatal(err)
		}
		p.t.Cleanup(func() { db.Close() })
		p.db = db
	}
	return p.db
}
