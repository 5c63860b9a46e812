package content

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

const clockYAML = `name: Harbour Aesthetic Surgery
base_url: https://www.example.org/
time_zone: Europe/Dublin
hours:
  mon-fri: "09:00-18:00"
  sat: "10:00-13:00"
intake:
  closed: [2026-12-25, 2026-12-26]
  respond_within: 2h
  escalate_to: [manager@example.org]
  follow_up_after: 3d
  digest_to: [manager@example.org]
  digest_at: "08:30"
`

func loadConfigText(t *testing.T, src string) (Config, []string) {
	t.Helper()
	cfg, probs := LoadConfig(fstest.MapFS{"content/site.yaml": &fstest.MapFile{Data: []byte(src)}})
	var got []string
	for _, p := range probs.Sorted() {
		got = append(got, p.String())
	}
	return cfg, got
}

func TestClock(t *testing.T) {
	cfg, probs := loadConfigText(t, clockYAML)
	if len(probs) > 0 {
		t.Fatalf("problems:\n%s", strings.Join(probs, "\n"))
	}
	clk := cfg.Clock()
	if clk.Location.String() != "Europe/Dublin" || clk.RespondWithin != 2*time.Hour || clk.FollowUpAfter != 3 ||
		clk.DigestAt != 8*60+30 || len(clk.Closed) != 2 || clk.EscalateTo[0] != "manager@example.org" || clk.DigestTo[0] != "manager@example.org" {
		t.Errorf("Clock() = %+v", clk)
	}
	if got := clk.Week[time.Saturday]; len(got) != 1 || got[0] != (hours.Span{From: 600, To: 780}) {
		t.Errorf("Saturday = %v, want 10:00-13:00", got)
	}
	// Thursday 24 December, 17:00: Christmas and St Stephen's Day are closed.
	got := clk.Due(time.Date(2026, 12, 24, 17, 0, 0, 0, clk.Location))
	if want := time.Date(2026, 12, 28, 10, 0, 0, 0, clk.Location); !got.Equal(want) {
		t.Errorf("Due = %s, want %s", got, want)
	}

	// Without any of the keys: always open, UTC, the defaults.
	cfg, _ = loadConfigText(t, "name: X\nbase_url: https://x.example/\n")
	clk = cfg.Clock()
	if clk.Location != time.UTC || clk.RespondWithin != hours.DefaultRespondWithin || !clk.Open(time.Date(2026, 11, 29, 3, 0, 0, 0, time.UTC)) {
		t.Errorf("default Clock() = %+v", clk)
	}
}

// TestPromiseAndHours checks what patients read of the clock: the promise
// written from respond_within, and the opening hours from the one hours key.
func TestPromiseAndHours(t *testing.T) {
	cfg, probs := loadConfigText(t, clockYAML)
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	if got := cfg.ReplyWithin(); got != "two working hours" {
		t.Errorf("ReplyWithin() = %q", got)
	}
	want := []OpeningLine{{"Monday – Friday", "09:00–18:00"}, {"Saturday", "10:00–13:00"}, {"Sunday", ""}}
	if got := cfg.OpeningHours(); !slices.Equal(got, want) {
		t.Errorf("OpeningHours() = %v, want %v", got, want)
	}
	for within, want := range map[string]string{"": "two hours", "1h": "one hour", "90m": "one and a half hours", "45m": "45 minutes", "24h": "24 hours"} {
		c := Config{Intake: Intake{RespondWithin: within}}
		if got := c.ReplyWithin(); got != want {
			t.Errorf("respond_within %q reads %q, want %q", within, got, want)
		}
	}
	split := Config{Hours: map[string]string{"mon,wed": "09:00-13:00, 14:00-18:00", "tue": "09:00-13:00, 14:00-18:00"}}
	want = []OpeningLine{{"Monday – Wednesday", "09:00–13:00, 14:00–18:00"}, {"Thursday – Sunday", ""}}
	if got := split.OpeningHours(); !slices.Equal(got, want) {
		t.Errorf("OpeningHours() = %v, want %v", got, want)
	}
}

