package outbox

import (
	"context"
	"sync"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
)

// Store is an outbox: SQLite (Open) for one instance of the service, or
// PostgreSQL (OpenPostgres) for several sharing one database. Both keep the
// same promises: Enqueue returns after the lead and its messages have
// committed together, a claimed message belongs to one worker until its
// lease ends, and nothing undelivered is deleted except spam by PurgeSpam.
type Store interface {
	// Enqueue stores l and its messages in one transaction and returns
	// after the commit. A key already stored returns the first lead's id
	// with dup set, and stores nothing. The messages of a lead marked as
	// spam are held, not sent. An empty key disables the duplicate check.
	Enqueue(ctx context.Context, l lead.Lead, key string, msgs []mail.Message) (id string, dup bool, err error)

	// Claim marks up to n due messages as sending and returns them:
	// pending messages whose next attempt is due, and sending messages
	// whose lease has run out (their worker died mid-send). Each claim
	// holds for the lease; no two workers hold one message at once.
	Claim(ctx context.Context, now time.Time, n int) ([]Msg, error)
	// Done records that claimed message id was accepted by the mail server.
	Done(ctx context.Context, id string) error
	// Retry records a failed attempt of claimed message id and makes it
	// due again at next.
	Retry(ctx context.Context, id string, cause error, next time.Time) error
	// Dead records that claimed message id was refused permanently;
	// Requeue sends it again.
	Dead(ctx context.Context, id string, cause error) error
	// Release gives back a claimed message that was not attempted: it is
	// due again at once, and no attempt is counted.
	Release(ctx context.Context, id string) error
	// Recover makes due at once the messages that a crash left claimed,
	// where the store can tell that no live worker holds them, and
	// returns how many.
	Recover(ctx context.Context) (int, error)
	// NextDue returns when the earliest pending or claimed message falls
	// due, and false when there is none.
	NextDue(ctx context.Context) (time.Time, bool, error)
	// Wake returns a channel that is closed when new messages become due.
	// Take a fresh channel after each wake-up.
	Wake() <-chan struct{}

	// Requeue makes every dead message pending and due now, and returns
	// how many.
	Requeue(ctx context.Context) (int, error)
	// Spam lists the leads held as suspected spam, oldest first.
	Spam(ctx context.Context) ([]SpamLead, error)
	// PurgeSpam deletes the suspected spam leads received before cutoff,
	// with their held messages, and returns how many leads it deleted.
	PurgeSpam(ctx context.Context, before time.Time) (int, error)
	// PurgeDelivered blanks the personal data of leads received before
	// cutoff whose messages have all been sent, and returns how many.
	PurgeDelivered(ctx context.Context, before time.Time) (int, error)
	// Stats counts the messages by state.
	Stats(ctx context.Context) (Stats, error)

	// Close stops the writer after the Enqueue calls already received,
	// and closes the database.
	Close() error
}

var (
	_ Store = (*SQLite)(nil)
)

// waker closes a channel to wake the delivery worker.
type waker struct {
	mu sync.Mutex
	ch chan struct{}
}

// Wake returns a channel that is closed when new messages become due: after
// Enqueue commits deliverable messages, and after Requeue or a release of
// held spam (Leads.ReleaseLead).
// Take a fresh channel after each wake-up.
func (w *waker) Wake() <-chan struct{} {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch == nil {
		w.ch = make(chan struct{})
	}
	return w.ch
}

func (w *waker) signal() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch != nil {
		close(w.ch)
	}
	w.ch = make(chan struct{})
}
