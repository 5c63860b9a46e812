package content

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/consultahq/consulta/internal/care"
)

// careSite is validSite with care files: two defaults, a consultation
// note, and rhinoplasty's own steps, one overriding a default.
func careSite() fstest.MapFS {
	fsys := validSite()
	file := func(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s)} }
	fsys["content/team/niamh.md"] = file("---\ntitle: Niamh Byrne\nrole: coordinator\n---\n")
	fsys["content/team/nurse-ann.md"] = file("---\ntitle: Ann Kelly\nrole: theatre nurse\n---\n")
	fsys["content/site.yaml"] = file("name: Harbour Aesthetic Surgery\nbase_url: https://www.example.org/\nintake:\n  region: IE\n")
	fsys["content/care/_default/medicines.md"] = file(`---
title: Medicines and smoking, two weeks before
send: -14d
acknowledge: true
reviewed_by: dr-hart
reviewed_on: 2025-11-20
---
Stop smoking and stop taking aspirin.
`)
	fsys["content/care/_default/first-day.md"] = file(`---
title: How are you feeling?
send: +1d
check_in: true
reviewed_by: dr-hart
reviewed_on: 2025-11-20
---
We would like to hear how you are.
`)
	fsys["content/care/_default/consultation.md"] = file(`---
title: Your consultation
what_to_bring:
  - Photo ID
  - A list of the medicines you take
reviewed_by: dr-hart
reviewed_on: 2025-11-20
---
Bring someone with you if you like.
`)
	fsys["content/care/rhinoplasty/first-day.md"] = file(`---
title: The day after your rhinoplasty
send: +1d
check_in: true
reviewed_by: dr-hart
reviewed_on: 2025-11-20
---
Keep your head raised.
`)
	fsys["content/care/rhinoplasty/splint.md"] = file(`---
title: Your splint comes off
send: +1w
reviewed_by: dr-hart
reviewed_on: 2025-11-20
what_to_bring: [Your splint's care sheet]
---
The splint comes off at a week.
`)
	fsys["content/care/rhinoplasty/draft-step.md"] = file("---\ntitle: Later\nsend: +2w\ndraft: true\nreviewed_by: dr-hart\nreviewed_on: 2025-11-20\n---\nTODO: write it.\n")
	return fsys
}

