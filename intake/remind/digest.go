package remind

import (
	"cmp"
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
	"github.com/consultahq/consulta/intake/report"
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
	msgs, empty, err := digest(ctx, store, cfg, since, slot, now)
	if err != nil {
		return fmt.Errorf("digest: %w", err)
	}
	if empty && !sent { // a new service: nothing to tell yet
		return nil
	}
	_, err = store.QueueDigest(ctx, msgs, now)
	return err
}

// digest composes the digest of the leads received in [since, until), as
// things stand at now: one email a recipient.
// empty says there is nothing in it: no lead, none overdue, none held.
func digest(ctx context.Context, store Store, cfg Config, since, until, now time.Time) (msgs []outbox.Message, empty bool, err error) {
	loc := cfg.Clock.Location
	period, err := store.List(ctx, since, until)
	if err != nil {
		return nil, false, err
	}
	rep := report.Compute(period, since, until, now, loc)
	recent, err := store.List(ctx, now.Add(-overdueWindow), now)
	if err != nil {
		return nil, false, err
	}
	var overdue []outbox.Tracked
	refs := map[string]string{}
	for _, t := range recent {
		refs[t.Lead.ID] = ref(t)
		if t.State == lead.New && !t.Lead.Due.IsZero() && t.Lead.Due.Before(now) {
			overdue = append(overdue, t)
		}
	}
	held, err := store.Spam(ctx)
	if err != nil {
		return nil, false, err
	}
	empty = len(period) == 0 && len(overdue) == 0 && len(held) == 0
	day := until.In(loc).Format("2006-01-02")
	for i, to := range cfg.Clock.DigestTo {
		n := notice{
			Kind: mail.Digest, ID: "digest." + day + "." + strconv.Itoa(i), To: []string{to}, Date: now,
			Subject: fmt.Sprintf("Leads digest %s: %d new, %d overdue, %d held", until.In(loc).Format("Mon 2 Jan"),
				len(period), len(overdue), len(held)),
			Title: "Leads digest, " + until.In(loc).Format("Monday 2 January"),
			Intro: []string{fmt.Sprintf("Leads received from %s to %s.", when(cfg, since), when(cfg, until))},
			Facts: [][2]string{
				{"Leads", strconv.Itoa(rep.Summary.Leads)},
				{"Median time to claim", report.Seconds(rep.Summary.MedianSecondsToClaim)},
				{"90th percentile time to claim", report.Seconds(rep.Summary.P90SecondsToClaim)},
				{"Answered within the promise", report.Percent(rep.Summary.WithinPromisePercent)},
			},
		}
		leads := section{Title: "Leads", Empty: "No leads in this period."}
		for _, l := range rep.Leads {
			first := "no action yet"
			if d, ok := l.FirstAction(); ok {
				first = "first action after " + report.Duration(d)
			}
			leads.Rows = append(leads.Rows, row{Cells: []string{l.Ref, procedureName(l.Procedure), stateWords[l.State], first}})
		}
		late := section{Title: "Overdue, nobody has claimed them", Empty: "None: every lead is claimed or not yet due."}
		for _, t := range overdue {
			late.Rows = append(late.Rows, row{
				Cells: []string{ref(t), procedureName(t.Lead.Procedure), "was due " + when(cfg, t.Lead.Due)},
				Links: cfg.Actions.Links(t.Lead.ID, to),
			})
		}
		hold := section{Title: "Held as suspected spam", Empty: "None."}
		for _, h := range held {
			hold.Rows = append(hold.Rows, row{
				Cells: []string{cmp.Or(refs[h.ID], h.ID), procedureName(h.Procedure), "received " + when(cfg, h.Received),
					"why: " + strings.Join(h.Signals, ", "), "from @" + h.EmailDomain},
				Links: cfg.Actions.Links(h.ID, to, action.Release),
			})
		}
		n.Sections = []section{leads, late, hold, counts("By procedure", rep.ByProcedure, procedureName), counts("By source", rep.BySource, func(s string) string { return s })}
		m, err := compose(n, cfg.Practice)
		if err != nil {
			return nil, false, err
		}
		msgs = append(msgs, m)
	}
	return msgs, empty, nil
}

// counts is a section of lead counts by some key.
func counts(title string, groups []report.Group, name func(string) string) section {
	s := section{Title: title, Empty: "No leads."}
	for _, g := range groups {
		s.Rows = append(s.Rows, row{Cells: []string{name(g.Key), strconv.Itoa(g.Leads)}})
	}
	return s
}

// procedureName writes a slug for people: "breast-augmentation" →
// "breast augmentation".
func procedureName(slug string) string {
	if slug == "" {
		return "(none)"
	}
	return strings.ReplaceAll(slug, "-", " ")
}

// stateWords are the states as the digest says them.
var stateWords = map[string]string{
	lead.New: "new", lead.Claimed: "claimed", lead.Contacted: "contacted", lead.Booked: "booked",
	lead.Closed: "closed", lead.Spam: "held as spam", lead.NotALead: "not a lead",
}
