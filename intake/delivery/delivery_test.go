package delivery_test

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/internal/mailpit"
	"github.com/consultahq/consulta/internal/syncbuf"
)

var practice = mail.Practice{
	Name: "Harley Aesthetics", From: "desk@harley.example", Phone: "+44 20 7946 0000",
	Coordinator: "leads@harley.example", CoordinatorName: "Sarah", ReplyWithin: "one working day",
}

// newLead returns lead n, with personal data that the logs must not show.
func newLead(n int) lead.Lead {
	return lead.Lead{
		ID: fmt.Sprintf("ld_test%03d", n), Received: time.Now().UTC(),
		FirstName: "Philippa", LastName: fmt.Sprintf("Quennell%d", n), Email: fmt.Sprintf("philippa%d@patient.example", n),
		Phone: "+447700900456", Procedure: "rhinoplasty", ProcedureTitle: "Rhinoplasty",
		PreferredContact: "email", Message: "Confidential question about my nose",
	}
}

// rig is a store, a Mailpit and a running worker.
type rig struct {
	store *outbox.Store
	mp    *mailpit.Server
	logs  *syncbuf.Buffer
	count struct{ sent, retried, dead atomic.Int64 }
	stop  func()

	planned sync.Map // lead id → lead.Lead, for messages stored planned (see enqueuePlanned)
}

