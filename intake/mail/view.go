package mail

import (
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"net/netip"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/nyaruka/phonenumbers"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/internal/form"
)

// Action is a one-click link of the coordinator's email.
type Action struct {
	Label  string           // "I'm handling it"
	Column string           // Label and a colon, padded to the plain text's column of values
	URL    htmltemplate.URL // signed by the caller, for the recipient (Letter.Links)
}

// Row is one labelled value of a table in the coordinator's email. URL,
// when set, links the value: a string, which html/template filters like
// any link, or an htmltemplate.URL built here (a tel: link).
type Row struct {
	Label, Value string
	Column       string // Label and a colon, padded to the plain text's column of values
	Plain        string // the value as the plain text writes it, when it says more than Value
	URL          any
}

// column returns label and a colon, padded to the column where the plain
// text's values start: "Phone:               ".
func column(label string) string {
	return fmt.Sprintf("%-21s", label+":")
}

// view is the data of the templates of a lead's own emails: the
// coordinator's and the patient's.
type view struct {
	L           lead.Lead
	P           Practice
	C           Colours // P.Colours, each empty one set to the emails' own
	Name        string  // first and last name
	Greeting    string  // the first name the confirmation greets by, or "" for "patient" (greetingName)
	Procedure   string  // the procedure's title, or "" when not sure
	ProcedureAt htmltemplate.URL
	Fees        string
	Received    string // "Fri 27 Nov 2026, 09:30", in practice time
	ReplyBy     string // "Mon 1 Dec, 11:00", in practice time; "" without a due time
	DueText     string // "11:00 on Monday 1 December", for the patient; "" without a due time
	Zone        string // the practice's time zone: "Europe/Dublin time", or "UTC"
	Privacy     string // the line recording the privacy consent
	OptIn       string // the line recording the SMS opt-in; "" without one
	Phone       string // in the national format of the practice's country, else international
	Tel         htmltemplate.URL
	Mailto      string
	PracticeTel htmltemplate.URL
	Contact     string   // "Phone call"
	Language    string   // "British English"
	Spam        []string // why the lead may be spam, in words; empty when nothing says so
	Actions     []Action
	Details     []Row // how to reach the patient, and the consents
	Origin      []Row // where the lead came from
}

// defaultColours are the emails' own colours.
var defaultColours = Colours{Ink: "#1f2528", Paper: "#ffffff", Accent: "#1a5d4a", Muted: "#5a6165"}

var (
	e164   = regexp.MustCompile(`^\+[1-9][0-9]{5,14}$`)
	colour = regexp.MustCompile(`^#[0-9a-fA-F]{6}$`)
)

// telPunctuation is what a written phone number may hold besides digits.
var telPunctuation = strings.NewReplacer(" ", "", "-", "", "(", "", ")", "")

// TelURL returns a phone number written for people ("+353 1 555 0142") as
// a tel: URL, or "" when it is not an international number.
func TelURL(phone string) htmltemplate.URL {
	if tel := telPunctuation.Replace(phone); e164.MatchString(tel) {
		return htmltemplate.URL("tel:" + tel)
	}
	return ""
}

// Layouts of the times shown to staff, in practice time.
const (
	// StaffTime is a time in the coming or the past few days: "Reply by
	// Mon 1 Dec, 11:00", "was due Mon 30 Nov, 13:00". The intake's pages
	// for staff write times so too.
	StaffTime = "Mon 2 Jan, 15:04"
	staffDate = "Mon 2 Jan 2006, 15:04" // received, consent: a full date
)

// DueText says when the practice will answer, in the practice's time zone,
// the way the patient is told: "11:00 on Monday 1 December". It returns
// "" for the zero time.
func DueText(due time.Time, loc *time.Location) string {
	if due.IsZero() {
		return ""
	}
	if loc == nil {
		loc = time.UTC
	}
	return due.In(loc).Format("15:04 on Monday 2 January")
}

// signalWords explain the spam signals of a lead that was delivered.
var signalWords = map[string]string{
	"too-fast":    "it was sent within seconds of opening the form, faster than people type",
	"stale-token": "the form had been open for more than a day",
	"links":       "the message holds several links",
	"bad-token":   "the form's token was not issued by this site",
	"honeypot":    "a field people never see was filled in",
}

