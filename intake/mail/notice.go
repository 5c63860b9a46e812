package mail

import (
	"cmp"
	"fmt"
	htmltemplate "html/template"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/internal/form"
)

// noticeView is the data of the notices to staff: a reminder, an
// escalation, a call attempt, a follow-up, a patient writing again, and
// the digest. Each kind's templates word its subject, title and
// introduction; the layout they share (notice.txt, notice.html) shows the
// tap-to-call line, what the patient wrote again, the facts, the buttons
// and the digest's sections, in the site's colours and a phone-width
// layout.
type noticeView struct {
	Subject  string // set once the subject is rendered, for the HTML's title
	Practice string
	C        Colours

	Ref       string // the lead's reference, or its id for leads kept before references
	Who       string // the lead as a notice names it: "Niamh (Rhinoplasty)"
	Name      string // the patient's first and last name, for a patient who wrote again
	Received  string // when the lead was received, in staff time
	Due       string // when the reply was due, in staff time
	Overdue   string // how late the reply is when the notice is sent ("25 min"); "" when it is not
	Owner     string // who claimed the lead, by name; "" while nobody has
	Contacted string // when the lead was marked reached, in staff time
	Attempt   int    // the call an attempt asks for: 2 for the second
	At        string // when the step was due: the call asked for, in staff time
	CallBack  bool   // the patient asked for the call at At

	Call  *callLink // tap to call the patient; nil without a phone number
	Quote string    // what the patient wrote again
	Facts []Figure
	Links []noticeLink

	Task string // a journey's task: its kind (lead.TaskAcknowledge, …)

	Sections []section

	// The digest's: its day ("Tue 1 Dec", and "Tuesday 1 December"), its
	// period, and what it counts.
	Day, Date, Since, Until string
	New, Overdues, Held     int
}

// callLink is the tap-to-call line of a notice: "Call Niamh", the number
// as the practice dials it, and its tel: link.
type callLink struct {
	Label string
	Phone string
	Tel   htmltemplate.URL
}

// callOf returns the tap-to-call line of l's patient, with the number in
// the national format of the practice's country (region); nil when l has
// no phone number that can be dialled.
func callOf(l lead.Lead, region string) *callLink {
	if !e164.MatchString(l.Phone) {
		return nil
	}
	label := "Call the patient"
	if name := strings.TrimSpace(l.FirstName); name != "" {
		label = "Call " + name
	}
	return &callLink{Label: label, Phone: NationalPhone(l.Phone, region), Tel: htmltemplate.URL("tel:" + l.Phone)}
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

// row is one line of a digest section: a few cells, the patient's
// tap-to-call line, and its buttons.
type row struct {
	Cells []string
	Call  *callLink
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
		v.digest(l.Digest, loc, when, p)
		return v, v.C, nil
	}
	h.inReplyTo = "<" + l.Lead.ID + "." + Coordinator + "@" + domain + ">"
	st := l.Status
	v.Ref, v.Who, v.Contacted = cmp.Or(l.Lead.Ref, l.Lead.ID), who(l.Lead), when(st.ContactedAt)
	v.Due, v.At, v.Call = when(l.Lead.Due), when(l.Date), callOf(l.Lead, p.Region)
	if st.State == lead.Claimed || st.State == lead.NotReached {
		v.Owner = cmp.Or(st.ClaimedName, st.ClaimedBy)
	}
	if late := l.Date.Sub(l.Lead.Due); !l.Lead.Due.IsZero() && late >= time.Minute && l.Kind != FollowUp {
		v.Overdue = Lateness(late)
	}
	v.Attempt, v.CallBack = st.Calls+1, st.LastCall == lead.CallBack
	v.Received = when(l.Lead.Received)
	v.Facts = []Figure{{"Reference", v.Ref}, {"Received", v.Received}}
	if !l.Lead.Due.IsZero() {
		v.Facts = append(v.Facts, Figure{"Reply was due", v.Due})
	}
	switch l.Kind {
	case Correction:
		if err := v.correction(l.Lead, p, h); err != nil {
			return nil, Colours{}, err
		}
	case Escalation:
		v.Facts = append(v.Facts, Figure{"Coordinator", p.To(l.Lead.Category)})
		if v.Owner != "" {
			v.Facts = append(v.Facts, Figure{"Claimed by", v.Owner})
		}
		if l.Lead.Email != "" {
			v.Facts = append(v.Facts, Figure{"Email", l.Lead.Email})
		}
	case Attempt:
		v.Facts = append(v.Facts, Figure{"Calls so far", strconv.Itoa(st.Calls) + ", the last: " + lead.OutcomeLabel(st.LastCall)})
	case Again:
		if l.Again == nil {
			return nil, Colours{}, fmt.Errorf("a patient writing again without what they wrote")
		}
		a := *l.Again
		v.Name = strings.TrimSpace(a.FirstName + " " + a.LastName)
		v.Quote, v.Call = a.Message, callOf(a, p.Region)
		v.Facts = append(v.Facts[:1], Figure{"First request", when(l.Lead.Received)}, Figure{"Wrote again", when(a.Received)})
		if v.Owner != "" {
			v.Facts = append(v.Facts, Figure{"Claimed by", v.Owner})
		}
		v.Facts = append(v.Facts, Figure{"State", lead.Label(st.State)})
		if patient, err := address("email", "", a.Email); err == nil {
			h.replyTo = patient
			v.Facts = append(v.Facts, Figure{"Email", a.Email})
		}
	}
	return v, v.C, nil
}

