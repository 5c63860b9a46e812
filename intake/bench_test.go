package intake

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/remind"
	"github.com/consultahq/consulta/internal/hours"
	"github.com/consultahq/consulta/internal/pgtest"
	"golang.org/x/time/rate"
)

// benchServer serves the handler over loopback with a real SQLite file
// (WAL, synchronous=FULL, group commit), as in production.
func benchServer(b *testing.B, edit func(*Config)) (*httptest.Server, *http.Client) {
	srv, client, _ := benchFixture(b, edit)
	return srv, client
}

// benchFixture is benchServer, with the fixture behind it.
func benchFixture(b *testing.B, edit func(*Config)) (*httptest.Server, *http.Client, *fixture) {
	f := newFixture(b, func(c *Config) {
		c.Now = time.Now
		if edit != nil {
			edit(c)
		}
	})
	// Log as in production (text, info and up) rather than into the
	// fixture's in-memory debug log, which would grow with every request.
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(NewServer(logger, f.cfg, f.store, nil))
	b.Cleanup(srv.Close)
	return srv, newClient(256), f
}

// newClient returns a client that keeps up to conns connections alive.
func newClient(conns int) *http.Client {
	return &http.Client{Transport: &http.Transport{MaxIdleConns: conns, MaxIdleConnsPerHost: conns, MaxConnsPerHost: conns}}
}

// postLead sends one valid lead from client address ip and returns the
// status and how long the answer took.
func postLead(client *http.Client, url, body, ip string) (int, time.Duration, error) {
	req, _ := http.NewRequest(http.MethodPost, url+"/v1/consultations", strings.NewReader(body))
	req.Header.Set("Content-Type", ctJSON)
	req.Header.Set("X-Forwarded-For", ip)
	start := time.Now()
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, time.Since(start), nil
}

// latencies collects answer times from many goroutines.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d []time.Duration) {
	l.mu.Lock()
	l.d = append(l.d, d...)
	l.mu.Unlock()
}

func (l *latencies) report(b *testing.B, prefix string) {
	slices.Sort(l.d)
	if len(l.d) == 0 {
		return
	}
	at := func(q float64) float64 {
		return float64(l.d[min(len(l.d)-1, int(q*float64(len(l.d))))].Microseconds()) / 1000
	}
	b.ReportMetric(at(0.50), prefix+"p50-ms")
	b.ReportMetric(at(0.99), prefix+"p99-ms")
}

// BenchmarkDurableLeads measures accepted leads per second over loopback,
// each answered only after its transaction has been committed to disk:
// with the SQLite file, and with one and two instances of the service
// sharing one PostgreSQL (durable: fsync and synchronous_commit on), the
// requests spread over the instances in turn.
func BenchmarkDurableLeads(b *testing.B) {
	b.Run("store=sqlite", func(b *testing.B) {
		srv, client := benchServer(b, func(c *Config) { c.RateLimit = rate.Inf })
		benchmarkDurableLeads(b, client, []string{srv.URL})
	})
	// Every lead with a fresh form token and an address of its own, and no
	// cap: each is stored with the patient's confirmation too, two emails,
	// as every lead was before confirmations needed a token.
	b.Run("store=sqlite,confirmed", func(b *testing.B) {
		srv, client, f := benchFixture(b, func(c *Config) { c.RateLimit, c.ConfirmationsPerHour = rate.Inf, 1<<30 })
		bodies := confirmedBodies(b.N, f.cfg.Secret)
		var next, ip atomic.Int64
		b.SetParallelism(16)
		lat, elapsed := sendLeads(b, client, func() string { return srv.URL }, func() string { return bodies[next.Add(1)-1] },
			func() string { return fmt.Sprintf("198.51.100.%d", ip.Add(1)%250) })
		b.ReportMetric(float64(b.N)/elapsed.Seconds(), "leads/s")
		lat.report(b, "")
		if st := f.stats(b); st.Pending != 2*b.N { // no worker runs: every email waits
			b.Fatalf("%d emails queued for %d leads, want two each", st.Pending, b.N)
		}
	})
	b.Run("store=postgres", func(b *testing.B) {
		for _, n := range []int{1, 2} {
			b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
				benchmarkDurableLeads(b, newClient(256), postgresInstances(b, n))
			})
		}
	})
}

// confirmedBodies returns n requests, each from an address of its own with
// a form token of its own, issued a minute ago.
func confirmedBodies(n int, secret []byte) []string {
	tok := tokens{secret: secret}
	issued := time.Now().Add(-time.Minute)
	out := make([]string, n)
	for i := range out {
		l := validLead()
		l["email"] = fmt.Sprintf("patient%d@mail.example", i)
		l["form_token"] = tok.issue(issued.Add(-time.Duration(i) * time.Millisecond))
		out[i] = asJSON(l)
	}
	return out
}

