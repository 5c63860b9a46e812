package lead

import (
	"regexp"
	"testing"
	"time"
)

func TestRef(t *testing.T) {
	dublin, err := time.LoadLocation("Europe/Dublin")
	if err != nil {
		t.Fatal(err)
	}
	// 23:30 UTC on 29 November is 29 November in Dublin, 30 in Auckland.
	received := time.Date(2026, 11, 29, 23, 30, 0, 0, time.UTC)
	got := Ref("HAS", "ld_01KB9XJ4M0", received, dublin)
	if !regexp.MustCompile(`^HAS-1129-[0-9A-HJKMNP-TV-Z]{4}$`).MatchString(got) {
		t.Errorf("Ref = %q, want HAS-1129-XXXX", got)
	}
	if again := Ref("HAS", "ld_01KB9XJ4M0", received, dublin); again != got {
		t.Errorf("Ref is not stable: %q then %q", got, again)
	}
	if other := Ref("HAS", "ld_01KB9XJ4M1", received, dublin); other == got {
		t.Errorf("two ids share the reference %q", got)
	}
	for name, want := range map[string]string{
		"Harbour Aesthetic Surgery":         "HAS",
		"  harbour   aesthetic ":            "HA",
		"The Bristol Skin & Laser Clinic X": "TBSL",
		"123":                               "LEAD",
	} {
		if got := RefPrefix(name); got != want {
			t.Errorf("RefPrefix(%q) = %q, want %q", name, got, want)
		}
	}
}
