package outbox_test

import (
	"context"
	"fmt"
	"github.com/consultahq/consulta/intake/lead"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchmarkEnqueue stores leads from many goroutines, durably (a real
// SQLite file with synchronous=FULL; PostgreSQL with fsync on), and reports
// leads/s and the p50/p99 latency of Enqueue. Sub-benchmarks vary the
// requests in flight (GOMAXPROCS × parallelism).
func BenchmarkEnqueue(b *testing.B) {
	for _, st := range []struct {
		name string
		open opener
	}{{"sqlite", openSQLite}, {"postgres", openPostgres}} {
		for _, par := range []int{10, 32} {
			b.Run(fmt.Sprintf("store=%s/parallelism=%d", st.name, par), func(b *testing.B) { benchmarkEnqueue(b, st.open, par) })
		}
	}
}

func benchmarkEnqueue(b *testing.B, open opener, parallelism int) {
	now := t0
	s, _ := open(b, &now)
	body := []byte(strings.Repeat("A realistic email body line, quoted-printable.\r\n", 80)) // ~4 KB
	var n atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	b.SetParallelism(parallelism)
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			id := fmt.Sprintf("ld_%d", n.Add(1))
			l, msgs := newLead(id, false)
			for i := range msgs {
				msgs[i].Raw = body
			}
			t := time.Now()
			if _, _, err := s.Enqueue(context.Background(), lead.Start(l), id, msgs); err != nil {
				b.Error(err)
				return
			}
			mine = append(mine, time.Since(t))
		}
		mu.Lock()
		lat = append(lat, mine...)
		mu.Unlock()
	})
	elapsed := time.Since(start)
	b.StopTimer()
	slices.Sort(lat)
	if len(lat) > 0 {
		b.ReportMetric(float64(len(lat))/elapsed.Seconds(), "leads/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
	}
}
