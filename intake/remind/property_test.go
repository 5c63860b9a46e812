package remind_test

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
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
// sequences of leads received (some held as spam), buttons pressed, calls
// recorded, undos, releases, ticks of the clock and restarts (the store
// closed and opened again), and checks after each event what the pure
// lifecycle's property test checks (package lead), as the store keeps it:
// states move only as the table allows (an undo back to where the lead
// stood), steps are those the state allows, no email is queued twice, and
// none is lost.
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
	return lead.Policy{Clock: p.cfg.Clock, Coordinator: p.cfg.Practice.To, People: p.cfg.People}
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
		case k < 58:
			id, to := p.leads[p.r.IntN(len(p.leads))], lead.States[1+p.r.IntN(len(lead.States)-1)]
			if p.r.IntN(3) == 0 || to == lead.NotReached || to == lead.Attached { // often enough for follow-ups to fall due
				to = lead.Contacted
			}
			what = "act " + id + " " + to
			if _, _, err := p.store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
				c, ok, err := lead.Act(t, to, lead.Person{Email: manager}, p.now, p.policy())
				return c, nil, ok, err
			}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case k < 68:
			id, outcome := p.leads[p.r.IntN(len(p.leads))], lead.Outcomes[p.r.IntN(len(lead.Outcomes))]
			what = "call " + id + " " + outcome
			back := p.now.Add(time.Duration(1+p.r.IntN(24*60)) * time.Minute)
			if _, _, err := p.store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
				c, ok, err := lead.Call(t, outcome, back, lead.Person{Email: coordinator}, p.now, p.policy())
				c.Event.Note = "called from the desk"
				return c, nil, ok, err
			}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case k < 72:
			id := p.leads[p.r.IntN(len(p.leads))]
			what = "undo " + id
			for _, by := range []string{coordinator, manager} {
				if _, _, err := p.store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
					c, ok := lead.Undo(t, lead.Person{Email: by}, p.now)
					return c, nil, ok, nil
				}); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
		case k < 76:
			id := p.leads[p.r.IntN(len(p.leads))]
			what = "release " + id
			if _, _, err := p.store.Update(ctx, id, func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
				c, ok := lead.Release(t, lead.Person{Email: manager}, p.now, p.policy())
				return c, nil, ok, nil
			}); err != nil {
				t.Fatalf("%s: %v", what, err)
			}
		case k < 80:
			what = "restart"
			p.store.Close()
			p.open()
		case k < 88:
			what = "wait a moment"
			p.now = p.now.Add(time.Duration(1+p.r.IntN(12)) * time.Minute)
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
	// Its history: moves the table allows, from where it started; an undo
	// back to where it stood before the entry it undid.
	events, err := p.events(ctx, id)
	if err != nil {
		return err
	}
	state, held := lead.New, p.held[id]
	if held {
		state = lead.Spam
	}
	before := map[int64]string{} // entry → the state before it
	sent, undone := map[string]int{}, false
	for _, e := range events {
		before[e.id] = state
		switch e.kind {
		case lead.KindState:
			if !lead.CanMove(state, e.state) {
				return fmt.Errorf("history moves %s → %s: %v", state, e.state, events)
			}
			state = e.state
		case lead.KindCall:
			if !lead.CanCall(state) || e.state != "" && e.state != lead.Claimed && e.state != lead.NotReached && e.state != lead.Contacted {
				return fmt.Errorf("a call moves %s → %s: %v", state, e.state, events)
			}
			if e.note != "called from the desk" {
				return fmt.Errorf("the call's note is %q", e.note)
			}
			state = cmp.Or(e.state, state)
		case lead.KindUndo:
			var target int64
			fmt.Sscan(e.detail, &target)
			was, ok := before[target]
			if !ok || e.state != was {
				return fmt.Errorf("undo of entry %d goes to %s, the entry started from %q: %v", target, e.state, was, events)
			}
			state, undone = was, true
		case lead.KindReleased:
			if state != lead.Spam || !held {
				return fmt.Errorf("history releases a lead in %s: %v", state, events)
			}
			state, held = lead.New, false
		default:
			sent[e.kind]++
		}
	}
	if state != l.State || held != l.Lead.Spam {
		return fmt.Errorf("stands %s (held %v), history says %s (held %v)", l.State, l.Lead.Spam, state, held)
	}
	// No step doubled: each taken once, with its emails, and each email
	// with its step; an attempt's email once a call.
	queued, err := p.queued(ctx, id)
	if err != nil {
		return err
	}
	for _, k := range []string{lead.Reminder, lead.Escalation, lead.FollowUp, lead.Unreached, lead.Attempt} {
		want := min(sent[k], 1)
		switch k {
		case lead.Escalation:
			want *= len(p.cfg.Clock.EscalateTo)
		case lead.Attempt:
			want = sent[k]
		}
		if k != lead.Attempt && sent[k] > 1 || len(queued[k]) != want {
			return fmt.Errorf("%d %s steps taken, %d emails queued %v", sent[k], k, len(queued[k]), queued[k])
		}
	}
	// Steps only where the state allows them (an undo may bring back a
	// step its state has left since; the clock drops it when it is due).
	for _, s := range l.Steps {
		if states, _ := lead.StepStates(s.Kind); !slices.Contains(states, l.State) && !undone {
			return fmt.Errorf("a %s step in state %s", s.Kind, l.State)
		}
	}
	// Nothing lost: no step left behind by a tick while open.
	for _, s := range l.Steps {
		if !s.At.After(p.lastOpenTick) {
			return fmt.Errorf("a %s step due %s, the clock ticked open at %s", s.Kind, s.At, p.lastOpenTick)
		}
	}
	clk := p.cfg.Clock
	switch {
	case undone || l.LastCall == lead.CallBack || sent[lead.Reminder] > 0 && l.Calls > 0:
	case (l.State == lead.New || l.State == lead.Claimed) && !l.Lead.Spam && !l.Lead.Due.After(p.lastOpenTick) && len(queued[lead.Reminder]) == 0:
		return fmt.Errorf("%s, due %s, the clock ticked open at %s, and no reminder", l.State, l.Lead.Due, p.lastOpenTick)
	case l.State == lead.Contacted && !clk.FollowUp(l.ContactedAt).After(p.lastOpenTick) && len(queued[lead.FollowUp]) == 0:
		return fmt.Errorf("contacted at %s, the clock ticked open at %s, and no follow-up", l.ContactedAt, p.lastOpenTick)
	}
	return nil
}

// event is an entry of a lead's history as the store wrote it.
type event struct {
	id                        int64
	kind, state, detail, note string
}

// events returns the history of lead id, oldest first.
func (p *prop) events(ctx context.Context, id string) ([]event, error) {
	rows, err := p.raw().QueryContext(ctx, `SELECT id, kind, state, detail, note FROM lead_events WHERE lead_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []event
	for rows.Next() {
		var e event
		if err := rows.Scan(&e.id, &e.kind, &e.state, &e.detail, &e.note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// queued returns when each email of the clock about lead id was queued,
// by kind.
func (p *prop) queued(ctx context.Context, id string) (map[string][]time.Time, error) {
	rows, err := p.raw().QueryContext(ctx, `SELECT kind, created_at FROM messages
		WHERE lead_id = $1 AND kind IN ('reminder', 'escalation', 'follow_up', 'attempt', 'unreached') ORDER BY created_at, id`, id)
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
