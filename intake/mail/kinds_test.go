package mail_test

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	cmail "github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/golden"
)

// notices are the response clock's emails about anna() and two digests,
// as the delivery worker composes them from what the store holds: each
// dated when its step was taken, with its buttons signed for its
// recipient (shown whole here).
func notices() map[string]cmail.Letter {
	l := anna()
	step := time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC) // when Anna's reply was due
	link := func(id, to string, actions ...string) []cmail.Link {
		labels := map[string]string{"claim": "I'm handling it", "contacted": "Reached", "booked": "Consultation booked",
			"closed": "Closed, no booking", "not_a_lead": "Not a lead", "release": "Release", "open": "Open the lead"}
		var out []cmail.Link
		for _, a := range actions {
			out = append(out, cmail.Link{Label: labels[a], URL: "https://harley.example/v1/actions/" + id + "." + a + "." + to + ".sig"})
		}
		return out
	}
	acts := []string{"claim", "contacted", "booked", "not_a_lead"}
	day := func(h, m int) time.Time { return time.Date(2026, 11, 30, h, m, 0, 0, time.UTC) }
	week := &cmail.DigestData{
		Since: time.Date(2026, 11, 30, 8, 30, 0, 0, time.UTC), Until: time.Date(2026, 12, 1, 8, 30, 0, 0, time.UTC),
		Figures: []cmail.Figure{{Label: "Leads", Value: "3"}, {Label: "Median time to claim", Value: "1h 40m"},
			{Label: "90th percentile time to claim", Value: "3h 00m"}, {Label: "Claimed within the promise", Value: "50%"},
			{Label: "Median time to first call", Value: "25m"}, {Label: "90th percentile time to first call", Value: "25m"},
			{Label: "Median time to reach", Value: "1h 05m"}, {Label: "90th percentile time to reach", Value: "1h 05m"},
			{Label: "Reached within the promise", Value: "50%"}, {Label: "Calls per lead", Value: "1"}, {Label: "Booked", Value: "0%"},
			{Label: "Not reached", Value: "0"}},
		Leads: []cmail.DigestLead{
			{ID: "ld_A", Ref: "HAR-1130-AAAA", Procedure: "rhinoplasty", State: "claimed", FirstAction: "20m"},
			{ID: "ld_C", Ref: "HAR-1130-CCCC", Procedure: "breast-augmentation", State: "new"},
			{ID: "ld_D", Ref: "HAR-1130-DDDD", Procedure: "not-sure", State: "spam"},
		},
		Overdue: []cmail.DigestLead{{ID: "ld_C", Ref: "HAR-1130-CCCC", Procedure: "breast-augmentation", State: "new", Due: day(13, 0),
			FirstName: "Cara", Phone: "+447700900456", Links: link("ld_C", "manager@harley.example", acts...)}},
		Held: []cmail.DigestLead{{ID: "ld_D", Ref: "HAR-1130-DDDD", Procedure: "not-sure", Received: day(12, 0),
			Signals: []string{"honeypot"}, EmailDomain: "mail.example", Links: link("ld_D", "manager@harley.example", "release")}},
		ByCoordinator: []cmail.Count{{Key: "", Leads: 2, Says: "2 leads, reached within the promise 0%, 0 calls a lead, booked 0%"},
			{Key: "Niamh Byrne", Leads: 1, Says: "1 lead, reached within the promise 100%, median to reach 25m, 2 calls a lead, booked 0%"}},
		ByProcedure: []cmail.Count{{Key: "breast-augmentation", Leads: 1}, {Key: "not-sure", Leads: 1}, {Key: "rhinoplasty", Leads: 1}},
		BySource:    []cmail.Count{{Key: "direct", Leads: 2}, {Key: "google", Leads: 1}},
		Surgeries: []cmail.DigestJourney{{ID: "ld_E", Ref: "HAR-1102-EEEE", FirstName: "Maeve", Procedure: "rhinoplasty", At: day(7, 30).AddDate(0, 0, 2),
			Surgeon: "dr-hart", Sent: 3, Acknowledged: 2, Overdue: 1, Waiting: 1, Override: true}},
		Consultations: []cmail.DigestJourney{{ID: "ld_F", Ref: "HAR-1120-FFFF", FirstName: "Orla", Procedure: "rhinoplasty", At: day(15, 0).AddDate(0, 0, 1),
			Mode: "video", Surgeon: "dr-hart"}},
	}
	quiet := &cmail.DigestData{Since: week.Since, Until: week.Until, Figures: []cmail.Figure{{Label: "Leads", Value: "0"},
		{Label: "Median time to claim", Value: "-"}, {Label: "90th percentile time to claim", Value: "-"},
		{Label: "Answered within the promise", Value: "-"}}}
	claimed := lead.Status{State: lead.Claimed, ClaimedAt: day(10, 5), ClaimedBy: "desk@harley.example", ClaimedName: "Niamh Byrne"}
	calling := claimed
	calling.Calls, calling.FirstCallAt, calling.LastCall = 1, day(10, 6), lead.NoAnswer
	back := claimed
	back.Calls, back.FirstCallAt, back.LastCall = 2, day(10, 6), lead.CallBack
	again := l
	again.ID, again.Ref, again.Received = "ld_01JAGAIN", "HAR-1130-0077", day(9, 40)
	again.LastName, again.Message = "O'Brien-Smith", "Me again: could you call after five?\nMy mobile is off during the day."
	return map[string]cmail.Letter{
		"anna.reminder": {Kind: cmail.Reminder, To: "face@harley.example", Date: step, Lead: l,
			Links: link(l.ID, "face@harley.example", acts...)},
		"claimed.reminder": {Kind: cmail.Reminder, ID: l.ID + ".reminder", To: "desk@harley.example", Date: step.Add(25 * time.Minute),
			Lead: l, Status: claimed, Links: link(l.ID, "desk@harley.example", acts...)},
		"anna.escalation": {Kind: cmail.Escalation, ID: l.ID + ".escalation.0", To: "manager@harley.example",
			Date: step.Add(time.Hour), Lead: l, Links: link(l.ID, "manager@harley.example", acts...)},
		"claimed.escalation": {Kind: cmail.Escalation, ID: l.ID + ".escalation.0", To: "manager@harley.example",
			Date: step.Add(65 * time.Minute), Lead: l, Status: claimed, Links: link(l.ID, "manager@harley.example", acts...)},
		"anna.attempt": {Kind: cmail.Attempt, ID: l.ID + ".attempt.2", To: "desk@harley.example", Date: day(12, 6),
			Lead: l, Status: calling, Links: link(l.ID, "desk@harley.example", "open")},
		"back.attempt": {Kind: cmail.Attempt, ID: l.ID + ".attempt.3", To: "desk@harley.example", Date: day(16, 0),
			Lead: l, Status: back, Links: link(l.ID, "desk@harley.example", "open")},
		"anna.again": {Kind: cmail.Again, ID: again.ID + ".again", To: "desk@harley.example", Date: again.Received,
			Lead: l, Status: claimed, Again: &again, Links: link(l.ID, "desk@harley.example", "open")},
		"anna.unreached": {Kind: cmail.Unreached, To: l.Email, Date: day(10, 30).AddDate(0, 0, 2), Lead: l},
		"anna.follow_up": {Kind: cmail.FollowUp, To: "manager@harley.example", Date: day(12, 20).AddDate(0, 0, 3),
			Lead: l, Status: lead.Status{State: lead.Contacted, ContactedAt: day(12, 20)},
			Links: link(l.ID, "manager@harley.example", "booked", "closed", "not_a_lead")},
		"anna.correction": {Kind: cmail.Correction, ID: l.ID + ".correction.1", To: "face@harley.example",
			Date: l.Received.Add(2 * time.Minute), Lead: corrected(l, l.Received.Add(2*time.Minute))},
		"week.digest":  {Kind: cmail.Digest, ID: "digest.2026-12-01.0", To: "manager@harley.example", Date: week.Until, Digest: week},
		"quiet.digest": {Kind: cmail.Digest, ID: "digest.2026-12-01.0", To: "manager@harley.example", Date: week.Until, Digest: quiet},
	}
}

