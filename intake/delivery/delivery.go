// Package delivery sends the outbox's messages: it claims what is due,
// composes each from what the store then holds (Composer), sends it, and
// records the outcome, retrying temporary failures with capped
// exponential backoff for as long as it takes and dead-lettering
// permanent ones.
//
// Logs name messages by id only: never an address, a name or the text.
package delivery

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// Options tune Run. The zero value is usable.
type Options struct {
	Logger      *slog.Logger  // nil discards
	SendTimeout time.Duration // for one message's whole session; default DefaultSendTimeout
	Workers     int           // messages sent at once; default 2
	// MinBackoff is the wait after a first temporary failure; it doubles
	// with each further failure up to MaxBackoff, with jitter. Defaults:
	// 30 seconds, 1 hour.
	MinBackoff, MaxBackoff time.Duration
	// Poll is the longest the worker sleeps when nothing is due (a safety
	// net: Enqueue and Requeue wake it at once). Default 1 minute.
	Poll time.Duration
	// RecordRetry is the first wait before trying again to record an
	// outcome that the store failed to record (a full disk); it doubles
	// with each try, for about a minute. Default 100 milliseconds.
	RecordRetry time.Duration
	Hooks       Hooks
	Now         func() time.Time // default time.Now
	// Compose builds a message stored without its content (Raw empty):
	// the intake service stores a lead's messages planned, not composed,
	// and they are composed here, just before they are sent. An error
	// wrapping ErrCompose dead-letters the message; any other is retried.
	// Nil sends every message as stored.
	Compose func(ctx context.Context, m outbox.Msg) (mail.Message, error)
}

// Store is what the worker needs of the outbox (an *outbox.Store).
type Store interface {
	Claim(ctx context.Context, now time.Time, n int) ([]outbox.Msg, error)
	Done(ctx context.Context, id string) error
	Retry(ctx context.Context, id string, cause error, next time.Time) error
	Dead(ctx context.Context, id string, cause error) error
	Release(ctx context.Context, id string) error
	Recover(ctx context.Context) (int, error)
	NextDue(ctx context.Context) (time.Time, bool, error)
	Wake() <-chan struct{}
}

// ErrCompose marks a message that cannot be composed from what is stored:
// trying again will not help.
var ErrCompose = errors.New("cannot compose")

// Hooks are called after each outcome, e.g. to count it in metrics. Any may
// be nil. Kind is mail.Coordinator or mail.Patient.
type Hooks struct {
	Delivered func(kind string, latency time.Duration) // latency since the lead was stored
	Retried   func(kind string)
	Dead      func(kind string)
}

// DefaultSendTimeout is how long one message's whole session may take
// when Options.SendTimeout is zero.
const DefaultSendTimeout = 2 * time.Minute

func (o *Options) defaults() {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SendTimeout <= 0 {
		o.SendTimeout = DefaultSendTimeout
	}
	if o.Workers <= 0 {
		o.Workers = 2
	}
	if o.MinBackoff <= 0 {
		o.MinBackoff = 30 * time.Second
	}
	if o.MaxBackoff < o.MinBackoff {
		o.MaxBackoff = max(o.MinBackoff, time.Hour)
	}
	if o.Poll <= 0 {
		o.Poll = time.Minute
	}
	if o.RecordRetry <= 0 {
		o.RecordRetry = 100 * time.Millisecond
	}
	if o.Now == nil {
		o.Now = time.Now
	}
}

// Run delivers messages from store through t until ctx is cancelled. On
// cancellation it lets the sends in progress finish, gives back what it
// claimed but had not started, and returns nil.
//
// It starts by taking back what a crashed run left claimed (Store.Recover):
// on SQLite, where it is the only worker, it sends those at once; on
// PostgreSQL, shared by several instances each running its own worker,
// they wait for their lease to run out.
func Run(ctx context.Context, store Store, t mail.Transport, opt Options) error {
	opt.defaults()
	w := worker{store: store, t: t, opt: opt, log: opt.Logger}
	if n, err := store.Recover(ctx); err != nil {
		w.log.Error("recover messages claimed before a crash", "err", err)
	} else if n > 0 {
		w.log.Warn("resending messages that were being sent when the service stopped", "messages", n)
	}
	for ctx.Err() == nil {
		wake := store.Wake() // taken before Claim, so no signal is missed
		msgs, err := store.Claim(ctx, opt.Now(), opt.Workers*4)
		if err != nil {
			if ctx.Err() != nil {
				break
			}
			w.log.Error("claim messages", "err", err)
			sleep(ctx, wake, time.Second)
			continue
		}
		if len(msgs) > 0 {
			w.sendAll(ctx, msgs)
			continue
		}
		wait := opt.Poll
		if next, ok, err := store.NextDue(ctx); err == nil && ok {
			wait = min(wait, max(next.Sub(opt.Now()), 0))
		}
		sleep(ctx, wake, wait)
	}
	return nil
}

// sleep waits for d, a wake-up or cancellation.
func sleep(ctx context.Context, wake <-chan struct{}, d time.Duration) {
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-ctx.Done():
	case <-wake:
	case <-timer.C:
	}
}

