package remind_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/hours"
)

// benchPlan is a plan of eight steps, as the demo's rhinoplasty has.
var benchPlan = func() []mail.CareText {
	var out []mail.CareText
	for i, o := range []care.Offset{{N: -14, Unit: care.Day}, {N: -7, Unit: care.Day}, {N: -2, Unit: care.Day}, {N: 1, Unit: care.Day},
		{N: 3, Unit: care.Day}, {N: 1, Unit: care.Week}, {N: 2, Unit: care.Week}, {N: 6, Unit: care.Week}} {
		out = append(out, mail.CareText{Slug: fmt.Sprintf("step-%d", i), Title: "Step", Send: o, Acknowledge: i < 3, Text: "Text."})
	}
	return out
}()

// seedJourneys writes n leads, each with a surgery booked and its eight
// steps to come, straight into a new SQLite store, in one transaction:
// a surgery every half hour from two weeks after start, so that steps
// fall due as often whatever n: the more journeys, the longer they run.
func seedJourneys(b *testing.B, cfg remind.Config, n int, start time.Time) string {
	b.Helper()
	path := filepath.Join(b.TempDir(), "outbox.db")
	s, err := outbox.Open(context.Background(), path)
	if err != nil {
		b.Fatal(err)
	}
	s.Close()
	db, err := sql.Open("sqlite", "file:"+path)
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	p := remind.CarePolicy(cfg)
	p.Care.CoolingOffDays = 0
	booked := start.AddDate(0, 0, -60)
	for i := range n {
		id := fmt.Sprintf("ld_B%06d", i)
		l := lead.Lead{ID: id, Received: booked, Email: "p@patient.example", FirstName: "P", Procedure: "rhinoplasty"}
		data, _ := json.Marshal(l)
		surgery := start.AddDate(0, 0, 14).Add(time.Duration(i) * 30 * time.Minute)
		c, err := lead.Book(lead.Journey{}, l, lead.Appointment{Kind: lead.Surgery, At: surgery, Procedure: "rhinoplasty"}, lead.Person{Name: "N"}, booked, p)
		if err != nil {
			b.Fatal(err)
		}
		jd, _ := json.Marshal(c.After)
		if _, err := tx.Exec(`INSERT INTO leads (id, received, procedure, data, ref, state) VALUES (?, ?, 'rhinoplasty', ?, ?, 'booked')`,
			id, booked.UnixMilli(), string(data), id); err != nil {
			b.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO journeys (lead_id, data, surgery_at, last_step, updated_at) VALUES (?, ?, ?, ?, ?)`,
			id, string(jd), surgery.UnixMilli(), c.After.LastStep().UnixMilli(), booked.UnixMilli()); err != nil {
			b.Fatal(err)
		}
		for _, pd := range c.After.Pending {
			if _, err := tx.Exec(`INSERT INTO journey_steps (lead_id, kind, name, due_at) VALUES (?, ?, ?, ?)`, id, pd.Kind, pd.Name, pd.At.UnixMilli()); err != nil {
				b.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkJourneyTick measures a tick of the clock over 1,000 and 10,000
// journeys of eight steps each, on a SQLite file: each tick comes ten
// minutes after the last and takes what fell due meanwhile (a step or
// two, each in its own transaction, its email queued, as often with 1,000
// journeys as with 10,000). The time and the memory a tick costs must not
// grow with the journeys that wait: the clock reads only what is due.
// heap-MB is the heap in use after the ticks.
func BenchmarkJourneyTick(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("journeys=%d", n), func(b *testing.B) {
			cfg := remind.Config{Clock: hours.Clock{RespondWithin: 2 * time.Hour},
				Practice: mail.Practice{Name: "Harbour Aesthetic Surgery", From: "hello@harbour.example", Coordinator: coordinator,
					Care: mail.Care{Plans: map[string][]mail.CareText{"": benchPlan}}}}
			cfg.CarePlans, cfg.Care = cfg.Practice.Care.Plan, care.Settings{}.WithDefaults("IE")
			start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
			path := seedJourneys(b, cfg, n, start)
			ctx := context.Background()
			now := start
			s, err := outbox.Open(ctx, path, outbox.WithClock(func() time.Time { return now }))
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			b.ReportAllocs()
			for b.Loop() {
				now = now.Add(10 * time.Minute)
				if _, err := remind.Tick(ctx, s, cfg, now); err != nil {
					b.Fatal(err)
				}
			}
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)
			b.ReportMetric(float64(after.HeapInuse)/(1<<20), "heap-MB")
		})
	}
}
