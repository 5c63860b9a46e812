package hours

import (
	"testing"
	"time"
)

var dublin = mustLoad("Europe/Dublin")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// issueHours is the example of site.yaml's intake keys.
func issueHours(t *testing.T) Schedule {
	t.Helper()
	w, key, err := ParseWeek(map[string]string{"mon-fri": "09:00-18:00", "sat": "10:00-13:00"})
	if err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	return Schedule{Location: dublin, Week: w, Closed: []time.Time{date(2026, 12, 25), date(2026, 12, 26)}}
}

func weekdays(t *testing.T, spans string) Schedule {
	t.Helper()
	w, _, err := ParseWeek(map[string]string{"mon-fri": spans})
	if err != nil {
		t.Fatal(err)
	}
	return Schedule{Location: dublin, Week: w}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// at is a wall-clock time in Dublin.
func at(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, dublin)
}

func TestAdd(t *testing.T) {
	whole, _, err := ParseWeek(map[string]string{"mon-sun": "00:00-24:00"})
	if err != nil {
		t.Fatal(err)
	}
	lunch, _, err := ParseWeek(map[string]string{"mon-fri": "09:00-13:00, 14:00-18:00"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		s    Schedule
		from time.Time
		d    time.Duration
		want time.Time
	}{
		// Sun 29 Nov 2026 is a Sunday; Fri 27 Nov a Friday.
		{"open, within the day", issueHours(t), at(2026, 11, 30, 10, 15), 2 * time.Hour, at(2026, 11, 30, 12, 15)},
		{"evening, weekday: next morning", issueHours(t), at(2026, 11, 30, 19, 5), 2 * time.Hour, at(2026, 12, 1, 11, 0)},
		{"before opening", issueHours(t), at(2026, 12, 1, 6, 0), 2 * time.Hour, at(2026, 12, 1, 11, 0)},
		{"ends exactly at closing", issueHours(t), at(2026, 12, 1, 16, 0), 2 * time.Hour, at(2026, 12, 1, 18, 0)},
		{"Friday 17:30 runs on into Saturday's hours", issueHours(t), at(2026, 11, 27, 17, 30), 2 * time.Hour, at(2026, 11, 28, 11, 30)},
		{"Saturday 12:30 runs on to Monday", issueHours(t), at(2026, 11, 28, 12, 30), 2 * time.Hour, at(2026, 11, 30, 10, 30)},
		{"Friday 17:30, weekdays only", weekdays(t, "09:00-18:00"), at(2026, 11, 27, 17, 30), 2 * time.Hour, at(2026, 11, 30, 10, 30)},
		{"Friday evening, weekdays only: Monday 11:00", weekdays(t, "09:00-18:00"), at(2026, 11, 27, 19, 0), 2 * time.Hour, at(2026, 11, 30, 11, 0)},
		{"Sunday", issueHours(t), at(2026, 11, 29, 9, 0), 2 * time.Hour, at(2026, 11, 30, 11, 0)},
		{"closed dates skip Christmas and St Stephen's Day", issueHours(t), at(2026, 12, 24, 17, 0), 2 * time.Hour, at(2026, 12, 28, 10, 0)},
		{"lunch break", Schedule{Location: dublin, Week: lunch}, at(2026, 12, 1, 12, 0), 2 * time.Hour, at(2026, 12, 1, 15, 0)},
		{"zero: open now", issueHours(t), at(2026, 12, 1, 12, 0), 0, at(2026, 12, 1, 12, 0)},
		{"zero: closed now", issueHours(t), at(2026, 12, 1, 18, 0), 0, at(2026, 12, 2, 9, 0)},
		{"long promise spans days", weekdays(t, "09:00-18:00"), at(2026, 11, 30, 9, 0), 20 * time.Hour, at(2026, 12, 2, 11, 0)},
		// Europe/Dublin leaves summer time at 02:00 on Sun 25 Oct 2026:
		// the whole day has 25 hours, and open time is real time.
		{"whole days across the autumn change", Schedule{Location: dublin, Week: whole}, at(2026, 10, 24, 23, 0), 4 * time.Hour, at(2026, 10, 25, 2, 0)},
		{"whole days across the spring change", Schedule{Location: dublin, Week: whole}, at(2026, 3, 28, 23, 0), 4 * time.Hour, at(2026, 3, 29, 4, 0)},
		{"office hours across the autumn change", issueHours(t), at(2026, 10, 23, 17, 0), 3 * time.Hour, at(2026, 10, 24, 12, 0)},
		{"office hours after the change keep wall time", weekdays(t, "09:00-18:00"), at(2026, 10, 23, 17, 0), 3 * time.Hour, at(2026, 10, 26, 11, 0)},
		{"always open (no hours)", Schedule{}, time.Date(2026, 11, 27, 17, 30, 0, 0, time.UTC), 2 * time.Hour, time.Date(2026, 11, 27, 19, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.s.Add(tt.from, tt.d)
			if !got.Equal(tt.want) {
				t.Errorf("Add(%s, %s) = %s, want %s", tt.from, tt.d, got.In(dublin), tt.want)
			}
			if tt.d > 0 {
				if open := tt.s.Between(tt.from, got); open != tt.d {
					t.Errorf("Between(%s, %s) = %s, want %s", tt.from, got, open, tt.d)
				}
			}
		})
	}
}

func TestAddDays(t *testing.T) {
	s := issueHours(t)
	tests := []struct {
		name string
		from time.Time
		n    int
		want time.Time
	}{
		{"Monday + 3 working days", at(2026, 11, 30, 10, 0), 3, at(2026, 12, 3, 10, 0)},
		{"Thursday + 3 counts Saturday, skips Sunday", at(2026, 12, 3, 10, 0), 3, at(2026, 12, 7, 10, 0)},
		{"Thursday 15:00 + 2 lands on Saturday after closing", at(2026, 12, 3, 15, 0), 2, at(2026, 12, 7, 9, 0)},
		{"over Christmas", at(2026, 12, 23, 11, 0), 2, at(2026, 12, 28, 11, 0)},
	}
	for _, tt := range tests {
		if got := s.AddDays(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("%s: AddDays(%s, %d) = %s, want %s", tt.name, tt.from, tt.n, got.In(dublin), tt.want)
		}
	}
}

func TestNextAt(t *testing.T) {
	s := issueHours(t)
	const digestAt = 8*60 + 30
	tests := []struct {
		name       string
		from, want time.Time
	}{
		{"before today's", at(2026, 11, 30, 7, 0), at(2026, 11, 30, 8, 30)},
		{"exactly at it: the next one", at(2026, 11, 30, 8, 30), at(2026, 12, 1, 8, 30)},
		{"Saturday is an open day", at(2026, 11, 27, 9, 0), at(2026, 11, 28, 8, 30)},
		{"Sunday is not", at(2026, 11, 28, 9, 0), at(2026, 11, 30, 8, 30)},
		{"closed dates are not", at(2026, 12, 24, 9, 0), at(2026, 12, 28, 8, 30)},
		{"across the autumn change", at(2026, 10, 24, 9, 0), at(2026, 10, 26, 8, 30)},
	}
	for _, tt := range tests {
		if got := s.NextAt(tt.from, digestAt); !got.Equal(tt.want) {
			t.Errorf("%s: NextAt(%s) = %s, want %s", tt.name, tt.from, got.In(dublin), tt.want)
		}
	}
}

func TestOpen(t *testing.T) {
	s := issueHours(t)
	for _, tt := range []struct {
		t    time.Time
		want bool
	}{
		{at(2026, 11, 30, 9, 0), true},
		{at(2026, 11, 30, 17, 59), true},
		{at(2026, 11, 30, 18, 0), false},
		{at(2026, 11, 28, 12, 0), true},
		{at(2026, 11, 29, 12, 0), false},
		{at(2026, 12, 25, 12, 0), false},
	} {
		if got := s.Open(tt.t); got != tt.want {
			t.Errorf("Open(%s) = %v, want %v", tt.t, got, tt.want)
		}
	}
	if !(Schedule{}).Open(time.Now()) {
		t.Error("the zero Schedule is closed; want always open")
	}
}

// TestNextCall: the default plan of call attempts, in open hours: two
// open hours after the first unanswered call, the next morning, then the
// morning of day 3 counting the first call's day as day 1.
func TestNextCall(t *testing.T) {
	c := Clock{Schedule: weekdays(t, "09:00-18:00")}
	first := at(2026, 11, 30, 10, 5) // Monday
	tests := []struct {
		name string
		c    Clock
		n    int
		last time.Time
		want time.Time
		ok   bool
	}{
		{"after the first: two open hours", c, 1, first, at(2026, 11, 30, 12, 5), true},
		{"after the first, late: into the next morning", c, 1, at(2026, 11, 30, 17, 0), at(2026, 12, 1, 10, 0), true},
		{"after the second: the next morning", c, 2, at(2026, 11, 30, 12, 10), at(2026, 12, 1, 9, 0), true},
		{"after the second, on a Friday: Monday morning", c, 2, at(2026, 12, 4, 12, 0), at(2026, 12, 7, 9, 0), true},
		{"after the third: day 3", c, 3, at(2026, 12, 1, 9, 5), at(2026, 12, 2, 9, 0), true},
		{"after the third, already day 3: the next morning", c, 3, at(2026, 12, 2, 9, 5), at(2026, 12, 3, 9, 0), true},
		{"after the fourth: none", c, 4, at(2026, 12, 2, 9, 5), time.Time{}, false},
		{"a plan of its own", Clock{Schedule: c.Schedule, Attempts: []Retry{{After: 30 * time.Minute}}}, 1, first, at(2026, 11, 30, 10, 35), true},
		{"always open: day 3 is two days on", Clock{}, 3, time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC),
			time.Date(2026, 12, 2, 0, 0, 0, 0, time.UTC), true},
	}
	for _, tt := range tests {
		got, ok := tt.c.NextCall(tt.n, first, tt.last)
		if ok != tt.ok || !got.Equal(tt.want) {
			t.Errorf("%s: NextCall(%d, %s) = %s, %v; want %s", tt.name, tt.n, tt.last, got.In(dublin), ok, tt.want)
		}
	}
	if n := c.Calls(); n != 4 {
		t.Errorf("Calls() = %d, want 4", n)
	}
}
