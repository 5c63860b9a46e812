package compliance

import (
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
)

// site returns a small site that names the rule sets in settings (a
// site.yaml line such as "compliance: [uk]"), with files added or
// replaced.
func site(settings string, files map[string]string) fstest.MapFS {
	fsys := fstest.MapFS{
		"content/site.yaml":                    {Data: []byte("name: \"Test Practice\"\nbase_url: \"https://www.example.org/\"\n" + settings + "\n")},
		"content/_index.md":                    {Data: []byte("---\ntitle: Home\n---\nWelcome.\n")},
		"content/team/dr-a.md":                 {Data: []byte("---\ntitle: Dr A\nrole: surgeon\n---\nDr A operates on faces.\n")},
		"content/procedures/rhinoplasty.md":    {Data: []byte("---\ntitle: Rhinoplasty\ncategory: face\nsurgeons: [dr-a]\n---\nNose surgery.\n")},
		"content/gallery/nose-1/index.md":      {Data: []byte(caseFile("retouched: false"))},
		"content/gallery/nose-1/before.jpg":    {Data: []byte("jpeg")},
		"content/gallery/nose-1/after.jpg":     {Data: []byte("jpeg")},
		"content/procedures/_index.md":         {Data: []byte("---\ntitle: Procedures\n---\n")},
		"content/gallery/_index.md":            {Data: []byte("---\ntitle: Gallery\n---\n")},
		"content/team/_index.md":               {Data: []byte("---\ntitle: Team\n---\n")},
		"content/about.md":                     {Data: []byte("---\ntitle: About us\n---\nA practice in town.\n")},
		"content/consultation.md":              {Data: []byte("---\ntitle: Your consultation\n---\nAsk us.\n")},
		"content/consultation/thank-you.md":    {Data: []byte("---\ntitle: Thank you\n---\nWe will reply.\n")},
		"content/procedures/blepharoplasty.md": {Data: []byte("---\ntitle: Eyelid surgery\ncategory: face\n---\nEyelids.\n")},
	}
	for name, src := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(src)}
	}
	for name, f := range fsys {
		fsys[name] = &fstest.MapFile{Data: []byte(complete(name, string(f.Data)))}
	}
	return fsys
}

// complete gives a procedure its risks and a recent medical review, and a
// case its id, at the end of the front matter, where they move no line
// the tests name.
func complete(name, src string) string {
	var add string
	switch {
	case strings.HasPrefix(name, "content/procedures/") && !strings.HasSuffix(name, "_index.md") && !strings.Contains(src, "\nreviewed_by:"):
		add = "risks: [Swelling for a week or two.]\nreviewed_by: dr-a\nreviewed_on: " + time.Now().AddDate(0, -1, 0).Format(time.DateOnly) + "\n"
	case strings.HasPrefix(name, "content/gallery/") && strings.HasSuffix(name, "/index.md") && !strings.Contains(src, "\nid:"):
		add = "id: a1b2\n"
	default:
		return src
	}
	end := strings.Index(src[3:], "\n---") + 3
	return src[:end+1] + add + src[end+1:]
}

func caseFile(extra string) string {
	return "---\ntitle: Nose 1\nprocedure: rhinoplasty\nsurgeon: dr-a\nconsent: 2026-01-10\n" + extra +
		"\nphotos:\n  - before: before.jpg\n    after: after.jpg\n    alt: \"front view, 6 months after\"\n---\n"
}

// check loads fsys and checks it, returning the loader's problems, then
// the checker's, as text, and the allowances used.
func check(t *testing.T, fsys fstest.MapFS) ([]string, []Allowance) {
	t.Helper()
	s, probs := content.Load(context.Background(), fsys)
	if s == nil {
		t.Fatalf("Load: %v", probs.Err())
	}
	c, setProbs := New(s.Config, s.ConfigLines)
	probs.Merge(setProbs)
	var allowed []Allowance
	if c != nil {
		cp, a := c.Site(s)
		probs.Merge(cp)
		allowed = a
	}
	return texts(probs.Sorted()), allowed
}

func texts(ps []problem.Problem) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.String()
	}
	return out
}

