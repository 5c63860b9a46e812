package delivery_test

import (
	"context"
	"errors"
	"github.com/consultahq/consulta/intake/lead"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// fullDisk is a store whose Done fails a number of times first, as when
// the disk is full for a moment.
type fullDisk struct {
	*outbox.Store
	failures atomic.Int64
}

func (s *fullDisk) Done(ctx context.Context, id string) error {
	if s.failures.Add(-1) >= 0 {
		return errors.New("done " + id + ": database or disk is full (13)")
	}
	return s.Store.Done(ctx, id)
}

// counter is a transport that counts what it sends.
type counter struct{ sent atomic.Int64 }

func (c *counter) Send(context.Context, mail.Message) error { c.sent.Add(1); return nil }

// TestOutcomeIsRecordedDespiteAFullDisk: when recording a sent message
// fails, the worker tries again, so that the message is not left
// "sending" until its lease ends and then sent twice.
func TestOutcomeIsRecordedDespiteAFullDisk(t *testing.T) {
	const lease = 300 * time.Millisecond
	sqlite, err := outbox.Open(context.Background(), filepath.Join(t.TempDir(), "outbox.db"), outbox.WithLease(lease))
	if err != nil {
		t.Fatal(err)
	}
	defer sqlite.Close()
	store := &fullDisk{Store: sqlite}
	store.failures.Store(3)
	l := newLead(1)
	msgs, err := composed(l)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Enqueue(context.Background(), lead.Start(l), "", msgs[:1]); err != nil {
		t.Fatal(err)
	}
	tr := &counter{}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		delivery.Run(ctx, store, tr, delivery.Options{Poll: 20 * time.Millisecond, RecordRetry: 10 * time.Millisecond})
	}()
	time.Sleep(3 * lease) // long enough for a lease to run out and the message to be sent again
	cancel()
	<-done
	if n := tr.sent.Load(); n != 1 {
		t.Errorf("the message was sent %d times, want once", n)
	}
	if st, err := sqlite.Stats(context.Background()); err != nil || st.Pending != 0 {
		t.Errorf("stats %+v, %v: want the message recorded as sent (sent %d times)", st, err, tr.sent.Load())
	}
}
