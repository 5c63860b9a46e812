package outbox

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/consultahq/consulta/intake/lead"
)

// group is the group commit: one goroutine takes every
// Enqueue call waiting at the moment, writes them in one transaction with
// insert, and answers each after the commit.
type group struct {
	reqs     chan *enqueueReq
	quit     chan struct{}
	done     chan struct{}
	once     sync.Once
	maxBatch int
	insert   func(context.Context, []*enqueueReq) ([]enqueueRes, error)
	wake     func() // after a commit that stored deliverable messages
}

// enqueueReq is one Enqueue call waiting for the writer.
type enqueueReq struct {
	lead  lead.Tracked
	key   string
	msgs  []Message
	reply chan enqueueRes // buffered: the writer never blocks on a caller that gave up
}

type enqueueRes struct {
	id  string
	dup bool
	err error
}

// startGroup starts the writer goroutine; stop ends it.
func startGroup(maxBatch int, insert func(context.Context, []*enqueueReq) ([]enqueueRes, error), wake func()) *group {
	g := &group{
		reqs:     make(chan *enqueueReq),
		quit:     make(chan struct{}),
		done:     make(chan struct{}),
		maxBatch: maxBatch,
		insert:   insert,
		wake:     wake,
	}
	go g.writer()
	return g
}

// stop answers the calls already received and ends the writer.
func (g *group) stop() {
	g.once.Do(func() { close(g.quit) })
	<-g.done
}

func (g *group) enqueue(ctx context.Context, l lead.Tracked, key string, msgs []Message) (id string, dup bool, err error) {
	if l.Lead.ID == "" {
		return "", false, errors.New("enqueue: lead has no id")
	}
	r := &enqueueReq{lead: l, key: key, msgs: msgs, reply: make(chan enqueueRes, 1)}
	select {
	case g.reqs <- r:
	case <-g.done:
		return "", false, ErrClosed
	case <-ctx.Done():
		return "", false, fmt.Errorf("enqueue %s: %w", l.Lead.ID, ctx.Err())
	}
	select {
	case res := <-r.reply:
		return res.id, res.dup, res.err
	case <-ctx.Done(): // the lead may still commit; the caller has not promised anything
		return "", false, fmt.Errorf("enqueue %s: %w", l.Lead.ID, ctx.Err())
	}
}

// writer is the one goroutine that writes leads: it takes every request
// waiting at the moment, commits them together, then answers each.
func (g *group) writer() {
	defer close(g.done)
	for {
		var first *enqueueReq
		select {
		case first = <-g.reqs:
		case <-g.quit:
			for { // answer whoever is already queued, then stop
				select {
				case r := <-g.reqs:
					g.commit([]*enqueueReq{r})
				default:
					return
				}
			}
		}
		batch := []*enqueueReq{first}
	gather:
		for len(batch) < g.maxBatch {
			select {
			case r := <-g.reqs:
				batch = append(batch, r)
			default:
				break gather
			}
		}
		g.commit(batch)
	}
}

// commit writes batch in one transaction. If the transaction fails, each
// request is tried alone, so that one bad lead cannot fail its neighbours.
func (g *group) commit(batch []*enqueueReq) {
	ctx := context.Background()
	res, err := g.insert(ctx, batch)
	if err != nil && len(batch) > 1 {
		for _, r := range batch {
			g.commit([]*enqueueReq{r})
		}
		return
	}
	if err != nil {
		res = make([]enqueueRes, len(batch)) // a failed insert may return none
	}
	wake := false
	for i, r := range batch {
		if err != nil {
			res[i] = enqueueRes{err: fmt.Errorf("enqueue %s: %w", r.lead.Lead.ID, err)}
		} else if !res[i].dup && !r.lead.Lead.Spam && len(r.msgs) > 0 {
			wake = true
		}
		r.reply <- res[i]
	}
	if wake {
		g.wake()
	}
}