// The sources each rule set gives, as printed.
const (
	ukCAP         = "UK CAP Code rule 1.3 and CAP guidance on cosmetic interventions"
	ukGuidance    = "UK CAP guidance on cosmetic interventions"
	ukQualified   = "UK CAP Code rule 12.3 and CAP guidance on cosmetic interventions"
	ieASAI        = "Irish ASAI Code, responsibility to consumers"
	iePOM         = "Irish rules on prescription-only medicines"
	ieTrivial     = "Irish ASAI Code and Medical Council guide on information for patients"
	iePromotions  = "Irish ASAI Code, sales promotions"
	ieRegistered  = "Irish Medical Council guide, registration in published information"
	california    = "California Business and Professions Code §651"
	ukPromotions  = "UK CAP guidance on cosmetic interventions, promotions"
	ieInducements = "Irish ASAI Code, sales promotions, and Medical Council guide on inducements"
)

// The messages and fixes of the rules, as printed.
const (
	timePressure = "puts time pressure on the decision to have a medical procedure (%s) — remove the deadline; patients need time to decide, after a consultation"
	pom          = `promotes a prescription-only medicine to the public (%s) — describe the treatment area instead, e.g. "treatments for lines and wrinkles"`
	trivialising = "trivialises a medical procedure and its risks (%s) — say plainly what the procedure involves, its recovery and its risks"
	prize        = "offers a medical procedure as a prize or at a discount (%s) — remove the offer and state the fees plainly"
	qualified    = `claims a qualification or experience without the registration behind it (%s) — add the registration to the front matter, with its register and number (registration: {body: …, number: …}), or remove the claim`
	testimonial  = "exaggerates the results of a procedure in a testimonial (%s) — leave this review out, or publish it only as the patient wrote it with the claim taken out, with their agreement"
	moneyOffMsg  = "offers money off a medical procedure (%s) — remove the offer and state the fees plainly"
	scarcityMsg  = "says places are scarce, to rush the decision to have a medical procedure (%s) — remove the claim; say how to book a consultation, with time to decide"
	seasonalMsg  = "ties a medical procedure to a season or an event, as a promotion (%s) — remove the offer; a medical procedure is decided on at a consultation, not for an occasion"
	freeMsg      = "offers a free or complimentary treatment or gift as an inducement to a medical procedure (%s) — remove the offer and state the fees plainly; what the fee includes belongs in fees.note"
	retouched    = `the case does not attest that its photos are unaltered, and California forbids altered before/after photos (%s) — once you have checked the photos are not retouched, write "retouched: false"; otherwise take the case off the site`
)

func msg(format, source string) string { return strings.Replace(format, "%s", source, 1) }

