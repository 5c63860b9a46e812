package outbox_test

import (
	"context"
	"fmt"
	"github.com/consultahq/consulta/intake/lead"
	"sync"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/pgtest"
	"github.com/jackc/pgx/v5"
)

// twoInstances opens two stores on one PostgreSQL database, as two
// instances of the service would.
func twoInstances(t *testing.T) (a, b *outbox.Store, url string) {
	t.Helper()
	url = pgtest.Start(t).Database(t)
	ctx := context.Background()
	var err error
	if a, err = outbox.OpenPostgres(ctx, url, outbox.WithLease(time.Minute)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { a.Close() })
	if b, err = outbox.OpenPostgres(ctx, url, outbox.WithLease(time.Minute)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close() })
	return a, b, url
}

// TestPostgresClaimOnce has two instances claim from one queue at once:
// every message is claimed by exactly one of them.
func TestPostgresClaimOnce(t *testing.T) {
	ctx := context.Background()
	a, b, _ := twoInstances(t)
	const leads = 300
	var wg sync.WaitGroup
	for i := range leads {
		wg.Go(func() {
			l, msgs := newLead(fmt.Sprintf("ld_%03d", i), false)
			if _, _, err := []*outbox.Store{a, b}[i%2].Enqueue(ctx, lead.Start(l), "", msgs); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var mu sync.Mutex
	claimed := map[string]int{}
	for _, s := range []*outbox.Store{a, b, a, b} { // two workers each
		wg.Go(func() {
			for {
				msgs, err := s.Claim(ctx, time.Now(), 7)
				if err != nil {
					t.Error(err)
					return
				}
				if len(msgs) == 0 {
					return
				}
				mu.Lock()
				for _, m := range msgs {
					claimed[m.ID]++
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(claimed) != 2*leads {
		t.Errorf("%d messages claimed, want %d", len(claimed), 2*leads)
	}
	for id, n := range claimed {
		if n != 1 {
			t.Errorf("%s claimed %d times", id, n)
		}
	}
}

// TestPostgresKeyAcrossInstances sends one idempotency key to two instances
// at once: one lead is stored, and both callers get its id.
func TestPostgresKeyAcrossInstances(t *testing.T) {
	ctx := context.Background()
	a, b, _ := twoInstances(t)
	ids := make([]string, 20)
	dups := make([]bool, 20)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			l, msgs := newLead(fmt.Sprintf("ld_%d", i), false)
			var err error
			if ids[i], dups[i], err = []*outbox.Store{a, b}[i%2].Enqueue(ctx, lead.Start(l), "one-key", msgs); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	firsts := 0
	for i := range ids {
		if ids[i] != ids[0] {
			t.Errorf("caller %d got %q, caller 0 got %q", i, ids[i], ids[0])
		}
		if !dups[i] {
			firsts++
		}
	}
	if st, _ := a.Stats(ctx); firsts != 1 || st.Pending != 2 {
		t.Errorf("%d callers told they were first, %d messages pending; want 1 and 2", firsts, st.Pending)
	}
}

// TestPostgresWakesOtherInstances checks that a lead stored by one instance
// wakes the delivery worker of another (NOTIFY), as does a requeue.
func TestPostgresWakesOtherInstances(t *testing.T) {
	ctx := context.Background()
	a, b, _ := twoInstances(t)
	wake := b.Wake()
	enqueue(t, a, "ld_1", "", false)
	waitWake(t, wake, "a lead stored by the other instance")

	msgs, _ := a.Claim(ctx, time.Now(), 10)
	a.Dead(ctx, msgs[0].ID, fmt.Errorf("550 no such user"))
	wake = b.Wake()
	if n, err := a.Requeue(ctx); n != 1 || err != nil {
		t.Fatalf("Requeue = %d, %v", n, err)
	}
	waitWake(t, wake, "a requeue by the other instance")
}

func waitWake(t *testing.T, wake <-chan struct{}, what string) {
	t.Helper()
	select {
	case <-wake:
	case <-time.After(10 * time.Second):
		t.Errorf("%s: no wake-up in 10s", what)
	}
}

// TestPostgresSchema opens a database twice (the second migrates nothing)
// and refuses one whose schema is newer than the program's.
func TestPostgresSchema(t *testing.T) {
	ctx := context.Background()
	a, b, url := twoInstances(t)
	enqueue(t, a, "ld_1", "k", false)
	if st, _ := b.Stats(ctx); st.Pending != 2 {
		t.Errorf("the second instance sees %d pending, want 2", st.Pending)
	}
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	var version int
	if err := conn.QueryRow(ctx, `SELECT version FROM consulta_schema`).Scan(&version); err != nil || version != 6 {
		t.Errorf("schema version %d, %v; want 6", version, err)
	}
	if _, err := conn.Exec(ctx, `UPDATE consulta_schema SET version = 99`); err != nil {
		t.Fatal(err)
	}
	if s, err := outbox.OpenPostgres(ctx, url); err == nil {
		s.Close()
		t.Error("OpenPostgres accepted a schema newer than its own")
	}
}

// TestPostgresRefusedLead: a lead PostgreSQL refuses (text with a NUL
// byte, which it cannot store) is an error for its caller, and its
// neighbours in the same batch are stored; the store goes on.
func TestPostgresRefusedLead(t *testing.T) {
	ctx := context.Background()
	a, _, _ := twoInstances(t)
	var wg sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		wg.Go(func() {
			l, msgs := newLead(fmt.Sprintf("ld_nul%02d", i), false)
			if i == 7 {
				l.Procedure = "rhino\x00plasty"
			}
			_, _, errs[i] = a.Enqueue(ctx, lead.Start(l), "", msgs)
		})
	}
	wg.Wait()
	for i, err := range errs {
		if (err != nil) != (i == 7) {
			t.Errorf("lead %d: Enqueue = %v; want an error for lead 7 only", i, err)
		}
	}
	if st, err := a.Stats(ctx); err != nil || st.Pending != 2*19 {
		t.Errorf("stats %+v, %v: want the 19 other leads' 38 messages pending", st, err)
	}
}