func benchmarkDurableLeads(b *testing.B, client *http.Client, urls []string) {
	body := asJSON(validLead())
	var next, turn atomic.Int64
	b.SetParallelism(16) // 16 × GOMAXPROCS patients at once
	lat, elapsed := sendLeads(b, client, func() string { return urls[turn.Add(1)%int64(len(urls))] }, func() string { return body }, func() string {
		return fmt.Sprintf("198.51.100.%d", next.Add(1)%250)
	})
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "leads/s")
	lat.report(b, "")
}

// postgresInstances serves n instances of the service over loopback, each
// with its own connections to one PostgreSQL database, and returns their
// URLs.
func postgresInstances(b *testing.B, n int) []string {
	db := pgtest.Start(b).Database(b)
	f := newFixture(b, func(c *Config) { c.Now, c.RateLimit = time.Now, rate.Inf })
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	var urls []string
	for range n {
		store, err := outbox.OpenPostgres(context.Background(), db)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { store.Close() })
		srv := httptest.NewServer(NewServer(logger, f.cfg, store, nil))
		b.Cleanup(srv.Close)
		urls = append(urls, srv.URL)
	}
	return urls
}

// sendLeads sends b.N leads in parallel, each to the service url returns
// from the client address ip returns, and fails the benchmark if one is
// not accepted.
func sendLeads(b *testing.B, client *http.Client, url func() string, body func() string, ip func() string) (*latencies, time.Duration) {
	var lat latencies
	var failed atomic.Int64
	b.ResetTimer()
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		var mine []time.Duration
		for pb.Next() {
			code, d, err := postLead(client, url(), body(), ip())
			if err != nil || code != http.StatusAccepted {
				failed.Add(1)
				continue
			}
			mine = append(mine, d)
		}
		lat.add(mine)
	})
	elapsed := time.Since(start)
	b.StopTimer()
	if failed.Load() > 0 {
		b.Fatalf("%d leads not accepted", failed.Load())
	}
	return &lat, elapsed
}

// floodRate is the flood of BenchmarkFlood, in requests per second.
const floodRate = 20000

// BenchmarkFlood floods the service from one client at floodRate (or as
// fast as the machine allows, if less), while other clients send real
// leads: it reports how many flood requests per second were turned away
// (429) and the real leads' rate and latency.
func BenchmarkFlood(b *testing.B) {
	srv, client := benchServer(b, func(c *Config) { c.RateBurst = 5 }) // the default limit: 1 every 10s, burst 5
	body := asJSON(validLead())
	flood := newClient(64)
	defer flood.CloseIdleConnections()
	pace := rate.NewLimiter(floodRate, 64)

	ctx, stop := context.WithCancel(context.Background())
	var turnedAway, floodSent atomic.Int64
	var wg sync.WaitGroup
	for range 64 {
		wg.Go(func() {
			for pace.Wait(ctx) == nil {
				code, _, err := postLead(flood, srv.URL, body, "203.0.113.66")
				floodSent.Add(1)
				if err == nil && code == http.StatusTooManyRequests {
					turnedAway.Add(1)
				}
			}
		})
	}
	var next atomic.Int64
	lat, elapsed := sendLeads(b, client, func() string { return srv.URL }, func() string { return body }, func() string {
		n := next.Add(1) // a new client each time: real patients send once
		return fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255)
	})
	stop()
	wg.Wait()
	b.ReportMetric(float64(turnedAway.Load())/elapsed.Seconds(), "flood-429/s")
	b.ReportMetric(100*float64(turnedAway.Load())/max(1, float64(floodSent.Load())), "flood-429-%")
	b.ReportMetric(float64(b.N)/elapsed.Seconds(), "leads/s")
	lat.report(b, "lead-")
}

// BenchmarkDurableLeadsWithClock is BenchmarkDurableLeads with the response
// clock's background work running beside the handler, as Service.Run runs
// it: woken by every lead, it looks for due steps and the digest. Read its
// leads/s beside BenchmarkDurableLeads of the same run. With promise=1ms
// every lead falls due at once, and the clock writes a reminder for each
// while leads keep coming: the worst case.
func BenchmarkDurableLeadsWithClock(b *testing.B) {
	for _, promise := range []time.Duration{2 * time.Hour, time.Millisecond} {
		b.Run("promise="+promise.String(), func(b *testing.B) {
			srv, client, f := benchFixture(b, func(c *Config) {
				c.RateLimit = rate.Inf
				c.Clock = hours.Clock{RespondWithin: promise, EscalateTo: []string{"manager@harbour.example"},
					DigestTo: []string{"manager@harbour.example"}}
			})
			s := newServer(slog.New(slog.DiscardHandler), f.cfg.WithDefaults(), f.store, nil)
			ctx, stop := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				remind.Run(ctx, f.store, s.remindConfig())
			}()
			body := asJSON(validLead())
			var next atomic.Int64
			b.SetParallelism(16)
			lat, elapsed := sendLeads(b, client, func() string { return srv.URL }, func() string { return body }, func() string {
				return fmt.Sprintf("198.51.100.%d", next.Add(1)%250)
			})
			stop()
			<-done
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "leads/s")
			lat.report(b, "")
		})
	}
}