// TestRules checks each rule in each rule set where it applies, with the
// exact text staff read.
func TestRules(t *testing.T) {
	offer := map[string]string{"content/offers.md": "---\ntitle: Offers\n---\n\nOur prices are fair.\nBut hurry: this price is for a limited time.\n"}
	pomPage := map[string]string{"content/procedures/lines.md": "---\ntitle: \"Anti-wrinkle injections\"\ncategory: face\n---\nSmoother lines.\n"}
	trivial := map[string]string{"content/procedures/lift.md": "---\ntitle: Facelift\ncategory: face\nsummary: \"The lunchtime facelift.\"\n---\nA lift.\n"}
	discount := map[string]string{"content/procedures/lift.md": "---\ntitle: Facelift\ncategory: face\nfaq:\n  - q: \"Is there an offer?\"\n    a: \"Yes, 20% off in May.\"\n---\nA lift.\n"}
	experienced := map[string]string{"content/team/dr-b.md": "---\ntitle: Dr B\nrole: surgeon\ncredentials: \"Highly experienced surgeon\"\n---\nDr B.\n"}
	review := map[string]string{"content/reviews/nose-sam.md": "---\nauthor: \"Sam, 30\"\nprocedure: rhinoplasty\nrating: 5\nsource: Google\ndate: 2026-02-01\nconsent: 2026-02-03\n---\nI look ten years younger.\n"}
	unattested := map[string]string{"content/gallery/nose-1/index.md": caseFile("")}
	retouchedCase := map[string]string{"content/gallery/nose-1/index.md": caseFile("retouched: true")}
	moneyOff := map[string]string{"content/procedures/lift.md": "---\ntitle: Facelift\ncategory: face\nsummary: \"Save €1,000 when you book before Friday.\"\n---\nA lift.\n\nNow £500 off.\n"}
	scarce := map[string]string{"content/offers.md": "---\ntitle: Offers\n---\n\nOnly three places left this month.\nLimited places.\n"}
	seasonal := map[string]string{"content/offers.md": "---\ntitle: Christmas special\n---\n\nOur Black Friday prices.\n"}
	free := map[string]string{"content/procedures/lift.md": "---\ntitle: Facelift\ncategory: face\nfees:\n  note: \"Includes a complimentary top-up.\"\n---\nA lift.\n\nBook a free consultation.\n"}
	compounds := map[string]string{"content/procedures/lift.md": "---\ntitle: Facelift\ndescription: \"A scar-free lift.\"\ncategory: face\n---\nA lift.\n\nScarless, they say.\n"}
	for _, tt := range []struct {
		rule, set string
		files     map[string]string
		want      []string
	}{
		{"time-pressure", "uk", offer, []string{
			"content/offers.md:6: " + `"hurry" ` + msg(timePressure, ukCAP),
			"content/offers.md:6: " + `"limited time" ` + msg(timePressure, ukCAP),
		}},
		{"time-pressure", "ie", offer, []string{
			"content/offers.md:6: " + `"hurry" ` + msg(timePressure, ieASAI),
			"content/offers.md:6: " + `"limited time" ` + msg(timePressure, ieASAI),
		}},
		{"prescription-only-medicine", "uk", pomPage, []string{
			"content/procedures/lines.md:2: title: " + `"anti-wrinkle injections" ` + msg(pom, ukGuidance),
		}},
		{"prescription-only-medicine", "ie", pomPage, []string{
			"content/procedures/lines.md:2: title: " + `"anti-wrinkle injections" ` + msg(pom, iePOM),
		}},
		{"trivialising", "uk", trivial, []string{
			"content/procedures/lift.md:4: summary: " + `"lunchtime facelift" ` + msg(trivialising, ukCAP),
		}},
		{"trivialising", "ie", trivial, []string{
			"content/procedures/lift.md:4: summary: " + `"lunchtime facelift" ` + msg(trivialising, ieTrivial),
		}},
		{"trivialising", "us-ca", trivial, []string{
			"content/procedures/lift.md:4: summary: " + `"lunchtime facelift" ` + msg(trivialising, california),
		}},
		{"prize-or-discount", "uk", discount, []string{
			"content/procedures/lift.md:6: the first question's answer: " + `"% off" ` + msg(prize, ukGuidance),
		}},
		{"prize-or-discount", "ie", discount, []string{
			"content/procedures/lift.md:6: the first question's answer: " + `"% off" ` + msg(prize, iePromotions),
		}},
		{"qualification-without-registration", "uk", experienced, []string{
			"content/team/dr-b.md:4: credentials: " + `"highly experienced" ` + msg(qualified, ukQualified),
		}},
		{"qualification-without-registration", "ie", experienced, []string{
			"content/team/dr-b.md:4: credentials: " + `"highly experienced" ` + msg(qualified, ieRegistered),
		}},
		{"exaggerated-testimonial", "uk", review, []string{
			"content/reviews/nose-sam.md:9: " + `"years younger" ` + msg(testimonial, "UK CAP Code rules on testimonials and CAP guidance on cosmetic interventions"),
		}},
		{"exaggerated-testimonial", "ie", review, []string{
			"content/reviews/nose-sam.md:9: " + `"years younger" ` + msg(testimonial, "Irish ASAI Code, testimonials"),
		}},
		{"exaggerated-testimonial", "us-ca", review, []string{
			"content/reviews/nose-sam.md:9: " + `"years younger" ` + msg(testimonial, california),
		}},
		{"money-off", "uk", moneyOff, []string{
			"content/procedures/lift.md:4: summary: " + `"save €1,000" ` + msg(moneyOffMsg, ukPromotions),
			"content/procedures/lift.md:11: " + `"£500 off" ` + msg(moneyOffMsg, ukPromotions),
		}},
		{"money-off", "ie", moneyOff, []string{
			"content/procedures/lift.md:4: summary: " + `"save €1,000" ` + msg(moneyOffMsg, iePromotions),
			"content/procedures/lift.md:11: " + `"£500 off" ` + msg(moneyOffMsg, iePromotions),
		}},
		{"scarcity", "uk", scarce, []string{
			"content/offers.md:5: " + `"only three places left" ` + msg(scarcityMsg, ukCAP),
			"content/offers.md:6: " + `"limited places" ` + msg(scarcityMsg, ukCAP),
		}},
		{"scarcity", "ie", scarce, []string{
			"content/offers.md:5: " + `"only three places left" ` + msg(scarcityMsg, ieASAI),
			"content/offers.md:6: " + `"limited places" ` + msg(scarcityMsg, ieASAI),
		}},
		{"seasonal-offer", "uk", seasonal, []string{
			"content/offers.md:2: title: " + `"christmas special" ` + msg(seasonalMsg, ukPromotions),
			"content/offers.md:5: " + `"black friday" ` + msg(seasonalMsg, ukPromotions),
		}},
		{"seasonal-offer", "ie", seasonal, []string{
			"content/offers.md:2: title: " + `"christmas special" ` + msg(seasonalMsg, iePromotions),
			"content/offers.md:5: " + `"black friday" ` + msg(seasonalMsg, iePromotions),
		}},
		{"free-treatment", "uk", free, []string{
			"content/procedures/lift.md:5: fees.note: " + `"complimentary top-up" ` + msg(freeMsg, ukPromotions),
			"content/procedures/lift.md:12: " + `"free consultation" ` + msg(freeMsg, ukPromotions),
		}},
		{"free-treatment", "ie", free, []string{
			"content/procedures/lift.md:5: fees.note: " + `"complimentary top-up" ` + msg(freeMsg, ieInducements),
			"content/procedures/lift.md:12: " + `"free consultation" ` + msg(freeMsg, ieInducements),
		}},
		{"trivialising (-free, -less)", "uk", compounds, []string{
			"content/procedures/lift.md:3: description: " + `"scar-free" ` + msg(trivialising, ukCAP),
			"content/procedures/lift.md:11: " + `"scarless" ` + msg(trivialising, ukCAP),
		}},
		{"trivialising (-free, -less)", "ie", compounds, []string{
			"content/procedures/lift.md:3: description: " + `"scar-free" ` + msg(trivialising, ieTrivial),
			"content/procedures/lift.md:11: " + `"scarless" ` + msg(trivialising, ieTrivial),
		}},
		{"trivialising (-free, -less)", "us-ca", compounds, []string{
			"content/procedures/lift.md:3: description: " + `"scar-free" ` + msg(trivialising, california),
			"content/procedures/lift.md:11: " + `"scarless" ` + msg(trivialising, california),
		}},
		{"retouched-photos", "us-ca", unattested, []string{
			"content/gallery/nose-1/index.md:1: retouched: " + msg(retouched, california),
		}},
		{"retouched-photos", "us-ca", retouchedCase, []string{
			"content/gallery/nose-1/index.md:6: retouched: " + msg(retouched, california),
		}},
	} {
		t.Run(tt.rule+"/"+tt.set, func(t *testing.T) {
			got, _ := check(t, site("compliance: ["+tt.set+"]", tt.files))
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
			// Without the rule set, the same content passes.
			if got, _ := check(t, site("", tt.files)); len(got) != 0 {
				t.Errorf("without compliance:\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// TestRulesDoNotApply checks that a rule is quiet outside its rule sets
// and its context.
func TestRulesDoNotApply(t *testing.T) {
	for _, tt := range []struct {
		name     string
		settings string
		files    map[string]string
	}{
		{"no prescription-only rule in us-ca", "compliance: [us-ca]", map[string]string{"content/about.md": "---\ntitle: About\n---\nWe offer Botox.\n"}},
		{"no time pressure rule in us-ca", "compliance: [us-ca]", map[string]string{"content/about.md": "---\ntitle: About\n---\nHurry!\n"}},
		{"retouched: false attests", "compliance: [us-ca]", nil},
		{"unretouched photos are a us-ca rule", "compliance: [uk, ie]", map[string]string{"content/gallery/nose-1/index.md": caseFile("")}},
		{"a registered surgeon may say qualified", "compliance: [uk, ie]", map[string]string{"content/team/dr-b.md": "---\ntitle: Dr B\nrole: surgeon\ncredentials: \"Highly experienced surgeon\"\nregistration: {body: Irish Medical Council, number: \"123456\", url: \"https://register.example/123456\"}\n---\nDr B.\n"}},
		{"testimonial rules are for reviews", "compliance: [uk, ie, us-ca]", map[string]string{"content/about.md": "---\ntitle: About\n---\nNo miracles here.\n"}},
		{"qualified is a team rule", "compliance: [uk]", map[string]string{"content/about.md": "---\ntitle: About\n---\nOur nurses are qualified.\n"}},
		{"parts of words", "compliance: [uk, ie, us-ca]", map[string]string{"content/about.md": "---\ntitle: About\n---\nOur offer ended; a discounter's wink; hurrying; botoxed.\n"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if got, _ := check(t, site(tt.settings, tt.files)); len(got) != 0 {
				t.Errorf("got\n%s", strings.Join(got, "\n"))
			}
		})
	}
}

// TestMergedSources checks the example: a rule of two rule sets
// names both sources, in the order site.yaml lists the sets.
func TestMergedSources(t *testing.T) {
	page := map[string]string{"content/procedures/anti-wrinkle-injections.md": "---\ntitle: \"Anti-wrinkle injections\"\ncategory: face\n---\nSmoother lines.\n"}
	got, _ := check(t, site("compliance: [uk, ie]", page))
	want := []string{`content/procedures/anti-wrinkle-injections.md:2: title: "anti-wrinkle injections" promotes a prescription-only medicine to the public (UK CAP guidance on cosmetic interventions; Irish rules on prescription-only medicines) — describe the treatment area instead, e.g. "treatments for lines and wrinkles"`}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestWhereTextsAre checks the line and field of each kind of text.
func TestWhereTextsAre(t *testing.T) {
	fsys := site("compliance: [uk]\ngallery:\n  disclaimer: \"Results guaranteed.\"\nmemberships:\n  - name: \"Quick Fix Society\"", map[string]string{
		"content/procedures/lift.md": `---
title: Facelift
description: "A facelift, painless."
category: face
fees:
  from: 9000
  note: "Book now and save"
faq:
  - q: "Does it hurt?"
    a: >-
      It is painless
      for most.
---
Intro.

A **quick
fix** it is not.
`,
		"content/gallery/nose-1/index.md": "---\ntitle: Nose 1\nprocedure: rhinoplasty\nsurgeon: dr-a\nconsent: 2026-01-10\nphotos:\n  - before: before.jpg\n    after: after.jpg\n    alt: \"front view after a quick fix\"\n---\n",
	})
	got, _ := check(t, fsys)
	want := []string{
		`content/gallery/nose-1/index.md:9: the first photo's alt: "quick fix" ` + msg(trivialising, ukCAP),
		`content/procedures/lift.md:3: description: "painless" ` + msg(trivialising, ukCAP),
		`content/procedures/lift.md:7: fees.note: "book now and save" ` + msg(timePressure, ukCAP),
		`content/procedures/lift.md:10: the first question's answer: "painless" ` + msg(trivialising, ukCAP),
		`content/procedures/lift.md:19: "quick fix" ` + msg(trivialising, ukCAP),
		`content/site.yaml:5: gallery.disclaimer: "results guaranteed" ` + msg(trivialising, ukCAP),
		`content/site.yaml:7: the first membership's name: "quick fix" ` + msg(trivialising, ukCAP),
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestNotStrict checks that compliance_strict: false makes a broken rule
// a warning, so that the site builds; by default it is an error.
func TestNotStrict(t *testing.T) {
	page := map[string]string{"content/about.md": "---\ntitle: About\n---\nWe offer Botox.\n"}
	s, probs := content.Load(context.Background(), site("compliance: [uk]\ncompliance_strict: false", page))
	c, setProbs := New(s.Config, s.ConfigLines)
	if probs.Err() != nil || setProbs.Len() != 0 {
		t.Fatalf("Load: %v %v", probs.Err(), setProbs.Sorted())
	}
	cp, _ := c.Site(s)
	want := []string{`content/about.md:4: warning: "botox" ` + msg(pom, ukGuidance)}
	if got := texts(cp.Sorted()); cp.HasErrors() || !slices.Equal(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// TestAllowance checks that a comment allows a rule on its line only, that
// the allowance is returned to be listed, and that comments that allow
// nothing or name no rule are reported.
func TestAllowance(t *testing.T) {
	page := map[string]string{"content/our-standards.md": `---
title: Our standards
---
We never name medicines: regulators ruled against "Botox" in ads. <!-- compliance: allow prescription-only-medicine -->
Nor do we say Botox here.
Nothing to allow. <!-- compliance: allow time-pressure -->
<!-- compliance: allow botox -->
<!-- compliance: alow prescription-only-medicine -->
`}
	got, allowed := check(t, site("compliance: [uk]", page))
	want := []string{
		`content/our-standards.md:5: "botox" ` + msg(pom, ukGuidance),
		`content/our-standards.md:6: warning: "compliance: allow time-pressure" allows nothing on this line — remove the comment, or move it to the line it is for`,
		`content/our-standards.md:7: warning: "compliance: allow botox": there is no rule botox — the rules are exaggerated-testimonial, free-treatment, money-off, prescription-only-medicine, prize-or-discount, qualification-without-registration, retouched-photos, scarcity, seasonal-offer, time-pressure, trivialising`,
		`content/our-standards.md:8: warning: "<!-- compliance: alow prescription-only-medicine -->" is not an allowance — write <!-- compliance: allow RULE-ID -->, e.g. <!-- compliance: allow exaggerated-testimonial -->`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	wantAllowed := []Allowance{{File: "content/our-standards.md", Line: 4, Rule: "prescription-only-medicine", Phrase: "botox"}}
	if !slices.Equal(allowed, wantAllowed) {
		t.Errorf("allowed %v, want %v", allowed, wantAllowed)
	}
	if s := allowed[0].String(); s != `content/our-standards.md:4: prescription-only-medicine allowed "botox"` {
		t.Errorf("String() = %s", s)
	}
}

// TestSettings checks the compliance keys of site.yaml.
func TestSettings(t *testing.T) {
	for _, tt := range []struct {
		settings string
		want     []string
	}{
		{"compliance: [uk, ei]", []string{`content/site.yaml:3: the second rule set in compliance: "ei" is not a rule set — did you mean ie? write one or more of ie, uk, us-ca, e.g. compliance: [ie]`}},
		{"compliance:\n  - uk\n  - uk", []string{`content/site.yaml:5: the second rule set in compliance: "uk" is listed twice — remove one`}},
		{"compliance: uk", []string{`content/site.yaml:3: compliance: expected a list, found "uk" — write one item a line, each starting with "- ", e.g. "- uk"`}},
		{"compliance_strict: yes", []string{`content/site.yaml:3: compliance_strict: "yes" is not true or false — write true or false`}},
		{"compliance_strict: false", []string{`content/site.yaml:3: warning: compliance_strict: has no effect without rule sets — name them, e.g. compliance: [ie], or remove compliance_strict`}},
	} {
		got, _ := check(t, site(tt.settings, nil))
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s:\ngot\n%s\nwant\n%s", tt.settings, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

// TestRuleSetsAgree checks that a rule in several rule sets has the same
// context, message and fix in each, as the merged problem shows one.
func TestRuleSetsAgree(t *testing.T) {
	sets, err := loadRuleSets()
	if err != nil {
		t.Fatal(err)
	}
	first := map[string]spec{}
	for _, name := range RuleSets() {
		for _, r := range sets[name].Rules {
			f, ok := first[r.ID]
			if !ok {
				first[r.ID] = r
				continue
			}
			if f.Context != r.Context || f.Message != r.Message || f.Fix != r.Fix || f.Unless != r.Unless || f.Check != r.Check {
				t.Errorf("rule %s in %s differs from the first rule set that has it", r.ID, name)
			}
		}
	}
	if got := RuleSets(); !slices.Equal(got, []string{"ie", "uk", "us-ca"}) {
		t.Errorf("RuleSets() = %v", got)
	}
}

// TestReviewWithoutConsent checks the rule that a review needs the date of
// the patient's consent, in every rule set and without any: the loader
// reports it as an error, so that the review is never published.
func TestReviewWithoutConsent(t *testing.T) {
	review := map[string]string{"content/reviews/nose-sam.md": "---\nauthor: \"Sam, 30\"\nprocedure: rhinoplasty\nrating: 5\nsource: Google\ndate: 2026-02-01\n---\nKind staff.\n"}
	want := []string{`content/reviews/nose-sam.md:1: consent: missing — write the date the patient's written consent to publish this review was recorded, e.g. "consent: 2025-07-01"; without it the review is not published`}
	for _, settings := range []string{"", "compliance: [uk]", "compliance: [ie]", "compliance: [us-ca]"} {
		if got, _ := check(t, site(settings, review)); !slices.Equal(got, want) {
			t.Errorf("%q: got\n%s\nwant\n%s", settings, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}

// TestDemoPasses checks that the demo practice passes the rule sets its
// site.yaml names.
func TestDemoPasses(t *testing.T) {
	s, probs := content.Load(context.Background(), os.DirFS("../.."))
	if s == nil || probs.HasErrors() {
		t.Fatalf("the demo site does not load: %v", probs.Err())
	}
	if !slices.Equal(s.Config.Compliance, []string{"ie", "uk"}) {
		t.Fatalf("the demo names compliance %v, want [ie uk]", s.Config.Compliance)
	}
	c, setProbs := New(s.Config, s.ConfigLines)
	cp, allowed := c.Site(s)
	cp.Merge(setProbs)
	if got := texts(cp.Sorted()); len(got) > 0 {
		t.Errorf("the demo breaks its own rules:\n%s", strings.Join(got, "\n"))
	}
	for _, a := range allowed {
		t.Logf("allowed: %s", a)
	}
}

// TestParseRuleSet checks what a rule set file may say.
func TestParseRuleSet(t *testing.T) {
	rs, err := parseRuleSet([]byte("name: Test\nrules:\n  - id: a\n    phrases: [x]\n    message: m\n    source: s\n    fix: f\n"))
	if err != nil || rs.Rules[0].Context != "everywhere" {
		t.Errorf("a rule without a context: %+v, %v; want everywhere", rs, err)
	}
	for _, bad := range []string{
		"name: Test\nrules:\n  - id: a\n    context: pages\n    phrases: [x]\n    message: m\n    source: s\n    fix: f\n",
		"name: Test\nrules:\n  - id: a\n    phrases: [x]\n    check: unretouched\n    message: m\n    source: s\n    fix: f\n",
		"name: Test\nrules:\n  - id: a\n    phrase: [x]\n    message: m\n    source: s\n    fix: f\n",
		"name: Test\nrules:\n  - id: a\n    phrases: [x]\n    message: m\n    fix: f\n",
		"name: Test\nrules:\n  - id: a\n    phrases: [x]\n    unless: registration\n    message: m\n    source: s\n    fix: f\n",
		"name: Test\nrules:\n  - id: a\n    phrases: [\"x(y\"]\n    message: m\n    source: s\n    fix: f\n",
		"rules: []\n",
	} {
		if _, err := parseRuleSet([]byte(bad)); err == nil {
			t.Errorf("parseRuleSet accepted\n%s", bad)
		}
	}
}

// TestCoolingOff: the UK and Irish rule sets ask two weeks between the
// first consultation and surgery; California's none.
func TestCoolingOff(t *testing.T) {
	for _, tc := range []struct {
		names []string
		days  int
	}{{[]string{"uk"}, 14}, {[]string{"ie"}, 14}, {[]string{"us-ca", "ie"}, 14}, {[]string{"us-ca"}, 0}, {nil, 0}} {
		days, source := CoolingOff(tc.names)
		if days != tc.days || (days > 0) != (source != "") {
			t.Errorf("CoolingOff(%v) = %d, %q; want %d days", tc.names, days, source, tc.days)
		}
	}
}
