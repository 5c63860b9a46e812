package intake

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestPreferredSurgeon: a patient may name a surgeon of the site's, and
// the days that suit her; the lead keeps both for the coordinator. A
// surgeon the site does not have is a mistake explained beside the
// field, in the form shown again with the site's surgeons and best times.
func TestPreferredSurgeon(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Surgeons = []Surgeon{{Slug: "dr-amelia-hart", Name: "Dr Amelia Hart"}, {Slug: "mr-daniel-okafor", Name: "Mr Daniel Okafor"}}
		c.BestTimes = []string{"Morning (08:30–12:00)", "Early evening, Monday to Thursday (17:00–18:30)"}
		c.Consultation = "€150, deducted from your surgery"
	})
	l := validLead()
	l["surgeon"], l["preferred_days"] = "dr-amelia-hart", "Tuesdays"
	w := f.post(ctJSON, asJSON(l), "")
	if w.Code != http.StatusAccepted {
		t.Fatalf("status %d, want 202; body %s", w.Code, w.Body)
	}
	var got struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &got)
	if stored := f.lead(t, got.ID).Lead; stored.Surgeon != "dr-amelia-hart" || stored.SurgeonName != "Dr Amelia Hart" || stored.PreferredDays != "Tuesdays" {
		t.Errorf("stored lead: surgeon %q (%q), days %q; want dr-amelia-hart (Dr Amelia Hart), Tuesdays", stored.Surgeon, stored.SurgeonName, stored.PreferredDays)
	}

	l["surgeon"] = "dr-nobody"
	w = f.post(ctForm, asForm(l), "")
	if w.Code != http.StatusUnprocessableEntity {
		t.Fatalf("an unknown surgeon: status %d, want 422", w.Code)
	}
	page := w.Body.String()
	for _, want := range []string{
		`<a href="#surgeon">Please choose a surgeon from the list, or &#34;No preference&#34;.</a>`,
		`<option value="mr-daniel-okafor">Mr Daniel Okafor</option>`,
		`<option>Early evening, Monday to Thursday (17:00–18:30)</option>`,
		`value="Tuesdays"`,
		`Your consultation: €150, deducted from your surgery`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the form shown again lacks %s", want)
		}
	}
	if strings.Contains(page, "(17:00–19:00)") {
		t.Error("the form shown again offers the default evening, not the practice's")
	}
}
