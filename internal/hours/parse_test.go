package hours

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestParseDays(t *testing.T) {
	tests := []struct {
		in   string
		want []time.Weekday
		err  string
	}{
		{"mon-fri", []time.Weekday{1, 2, 3, 4, 5}, ""},
		{"sat", []time.Weekday{6}, ""},
		{"Mon, wed-thu", []time.Weekday{1, 3, 4}, ""},
		{"fri-mon", []time.Weekday{5, 6, 0, 1}, ""},
		{"monday", nil, `"monday" is not a day or a range of days — write days as mon`},
		{"mon-", nil, "is not a day"},
	}
	for _, tt := range tests {
		got, err := ParseDays(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseDays(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseDays(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseSpans(t *testing.T) {
	tests := []struct {
		in   string
		want []Span
		err  string
	}{
		{"09:00-18:00", []Span{{540, 1080}}, ""},
		{"00:00-24:00", []Span{{0, 1440}}, ""},
		{"09:00-13:00, 14:00-18:00", []Span{{540, 780}, {840, 1080}}, ""},
		{"9-18", nil, "is not a span of hours — write opening and closing times"},
		{"18:00-09:00", nil, "closes before it opens"},
		{"24:00-24:00", nil, "is not a span"},
		{"09:00-25:00", nil, "is not a span"},
		{"09:00-13:00, 12:00-18:00", nil, "overlapping"},
	}
	for _, tt := range tests {
		got, err := ParseSpans(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseSpans(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("ParseSpans(%q) = %v, %v; want %v", tt.in, got, err, tt.want)
		}
	}
}

func TestParseWeek(t *testing.T) {
	if _, key, err := ParseWeek(map[string]string{"mon-fri": "09:00-18:00", "fri": "10:00-12:00"}); err == nil || key != "mon-fri" && key != "fri" || !strings.Contains(err.Error(), "name each day once") {
		t.Errorf("a day named twice: key %q, error %v", key, err)
	}
	if _, key, err := ParseWeek(map[string]string{"mon-fri": "9 to 5"}); err == nil || key != "mon-fri" {
		t.Errorf("a bad span: key %q, error %v", key, err)
	}
}

func TestParseAmounts(t *testing.T) {
	if d, err := ParseDuration("2h"); err != nil || d != 2*time.Hour {
		t.Errorf("ParseDuration(2h) = %v, %v", d, err)
	}
	if d, err := ParseDuration("1h30m"); err != nil || d != 90*time.Minute {
		t.Errorf("ParseDuration(1h30m) = %v, %v", d, err)
	}
	for _, bad := range []string{"2 hours", "1d", "-1h", "0h", ""} {
		if _, err := ParseDuration(bad); err == nil || !strings.Contains(err.Error(), "write hours or minutes") {
			t.Errorf("ParseDuration(%q) error = %v", bad, err)
		}
	}
	if n, err := ParseWorkingDays("3d"); err != nil || n != 3 {
		t.Errorf("ParseWorkingDays(3d) = %v, %v", n, err)
	}
	for _, bad := range []string{"3", "3 days", "0d", "d"} {
		if _, err := ParseWorkingDays(bad); err == nil {
			t.Errorf("ParseWorkingDays(%q): no error", bad)
		}
	}
	if m, err := ParseClock("08:30"); err != nil || m != 510 {
		t.Errorf("ParseClock(08:30) = %v, %v", m, err)
	}
	for _, bad := range []string{"8.30", "24:00", "08:3", "25:00"} {
		if _, err := ParseClock(bad); err == nil {
			t.Errorf("ParseClock(%q): no error", bad)
		}
	}
}

func TestParseRetry(t *testing.T) {
	for in, want := range map[string]Retry{
		"2h": {After: 2 * time.Hour}, "90m": {After: 90 * time.Minute}, "next morning": {NextMorning: true},
		"Next  Morning": {NextMorning: true}, "day 3": {Day: 3}, "day 30": {Day: 30},
	} {
		got, err := ParseRetry(in)
		if err != nil || got != want {
			t.Errorf("ParseRetry(%q) = %+v, %v; want %+v", in, got, err, want)
		}
	}
	for _, r := range DefaultAttempts {
		if back, err := ParseRetry(r.String()); err != nil || back != r {
			t.Errorf("ParseRetry(%q) = %+v, %v; want %+v", r.String(), back, err, r)
		}
	}
	for bad, words := range map[string]string{"day 1": "day 2 to day 30", "day three": "day 2 to day 30",
		"tomorrow": `"next morning"`, "2 hours": `"next morning"`, "": "open time"} {
		if _, err := ParseRetry(bad); err == nil || !strings.Contains(err.Error(), words) {
			t.Errorf("ParseRetry(%q) error = %v, want one saying %s", bad, err, words)
		}
	}
}
