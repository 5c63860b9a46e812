package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

const scheduleHelp = `Schedule books, moves or cancels a lead's consultation and surgery, as the
lead's page does: REF is the lead's reference (HAS-1129-7K2Q). Times are
practice time, "2026-12-10 10:00". Booking a date the lead already has
moves it; each change emails the patient with a calendar file that
updates theirs, and is kept in the lead's history.

A surgery plans the care steps of its procedure (content/care/); moving
it plans again those not yet sent, and lists for the coordinator those
whose time has passed; cancelling it stops them. Under compliance: [uk]
or [ie], a surgery less than 14 days after the first consultation is
refused unless --override gives the surgeon's agreement and its reason.

The running service sends the emails within a minute.`

// runIntakeSchedule runs `consulta intake schedule`.
func runIntakeSchedule(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "intake schedule", "intake schedule REF [-s SITE_DIR] [--data DIR] --consultation TIME [--video LINK] [--surgeon SLUG] | --surgery TIME [--procedure SLUG] [--place TEXT] [--override REASON] | --cancel consultation|surgery", scheduleHelp)
	site := fs.String("s", ".", "the site `folder`")
	data := fs.String("data", "", "the data `folder` (default SITE_DIR/.data)")
	cfg := envIntakeConfig(e)
	fs.Var(databaseURL{&cfg.DatabaseURL}, "database", "the PostgreSQL `URL` of the leads (or CONSULTA_DATABASE_URL); unset: the SQLite file in the data folder")
	consultation := fs.String("consultation", "", "book or move the consultation to `TIME`, practice time: \"2026-12-10 10:00\"")
	surgery := fs.String("surgery", "", "book or move the surgery to `TIME`, practice time")
	video := fs.String("video", "", "a video consultation, at this `link`; unset: in person")
	surgeon := fs.String("surgeon", "", "the surgeon: a `slug` of content/team/")
	procedure := fs.String("procedure", "", "the surgery's procedure: a `slug` of content/procedures/ (default: the one the patient asked about)")
	place := fs.String("place", "", "where the surgery is: an `address` (default: the practice's)")
	override := fs.String("override", "", "the surgeon agrees to a surgery inside the cooling-off period, for this `reason`")
	cancel := fs.String("cancel", "", "cancel the `consultation or surgery`")
	by := fs.String("by", "consulta intake schedule", "who made the change, for the history: a `name` or address")
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs.Usage()
		return errUsage
	}
	ref := args[0]
	if err := parseFlags(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 || *consultation == "" && *surgery == "" && *cancel == "" {
		fs.Usage()
		return errUsage
	}
	if *data == "" {
		*data = filepath.Join(*site, ".data")
	}
	cfg.DataDir = *data
	cfg, err := siteIntakeConfig(ctx, e, slog.New(slog.DiscardHandler), *site, cfg, true)
	if err != nil {
		return err
	}
	store, _, err := intake.OpenStore(ctx, cfg)
	if err != nil {
		return err
	}
	defer store.Close()
	id, err := store.LeadByRef(ctx, ref)
	if errors.Is(err, outbox.ErrNotFound) {
		return fmt.Errorf("schedule: no lead %s — write its reference as the emails show it, e.g. HAS-1129-7K2Q", ref)
	}
	if err != nil {
		return err
	}
	who := lead.Person{Name: *by}
	if strings.Contains(*by, "@") { // an address: the staff list's name for it, if it has one
		who = lead.Person{Email: *by}
		for _, p := range cfg.Staff {
			if strings.EqualFold(p.Email, *by) {
				who = p
			}
		}
	}
	loc := cfg.Clock.Location
	if loc == nil {
		loc = time.UTC
	}
	var changes []intake.Scheduling
	if *cancel != "" {
		if *cancel != lead.Consultation && *cancel != lead.Surgery {
			return fmt.Errorf("schedule: --cancel %q — write consultation or surgery", *cancel)
		}
		changes = append(changes, intake.Scheduling{Appointment: lead.Appointment{Kind: *cancel}, Cancel: true, By: who})
	}
	if *consultation != "" {
		at, err := practiceTime(*consultation, loc)
		if err != nil {
			return fmt.Errorf("schedule: --consultation: %w", err)
		}
		a := lead.Appointment{Kind: lead.Consultation, At: at, Mode: lead.InPerson, Surgeon: *surgeon}
		if *video != "" {
			a.Mode, a.Place = lead.Video, *video
		}
		changes = append(changes, intake.Scheduling{Appointment: a, By: who})
	}
	if *surgery != "" {
		at, err := practiceTime(*surgery, loc)
		if err != nil {
			return fmt.Errorf("schedule: --surgery: %w", err)
		}
		a := lead.Appointment{Kind: lead.Surgery, At: at, Surgeon: *surgeon, Procedure: *procedure, Place: *place, Override: *override}
		if a.Procedure == "" {
			t, err := store.Lead(ctx, id)
			if err != nil {
				return err
			}
			a.Procedure = t.Lead.Procedure
		}
		changes = append(changes, intake.Scheduling{Appointment: a, By: who})
	}
	now := time.Now()
	for _, c := range changes {
		j, err := intake.Schedule(ctx, store, cfg, id, c, now)
		if err != nil {
			return fmt.Errorf("schedule %s: %w", c.Appointment.Kind, err)
		}
		a, _ := j.Current(c.Appointment.Kind)
		if c.Cancel {
			fmt.Fprintf(e.stdout, "%s: the %s is cancelled; the patient's email is queued\n", ref, c.Appointment.Kind)
			continue
		}
		fmt.Fprintf(e.stdout, "%s: %s on %s; the patient's email is queued\n", ref, c.Appointment.Kind, mail.Appointed(a.At, loc))
	}
	return nil
}

// practiceTime reads "2026-12-10 10:00" in loc.
func practiceTime(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{"2006-01-02 15:04", "2006-01-02T15:04"} {
		if t, err := time.ParseInLocation(layout, strings.TrimSpace(s), loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date and time — write it as \"2026-12-10 10:00\", practice time", s)
}
