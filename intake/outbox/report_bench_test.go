package outbox_test

import (
	"context"
	"fmt"
	"io"
	"syscall"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/report"
)

// reportLeads is how many leads BenchmarkReport reads.
const reportLeads = 100_000

// seedReport writes n leads over the 30 days before t0 straight into a new
// store's file, in one transaction: three in four claimed, most within
// two hours, the rest new, contacted, booked or not a lead.
func seedReport(b *testing.B, n int) string {
	b.Helper()
	now := t0
	st, path := open(b, &now)
	st.Close()
	db := rawDB(b, path)
	tx, err := db.Begin()
	if err != nil {
		b.Fatal(err)
	}
	ins, err := tx.Prepare(`INSERT INTO leads (id, received, procedure, data, ref, source, state, state_at, state_by,
		due, acted_at, claimed_at, claimed_by) VALUES (?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		b.Fatal(err)
	}
	procedures := []string{"rhinoplasty", "facelift", "breast-augmentation", "liposuction", "not-sure"}
	sources := []string{"direct", "google", "google-ads", "meta-ads", "instagram.com"}
	states := []string{"claimed", "contacted", "booked", "closed", "new", "not_a_lead"}
	span := 30 * 24 * time.Hour
	for i := range n {
		received := t0.Add(-span + time.Duration(i)*(span/time.Duration(n)))
		due := received.Add(2 * time.Hour)
		state := states[i%len(states)]
		var acted, claimed any
		by := ""
		if state != "new" {
			at := received.Add(time.Duration(i%240) * time.Minute)
			acted = at.UnixMilli()
			if state != "not_a_lead" {
				claimed, by = at.UnixMilli(), fmt.Sprintf("coordinator%d@example.org", i%3)
			}
		}
		if _, err := ins.Exec(fmt.Sprintf("ld_%08d", i), received.UnixMilli(), procedures[i%len(procedures)],
			fmt.Sprintf("HAS-%s-%04d", received.Format("0102"), i%10000), sources[i%len(sources)], state,
			received.UnixMilli(), by, due.UnixMilli(), acted, claimed, by); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	return path
}

// BenchmarkReport measures `consulta intake report --format json` over
// 100,000 leads: reading them, computing every figure, writing the JSON.
func BenchmarkReport(b *testing.B) {
	path := seedReport(b, reportLeads)
	ctx := context.Background()
	s, err := outbox.Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	from, to := t0.Add(-31*24*time.Hour), t0
	cpu0 := cpuTime()
	for b.Loop() {
		leads, err := s.List(ctx, from, to)
		if err != nil {
			b.Fatal(err)
		}
		r := figures.Compute(leads, from, to, to, time.UTC)
		if r.Summary.Leads != reportLeads {
			b.Fatalf("report of %d leads, want %d", r.Summary.Leads, reportLeads)
		}
		if err := report.WriteJSON(io.Discard, r); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(reportLeads), "leads")
	// CPU time as well as wall time: on a shared, busy machine the wall
	// time says more of the neighbours than of the report.
	b.ReportMetric((cpuTime()-cpu0).Seconds()/float64(b.N), "cpu-s/op")
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