func newView(letter Letter, p Practice) view {
	l := letter.Lead
	loc := p.TimeZone
	if loc == nil {
		loc = time.UTC
	}
	v := view{L: l, P: p, C: p.Colours.WithDefaults(), Name: strings.TrimSpace(l.FirstName + " " + l.LastName), Greeting: greetingName(l.FirstName),
		Received: l.Received.In(loc).Format(staffDate), Zone: loc.String() + " time",
		Mailto: MailtoURL(l.Email), Phone: l.Phone, DueText: DueText(l.Due, loc),
		Contact: form.Must("preferred_contact").StaffChoice(l.PreferredContact), Language: languageName(l.Language)}
	if loc == time.UTC {
		v.Zone = "UTC"
	}
	if !l.Due.IsZero() {
		v.ReplyBy = l.Due.In(loc).Format(StaffTime)
	}
	if l.Procedure != lead.NotSure {
		v.Procedure = cmp.Or(l.ProcedureTitle, l.Procedure)
		if pr, ok := p.Procedures[l.Procedure]; ok {
			v.ProcedureAt, v.Fees = htmltemplate.URL(pr.URL), pr.Fees
		}
	}
	v.Privacy = "Agreed, when sending the form"
	if c := l.Privacy; c != nil {
		v.Privacy = consentLine(c, loc, p.SiteURL)
	}
	if c := l.SMSOptIn; c != nil {
		v.OptIn = consentLine(c, loc, p.SiteURL)
	}
	if l.Phone == "" {
		v.Phone = "Not given"
	}
	if e164.MatchString(l.Phone) {
		v.Tel = htmltemplate.URL("tel:" + l.Phone)
		v.Phone = NationalPhone(l.Phone, p.Region)
	}
	v.PracticeTel = TelURL(p.Phone)
	// A lead held as spam is mailed only once someone releases it: it is
	// still marked, with its reasons.
	for _, s := range l.Signals {
		v.Spam = append(v.Spam, cmp.Or(signalWords[s], s))
	}
	for _, a := range letter.Links {
		v.Actions = append(v.Actions, Action{Label: a.Label, Column: column(a.Label), URL: htmltemplate.URL(a.URL)})
	}
	// Labelled as the form declares them (package form).
	v.Details = []Row{
		detail("phone", v.Phone, v.Tel),
		detail("email", l.Email, v.Mailto),
		detail("preferred_contact", v.Contact, nil),
		detail("preferred_time", form.Must("preferred_time").StaffChoice(l.PreferredTime), nil),
		detail("language", v.Language, nil),
		detail("consent_privacy", v.Privacy, nil),
		detail("sms_opt_in", cmp.Or(v.OptIn, "Not agreed"), nil),
	}
	// Asked for on the form, but not by every patient: a row only when asked.
	if l.SurgeonName != "" {
		v.Details = slices.Insert(v.Details, 3, detail("surgeon", l.SurgeonName, nil))
	}
	if l.PreferredDays != "" {
		at := slices.IndexFunc(v.Details, func(r Row) bool { return r.Label == form.Must("preferred_time").Staff })
		v.Details = slices.Insert(v.Details, at+1, detail("preferred_days", l.PreferredDays, nil))
	}
	if v.Tel != "" {
		v.Details[0].Plain = v.Phone + " (" + l.Phone + ")"
	}
	v.Origin = origin(l, p.SiteURL)
	return v
}

// detail is the row of the form's field called name, labelled as the
// form declares it for staff.
func detail(name, value string, url any) Row {
	label := form.Must(name).Staff
	return Row{Label: label, Value: value, Column: column(label), URL: url}
}

// WithDefaults returns c with each missing or malformed colour (not
// #rrggbb) set to the emails' own.
func (c Colours) WithDefaults() Colours {
	d := defaultColours
	for _, f := range []struct{ got, def *string }{{&c.Ink, &d.Ink}, {&c.Paper, &d.Paper}, {&c.Accent, &d.Accent}, {&c.Muted, &d.Muted}} {
		if !colour.MatchString(*f.got) {
			*f.got = *f.def
		}
	}
	return c
}

