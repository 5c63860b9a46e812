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
			Status: lead.Status{State: state, StateAt: claimedAt, ClaimedAt: claimedAt, ClaimedBy: by, ActedAt: claimedAt}, Source: source}
		return t
	}
	calls := func(t lead.Tracked, n int, first, reached time.Time) lead.Tracked {
		t.Calls, t.FirstCallAt, t.ContactedAt = n, first, reached
		return t
	}
	var none time.Time
	f := mk("F", lead.NotALead, at(9, 15), at(11, 15), none, "", "not-sure", "direct")
	f.ActedAt = at(9, 20)
	c := calls(mk("C", lead.Booked, at(11, 0), at(13, 0), at(11, 10), "ann@example.org", "facelift", "google"), 2, at(11, 12), at(11, 15))
	c.StateAt = at(11, 40)
	h := calls(mk("H", lead.NotReached, at(9, 50), at(11, 50), at(10, 0), "desk@example.org", "rhinoplasty", "direct"), 4, at(10, 0), none)
	h.ClaimedName, h.StateAt = "Cat Byrne", at(14, 0)
	return []lead.Tracked{
		calls(mk("A", lead.Claimed, at(9, 0), at(11, 0), at(9, 30), "ann@example.org", "rhinoplasty", "google"), 1, at(9, 35), none), // 30m, within; not reached
		f, // not a lead: no promise
		calls(mk("B", lead.Contacted, at(10, 0), at(12, 0), at(13, 0), "bob@example.org", "rhinoplasty", "direct"), 1, at(13, 0), at(13, 5)), // 3h, late
		c, // claimed in 10m, reached in 15m, within; booked
		mk("D", lead.New, at(12, 0), at(14, 0), none, "", "facelift", "direct"),      // overdue
		mk("E", lead.New, at(14, 30), at(16, 30), none, "", "rhinoplasty", "direct"), // not yet due
		mk("G", lead.Spam, at(14, 40), none, none, "", "rhinoplasty", "direct"),      // held
		h, // claimed in 10m, four calls unanswered: not reached
	}
}

func f(v float64) *float64 { return &v }

func eq(a, b *float64) bool { return (a == nil && b == nil) || (a != nil && b != nil && *a == *b) }

// same reports whether got's figures are want's.
func same(got, want figures.Summary) bool { return show(got) == show(want) }

