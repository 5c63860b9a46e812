package report

import (
	"bytes"
	"encoding/json"
	"github.com/consultahq/consulta/intake/figures"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// t0 is 09:00 on Monday 30 November 2026, in Dublin as in UTC.
var t0 = time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)

func at(h, m int) time.Time {
	return t0.Add(time.Duration(h-9)*time.Hour + time.Duration(m)*time.Minute)
}

// handSet is a set of leads whose figures are computed by hand in the
// tests, at 15:00.
func handSet() []lead.Tracked {
	mk := func(id, state string, received, due time.Time, claimedAt time.Time, by, procedure, source string) lead.Tracked {
		t := lead.Tracked{Lead: lead.Lead{ID: id, Ref: "HAS-1130-" + id, Received: received, Due: due, Procedure: procedure},
			Status: lead.Status{State: state, ClaimedAt: claimedAt, ClaimedBy: by, ActedAt: claimedAt}, Source: source}
		return t
	}
	var none time.Time
	f := mk("F", lead.NotALead, at(9, 15), at(11, 15), none, "", "not-sure", "direct")
	f.ActedAt = at(9, 20)
	return []lead.Tracked{
		mk("A", lead.Claimed, at(9, 0), at(11, 0), at(9, 30), "ann@example.org", "rhinoplasty", "google"), // 30m, within
		f, // not a lead: no promise
		mk("B", lead.Contacted, at(10, 0), at(12, 0), at(13, 0), "bob@example.org", "rhinoplasty", "direct"), // 3h, late
		mk("C", lead.Booked, at(11, 0), at(13, 0), at(11, 10), "ann@example.org", "facelift", "google"),      // 10m, within
		mk("D", lead.New, at(12, 0), at(14, 0), none, "", "facelift", "direct"),                              // overdue
		mk("E", lead.New, at(14, 30), at(16, 30), none, "", "rhinoplasty", "direct"),                         // not yet due
		mk("G", lead.Spam, at(14, 40), none, none, "", "rhinoplasty", "direct"),                              // held
	}
}

func f(v float64) *float64 { return &v }

func eq(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

func TestSummary(t *testing.T) {
	r := figures.Compute(handSet(), t0, t0.Add(24*time.Hour), at(15, 0), time.UTC)
	want := figures.Summary{Leads: 7, MedianSecondsToClaim: f(1800), P90SecondsToClaim: f(10800), WithinPromisePercent: f(50)}
	if got := r.Summary; got.Leads != want.Leads || !eq(got.MedianSecondsToClaim, want.MedianSecondsToClaim) ||
		!eq(got.P90SecondsToClaim, want.P90SecondsToClaim) || !eq(got.WithinPromisePercent, want.WithinPromisePercent) {
		t.Errorf("summary = %s, want %s", show(got), show(want))
	}
	groups := map[string]figures.Summary{}
	for _, g := range r.ByCoordinator {
		groups[g.Key] = g.Summary
	}
	for key, want := range map[string]figures.Summary{
		"ann@example.org": {Leads: 2, MedianSecondsToClaim: f(1200), P90SecondsToClaim: f(1800), WithinPromisePercent: f(100)},
		"bob@example.org": {Leads: 1, MedianSecondsToClaim: f(10800), P90SecondsToClaim: f(10800), WithinPromisePercent: f(0)},
		"":                {Leads: 4, WithinPromisePercent: f(0)},
	} {
		got := groups[key]
		if got.Leads != want.Leads || !eq(got.MedianSecondsToClaim, want.MedianSecondsToClaim) ||
			!eq(got.P90SecondsToClaim, want.P90SecondsToClaim) || !eq(got.WithinPromisePercent, want.WithinPromisePercent) {
			t.Errorf("coordinator %q = %s, want %s", key, show(got), show(want))
		}
	}
	if len(r.ByWeek) != 1 || r.ByWeek[0].Key != "2026-W49" || r.ByWeek[0].Leads != 7 {
		t.Errorf("by week = %s", show(r.ByWeek))
	}
	if len(r.ByProcedure) != 3 || r.ByProcedure[0].Key != "rhinoplasty" || r.ByProcedure[0].Leads != 4 {
		t.Errorf("by procedure = %s", show(r.ByProcedure))
	}
	if len(r.BySource) != 2 || r.BySource[0].Key != "direct" || r.BySource[0].Leads != 5 {
		t.Errorf("by source = %s", show(r.BySource))
	}
	if d, ok := r.Leads[1].FirstAction(); !ok || d != 5*time.Minute {
		t.Errorf("F's first action after %s, %v; want 5m", d, ok)
	}
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestJSON(t *testing.T) {
	dublin, _ := time.LoadLocation("Europe/Dublin")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, figures.Compute(handSet(), t0, t0.Add(24*time.Hour), at(15, 0), dublin)); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Leads   []map[string]any `json:"leads"`
		Summary map[string]any   `json:"summary"`
	}
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	keys := func(m map[string]any) []string {
		var k []string
		for key := range m {
			k = append(k, key)
		}
		slices.Sort(k)
		return k
	}
	if k, want := keys(got.Leads[0]), []string{"claimed_at", "claimed_by", "due", "id", "procedure", "received", "ref", "source", "state"}; !slices.Equal(k, want) {
		t.Errorf("a lead's fields = %v, want %v", k, want)
	}
	if k, want := keys(got.Summary), []string{"leads", "median_seconds_to_claim", "p90_seconds_to_claim", "within_promise_percent"}; !slices.Equal(k, want) {
		t.Errorf("summary's fields = %v, want %v", k, want)
	}
	a := got.Leads[0]
	if a["ref"] != "HAS-1130-A" || a["id"] != "A" || a["state"] != "claimed" || a["received"] != "2026-11-30T09:00:00Z" ||
		a["due"] != "2026-11-30T11:00:00Z" || a["claimed_at"] != "2026-11-30T09:30:00Z" || a["claimed_by"] != "ann@example.org" ||
		a["procedure"] != "rhinoplasty" || a["source"] != "google" {
		t.Errorf("lead A = %v", a)
	}
	if got.Leads[4]["claimed_at"] != nil || got.Summary["median_seconds_to_claim"] != 1800.0 || got.Summary["within_promise_percent"] != 50.0 {
		t.Errorf("D = %v, summary = %v", got.Leads[4], got.Summary)
	}
}

func TestText(t *testing.T) {
	var text, csv bytes.Buffer
	r := figures.Compute(handSet(), t0, t0.Add(24*time.Hour), at(15, 0), time.UTC)
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Median time to claim           30m", "90th percentile time to claim  3h 00m", "Answered within the promise    50%", "HAS-1130-A"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text has no %q:\n%s", want, text.String())
		}
	}
	if err := WriteCSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != 8 || lines[0] != `"ref","id","state","received","due","claimed_at","claimed_by","procedure","source"` ||
		lines[1] != `"HAS-1130-A","A","claimed","2026-11-30T09:00:00Z","2026-11-30T11:00:00Z","2026-11-30T09:30:00Z","ann@example.org","rhinoplasty","google"` {
		t.Errorf("CSV:\n%s", csv.String())
	}
}