// Lateness says how late something is, for staff: "25 min", "2 h 5 min",
// "3 days".
func Lateness(d time.Duration) string {
	d = d.Truncate(time.Minute)
	switch h, m := int(d.Hours()), int(d.Minutes())%60; {
	case d < time.Hour:
		return strconv.Itoa(m) + " min"
	case h >= 48:
		return strconv.Itoa(h/24) + " days"
	case m == 0:
		return strconv.Itoa(h) + " h"
	default:
		return strconv.Itoa(h) + " h " + strconv.Itoa(m) + " min"
	}
}

// correction adds to a correction's notice the phone and email the
// patient corrected, now and before (the lead's last correction), and
// makes the patient, at the corrected address, the one a reply goes to.
func (v *noticeView) correction(l lead.Lead, p Practice, h *header) error {
	if len(l.Corrections) == 0 {
		return fmt.Errorf("a correction of a lead that has none")
	}
	was := l.Corrections[len(l.Corrections)-1]
	phone := func(n string) string {
		switch {
		case n == "":
			return "none given"
		case e164.MatchString(n):
			return NationalPhone(n, p.Region) + " (" + n + ")"
		}
		return n
	}
	fact := func(label, now, before string) Figure {
		if now == before {
			return Figure{label, now + ", as before"}
		}
		return Figure{label, now + ", was " + before}
	}
	v.Facts = append(v.Facts, fact("Phone", phone(l.Phone), phone(was.Phone)), fact("Email", l.Email, was.Email))
	var err error
	h.replyTo, err = address("email", strings.TrimSpace(l.FirstName+" "+l.LastName), l.Email)
	return err
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
func (v *noticeView) digest(d *DigestData, loc *time.Location, when func(time.Time) string, p Practice) {
	v.Day, v.Date = d.Until.In(loc).Format("Mon 2 Jan"), d.Until.In(loc).Format("Monday 2 January")
	v.Since, v.Until = when(d.Since), when(d.Until)
	v.New, v.Overdues, v.Held = len(d.Leads), len(d.Overdue), len(d.Held)
	v.Facts = d.Figures
	leads := section{Title: "Leads", Empty: "No leads in this period."}
	for _, l := range d.Leads {
		first := "no action yet"
		if l.FirstAction != "" {
			first = "first action after " + l.FirstAction
		}
		leads.Rows = append(leads.Rows, row{Cells: []string{l.Ref, p.procedureName(l.Procedure), lead.Label(l.State), first}})
	}
	late := section{Title: "Overdue: not reached yet", Empty: "None: every lead due is reached."}
	for _, l := range d.Overdue {
		cells := []string{l.Ref, p.procedureName(l.Procedure)}
		if name := strings.TrimSpace(l.FirstName); name != "" {
			cells = append([]string{name}, cells...)
		}
		late.Rows = append(late.Rows, row{Cells: append(cells, lead.Label(l.State), "was due "+when(l.Due)),
			Call: callOf(lead.Lead{FirstName: l.FirstName, Phone: l.Phone}, p.Region), Links: noticeLinks(l.Links)})
	}
	hold := section{Title: "Held as suspected spam", Empty: "None."}
	for _, l := range d.Held {
		hold.Rows = append(hold.Rows, row{
			Cells: []string{l.Ref, p.procedureName(l.Procedure), "received " + when(l.Received),
				"why: " + strings.Join(l.Signals, ", "), "from @" + l.EmailDomain},
			Links: noticeLinks(l.Links),
		})
	}
	same := func(s string) string { return cmp.Or(s, "Not claimed") }
	v.Sections = []section{leads, late, hold, surgeries(d.Surgeries, when, p), consultations(d.Consultations, when, p),
		counts("By coordinator", d.ByCoordinator, same), counts("By procedure", d.ByProcedure, p.procedureName), counts("By source", d.BySource, same)}
}

// counts is a section of lead counts by some key.
func counts(title string, groups []Count, name func(string) string) section {
	s := section{Title: title, Empty: "No leads."}
	for _, g := range groups {
		s.Rows = append(s.Rows, row{Cells: []string{name(g.Key), cmp.Or(g.Says, strconv.Itoa(g.Leads))}})
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

// procedureName is a procedure as staff read it: its title on the site,
// "Not sure yet" for a patient who did not choose, else the slug in words
// ("breast-augmentation" → "breast augmentation").
func (p Practice) procedureName(slug string) string {
	switch pr, ok := p.Procedures[slug]; {
	case slug == "":
		return "(none)"
	case ok && pr.Title != "":
		return pr.Title
	case slug == lead.NotSure:
		return form.Must("procedure").StaffChoice(form.NotSure)
	}
	return strings.ReplaceAll(slug, "-", " ")
}

// surgeries is the digest's section of this week's surgeries: each
// patient, and the steps of their care sent, acknowledged and overdue,
// and their check-ins waiting for an answer.
func surgeries(js []DigestJourney, when func(time.Time) string, p Practice) section {
	sec := section{Title: "This week's surgeries", Empty: "None this week."}
	for _, j := range js {
		state := fmt.Sprintf("%d sent, %d acknowledged", j.Sent, j.Acknowledged)
		if j.Overdue > 0 {
			state += fmt.Sprintf(", %d overdue", j.Overdue)
		}
		if j.Waiting > 0 {
			state += fmt.Sprintf(", %d check-in%s waiting", j.Waiting, map[bool]string{true: "s"}[j.Waiting > 1])
		}
		cells := []string{cmp.Or(j.FirstName, "a patient"), j.Ref, p.procedureName(j.Procedure), when(j.At), state}
		if j.Override {
			cells = append(cells, "inside the cooling-off period, with the surgeon's agreement")
		}
		sec.Rows = append(sec.Rows, row{Cells: cells})
	}
	return sec
}

// consultations is the digest's section of today's and tomorrow's
// consultations.
func consultations(js []DigestJourney, when func(time.Time) string, p Practice) section {
	sec := section{Title: "Consultations today and tomorrow", Empty: "None."}
	for _, j := range js {
		how := map[string]string{lead.Video: "by video", lead.InPerson: "in person"}[j.Mode]
		cells := []string{cmp.Or(j.FirstName, "a patient"), j.Ref, when(j.At), how}
		if name := p.Surgeons[j.Surgeon]; name != "" {
			cells = append(cells, "with "+name)
		}
		sec.Rows = append(sec.Rows, row{Cells: cells})
	}
	return sec
}
