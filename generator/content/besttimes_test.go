package content

import (
	"slices"
	"testing"
)

// TestBestTimes: the form offers to call only when the practice is open,
// naming the days when they are not all of its open days.
func TestBestTimes(t *testing.T) {
	for _, tc := range []struct {
		name  string
		hours map[string]string
		want  []string
	}{
		{"no hours: always open", nil, DefaultBestTimes},
		{"the demo: closes at 17:00 on Fridays, Saturday mornings", map[string]string{"mon-thu": "08:30-18:30", "fri": "08:30-17:00", "sat": "09:00-13:00"},
			[]string{"Morning (08:30–12:00)", "Afternoon, Monday to Friday (12:00–17:00)", "Early evening, Monday to Thursday (17:00–18:30)"}},
		{"weekdays, closing at 17:00", map[string]string{"mon-fri": "09:00-17:00"},
			[]string{"Morning (09:00–12:00)", "Afternoon (12:00–17:00)"}},
		{"a lunch break and late Tuesdays and Thursdays", map[string]string{"mon,wed,fri": "09:00-12:30, 13:30-17:30", "tue,thu": "10:00-20:00"},
			[]string{"Morning (09:00–12:00)", "Afternoon (12:00–17:00)", "Early evening, Tuesday and Thursday (17:00–20:00)"}},
		{"evenings only", map[string]string{"mon-fri": "16:00-21:00"},
			[]string{"Early evening (17:00–21:00)"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Config{Hours: tc.hours}.BestTimes()
			if !slices.Equal(got, tc.want) {
				t.Errorf("BestTimes() = %q\nwant %q", got, tc.want)
			}
		})
	}
}
