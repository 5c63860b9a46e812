package care

import (
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	for _, tc := range []struct {
		in   string
		sign Sign
		want Offset
		err  string // a part of the error; "" when none
	}{
		{"-14d", Signed, Offset{-14, Day}, ""},
		{"+1d", Signed, Offset{1, Day}, ""},
		{"+6w", Signed, Offset{6, Week}, ""},
		{"-2h", Signed, Offset{-2, Hour}, ""},
		{"-30m", Signed, Offset{-30, Minute}, ""},
		{" -2D ", Signed, Offset{-2, Day}, ""},
		{"−3d", Signed, Offset{-3, Day}, ""}, // a typographic minus, as a word processor writes it
		{"0d", Signed, Offset{0, Day}, ""},
		{"14d", Signed, Offset{}, "write -14d for before the surgery, +14d for after"},
		{"-14", Signed, Offset{}, "does not end in a unit"},
		{"-14days", Signed, Offset{}, "does not end in a unit"},
		{"--14d", Signed, Offset{}, "is not an offset"},
		{"-two d", Signed, Offset{}, "is not an offset"},
		{"", Signed, Offset{}, "empty"},
		{"-d", Signed, Offset{}, "is not an offset"},
		{"-4000d", Signed, Offset{}, "more than a year"},
		{"2d", Unsigned, Offset{-2, Day}, ""},
		{"2h", Unsigned, Offset{-2, Hour}, ""},
		{"-2h", Unsigned, Offset{-2, Hour}, ""},
		{"+2h", Unsigned, Offset{}, "a reminder comes before it: write 2h"},
	} {
		got, err := Parse(tc.in, tc.sign)
		switch {
		case tc.err == "" && err != nil:
			t.Errorf("Parse(%q) = %v", tc.in, err)
		case tc.err != "" && (err == nil || !strings.Contains(err.Error(), tc.err)):
			t.Errorf("Parse(%q) = %v, %v; want an error with %q", tc.in, got, err, tc.err)
		case tc.err == "" && got != tc.want:
			t.Errorf("Parse(%q) = %v, want %v", tc.in, got, tc.want)
		}
	}
}

func TestString(t *testing.T) {
	for _, s := range []string{"-14d", "+1d", "+6w", "-2h", "-30m", "0d"} {
		o, err := Parse(s, Signed)
		if err != nil || o.String() != s {
			t.Errorf("Parse(%q).String() = %q, %v", s, o.String(), err)
		}
	}
}

// TestAt: days and weeks are calendar days in practice time at send_at,
// whatever the summer-time changes between; hours are elapsed time.
func TestAt(t *testing.T) {
	dublin, err := time.LoadLocation("Europe/Dublin")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	const nine = 9 * 60
	for _, tc := range []struct {
		name   string
		offset Offset
		anchor time.Time
		loc    *time.Location
		want   time.Time
	}{
		{"two weeks before, in winter", Offset{-14, Day}, time.Date(2026, 12, 10, 14, 30, 0, 0, dublin), dublin,
			time.Date(2026, 11, 26, 9, 0, 0, 0, dublin)},
		// Clocks go forward on Sunday 29 March 2026: still 09:00 on the wall.
		{"across the spring change", Offset{-14, Day}, time.Date(2026, 4, 7, 8, 0, 0, 0, dublin), dublin,
			time.Date(2026, 3, 24, 9, 0, 0, 0, dublin)},
		// Clocks go back on Sunday 25 October 2026.
		{"across the autumn change", Offset{1, Week}, time.Date(2026, 10, 21, 7, 30, 0, 0, dublin), dublin,
			time.Date(2026, 10, 28, 9, 0, 0, 0, dublin)},
		{"the day after", Offset{1, Day}, time.Date(2026, 12, 10, 7, 30, 0, 0, dublin), dublin,
			time.Date(2026, 12, 11, 9, 0, 0, 0, dublin)},
		// The surgery's date is its date in practice time, not in UTC:
		// 00:30 in New York on the 10th is the 10th, though the 10th at
		// 05:30 in UTC.
		{"the practice's date, not UTC's", Offset{-1, Day}, time.Date(2026, 12, 10, 0, 30, 0, 0, ny), ny,
			time.Date(2026, 12, 9, 9, 0, 0, 0, ny)},
		// Two hours before 02:30 after the spring change is 23:30 the day
		// before on the wall: elapsed time, not the wall's.
		{"hours are elapsed time", Offset{-2, Hour}, time.Date(2026, 3, 29, 3, 30, 0, 0, dublin), dublin,
			time.Date(2026, 3, 29, 3, 30, 0, 0, dublin).Add(-2 * time.Hour)},
		{"minutes", Offset{-30, Minute}, time.Date(2026, 12, 10, 10, 0, 0, 0, dublin), dublin,
			time.Date(2026, 12, 10, 9, 30, 0, 0, dublin)},
		{"no zone is UTC", Offset{-2, Day}, time.Date(2026, 12, 10, 10, 0, 0, 0, time.UTC), nil,
			time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)},
	} {
		if got := tc.offset.At(tc.anchor, tc.loc, nine); !got.Equal(tc.want) {
			t.Errorf("%s: %v.At(%s) = %s, want %s", tc.name, tc.offset, tc.anchor, got, tc.want)
		}
	}
	// Across the spring change, two hours before 03:30 (summer time) is
	// 00:30 (winter time): one hour on the wall less than it seems, and
	// two hours of the patient's time.
	anchor := time.Date(2026, 3, 29, 3, 30, 0, 0, dublin)
	if got := (Offset{-2, Hour}).At(anchor, dublin, nine); got.In(dublin).Hour() != 0 || anchor.Sub(got) != 2*time.Hour {
		t.Errorf("-2h before %s = %s", anchor, got.In(dublin))
	}
}
