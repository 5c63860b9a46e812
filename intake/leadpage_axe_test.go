package intake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/internal/browser"
)

// TestLeadPageStatesPassAxe opens the lead's page in each state a lead
// goes through, in Chromium at a phone's width (390 px) and a desktop's
// (1366 px): each passes axe-core (WCAG 2.2 A and AA) and fits the
// screen. With CONSULTA_SCREENSHOTS set, each is kept as
// lead-<state>-<width>.png.
func TestLeadPageStatesPassAxe(t *testing.T) {
	b := browser.Start(t)
	staff := []lead.Person{{Name: "Niamh Byrne", Email: coordinator}, {Name: "Ciara Walsh", Email: coordinator},
		{Name: "Dr Amelia Hart", Email: manager}}
	f, s, first := clockFixture(t, func(c *Config) {
		c.Staff, c.Practice.Region = staff, "IE"
		c.Practice.Colours.Accent = "#7a5c3e"
	})
	srv := httptest.NewServer(f.h)
	t.Cleanup(srv.Close)
	newLead := func(edit func(map[string]any)) string {
		l := validLead()
		if edit != nil {
			edit(l)
		}
		w := f.post(ctJSON, asJSON(l), "192.0.2.1")
		var got struct{ ID string }
		json.Unmarshal(w.Body.Bytes(), &got)
		if got.ID == "" {
			t.Fatalf("post: %d %s", w.Code, w.Body)
		}
		return got.ID
	}
	amelia := func(id string) string { return action.Path + s.Sign(id, action.Open, manager) }
	press := func(id string, kv ...string) {
		t.Helper()
		if r := f.press(amelia(id), nil, kv...); r.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s on %s: %d", kv, id, r.StatusCode)
		}
	}
	unique := 0
	patient := func(phone string) string { // each a patient of their own
		unique++
		return newLead(func(l map[string]any) {
			l["email"], l["phone"] = fmt.Sprintf("p%d@mail.example", unique), phone
		})
	}
	claimed, calling, back, unreached, reached, booked := patient("087 100 0001"), patient("087 100 0002"), patient("087 100 0003"),
		patient("087 100 0004"), patient("087 100 0005"), patient("087 100 0006")
	texting := newLead(func(l map[string]any) {
		l["email"], l["phone"], l["preferred_contact"], l["sms_opt_in"] = "texter@mail.example", "087 100 0007", "text", true
		l["message"] = "I work nights, so texts are best. Could you tell me about the recovery time and whether I need a week off work?"
	})
	spamLead := validLead()
	spamLead["email"], spamLead["phone"], spamLead["website"] = "bot@spam.example", "087 100 0008", "http://spam.example"
	w := f.post(ctJSON, asJSON(spamLead), "192.0.2.9")
	var held struct{ ID string }
	json.Unmarshal(w.Body.Bytes(), &held)

	f.clock.advance(5 * time.Minute)
	press(claimed, "do", "claim", "note", "Calling after her shift")
	press(calling, "do", "call:no_answer")
	press(back, "do", "call:call_back", "back", "2026-03-03T17:30", "note", "Her husband answered: after half five tomorrow")
	for range 4 {
		press(unreached, "do", "call:no_answer")
	}
	press(reached, "do", "call:no_answer")
	press(reached, "do", "call:reached", "note", "Wants a video consultation")
	press(booked, "do", "call:reached")
	press(booked, "do", "booked", "note", "Thursday 10:00 with Dr Hart")
	again := validLead() // the first patient writes again
	again["message"] = "Sorry, one more question: is there a payment plan?"
	f.post(ctJSON, asJSON(again), "192.0.2.1")

	states := []struct{ name, path string }{
		{"new", action.Path + s.Sign(texting, action.Claim, manager)},
		{"claimed", amelia(claimed)},
		{"no-answer", amelia(calling)},
		{"call-back", amelia(back)},
		{"not-reached", amelia(unreached)},
		{"reached", amelia(reached)},
		{"booked", amelia(booked)},
		{"held", action.Path + s.Sign(held.ID, action.Release, manager)},
		{"wrote-again", amelia(first)},
		{"who-is-acting", action.Path + s.Sign(claimed, action.Open, coordinator)},
		{"refused", action.Path + "a1.forged.claim.x.y.z"},
	}
	f.clock.advance(3 * time.Hour) // the leads not reached are overdue
	for _, width := range []int{390, 1366} {
		tab := b.Tab(t, browser.TabOptions{Width: width, Height: 900})
		for _, st := range states {
			tab.Go(t, srv.URL+st.path)
			look(t, tab, st.name, width)
		}
		// A step with a mistake: the page shown again, the mistake said.
		tab.Go(t, srv.URL+amelia(calling))
		tab.Do(t, "write a note too long", chromedp.SetValue("#note", strings.Repeat("a", lead.MaxNote+5)),
			chromedp.Evaluate[chromedp.Void](`document.getElementById("note").removeAttribute("maxlength")`))
		if status := tab.Follow(t, "press No answer", chromedp.Click(chromedp.CSS(`button[value="call:no_answer"]`))); status != http.StatusUnprocessableEntity {
			t.Errorf("a note too long answers %d, want 422", status)
		}
		look(t, tab, "mistake", width)
		// A shared mailbox's person chosen: the page says who acts.
		tab.Go(t, srv.URL+action.Path+s.Sign(claimed, action.Open, coordinator))
		if browser.Eval[bool](t, tab, `document.querySelector("button[value=forget]") !== null`) { // this browser remembers already
			tab.Follow(t, "press Not you?", chromedp.Click(chromedp.CSS(`button[value=forget]`)))
		}
		if status := tab.Follow(t, "choose Ciara", chromedp.Click(chromedp.CSS(`button[name=person][value="1"]`))); status != http.StatusOK {
			t.Fatalf("choosing a person answers %d", status)
		}
		if got := browser.Eval[string](t, tab, `document.querySelector(".person").innerText`); !strings.Contains(got, "Ciara Walsh") {
			t.Errorf("after choosing Ciara, the page says %q", got)
		}
		look(t, tab, "acting-as", width)
	}
}

// look checks the page tab shows: axe, no wider than the screen, and a
// screenshot for people to look at.
func look(t *testing.T, tab *browser.Tab, name string, width int) {
	t.Helper()
	tab.CheckAxe(t, fmt.Sprintf("lead page %s at %d px", name, width))
	if browser.Eval[bool](t, tab, `document.documentElement.scrollWidth > innerWidth`) {
		t.Errorf("lead page %s at %d px is wider than the screen", name, width)
	}
	tab.Screenshot(t, fmt.Sprintf("lead-%s-%d", name, width), "")
}