// corrected is l after its patient corrected its phone at at, keeping its
// email.
func corrected(l lead.Lead, at time.Time) lead.Lead {
	l.Corrections = []lead.Corrected{{At: at, Phone: l.Phone, Email: l.Email}}
	l.Phone = "+447700900456"
	return l
}

// TestComposeNoticesGolden: the reminder, the escalation, the follow-up
// and the digest, composed from their data, each against its golden
// files (sorted headers, decoded bodies), as TestComposeGolden does for
// the lead's own emails.
func TestComposeNoticesGolden(t *testing.T) {
	for name, l := range notices() {
		t.Run(name, func(t *testing.T) {
			m, err := cmail.Compose(l, practice())
			if err != nil {
				t.Fatal(err)
			}
			if m.Kind != l.Kind || len(m.To) != 1 || m.To[0] != l.To || m.From != "desk@harley.example" ||
				m.MessageID != "<"+cmp(l.ID, l.Lead.ID+"."+l.Kind)+"@harley.example>" {
				t.Errorf("envelope %s %s → %v, %s", m.Kind, m.From, m.To, m.MessageID)
			}
			text, html := bodies(t, m.Raw)
			golden.Check(t, filepath.Join("testdata", name+".headers"), headers(t, m.Raw), *update)
			golden.Check(t, filepath.Join("testdata", name+".txt"), text, *update)
			golden.Check(t, filepath.Join("testdata", name+".html"), html, *update)
			for _, line := range strings.Split(string(m.Raw), "\r\n") {
				if len(line) > 998 {
					t.Errorf("%s: line of %d characters", m.ID, len(line))
				}
			}
		})
	}
}