func TestCare(t *testing.T) {
	site, probs := load(t, careSite())
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(probs, "\n"))
	}
	slugs := func(pages []*Page) string {
		var s []string
		for _, p := range pages {
			s = append(s, p.CareSlug()+"@"+p.Care.Offset.String())
		}
		return strings.Join(s, " ")
	}
	if got, want := slugs(site.Care.Steps("rhinoplasty")), "medicines@-14d first-day@+1d splint@+1w"; got != want {
		t.Errorf("rhinoplasty's steps = %s, want %s", got, want)
	}
	if got := site.Care.Steps("rhinoplasty")[1]; got.File != "content/care/rhinoplasty/first-day.md" || got.Care.Procedure != "rhinoplasty" {
		t.Errorf("rhinoplasty's first-day is %s, not its own", got.File)
	}
	if got, want := slugs(site.Care.Steps("facelift")), "medicines@-14d first-day@+1d"; got != want {
		t.Errorf("facelift's steps = %s, want the defaults %s", got, want)
	}
	c := site.Care.Consultation("rhinoplasty")
	if c == nil || len(c.Care.WhatToBring) != 2 || !strings.Contains(string(c.Body), "someone with you") {
		t.Errorf("consultation = %+v", c)
	}
	if m := site.Care.Steps("")[0].Care; !m.Acknowledge || m.Reviewer == nil || m.Reviewer.Title != "Dr Amelia Hart" {
		t.Errorf("medicines = %+v", m)
	}
	for _, p := range site.Pages {
		if strings.HasPrefix(p.File, "content/care/") {
			t.Errorf("care file %s is published at %s", p.File, p.URL)
		}
	}
	if !contains(site.Drafts, "content/care/rhinoplasty/draft-step.md") {
		t.Errorf("drafts = %v", site.Drafts)
	}
	if s := site.Config.CareSettings(); s.EmergencyNumber != "112 or 999" || s.SendAt != 9*60 || len(s.ConsultationReminders) != 2 || s.ReviewEvery != 12 {
		t.Errorf("care settings = %+v", s)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// TestCareMistakes makes one mistake staff can make in a care file or a
// care key per case, and checks the exact problem reported.
func TestCareMistakes(t *testing.T) {
	const med = "content/care/_default/medicines.md"
	tests := []struct {
		name, file, old, new string
		want                 []string
	}{
		{"bad offset", med, "send: -14d", "send: -14days",
			[]string{`content/care/_default/medicines.md:3: send: "-14days" does not end in a unit — write a sign, a number and a unit: -14d (14 days before), -2h (2 hours before), +1d (the day after), +6w (six weeks after); m is minutes, h hours, d days, w weeks`}},
		{"offset without a sign", med, "send: -14d", "send: 14d",
			[]string{`content/care/_default/medicines.md:3: send: "14d" does not say before or after — write -14d for before the surgery, +14d for after`}},
		{"no send", med, "send: -14d\n", "",
			[]string{`content/care/_default/medicines.md:1: send: missing — say when the step is sent, from the surgery: e.g. "send: -14d" (14 days before), "send: +1d" (the day after)`}},
		{"acknowledged too late", med, "send: -14d", "send: -1d",
			[]string{`content/care/_default/medicines.md:3: send: -1d is after the last day it can be acknowledged: a step before the surgery is acknowledged by the end of the second day before it, or becomes a task for the coordinator — send it at -2d or earlier, or set acknowledge: false`}},
		{"acknowledged two days before", med, "send: -14d", "send: -2d", nil},
		{"acknowledged in hours", med, "send: -14d", "send: -47h",
			[]string{`content/care/_default/medicines.md:3: send: -47h is after the last day it can be acknowledged: a step before the surgery is acknowledged by the end of the second day before it, or becomes a task for the coordinator — send it at -2d or earlier, or set acknowledge: false`}},
		{"acknowledged after is fine", med, "send: -14d", "send: +2d", nil},
		{"check-in before", "content/care/_default/first-day.md", "send: +1d", "send: -1d",
			[]string{`content/care/_default/first-day.md:4: check_in: a check-in asks how the patient feels after the surgery, so is sent after it — write send: +1d or later, or remove check_in`}},
		{"two answers", med, "acknowledge: true", "acknowledge: true\ncheck_in: true",
			[]string{`content/care/_default/medicines.md:5: check_in: a step asks for one answer: either "I have read this" (acknowledge) or how the patient feels (check_in) — make two steps, or remove one`}},
		{"reviewer not a surgeon", med, "reviewed_by: dr-hart", "reviewed_by: niamh",
			[]string{`content/care/_default/medicines.md:5: reviewed_by: niamh (role: coordinator) is not a surgeon: a surgeon reviews what patients are told before and after surgery — write one of dr-hart`}},
		{"a nurse is no surgeon", med, "reviewed_by: dr-hart", "reviewed_by: nurse-ann",
			[]string{`content/care/_default/medicines.md:5: reviewed_by: nurse-ann (role: theatre nurse) is not a surgeon: a surgeon reviews what patients are told before and after surgery — write one of dr-hart`}},
		{"unknown reviewer", med, "reviewed_by: dr-hart", "reviewed_by: dr-heart",
			[]string{`content/care/_default/medicines.md:5: reviewed_by: no team member "dr-heart" (no file content/team/dr-heart.md) — did you mean dr-hart?`}},
		{"no reviewer", med, "reviewed_by: dr-hart\n", "",
			[]string{`content/care/_default/medicines.md:1: reviewed_by: missing — name the surgeon who checked this is medically right, e.g. "reviewed_by: dr-amelia-hart" (a file name in content/team/ without .md), and the date in reviewed_on`}},
		{"old review", med, "reviewed_on: 2025-11-20", "reviewed_on: 2024-11-20",
			[]string{`content/care/_default/medicines.md:6: warning: reviewed_on: last reviewed on 2024-11-20, more than twelve months ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`}},
		{"review_every set", "content/site.yaml", "intake:", "care:\n  review_every: 1 month\nintake:",
			[]string{
				`content/care/_default/consultation.md:7: warning: reviewed_on: last reviewed on 2025-11-20, more than one month ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`,
				`content/care/_default/first-day.md:6: warning: reviewed_on: last reviewed on 2025-11-20, more than one month ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`,
				`content/care/_default/medicines.md:6: warning: reviewed_on: last reviewed on 2025-11-20, more than one month ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`,
				`content/care/rhinoplasty/draft-step.md:6: warning: reviewed_on: last reviewed on 2025-11-20, more than one month ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`,
				`content/care/rhinoplasty/first-day.md:6: warning: reviewed_on: last reviewed on 2025-11-20, more than one month ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`,
				`content/care/rhinoplasty/splint.md:5: warning: reviewed_on: last reviewed on 2025-11-20, more than one month ago (care.review_every) — ask dr-hart to check it again, then update reviewed_on`,
			}},
		{"unknown key", med, "acknowledge: true", "acknowlege: true",
			[]string{`content/care/_default/medicines.md:4: acknowlege: unknown key — did you mean acknowledge?`}},
		{"a page's key", med, "acknowledge: true", "acknowledge: true\ndescription: Medicines",
			[]string{`content/care/_default/medicines.md:5: description: unknown key — the keys here are title, send, acknowledge, check_in, reviewed_by, reviewed_on, what_to_bring, draft`}},
		{"no title", med, "title: Medicines and smoking, two weeks before\n", "",
			[]string{`content/care/_default/medicines.md:1: title: missing — add a line such as "title: Medicines" to the front matter`}},
		{"no text", med, "Stop smoking and stop taking aspirin.\n", "",
			[]string{`content/care/_default/medicines.md:7: the step has no text — write what the patient should do below the front matter, as you would say it to them`}},
		{"starter text", med, "Stop smoking", "TODO: say what to stop. Stop smoking",
			[]string{`content/care/_default/medicines.md:8: starter text left in: "TODO: say what to stop. Stop smoking and stop taking aspirin." — replace it with your own, or set draft: true until the page is ready; nothing is published until then`}},
		{"consultation with send", "content/care/_default/consultation.md", "title: Your consultation", "title: Your consultation\nsend: -2d",
			[]string{`content/care/_default/consultation.md:3: send: consultation.md is sent with the consultation's booking, not at an offset from the surgery — remove send, or rename the file to make it a step`}},
		{"empty thing to bring", "content/care/_default/consultation.md", "  - Photo ID", "  - \"\"",
			[]string{`content/care/_default/consultation.md:4: the first item of what_to_bring: empty — write one thing a line, e.g. "- Photo ID", or remove the line`}},
		{"bad reminder", "content/site.yaml", "intake:", "care:\n  consultation_reminders: [2d, +2h]\nintake:",
			[]string{`content/site.yaml:4: the second item of care.consultation_reminders: "+2h" is after the appointment — a reminder comes before it: write 2h`}},
		{"bad send_at", "content/site.yaml", "intake:", "care:\n  send_at: \"9am\"\nintake:",
			[]string{`content/site.yaml:4: care.send_at: "9am" is not a time of day — write it as hours:minutes on the 24-hour clock, e.g. "08:30"`}},
		{"bad urgent_to", "content/site.yaml", "intake:", "care:\n  urgent_to: [on call]\nintake:",
			[]string{`content/site.yaml:4: the first item of care.urgent_to: "on call" is not an address emails can be sent to: it is not one bare address (no name, no <>, no spaces) — write one address per item, e.g. oncall@your-practice.example`}},
		{"bad out of hours phone", "content/site.yaml", "intake:", "care:\n  out_of_hours_phone: \"555 01\"\nintake:",
			[]string{`content/site.yaml:4: care.out_of_hours_phone: "555 01" is not a phone number of IE — check the digits, and write it with + and the country code, e.g. "+353 1 555 0142"`}},
		{"no emergency number known", "content/site.yaml", "  region: IE\n", "  region: XK\n",
			[]string{`content/site.yaml:1: care.emergency_number: missing — the page of a worried patient gives the emergency number of the practice's country, and none is known for XK: add care: {emergency_number: "112"} with the number people there dial`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { oneMistake(t, careSite(), tt.file, tt.old, tt.new, tt.want) })
	}
}

// TestCareFolders: a folder that names no procedure is reported once,
// with the procedure it likely meant; a file outside any folder too.
func TestCareFolders(t *testing.T) {
	fsys := careSite()
	for _, name := range []string{"splint.md", "first-day.md"} {
		fsys["content/care/rhinoplsty/"+name] = fsys["content/care/rhinoplasty/"+name]
		delete(fsys, "content/care/rhinoplasty/"+name)
	}
	fsys["content/care/stray.md"] = fsys["content/care/_default/medicines.md"]
	fsys["content/care/_index.md"] = &fstest.MapFile{Data: []byte("---\ntitle: Care\n---\n")}
	site, got := load(t, fsys)
	want := []string{
		`content/care/_index.md: a care file goes in a folder — move it to content/care/_default/ (every procedure's steps) or content/care/<procedure>/ (one procedure's)`,
		`content/care/rhinoplsty/first-day.md: the folder content/care/rhinoplsty/ names no procedure (no file content/procedures/rhinoplsty.md) — did you mean rhinoplasty? — name the folder after a procedure's file, or _default for every procedure's steps`,
		`content/care/stray.md: a care file goes in a folder — move it to content/care/_default/ (every procedure's steps) or content/care/<procedure>/ (one procedure's)`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if site.ByURL["/care/"] != nil || len(site.Care.Steps("rhinoplasty")) != 2 {
		t.Errorf("a care file is published, or a folder of no procedure is used: %v", site.Care.Steps("rhinoplasty"))
	}
}

// TestCareReload: an edit of a care file is read again, and never makes
// it a page.
func TestCareReload(t *testing.T) {
	fsys := careSite()
	l := NewLoader(fsys).WithNow(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	if _, probs := l.Load(context.Background()); probs.Len() != 0 {
		t.Fatal(probs.Err())
	}
	const f = "content/care/rhinoplasty/splint.md"
	fsys[f] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys[f].Data), "send: +1w", "send: +10d", 1))}
	site, probs, _ := l.Reload(context.Background(), []string{f})
	if probs.Len() != 0 {
		t.Fatal(probs.Err())
	}
	steps := site.Care.Steps("rhinoplasty")
	if last := steps[len(steps)-1]; last.Care.Offset != (care.Offset{N: 10, Unit: care.Day}) {
		t.Errorf("after the edit, splint is at %v", last.Care.Offset)
	}
	fsys[f] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys[f].Data), "The splint", "Your splint", 1))}
	site, _, _ = l.Reload(context.Background(), []string{f})
	if last := site.Care.Steps("rhinoplasty")[2]; !strings.Contains(string(last.Body), "Your splint") {
		t.Errorf("the body's edit is not read: %q", last.Body)
	}
	for _, p := range site.Pages {
		if p.Kind == KindCare || strings.HasPrefix(p.File, "content/care/") {
			t.Errorf("after a reload, care file %s is a page", p.File)
		}
	}
}