func TestClockMistakes(t *testing.T) {
	tests := []struct {
		name     string
		old, new string
		want     []string
	}{
		{"time zone", "time_zone: Europe/Dublin", "time_zone: Dublin",
			[]string{`content/site.yaml:3: time_zone: "Dublin" is not a time zone — write the zone's IANA name, e.g. Europe/Dublin or America/New_York`}},
		{"day", `  sat: "10:00-13:00"`, `  saturday: "10:00-13:00"`,
			[]string{`content/site.yaml:6: hours.saturday: "saturday" is not a day or a range of days — write days as mon, tue, wed, thu, fri, sat, sun, e.g. mon-fri or sat`}},
		{"span", `"09:00-18:00"`, `"9am-6pm"`,
			[]string{`content/site.yaml:5: hours.mon-fri: "9am-6pm" is not a span of hours — write opening and closing times as "09:00-18:00" ("00:00-24:00" for the whole day)`}},
		{"day twice", `  sat: "10:00-13:00"`, `  fri: "10:00-13:00"`,
			[]string{`content/site.yaml:6: hours.fri: Friday is also in "mon-fri" — name each day once`}},
		{"closed date", "closed: [2026-12-25, 2026-12-26]", "closed: [2026-12-25, Boxing Day]",
			[]string{`content/site.yaml:8: the second date in intake.closed: "Boxing Day" is not a date — write it as year-month-day, e.g. 2024-03-31`}},
		{"respond_within", "respond_within: 2h", "respond_within: 2 hours",
			[]string{`content/site.yaml:9: intake.respond_within: "2 hours" is not an amount of time — write hours or minutes, e.g. 2h, 90m or 1h30m`}},
		{"follow_up_after", "follow_up_after: 3d", "follow_up_after: 3",
			[]string{`content/site.yaml:11: intake.follow_up_after: "3" is not a number of working days — write it as days, e.g. 3d`}},
		{"digest_at", `digest_at: "08:30"`, `digest_at: "8.30am"`,
			[]string{`content/site.yaml:13: intake.digest_at: "8.30am" is not a time of day — write it as hours:minutes on the 24-hour clock, e.g. "08:30"`}},
		{"escalate_to", "escalate_to: [manager@example.org]", "escalate_to: [the manager]",
			[]string{`content/site.yaml:10: the first address in intake.escalate_to: "the manager" is not an email address — write one address per item, e.g. manager@example.org`}},
		{"hours under intake", "intake:\n", "intake:\n  hours: {mon-fri: \"09:00-18:00\"}\n",
			[]string{`content/site.yaml:8: intake.hours: the opening hours are written once, at the top level (hours:), for the pages and the response clock alike — move these lines there`}},
		{"a promise of its own", "intake:\n", "intake:\n  reply_within: one working day\n",
			[]string{`content/site.yaml:8: intake.reply_within: the promise patients read is written from intake.respond_within (2h reads "two working hours") — remove reply_within`}},
		{"hours as a list", "hours:\n  mon-fri: \"09:00-18:00\"\n  sat: \"10:00-13:00\"\n", "hours:\n  - {days: Monday – Friday, opens: \"09:00\", closes: \"18:00\"}\n",
			[]string{`content/site.yaml:5: hours: expected keys and values (key: value, one a line, e.g. mon-fri: "09:00-18:00"), found a list`}},
		{"misspelt key", "digest_to:", "digest_too:",
			[]string{`content/site.yaml:12: intake.digest_too: unknown key — did you mean digest_to?`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if !strings.Contains(clockYAML, tt.old) {
				t.Fatalf("no %q", tt.old)
			}
			_, got := loadConfigText(t, strings.Replace(clockYAML, tt.old, tt.new, 1))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}