func cmp(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// TestNoticesEscape: what a patient wrote reaches a notice only as text:
// a first name or a procedure title holding markup is shown, not obeyed.
func TestNoticesEscape(t *testing.T) {
	l := notices()["anna.reminder"]
	l.Lead.FirstName, l.Lead.ProcedureTitle = `<b onclick="x()">Anna</b>`, "Nose & <i>chin</i>"
	m, err := cmail.Compose(l, practice())
	if err != nil {
		t.Fatal(err)
	}
	_, html := bodies(t, m.Raw)
	if bytes.Contains(html, []byte("<b ")) || bytes.Contains(html, []byte("<i>")) ||
		!bytes.Contains(html, []byte("&lt;b onclick=&#34;x()&#34;&gt;Anna&lt;/b&gt; (Nose &amp; &lt;i&gt;chin&lt;/i&gt;)")) {
		t.Errorf("the reminder does not show the name and procedure as text:\n%s", html)
	}
}

// TestComposeRefusesNotices: a notice needs an address it can send to,
// and a digest its data.
func TestComposeRefusesNotices(t *testing.T) {
	for name, spoil := range map[string]func(*cmail.Letter){
		"non-ASCII recipient": func(l *cmail.Letter) { l.To = "managér@harley.example" },
		"two recipients":      func(l *cmail.Letter) { l.To = "a@harley.example, b@harley.example" },
		"digest without data": func(l *cmail.Letter) { *l = notices()["week.digest"]; l.Digest = nil },
		"unknown kind":        func(l *cmail.Letter) { l.Kind = "postcard" },
	} {
		t.Run(name, func(t *testing.T) {
			l := notices()["anna.escalation"]
			spoil(&l)
			if _, err := cmail.Compose(l, practice()); err == nil {
				t.Errorf("Compose accepted it")
			}
		})
	}
}

// TestEmailsPassAxe looks at the HTML of every kind of email in Chromium,
// as a phone's mail app (390 px) and a desktop mail client (1366 px) show
// it: each passes axe-core (WCAG 2.2 A and AA) and fits the screen.
func TestEmailsPassAxe(t *testing.T) {
	b := browser.Start(t)
	msgs, err := compose(anna(), practice())
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range notices() {
		m, err := cmail.Compose(l, practice())
		if err != nil {
			t.Fatal(err)
		}
		m.ID = name
		msgs = append(msgs, m)
	}
	for _, m := range msgs {
		_, html := bodies(t, m.Raw)
		b.CheckEmail(t, "email-"+m.Kind+"-"+strings.ReplaceAll(m.ID, ".", "-"), string(html))
	}
	var kinds []string
	for _, m := range msgs {
		kinds = append(kinds, m.Kind)
	}
	for _, k := range []string{lead.Coordinator, lead.Patient, lead.Reminder, lead.Escalation, lead.FollowUp, lead.Digest,
		lead.Attempt, lead.Again, lead.Unreached} {
		if !strings.Contains(strings.Join(kinds, " "), k) {
			t.Errorf("no email of kind %s was looked at", k)
		}
	}
}