func start(t *testing.T) *rig {
	t.Helper()
	r := &rig{mp: mailpit.Start(t), logs: &syncbuf.Buffer{}}
	store, err := outbox.Open(context.Background(), filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	r.store = store
	tr, err := mail.NewSMTP("smtp://"+r.mp.SMTP+"?tls=none", mail.SMTPOptions{Timeout: 2 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		delivery.Run(ctx, store, tr, delivery.Options{
			Logger:     slog.New(slog.NewJSONHandler(r.logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
			MinBackoff: 20 * time.Millisecond, MaxBackoff: 200 * time.Millisecond,
			Poll:    time.Minute, // wake-ups, not polling, must bring new work
			Compose: r.compose,
			Hooks: delivery.Hooks{
				Delivered: func(string, time.Duration) { r.count.sent.Add(1) },
				Retried:   func(string) { r.count.retried.Add(1) },
				Dead:      func(string) { r.count.dead.Add(1) },
			},
		})
	}()
	r.stop = func() { cancel(); <-done }
	t.Cleanup(func() {
		r.stop()
		store.Close()
		for _, secret := range []string{"Philippa", "Quennell", "patient.example", "+447700900456", "7700900456", "Confidential"} {
			if strings.Contains(r.logs.String(), secret) {
				t.Errorf("the log contains %q:\n%s", secret, r.logs)
			}
		}
	})
	return r
}

func (r *rig) enqueue(t *testing.T, n int) lead.Lead {
	t.Helper()
	l := newLead(n)
	msgs, err := composed(l)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.store.Enqueue(context.Background(), lead.Start(l), l.ID, msgs); err != nil {
		t.Fatal(err)
	}
	return l
}

// enqueuePlanned stores lead n with its messages planned, not composed,
// as the intake service does; the worker composes them with r.compose.
func (r *rig) enqueuePlanned(t *testing.T, l lead.Lead) {
	t.Helper()
	msgs, err := mail.Plan(l, practice, true)
	if err != nil {
		t.Fatal(err)
	}
	r.planned.Store(l.ID, l)
	if _, _, err := r.store.Enqueue(context.Background(), lead.Start(l), l.ID, stored(msgs)); err != nil {
		t.Fatal(err)
	}
}

// compose composes a planned message from the lead enqueuePlanned kept. A
// procedure titled "Uncomposable" cannot be composed.
func (r *rig) compose(_ context.Context, m outbox.Msg) (mail.Message, error) {
	v, ok := r.planned.Load(m.LeadID)
	if !ok {
		return mail.Message{}, fmt.Errorf("no planned lead %s", m.LeadID)
	}
	l := v.(lead.Lead)
	if l.ProcedureTitle == "Uncomposable" {
		return mail.Message{}, fmt.Errorf("compose %s: %w", m.ID, delivery.ErrCompose)
	}
	return mail.Compose(mail.Letter{Kind: m.Kind, ID: m.ID, To: m.To[0], Lead: l}, practice)
}

// composed returns the coordinator's email of l and its confirmation,
// composed before they are stored, as the first releases stored them.
func composed(l lead.Lead) ([]outbox.Message, error) {
	var out []outbox.Message
	for _, kind := range []string{mail.Coordinator, mail.Patient} {
		m, err := mail.Compose(mail.Letter{Kind: kind, Lead: l}, practice)
		if err != nil {
			return nil, err
		}
		out = append(out, outbox.Message(m))
	}
	return out, nil
}

// stored returns msgs as the outbox keeps them.
func stored(msgs []mail.Message) []outbox.Message {
	out := make([]outbox.Message, len(msgs))
	for i, m := range msgs {
		out[i] = outbox.Message{ID: m.ID, Kind: m.Kind, MessageID: m.MessageID, From: m.From, To: m.To, Raw: m.Raw}
	}
	return out
}

// eventually waits up to 10s for cond.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); !cond(); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (r *rig) stats(t *testing.T) outbox.Stats {
	st, err := r.store.Stats(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestLeadReachesMailbox(t *testing.T) {
	r := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second) // the promise: within a second
	defer cancel()
	l := r.enqueue(t, 1)
	got, err := r.mp.Wait(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	var coord *mailpit.Message
	for i := range got {
		if got[i].MessageID == l.ID+".coordinator@harley.example" {
			coord = &got[i]
		}
	}
	if coord == nil {
		t.Fatalf("no coordinator message among %d", len(got))
	}
	if coord.From.Address != practice.From || len(coord.ReplyTo) != 1 || coord.ReplyTo[0].Address != l.Email ||
		coord.Subject != "New consultation request: Rhinoplasty — Philippa" {
		t.Errorf("coordinator message: from %+v, reply-to %+v, subject %q", coord.From, coord.ReplyTo, coord.Subject)
	}
	if !strings.Contains(coord.Text, l.Message) || !strings.Contains(coord.HTML, l.Message) {
		t.Error("the message text is missing from a body")
	}
	eventually(t, "the outbox to empty", func() bool { return r.stats(t) == outbox.Stats{} })
	if r.count.sent.Load() != 2 {
		t.Errorf("Delivered hook called %d times, want 2", r.count.sent.Load())
	}
}

func TestTemporaryFailureRetried(t *testing.T) {
	r := start(t)
	ctx := context.Background()
	if err := r.mp.SetChaos(ctx, mailpit.Chaos{Recipient: mailpit.Trigger{ErrorCode: 451, Probability: 100}}); err != nil {
		t.Fatal(err)
	}
	r.enqueue(t, 1)
	eventually(t, "several retries", func() bool { return r.count.retried.Load() >= 4 })
	if st := r.stats(t); st.Pending != 2 || st.Dead != 0 {
		t.Errorf("during the 451s: %+v", st)
	}
	r.mp.SetChaos(ctx, mailpit.Chaos{})
	if _, err := r.mp.Wait(ctx, 2); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the outbox to empty", func() bool { return r.stats(t) == outbox.Stats{} })
}

func TestPermanentFailureDeadLetteredThenRequeued(t *testing.T) {
	r := start(t)
	ctx := context.Background()
	r.mp.SetChaos(ctx, mailpit.Chaos{Recipient: mailpit.Trigger{ErrorCode: 550, Probability: 100}})
	r.enqueue(t, 1)
	eventually(t, "two dead letters", func() bool { return r.stats(t).Dead == 2 })
	if r.count.dead.Load() != 2 || r.count.retried.Load() != 0 {
		t.Errorf("hooks: %d dead, %d retried; want 2, 0", r.count.dead.Load(), r.count.retried.Load())
	}
	if !strings.Contains(r.logs.String(), "RCPT 550") {
		t.Errorf("the log does not give the reason:\n%s", r.logs)
	}
	r.mp.SetChaos(ctx, mailpit.Chaos{})
	if n, err := r.store.Requeue(ctx); err != nil || n != 2 {
		t.Fatalf("Requeue = %d, %v", n, err)
	}
	if _, err := r.mp.Wait(ctx, 2); err != nil {
		t.Fatal(err)
	}
}

func TestMailServerOutage(t *testing.T) {
	r := start(t)
	ctx := context.Background()
	r.mp.Stop()
	for n := range 5 {
		r.enqueue(t, n)
	}
	eventually(t, "retries during the outage", func() bool { return r.count.retried.Load() >= 10 })
	r.mp.Restart()
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if _, err := r.mp.Wait(wctx, 10); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the outbox to empty", func() bool { return r.stats(t) == outbox.Stats{} })
}

func TestStopFinishesSendInProgress(t *testing.T) {
	store, err := outbox.Open(context.Background(), filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dir := t.TempDir()
	started := make(chan struct{}, 10)
	tr := slowDir{Dir: mail.Dir{Path: dir}, delay: 300 * time.Millisecond, started: started}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		delivery.Run(ctx, store, tr, delivery.Options{Workers: 1})
		close(done)
	}()
	l := newLead(1)
	msgs, _ := composed(l)
	store.Enqueue(context.Background(), lead.Start(l), "", msgs)
	<-started
	cancel()
	<-done
	st, _ := store.Stats(context.Background())
	if st.Pending != 1 { // one sent, one given back untried
		t.Errorf("after stop: %+v, want 1 pending", st)
	}
	if m, _ := filepath.Glob(filepath.Join(dir, "*.eml")); len(m) != 1 {
		t.Errorf("%d files written, want the 1 in progress", len(m))
	}
	if due, _ := store.Claim(context.Background(), time.Now(), 10); len(due) != 1 || due[0].Attempts != 0 {
		t.Errorf("the message not started is not due again untried: %+v", due)
	}
}

func TestRestartResendsClaimed(t *testing.T) {
	store, err := outbox.Open(context.Background(), filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	l := newLead(1)
	msgs, _ := composed(l)
	store.Enqueue(context.Background(), lead.Start(l), "", msgs)
	if claimed, _ := store.Claim(context.Background(), time.Now(), 10); len(claimed) != 2 {
		t.Fatalf("claimed %d", len(claimed)) // as a worker that then crashed
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		delivery.Run(ctx, store, mail.Dir{Path: dir}, delivery.Options{})
		close(done)
	}()
	defer func() { cancel(); <-done }()
	eventually(t, "both messages resent well within the lease", func() bool {
		m, _ := filepath.Glob(filepath.Join(dir, "*.eml"))
		return len(m) == 2
	})
}

// slowDir is a Dir transport that takes its time, so a stop can land mid-send.
type slowDir struct {
	mail.Dir
	delay   time.Duration
	started chan struct{}
}

func (s slowDir) Send(ctx context.Context, m mail.Message) error {
	s.started <- struct{}{}
	select {
	case <-time.After(s.delay):
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.Dir.Send(ctx, m)
}

// TestPlannedMessagesComposedOnDelivery: messages stored without their
// content are composed just before they are sent, and arrive whole.
func TestPlannedMessagesComposedOnDelivery(t *testing.T) {
	r := start(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	l := newLead(7)
	r.enqueuePlanned(t, l)
	got, err := r.mp.Wait(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	for _, kind := range []string{mail.Coordinator, mail.Patient} {
		var m *mailpit.Message
		for i := range got {
			if got[i].MessageID == l.ID+"."+kind+"@harley.example" {
				m = &got[i]
			}
		}
		if m == nil || !strings.Contains(m.Text, "Philippa") || m.Subject == "" {
			t.Errorf("%s message %+v: want it composed, with its subject and the patient's first name", kind, m)
		}
	}
	eventually(t, "the outbox to empty", func() bool { return r.stats(t) == outbox.Stats{} })
}

// TestUncomposableDeadLettered: a message that cannot be composed is
// dead-lettered at once, not retried, and the log says why without
// personal data.
func TestUncomposableDeadLettered(t *testing.T) {
	r := start(t)
	l := newLead(8)
	l.ProcedureTitle = "Uncomposable"
	r.enqueuePlanned(t, l)
	eventually(t, "two dead letters", func() bool { return r.stats(t).Dead == 2 })
	if r.count.dead.Load() != 2 || r.count.retried.Load() != 0 || r.count.sent.Load() != 0 {
		t.Errorf("hooks: %d dead, %d retried, %d sent; want 2, 0, 0", r.count.dead.Load(), r.count.retried.Load(), r.count.sent.Load())
	}
	if !strings.Contains(r.logs.String(), "cannot be composed") {
		t.Errorf("the log does not say the message cannot be composed:\n%s", r.logs)
	}
}

// TestComposeFailureRetried: a lead that cannot be read just now (the
// store busy, say) is tried again, not dead-lettered.
func TestComposeFailureRetried(t *testing.T) {
	r := start(t)
	l := newLead(9)
	msgs, err := mail.Plan(l, practice, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := r.store.Enqueue(context.Background(), lead.Start(l), l.ID, stored(msgs)); err != nil { // not in r.planned
		t.Fatal(err)
	}
	eventually(t, "retries", func() bool { return r.count.retried.Load() >= 2 })
	r.planned.Store(l.ID, l)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.mp.Wait(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if r.stats(t).Dead != 0 {
		t.Error("a message that could not be composed just now was dead-lettered")
	}
}
