package content

import (
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// checkClock checks time_zone, hours and the response clock's keys under intake,
// and keeps the clock they make (Config.Clock): each is parsed here once,
// and one that is wrong is left at its default.
func (c *configFile) checkClock() {
	cfg := &c.cfg
	errf := func(field, format string, args ...any) {
		c.probs.Errorf(configPath, c.line(field), field, format, args...)
	}
	in := cfg.Intake
	clk := hours.Clock{Schedule: hours.Schedule{Closed: in.Closed}, EscalateTo: in.EscalateTo, DigestTo: in.DigestTo}
	if tz := cfg.TimeZone; tz != "" {
		loc, err := time.LoadLocation(tz)
		if err != nil || tz == "Local" {
			errf("time_zone", "%q is not a time zone — write the zone's IANA name, e.g. Europe/Dublin or America/New_York", tz)
		} else {
			clk.Location = loc
		}
	}
	// Keys in file order, so that a day named twice is reported where it
	// is named the second time.
	keys := slices.SortedFunc(maps.Keys(cfg.Hours), func(a, b string) int {
		return c.line("hours."+a) - c.line("hours."+b)
	})
	open, bad := false, false
	named := map[time.Weekday]string{}
	var week hours.Week
	for _, key := range keys {
		field := "hours." + key
		days, err := hours.ParseDays(key)
		if err != nil {
			errf(field, "%v", err)
			bad = true
		}
		spans, err := hours.ParseSpans(cfg.Hours[key])
		if err != nil {
			errf(field, "%v", err)
			bad = true
		} else {
			open = true
		}
		for _, d := range days {
			if other, ok := named[d]; ok {
				errf(field, "%s is also in %q — name each day once", d, other)
				bad = true
				break
			}
			named[d] = key
			week[d] = spans
		}
	}
	if !bad {
		clk.Week = week
	}
	if len(cfg.Hours) > 0 && !open && !bad {
		errf("hours", "no day is open — give the hours of at least one day, e.g. mon-fri: \"09:00-18:00\"")
	}
	if s := in.RespondWithin; s != "" {
		if d, err := hours.ParseDuration(s); err != nil {
			errf("intake.respond_within", "%v", err)
		} else {
			clk.RespondWithin = d
		}
	}
	if s := in.FollowUpAfter; s != "" {
		if n, err := hours.ParseWorkingDays(s); err != nil {
			errf("intake.follow_up_after", "%v", err)
		} else {
			clk.FollowUpAfter = n
		}
	}
	if s := in.DigestAt; s != "" {
		if m, err := hours.ParseClock(s); err != nil {
			errf("intake.digest_at", "%v", err)
		} else if m == 0 {
			errf("intake.digest_at", "\"00:00\" is not offered — choose a time after midnight, e.g. \"08:30\"")
		} else {
			clk.DigestAt = m
		}
	}
	if _, set := c.lines["intake.attempts"]; set {
		clk.Attempts = []hours.Retry{} // written, if empty: one call, then not reached
	}
	for i, a := range in.Attempts {
		field := fmt.Sprintf("intake.attempts[%d]", i)
		r, err := hours.ParseRetry(a)
		if err != nil {
			errf(field, "%v", err)
			continue
		}
		clk.Attempts = append(clk.Attempts, r)
	}
	if n := len(in.Attempts); n > maxAttempts {
		errf("intake.attempts", "%d calls after the first is more than a patient should get — plan at most %d, e.g. [2h, next morning, day 3]",
			n, maxAttempts)
	}
	cfg.clock = clk.WithDefaults()
}

// maxAttempts is the most calls intake.attempts may plan after the first.
const maxAttempts = 6

// Location returns the practice's time zone; UTC when time_zone is unset
// or wrong (check reports it).
func (c Config) Location() *time.Location {
	if loc := c.clock.Location; loc != nil {
		return loc
	}
	return time.UTC
}

// Clock returns the practice's response clock, from time_zone and the
// intake keys, as check read them; its zero fields mean their defaults.
func (c Config) Clock() hours.Clock { return c.clock }
