package remind

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/consultahq/consulta/intake/figures"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// overdueWindow is how far back the digest looks for leads still unclaimed.
const overdueWindow = 90 * 24 * time.Hour

// slotAt returns the latest digest time at or before t (on an open day, at
// digest_at), and false if there is none in the week before t.
func slotAt(cfg Config, t time.Time) (time.Time, bool) {
	s := cfg.Clock.NextDigest(t.Add(-8 * 24 * time.Hour))
	if s.After(t) {
		return time.Time{}, false
	}
	for {
		n := cfg.Clock.NextDigest(s)
		if n.After(t) {
			return s, true
		}
		s = n
	}
}

// digestIfDue queues the digest of the latest digest time at or before now
// unless it was queued already: a service that was down at digest time
// sends it when it comes back, once. A service that never sent one starts
// with the first digest time it sees, and only once it has something to
// tell.
func digestIfDue(ctx context.Context, store Store, cfg Config, now time.Time) error {
	if len(cfg.Clock.DigestTo) == 0 {
		return nil
	}
	slot, ok := slotAt(cfg, now)
	if !ok {
		return nil
	}
	last, sent, err := store.LastDigest(ctx)
	if err != nil {
		return err
	}
	if sent && !last.Before(slot) {
		return nil
	}
	if !sent && now.Sub(slot) > time.Hour { // a new service does not send a digest it missed
		return nil
	}
	since, ok := slotAt(cfg, slot.Add(-time.Nanosecond))
	if !ok {
		since = slot.Add(-24 * time.Hour)
	}
	msgs, data, empty, err := digest(ctx, store, cfg, since, slot, now)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	if empty && !sent { // a new service: nothing to tell yet
		return nil
	}
	_, err = store.QueueDigest(ctx, msgs, data, now)
	return err
}

// digest decides the digest of the leads received in [since, until), as
// things stand at now: its emails, one a recipient, planned, and what they
// say, as JSON (mail.DigestData), for their composer. empty says there is
// nothing in it: no lead, none overdue, none held.
func digest(ctx context.Context, store Store, cfg Config, since, until, now time.Time) (msgs []outbox.Message, data []byte, empty bool, err error) {
	loc := cfg.Clock.Location
	period, err := store.List(ctx, since, until)
	if err != nil {
		return nil, nil, false, err
	}
	rep := figures.Compute(period, since, until, now, loc)
	recent, err := store.List(ctx, now.Add(-overdueWindow), now)
	if err != nil {
		return nil, nil, false, err
	}
	held, err := store.Spam(ctx)
	if err != nil {
		return nil, nil, false, err
	}
	d := mail.DigestData{Since: since, Until: until}
	for _, w := range rep.Summary.Words() {
		d.Figures = append(d.Figures, mail.Figure{Label: w[0], Value: w[1]})
	}
	for _, l := range rep.Leads {
		row := mail.DigestLead{ID: l.ID, Ref: l.Ref, Procedure: l.Procedure, State: l.State}
		if first, ok := l.FirstAction(); ok {
			row.FirstAction = figures.Duration(first)
		}
		d.Leads = append(d.Leads, row)
	}
	refs := map[string]string{}
	for _, t := range recent {
		refs[t.Lead.ID] = ref(t)
		if (t.State == lead.New || t.State == lead.Claimed) && !t.Lead.Due.IsZero() && t.Lead.Due.Before(now) {
			d.Overdue = append(d.Overdue, mail.DigestLead{ID: t.Lead.ID, Ref: ref(t), Procedure: t.Lead.Procedure, State: t.State,
				Due: t.Lead.Due})
		}
	}
	for _, h := range held {
		d.Held = append(d.Held, mail.DigestLead{ID: h.ID, Ref: cmp.Or(refs[h.ID], h.ID), Procedure: h.Procedure,
			Received: h.Received, Signals: h.Signals, EmailDomain: h.EmailDomain})
	}
	d.ByCoordinator, d.ByProcedure, d.BySource = counts(rep.ByCoordinator), counts(rep.ByProcedure), counts(rep.BySource)
	if d.Surgeries, d.Consultations, err = appointments(ctx, store, until, loc); err != nil {
		return nil, nil, false, err
	}
	empty = len(period) == 0 && len(d.Overdue) == 0 && len(held) == 0 && len(d.Surgeries) == 0 && len(d.Consultations) == 0
	if data, err = json.Marshal(d); err != nil {
		return nil, nil, false, err
	}
	day := until.In(loc).Format("2006-01-02")
	for i, to := range cfg.Clock.DigestTo {
		m, err := planned(cfg, mail.Digest, "digest."+day+"."+strconv.Itoa(i), to)
		if err != nil {
			return nil, nil, false, err
		}
		msgs = append(msgs, m)
	}
	return msgs, data, empty, nil
}

// counts are the leads of each group, and its figures in words.
func counts(groups []figures.Group) []mail.Count {
	out := make([]mail.Count, len(groups))
	for i, g := range groups {
		out[i] = mail.Count{Key: g.Key, Leads: g.Leads, Says: g.Line()}
	}
	return out
}

// ref is the lead's short reference, or its id for leads kept before it.
func ref(t lead.Tracked) string {
	return cmp.Or(t.Lead.Ref, t.Lead.ID)
}
