package main

import (
	"errors"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/time/rate"
)

// The flag types of `consulta intake`. Each writes straight into a field
// of intake.Config, so that a flag's default is the field's own.

// days is a duration flag that also takes whole days: "30d".
type days struct{ d *time.Duration }

func (v days) String() string {
	if v.d == nil {
		return ""
	}
	if *v.d%(24*time.Hour) == 0 {
		return strconv.FormatInt(int64(*v.d/(24*time.Hour)), 10) + "d"
	}
	return v.d.String()
}

func (v days) Set(s string) error {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i < 0 {
			return errors.New("want a number of days like 30d, or a duration like 12h")
		}
		*v.d = time.Duration(i) * 24 * time.Hour
		return nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < 0 {
		return errors.New("want a number of days like 30d, or a duration like 12h")
	}
	*v.d = d
	return nil
}

// every is a rate flag written as the interval between two events: "10s".
type every struct{ r *rate.Limit }

func (v every) String() string {
	if v.r == nil || *v.r <= 0 {
		return ""
	}
	if *v.r == rate.Inf {
		return "0s"
	}
	return time.Duration(float64(time.Second) / float64(*v.r)).Round(time.Millisecond).String()
}

func (v every) Set(s string) error {
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return errors.New("want a positive interval like 10s")
	}
	*v.r = rate.Every(d)
	return nil
}

// origins is a repeatable flag.
type origins struct{ list *[]string }

func (o origins) String() string {
	if o.list == nil {
		return ""
	}
	return strings.Join(*o.list, ",")
}

func (o origins) Set(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
		return errors.New("want an origin like https://www.example-clinic.com")
	}
	*o.list = append(*o.list, u.Scheme+"://"+u.Host)
	return nil
}

// prefixes is a repeatable flag of CIDRs, also comma-separated.
type prefixes struct{ list *[]netip.Prefix }

func (p prefixes) String() string {
	if p.list == nil {
		return ""
	}
	var s []string
	for _, x := range *p.list {
		s = append(s, x.String())
	}
	return strings.Join(s, ",")
}

func (p prefixes) Set(s string) error {
	for part := range strings.SplitSeq(s, ",") {
		x, err := netip.ParsePrefix(strings.TrimSpace(part))
		if err != nil {
			return errors.New("want CIDRs like 10.0.0.0/8 or fd00::/8")
		}
		*p.list = append(*p.list, x.Masked())
	}
	return nil
}

// databaseURL is a flag holding a database URL, whose password is never
// shown: -help prints the default (from CONSULTA_DATABASE_URL) redacted.
type databaseURL struct{ s *string }

func (d databaseURL) String() string {
	if d.s == nil || *d.s == "" {
		return ""
	}
	if u, err := url.Parse(*d.s); err == nil && u.Host != "" {
		return u.Redacted()
	}
	return "(set)"
}

func (d databaseURL) Set(s string) error {
	*d.s = s
	return nil
}
