package problem

import "testing"

func TestProblemString(t *testing.T) {
	for _, tt := range []struct {
		p    Problem
		want string
	}{
		{Problem{File: "content/procedures/rhinoplasty.md", Line: 7, Field: "fees.from", Message: `"about 6000" is not a number — write 6000`},
			`content/procedures/rhinoplasty.md:7: fees.from: "about 6000" is not a number — write 6000`},
		{Problem{File: "content/site.yaml", Message: "the file is empty"},
			"content/site.yaml: the file is empty"},
		{Problem{File: "content/gallery/a/index.md", Line: 3, Field: "consent_expires", Message: "consent expired on 2026-01-01", Severity: Warning},
			"content/gallery/a/index.md:3: warning: consent_expires: consent expired on 2026-01-01"},
	} {
		if got := tt.p.String(); got != tt.want {
			t.Errorf("String() = %q\nwant       %q", got, tt.want)
		}
	}
}

func TestListErr(t *testing.T) {
	var l List
	l.Warnf("b.md", 2, "", "a warning")
	if l.Err() != nil || l.HasErrors() {
		t.Fatal("a list with warnings only has no error")
	}
	var other List
	other.Errorf("b.md", 1, "title", "missing — write a title")
	other.Errorf("a.md", 9, "weight", "not a number")
	l.Merge(&other)
	if l.Len() != 3 || !l.HasErrors() {
		t.Fatalf("Len %d, HasErrors %v after Merge", l.Len(), l.HasErrors())
	}
	want := "a.md:9: weight: not a number\nb.md:1: title: missing — write a title\nb.md:2: warning: a warning"
	if got := l.Err().Error(); got != want {
		t.Errorf("Err() =\n%s\nwant\n%s", got, want)
	}
}

func TestFieldName(t *testing.T) {
	for path, want := range map[string]string{
		"fees.from":             "fees.from",
		"surgeons[0]":           "the first surgeon",
		"photos[1].after":       "the second photo's after",
		"faq[2].a":              "the third question's answer",
		"faq[0].q":              "the first question",
		"faq[0]":                "the first question",
		"intake.escalate_to[0]": "the first address in intake.escalate_to",
		"compliance[1]":         "the second rule set in compliance",
		"memberships[0].logo":   "the first membership's logo",
		"photos.widths[11]":     "the 12th width",
		"categories[21]":        "the 22nd category",
		"things[0].x":           "the first item of things's x",
		"title":                 "title",
		"intake.hours.mon-fri":  "intake.hours.mon-fri",
	} {
		if got := FieldName(path); got != want {
			t.Errorf("FieldName(%q) = %q, want %q", path, got, want)
		}
	}
}
