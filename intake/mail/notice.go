package mail

import (
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
)

// noticeView is the data of the notices to staff that the response clock
// sends: a reminder, an escalation, a follow-up and the digest. Each kind's
// templates word its subject, title and introduction; the layout they
// share (notice.txt, notice.html) shows the facts, the buttons and the
// digest's sections, in the site's colours and a phone-width layout.
type noticeView struct {
	Subject  string // set once the subject is rendered, for the HTML's title
	Practice string
	C        Colours

	Ref       string // the lead's reference, or its id for leads kept before references
	Who       string // the lead as a notice names it: "Niamh (Rhinoplasty)"
	Due       string // when the reply was due, in staff time
	Contacted string // when the lead was marked contacted, in staff time

	Facts    []Figure
	Links    []noticeLink
	Sections []section

	// The digest's: its day ("Tue 1 Dec", and "Tuesday 1 December"), its
	// period, and what it counts.
	Day, Date, Since, Until string
	New, Overdue, Held      int
}

// noticeLink is a button of a notice.
type noticeLink struct {
	Label string
	URL   htmltemplate.URL // signed by the caller
}

// section is a titled list of the digest.
type section struct {
	Title string
	Empty string // said when Rows is empty
	Rows  []row
}

// row is one line of a digest section: a few cells, and its buttons.
type row struct {
	Cells []string
	Links []noticeLink
}

// setSubject keeps the rendered subject for the HTML's title.
func (v *noticeView) setSubject(s string) { v.Subject = s }

// prepareNotice prepares a notice to l.To, a member of staff: To the bare
// address, and, about a lead, In-Reply-To the coordinator's email of it.
func prepareNotice(l Letter, p Practice, domain string, h *header) (any, Colours, error) {
	if !AddressOK(l.To) {
		return nil, Colours{}, fmt.Errorf("invalid or non-ASCII address")
	}
	h.envelopeTo, h.to = l.To, l.To
	loc := p.TimeZone
	if loc == nil {
		loc = time.UTC
	}
	when := func(t time.Time) string { return t.In(loc).Format(StaffTime) }
	v := &noticeView{Practice: p.Name, C: p.Colours.WithDefaults(), Links: noticeLinks(l.Links)}
	if l.Kind == Digest {
		if l.Digest == nil {
			return nil, Colours{}, fmt.Errorf("a digest without its data")
		}
		v.digest(l.Digest, loc, when)
		return v, v.C, nil
	}
	h.inReplyTo = "<" + l.Lead.ID + "." + Coordinator + "@" + domain + ">"
	v.Ref, v.Who, v.Contacted = cmp.Or(l.Lead.Ref, l.Lead.ID), who(l.Lead), when(l.ContactedAt)
	v.Due = when(l.Lead.Due)
	v.Facts = []Figure{{"Reference", v.Ref}, {"Received", when(l.Lead.Received)}}
	if !l.Lead.Due.IsZero() {
		v.Facts = append(v.Facts, Figure{"Reply was due", v.Due})
	}
	if l.Kind == Escalation {
		v.Facts = append(v.Facts, Figure{"Coordinator", p.To(l.Lead.Category)})
		if l.Lead.Phone != "" {
			v.Facts = append(v.Facts, Figure{"Phone", l.Lead.Phone})
		}
		if l.Lead.Email != "" {
			v.Facts = append(v.Facts, Figure{"Email", l.Lead.Email})
		}
	}
	return v, v.C, nil
}

// who is the lead as the notices name it: the first name and the
// procedure, no more.
func who(l lead.Lead) string {
	name := strings.TrimSpace(l.FirstName)
	proc := l.ProcedureTitle
	switch {
	case name == "" && proc == "":
		return "a patient"
	case proc == "":
		return name
	case name == "":
		return "a patient (" + proc + ")"
	}
	return name + " (" + proc + ")"
}

// digest fills v with the digest d.
func (v *noticeView) digest(d *DigestData, loc *time.Location, when func(time.Time) string) {
	v.Day, v.Date = d.Until.In(loc).Format("Mon 2 Jan"), d.Until.In(loc).Format("Monday 2 January")
	v.Since, v.Until = when(d.Since), when(d.Until)
	v.New, v.Overdue, v.Held = len(d.Leads), len(d.Overdue), len(d.Held)
	v.Facts = d.Figures
	leads := section{Title: "Leads", Empty: "No leads in this period."}
	for _, l := range d.Leads {
		first := "no action yet"
		if l.FirstAction != "" {
			first = "first action after " + l.FirstAction
		}
		leads.Rows = append(leads.Rows, row{Cells: []string{l.Ref, procedureName(l.Procedure), stateWords[l.State], first}})
	}
	late := section{Title: "Overdue, nobody has claimed them", Empty: "None: every lead is claimed or not yet due."}
	for _, l := range d.Overdue {
		late.Rows = append(late.Rows, row{Cells: []string{l.Ref, procedureName(l.Procedure), "was due " + when(l.Due)},
			Links: noticeLinks(l.Links)})
	}
	hold := section{Title: "Held as suspected spam", Empty: "None."}
	for _, l := range d.Held {
		hold.Rows = append(hold.Rows, row{
			Cells: []string{l.Ref, procedureName(l.Procedure), "received " + when(l.Received),
				"why: " + strings.Join(l.Signals, ", "), "from @" + l.EmailDomain},
			Links: noticeLinks(l.Links),
		})
	}
	v.Sections = []section{leads, late, hold, counts("By procedure", d.ByProcedure, procedureName),
		counts("By source", d.BySource, func(s string) string { return s })}
}

// counts is a section of lead counts by some key.
func counts(title string, groups []Count, name func(string) string) section {
	s := section{Title: title, Empty: "No leads."}
	for _, g := range groups {
		s.Rows = append(s.Rows, row{Cells: []string{name(g.Key), strconv.Itoa(g.Leads)}})
	}
	return s
}

// noticeLinks are links as the templates take them: signed by the
// caller, and so trusted.
func noticeLinks(links []Link) []noticeLink {
	out := make([]noticeLink, len(links))
	for i, l := range links {
		out[i] = noticeLink{Label: l.Label, URL: htmltemplate.URL(l.URL)}
	}
	return out
}

// procedureName writes a slug for people: "breast-augmentation" →
// "breast augmentation".
func procedureName(slug string) string {
	if slug == "" {
		return "(none)"
	}
	return strings.ReplaceAll(slug, "-", " ")
}

// stateWords are the states as the digest says them.
var stateWords = map[string]string{
	lead.New: "new", lead.Claimed: "claimed", lead.Contacted: "contacted", lead.Booked: "booked",
	lead.Closed: "closed", lead.Spam: "held as spam", lead.NotALead: "not a lead",
}
