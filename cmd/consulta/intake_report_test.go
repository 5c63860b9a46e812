package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/outbox"
)

func TestIntakeReportCommand(t *testing.T) {
	site, data := t.TempDir(), t.TempDir()
	os.MkdirAll(filepath.Join(site, "content"), 0o755)
	os.WriteFile(filepath.Join(site, "content", "site.yaml"), []byte("name: X\nbase_url: https://x.example/\ntime_zone: Europe/Dublin\n"), 0o644)
	store, err := outbox.Open(context.Background(), filepath.Join(data, "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	received := time.Now().Add(-48 * time.Hour).Truncate(time.Second).UTC()
	for i, id := range []string{"ld_R1", "ld_R2", "ld_OLD"} {
		l := lead.Lead{ID: id, Ref: "X-0101-" + id, Received: received.Add(time.Duration(i) * time.Minute),
			Due: received.Add(2 * time.Hour), Procedure: "rhinoplasty", Source: "a friend"}
		if id == "ld_OLD" {
			l.Received = received.Add(-40 * 24 * time.Hour)
		}
		if _, _, err := store.Enqueue(ctx, lead.Start(l), "", nil); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := store.Update(ctx, "ld_R1", func(t lead.Tracked) (lead.Change, []outbox.Message, bool, error) {
		c, ok, err := lead.Act(t, lead.Claimed, lead.Person{Email: "ann@x.example"}, received.Add(30*time.Minute), lead.Policy{})
		return c, nil, ok, err
	}); err != nil {
		t.Fatal(err)
	}
	store.Close()

	out, err := intakeCmd(t, "report", "-s", site, "--data", data, "--since", "30d", "--format", "json")
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	var r struct {
		Leads []struct {
			Ref, ID, State, ClaimedBy, Procedure, Source string
			Received, Due                                time.Time
			ClaimedAt                                    *time.Time `json:"claimed_at"`
		}
		Summary struct {
			Leads                int      `json:"leads"`
			MedianSecondsToClaim *float64 `json:"median_seconds_to_claim"`
			P90SecondsToClaim    *float64 `json:"p90_seconds_to_claim"`
			WithinPromisePercent *float64 `json:"within_promise_percent"`
		}
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if len(r.Leads) != 2 || r.Leads[0].ID != "ld_R1" || r.Leads[0].Ref != "X-0101-ld_R1" || r.Leads[0].ClaimedAt == nil ||
		r.Leads[1].ClaimedAt != nil || r.Leads[0].Source != "other" { // the patient's own words: a category, never the words
		t.Errorf("leads: %+v", r.Leads)
	}
	if r.Summary.Leads != 2 || *r.Summary.MedianSecondsToClaim != 1800 || *r.Summary.WithinPromisePercent != 50 {
		t.Errorf("summary: %+v", r.Summary)
	}
	for _, format := range []string{"text", "csv"} {
		out, err := intakeCmd(t, "report", "-s", site, "--data", data, "--format", format)
		if err != nil || !strings.Contains(out, "X-0101-ld_R1") || strings.Contains(out, "ld_OLD") {
			t.Errorf("--format %s: %v\n%s", format, err, out)
		}
	}
	if _, err := intakeCmd(t, "report", "--data", data, "--format", "xml"); err == nil {
		t.Error("--format xml: no error")
	}
}