type worker struct {
	store Store
	t     mail.Transport
	opt   Options
	log   *slog.Logger
}

// sendAll sends msgs, Workers at a time.
func (w *worker) sendAll(ctx context.Context, msgs []outbox.Msg) {
	sem := make(chan struct{}, w.opt.Workers)
	var wg sync.WaitGroup
	for _, m := range msgs {
		acquired := false
		select {
		case sem <- struct{}{}:
			if acquired = ctx.Err() == nil; !acquired {
				<-sem
			}
		case <-ctx.Done():
		}
		if !acquired { // stopping: give back what has not started
			w.record(m, "release", func() error { return w.store.Release(context.WithoutCancel(ctx), m.ID) })
			continue
		}
		wg.Go(func() {
			defer func() { <-sem }()
			w.send(ctx, m)
		})
	}
	wg.Wait()
}

// send makes one attempt at m and records its outcome. A send in progress
// is not cut short by ctx: it finishes within SendTimeout.
func (w *worker) send(ctx context.Context, m outbox.Msg) {
	bg := context.WithoutCancel(ctx)
	sctx, cancel := context.WithTimeout(bg, w.opt.SendTimeout)
	msg, err := w.compose(sctx, m)
	if err == nil {
		err = w.t.Send(sctx, msg)
	}
	cancel()
	attempt := m.Attempts + 1
	switch {
	case errors.Is(err, ErrCompose):
		w.record(m, "dead-letter", func() error { return w.store.Dead(bg, m.ID, err) })
		w.log.Error("message cannot be composed; dead-lettered until requeued",
			"message", m.ID, "kind", m.Kind, "attempt", attempt)
		if h := w.opt.Hooks.Dead; h != nil {
			h(m.Kind)
		}
	case err == nil:
		w.record(m, "done", func() error { return w.store.Done(bg, m.ID) })
		w.log.Info("message sent", "message", m.ID, "kind", m.Kind, "attempt", attempt)
		if h := w.opt.Hooks.Delivered; h != nil {
			h(m.Kind, w.opt.Now().Sub(m.Created))
		}
	case mail.Permanent(err):
		w.record(m, "dead-letter", func() error { return w.store.Dead(bg, m.ID, err) })
		w.log.Error("message refused permanently; dead-lettered until requeued",
			"message", m.ID, "kind", m.Kind, "attempt", attempt, "reason", mail.Reason(err))
		if h := w.opt.Hooks.Dead; h != nil {
			h(m.Kind)
		}
	default:
		delay := backoff(attempt, w.opt.MinBackoff, w.opt.MaxBackoff)
		w.record(m, "retry", func() error { return w.store.Retry(bg, m.ID, err, w.opt.Now().Add(delay)) })
		w.log.Warn("message not sent; will retry", "message", m.ID, "kind", m.Kind,
			"attempt", attempt, "reason", mail.Reason(err), "retry_in", delay.Round(time.Millisecond))
		if h := w.opt.Hooks.Retried; h != nil {
			h(m.Kind)
		}
	}
}

// compose returns m as the transport sends it: its stored envelope, with
// its stored content, or with the content composed now when it was stored
// without it.
func (w *worker) compose(ctx context.Context, m outbox.Msg) (mail.Message, error) {
	msg := mail.Message{ID: m.ID, MessageID: m.MessageID, From: m.From, To: m.To, Raw: m.Raw, Kind: m.Kind}
	if len(m.Raw) > 0 || w.opt.Compose == nil {
		return msg, nil
	}
	c, err := w.opt.Compose(ctx, m)
	msg.Raw = c.Raw
	return msg, err
}

// recordTries is how many times record tries: with RecordRetry's default,
// the waits add up to about a minute, well within the lease.
const recordTries = 10

// record runs save, which records an outcome of m, and tries again with
// backoff when it fails (a full disk, a database restarting): a message
// left claimed would be sent again when its lease ends. ErrNotFound is
// final: the message is no longer this worker's. If every try fails, the
// message is still sent again after its lease: at least once, never lost.
func (w *worker) record(m outbox.Msg, what string, save func() error) {
	wait := w.opt.RecordRetry
	for try := 1; ; try++ {
		err := save()
		if err == nil {
			return
		}
		if errors.Is(err, outbox.ErrNotFound) || try == recordTries {
			w.log.Error("record delivery outcome", "message", m.ID, "outcome", what, "tries", try, "err", err)
			return
		}
		w.log.Warn("record delivery outcome; trying again", "message", m.ID, "outcome", what, "try", try,
			"retry_in", wait, "err", err)
		time.Sleep(wait)
		wait = min(2*wait, 10*time.Second)
	}
}

// backoff is the wait after the given failed attempt (1, 2, …):
// min·2^(attempt-1), capped at max, then a random point in its upper half.
func backoff(attempt int, minD, maxD time.Duration) time.Duration {
	d := minD
	for i := 1; i < attempt && d < maxD; i++ {
		d *= 2
	}
	d = min(d, maxD)
	return d/2 + rand.N(d/2+1)
}