// consentLine records a consent: when in practice time, on which page of
// the site, with which wording.
func consentLine(c *lead.OptIn, loc *time.Location, site string) string {
	s := "Agreed on " + c.At.In(loc).Format(staffDate)
	if c.Page != "" {
		s += " at " + shownPage(c.Page, site)
	}
	if c.Wording != "" {
		s += " (wording " + c.Wording + ")"
	}
	return s
}

// NationalPhone writes an E.164 number the way the practice dials it: in
// its country's national format when the number is of the practice's
// country (region, ISO 3166), else in international format.
func NationalPhone(e164, region string) string {
	n, err := phonenumbers.Parse(e164, "")
	if err != nil {
		return e164
	}
	if region != "" && int(n.GetCountryCode()) == phonenumbers.GetCountryCodeForRegion(strings.ToUpper(region)) {
		return phonenumbers.Format(n, phonenumbers.NATIONAL)
	}
	return phonenumbers.Format(n, phonenumbers.INTERNATIONAL)
}

// languageName names a BCP 47 tag in English: "en-GB" is "British English".
func languageName(tag string) string {
	t, err := language.Parse(tag)
	if tag == "" || err != nil {
		return cmp.Or(tag, "Not given")
	}
	if name := display.English.Tags().Name(t); name != "" {
		return name
	}
	return tag
}

// origin lists where the lead came from, in plain words. Only a page of
// the practice's own site is a link; the referrer is its host, in plain
// text.
func origin(l lead.Lead, site string) []Row {
	var rows []Row
	add := func(label, value string, url any) {
		if value != "" {
			rows = append(rows, Row{Label: label, Value: value, Column: column(label), URL: url})
		}
	}
	page := func(label, value string, query bool) {
		path, ok := form.SitePath(value, sameHost(site))
		if !ok {
			add(label, shownPage(value, site), nil)
			return
		}
		if !query {
			path, _, _ = strings.Cut(path, "?")
		}
		var url any
		if site != "" {
			url = site + path
		}
		add(label, path, url)
	}
	if a := l.Attribution; a != nil {
		// The landing page without its query: the campaign parameters
		// follow, and a click must not count as a visit from the campaign.
		page("Landing page", a.Landing, false)
		add("Referrer", referrerHost(a.Referrer), nil)
		add("Campaign source", a.UTMSource, nil)
		add("Campaign medium", a.UTMMedium, nil)
		add("Campaign", a.UTMCampaign, nil)
		add("Campaign term", a.UTMTerm, nil)
		add("Campaign content", a.UTMContent, nil)
		add("Campaign ID", a.UTMID, nil)
		add("Google Ads click", a.GCLID, nil)
		add("Meta ads click", a.FBCLID, nil)
		add("Microsoft Ads click", a.MSCLKID, nil)
	}
	page(form.Must("page").Staff, l.Page, true)
	add(form.Must("source").Staff, l.Source, nil)
	return rows
}

// shownPage is how an email names a page a lead was sent from: its path
// on the practice's site (form.SitePath), else, for a lead kept before the
// service refused other sites' pages, the host alone ("a page on
// evil.example"), never an address a mail client would make a link of.
func shownPage(page, site string) string {
	if path, ok := form.SitePath(page, sameHost(site)); ok {
		return path
	}
	if h := form.Host(page); h != "" {
		return "a page on " + h
	}
	return "another site"
}

// referrerHost is the referrer as the emails show it: a host, kept as
// such, or the host of an address kept before the service kept hosts
// alone.
func referrerHost(ref string) string {
	if h := form.Host(ref); h != "" {
		return h
	}
	if _, err := netip.ParseAddr(ref); err == nil || form.DomainName(ref) {
		return strings.ToLower(ref)
	}
	return ""
}

// sameHost reports whether a host (lower case) is that of the site's
// address.
func sameHost(site string) func(host string) bool {
	h := ""
	if u, err := url.Parse(site); err == nil {
		h = strings.ToLower(u.Hostname())
	}
	return func(host string) bool { return h != "" && host == h }
}