// TestSummary: the figures of the hand set, overall and by group.
//
//	claims      A 30m, B 3h, C 10m, H 10m: median 20m, p90 3h; within the promise A, C, H of A, B, C, D, H: 60%
//	first calls A 35m, B 3h, C 12m, H 10m: median 23.5m, p90 3h
//	reached     B 3h 5m (late), C 15m (within): median 1h 40m, p90 3h 5m;
//	            within the promise C of A, B, C, D, H (E is not yet due): 20%
//	patients    A, B, C, D, E, H: 8 calls, 1.33 a lead; booked C, 16.7%; not reached H
func TestSummary(t *testing.T) {
	r := figures.Compute(handSet(), t0, t0.Add(24*time.Hour), at(15, 0), time.UTC)
	want := figures.Summary{Leads: 8, MedianSecondsToClaim: f(1200), P90SecondsToClaim: f(10800), WithinPromisePercent: f(60),
		MedianSecondsToFirstAttempt: f(1410), P90SecondsToFirstAttempt: f(10800), MedianSecondsToReach: f(6000),
		P90SecondsToReach: f(11100), ReachedWithinPromisePercent: f(20), AttemptsPerLead: f(1.33), BookedPercent: f(16.7), NotReached: 1}
	if !same(r.Summary, want) {
		t.Errorf("summary = %s\nwant      %s", show(r.Summary), show(want))
	}
	groups := map[string]figures.Summary{}
	for _, g := range r.ByCoordinator {
		groups[g.Key] = g.Summary
	}
	for key, want := range map[string]figures.Summary{
		"ann@example.org": {Leads: 2, MedianSecondsToClaim: f(1200), P90SecondsToClaim: f(1800), WithinPromisePercent: f(100),
			MedianSecondsToFirstAttempt: f(1410), P90SecondsToFirstAttempt: f(2100), MedianSecondsToReach: f(900), P90SecondsToReach: f(900),
			ReachedWithinPromisePercent: f(50), AttemptsPerLead: f(1.5), BookedPercent: f(50)},
		"bob@example.org": {Leads: 1, MedianSecondsToClaim: f(10800), P90SecondsToClaim: f(10800), WithinPromisePercent: f(0),
			MedianSecondsToFirstAttempt: f(10800), P90SecondsToFirstAttempt: f(10800), MedianSecondsToReach: f(11100), P90SecondsToReach: f(11100),
			ReachedWithinPromisePercent: f(0), AttemptsPerLead: f(1), BookedPercent: f(0)},
		"Cat Byrne": {Leads: 1, MedianSecondsToClaim: f(600), P90SecondsToClaim: f(600), WithinPromisePercent: f(100),
			MedianSecondsToFirstAttempt: f(600), P90SecondsToFirstAttempt: f(600), ReachedWithinPromisePercent: f(0),
			AttemptsPerLead: f(4), BookedPercent: f(0), NotReached: 1},
		"": {Leads: 4, WithinPromisePercent: f(0), ReachedWithinPromisePercent: f(0), AttemptsPerLead: f(0), BookedPercent: f(0)},
	} {
		if got := groups[key]; !same(got, want) {
			t.Errorf("coordinator %q = %s\nwant %s", key, show(got), show(want))
		}
	}
	if len(r.ByWeek) != 1 || r.ByWeek[0].Key != "2026-W49" || r.ByWeek[0].Leads != 8 {
		t.Errorf("by week = %s", show(r.ByWeek))
	}
	if len(r.ByProcedure) != 3 || r.ByProcedure[0].Key != "rhinoplasty" || r.ByProcedure[0].Leads != 5 {
		t.Errorf("by procedure = %s", show(r.ByProcedure))
	}
	if len(r.BySource) != 2 || r.BySource[0].Key != "direct" || r.BySource[0].Leads != 6 {
		t.Errorf("by source = %s", show(r.BySource))
	}
	if d, ok := r.Leads[1].FirstAction(); !ok || d != 5*time.Minute {
		t.Errorf("F's first action after %s, %v; want 5m", d, ok)
	}
	for i, want := range []string{figures.Calling, figures.NotALead, figures.Reached, figures.Booked, figures.Waiting,
		figures.Waiting, figures.Spam, figures.NotReached} {
		if got := r.Leads[i].Outcome; got != want {
			t.Errorf("%s: outcome %q, want %q", r.Leads[i].ID, got, want)
		}
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
	if k, want := keys(got.Leads[0]), []string{"attempts", "booked_at", "claimed_at", "claimed_by", "closed_at", "due",
		"first_attempt_at", "id", "outcome", "procedure", "reached_at", "received", "ref", "source", "state"}; !slices.Equal(k, want) {
		t.Errorf("a lead's fields = %v, want %v", k, want)
	}
	if k, want := keys(got.Summary), []string{"attempts_per_lead", "booked_percent", "leads", "median_seconds_to_claim",
		"median_seconds_to_first_attempt", "median_seconds_to_reach", "not_reached", "p90_seconds_to_claim",
		"p90_seconds_to_first_attempt", "p90_seconds_to_reach", "reached_within_promise_percent",
		"within_promise_percent"}; !slices.Equal(k, want) {
		t.Errorf("summary's fields = %v, want %v", k, want)
	}
	a := got.Leads[0]
	if a["ref"] != "HAS-1130-A" || a["id"] != "A" || a["state"] != "claimed" || a["received"] != "2026-11-30T09:00:00Z" ||
		a["due"] != "2026-11-30T11:00:00Z" || a["claimed_at"] != "2026-11-30T09:30:00Z" || a["claimed_by"] != "ann@example.org" ||
		a["first_attempt_at"] != "2026-11-30T09:35:00Z" || a["reached_at"] != nil || a["attempts"] != 1.0 || a["outcome"] != "calling" ||
		a["procedure"] != "rhinoplasty" || a["source"] != "google" {
		t.Errorf("lead A = %v", a)
	}
	c := got.Leads[3]
	if c["reached_at"] != "2026-11-30T11:15:00Z" || c["booked_at"] != "2026-11-30T11:40:00Z" || c["closed_at"] != nil ||
		c["attempts"] != 2.0 || c["outcome"] != "booked" {
		t.Errorf("lead C = %v", c)
	}
	if got.Leads[4]["claimed_at"] != nil || got.Summary["median_seconds_to_reach"] != 6000.0 ||
		got.Summary["reached_within_promise_percent"] != 20.0 || got.Summary["booked_percent"] != 16.7 {
		t.Errorf("D = %v, summary = %v", got.Leads[4], got.Summary)
	}
}

func TestText(t *testing.T) {
	var text, csv bytes.Buffer
	r := figures.Compute(handSet(), t0, t0.Add(24*time.Hour), at(15, 0), time.UTC)
	r.Procedures = map[string]string{"rhinoplasty": "Rhinoplasty", "facelift": "Facelift", "not-sure": "Not sure yet"}
	if err := WriteText(&text, r); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Median time to claim                20m", "90th percentile time to claim       3h 00m",
		"Claimed within the promise          60%", "Median time to reach                1h 40m", "Reached within the promise          20%",
		"Calls per lead                      1.33", "Booked                              16.7%", "Not reached                         1",
		"  Cat Byrne", "  Rhinoplasty", "HAS-1130-F  Not a lead", "Not sure yet", "Consultation booked"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text has no %q:\n%s", want, text.String())
		}
	}
	if err := WriteCSV(&csv, r); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(csv.String()), "\n")
	if len(lines) != 9 || lines[0] != `"ref","id","state","received","due","claimed_at","claimed_by","first_attempt_at","reached_at",`+
		`"attempts","booked_at","closed_at","outcome","procedure","source"` ||
		lines[4] != `"HAS-1130-C","C","Consultation booked","2026-11-30T11:00:00Z","2026-11-30T13:00:00Z","2026-11-30T11:10:00Z",`+
			`"ann@example.org","2026-11-30T11:12:00Z","2026-11-30T11:15:00Z","2","2026-11-30T11:40:00Z","","Consultation booked","Facelift","google"` {
		t.Errorf("CSV:\n%s", csv.String())
	}
}
