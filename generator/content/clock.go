package content

import (
	"maps"
	"slices"
	"time"

	"github.com/consultahq/consulta/internal/hours"
)

// checkClock checks time_zone and the response clock's keys under intake.
func (c *configFile) checkClock() {
	cfg := &c.cfg
	errf := func(field, format string, args ...any) {
		c.probs.Errorf(configPath, c.line(field), field, format, args...)
	}
	if tz := cfg.TimeZone; tz != "" {
		if _, err := time.LoadLocation(tz); err != nil || tz == "Local" {
			errf("time_zone", "%q is not a time zone — write the zone's IANA name, e.g. Europe/Dublin or America/New_York", tz)
		}
	}
	in := cfg.Intake
	// Keys in file order, so that a day named twice is reported where it
	// is named the second time.
	keys := slices.SortedFunc(maps.Keys(in.Hours), func(a, b string) int {
		return c.line("intake.hours."+a) - c.line("intake.hours."+b)
	})
	open, bad := false, false
	named := map[time.Weekday]string{}
	for _, key := range keys {
		field := "intake.hours." + key
		days, err := hours.ParseDays(key)
		if err != nil {
			errf(field, "%v", err)
			bad = true
		}
		if _, err := hours.ParseSpans(in.Hours[key]); err != nil {
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
		}
	}
	if len(in.Hours) > 0 && !open && !bad {
		errf("intake.hours", "no day is open — give the hours of at least one day, e.g. mon-fri: \"09:00-18:00\"")
	}
	if s := in.RespondWithin; s != "" {
		if _, err := hours.ParseDuration(s); err != nil {
			errf("intake.respond_within", "%v", err)
		}
	}
	if s := in.FollowUpAfter; s != "" {
		if _, err := hours.ParseWorkingDays(s); err != nil {
			errf("intake.follow_up_after", "%v", err)
		}
	}
	if s := in.DigestAt; s != "" {
		if m, err := hours.ParseClock(s); err != nil {
			errf("intake.digest_at", "%v", err)
		} else if m == 0 {
			errf("intake.digest_at", "\"00:00\" is not offered — choose a time after midnight, e.g. \"08:30\"")
		}
	}
}

// Location returns the practice's time zone; UTC when time_zone is unset
// or wrong (check reports it).
func (c Config) Location() *time.Location {
	if c.TimeZone != "" {
		if loc, err := time.LoadLocation(c.TimeZone); err == nil {
			return loc
		}
	}
	return time.UTC
}

// Clock returns the practice's response clock from time_zone and the intake
// keys. Values that check reports as wrong are left at their defaults.
func (c Config) Clock() hours.Clock {
	in := c.Intake
	clk := hours.Clock{
		Schedule:   hours.Schedule{Location: c.Location(), Closed: in.Closed},
		EscalateTo: in.EscalateTo,
		DigestTo:   in.DigestTo,
	}
	if w, _, err := hours.ParseWeek(in.Hours); err == nil {
		clk.Week = w
	}
	clk.RespondWithin, _ = hours.ParseDuration(in.RespondWithin)
	clk.FollowUpAfter, _ = hours.ParseWorkingDays(in.FollowUpAfter)
	clk.DigestAt, _ = hours.ParseClock(in.DigestAt)
	return clk.WithDefaults()
}
