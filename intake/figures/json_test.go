package figures

import (
	"encoding/json"
	"testing"
	"time"
)

// TestLeadJSON checks the hand-written JSON of a lead against encoding/json's.
func TestLeadJSON(t *testing.T) {
	dublin, _ := time.LoadLocation("Europe/Dublin")
	due := time.Date(2026, 7, 1, 11, 0, 0, 500, dublin)
	for _, l := range []Lead{
		{Ref: "HAS-0701-7K2Q", ID: "ld_1", State: "claimed", Received: time.Date(2026, 7, 1, 9, 0, 0, 0, dublin), Due: &due,
			ClaimedAt: &due, ClaimedBy: "ann@example.org", Procedure: "rhinoplasty", Source: "google"},
		{ID: "ld_2", State: "new", Received: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), Source: `a "quoted" <é> & \ source`},
	} {
		type plain Lead // without the method
		want, _ := json.Marshal(plain(l))
		got, err := json.Marshal(l)
		if err != nil || string(got) != string(want) {
			t.Errorf("got  %s (%v)\nwant %s", got, err, want)
		}
	}
}
