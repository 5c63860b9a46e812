package intake

import (
	"cmp"
	_ "embed"
	htmltemplate "html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

// leadView is the data of the lead's page (leadpage.html), and of the
// page that refuses a link (Refused).
type leadView struct {
	Practice string
	C        mail.Colours

	Refused  bool   // a link refused: Headline and Why say why
	Headline string // the page's heading
	Why      string

	Ref       string
	Name      string // first and last name
	Procedure string // its title, with its fee range when published
	Due       string // "Reply by Mon 7 Dec, 10:30"
	Overdue   string // "Overdue by 25 min", in the warning colour; "" when not
	Reached   string // "Reached Mon 7 Dec, 10:12, within the promise"
	State     string // "Claimed by Niamh Byrne"
	Calls     string // "2 calls, the last: No answer"
	Next      string // "Next call: Mon 7 Dec, 12:05"
	Purged    bool   // the patient's details are gone

	Contact  []contactLink
	Prefers  string // "Phone call, mornings"
	Message  string
	Language string

	Person  string   // who is acting, by name
	Named   bool     // the staff list names who is acting
	Shared  bool     // a mailbox several people share: "Not you?"
	Choose  []choice // the people to choose from, while nobody is chosen
	Fix     string   // what to correct, from the last POST
	Note    string   // the note as written, when the page is shown again
	Main    *button  // the next step
	Call    bool     // the call form is the next step
	Others  []button // the other steps
	CanCall bool     // a call may be recorded
	Calling []button // the call's outcomes, but the call back
	BackMin string   // the earliest call-back time the field offers, practice time
	Zone    string   // "Europe/Dublin time"
	Undo    string   // the action that Undo takes back, in words; "" when none
	History []historyRow
	Dates   *datesView // the consultation's and the surgery's, once a consultation is booked
}

type contactLink struct {
	Label string           // "Call Aoife"
	Shown string           // "087 123 4567"
	URL   htmltemplate.URL // tel:, sms: or mailto:
	Wide  bool             // a row of its own: an address is long
}

type choice struct {
	Index int
	Name  string
}

type button struct {
	Do    string // the form's "do"
	Label string
}

type historyRow struct {
	When, Who, What string
	Quote           string // what the patient wrote again
	Note            string
	Undone          bool
}

//go:embed leadpage.html
var leadPageHTML string

var leadTemplate = htmltemplate.Must(htmltemplate.New("lead").Parse(leadPageHTML))

// leadPage answers with pg's lead page.
func (s *server) leadPage(w http.ResponseWriter, r *http.Request, pg page) {
	v := s.leadView(r, pg)
	code := cmp.Or(pg.status, http.StatusOK)
	s.render(w, code, v)
}

// actionRefused answers 403 with a page that says why, and changes nothing.
func (s *server) actionRefused(w http.ResponseWriter, headline, why string) {
	s.render(w, http.StatusForbidden, leadView{Practice: s.practiceName(), C: mail.Colours{}.WithDefaults(),
		Refused: true, Headline: headline, Why: why})
}

func (s *server) render(w http.ResponseWriter, code int, v leadView) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	if err := leadTemplate.Execute(w, v); err != nil {
		s.log.Error("render the lead's page", "err", err)
	}
}

// staffTime writes t for staff, in practice time: "Mon 7 Dec, 10:30".
func (s *server) staffTime(t time.Time) string { return t.In(s.location()).Format(mail.StaffTime) }

// leadView makes the page of pg's lead as it stands now.
func (s *server) leadView(r *http.Request, pg page) leadView {
	t, now := pg.lead, s.cfg.Now()
	l := t.Lead
	v := leadView{Practice: s.practiceName(), C: s.cfg.Practice.Colours.WithDefaults(), Ref: cmp.Or(l.Ref, l.ID),
		Name: strings.TrimSpace(l.FirstName + " " + l.LastName), Purged: l.Email == "" && l.Phone == "",
		Message: l.Message, Fix: pg.fix, Note: pg.note, Zone: s.location().String() + " time"}
	v.Headline = cmp.Or(v.Name, "Lead "+v.Ref)
	v.Procedure = procedureLine(l, s.cfg.Practice)
	s.clockLines(&v, t, now)
	if t.State != lead.Spam { // nobody calls a request held as spam before it is released
		v.Contact = contactLinks(l, v.Ref, s.cfg.Practice)
	}
	if l.PreferredContact != "" {
		v.Prefers = form.Must("preferred_contact").StaffChoice(l.PreferredContact)
		if l.PreferredTime != "" {
			v.Prefers += ", " + strings.ToLower(form.Must("preferred_time").StaffChoice(l.PreferredTime))
		}
	}
	p := s.policy()
	switch {
	case !pg.known:
		for _, i := range p.Sharing(pg.tok.Recipient) {
			v.Choose = append(v.Choose, choice{Index: i, Name: p.People[i].Name})
		}
	default:
		v.Person, v.Named, v.Shared = pg.person.String(), pg.person.Name != "", len(p.Sharing(pg.tok.Recipient)) > 1
		s.buttons(&v, pg.tok.Action, t)
		if e, ok := t.Undoable(pg.person, now); ok {
			v.Undo = s.entryWords(e) + " (until " + e.At.Add(lead.UndoWindow).In(s.location()).Format("15:04") + ")"
		}
		s.dates(r.Context(), &v, t)
	}
	v.BackMin = now.In(s.location()).Add(time.Minute).Format("2006-01-02T15:04")
	v.History = s.history(r, t)
	return v
}

// procedureLine is the procedure asked about, with its fee range when the
// site publishes one: "Rhinoplasty, €6,000 – €9,000".
func procedureLine(l lead.Lead, p mail.Practice) string {
	if l.Procedure == lead.NotSure || l.Procedure == "" {
		return form.Must("procedure").StaffChoice(form.NotSure)
	}
	title := cmp.Or(l.ProcedureTitle, p.Procedures[l.Procedure].Title, l.Procedure)
	if fees := p.Procedures[l.Procedure].Fees; fees != "" {
		return title + ", " + fees
	}
	return title
}

// clockLines says where the lead stands against the promise: when the
// reply is due, or how late it is, or when the patient was reached; who
// has it, its calls, and what comes next.
func (s *server) clockLines(v *leadView, t lead.Tracked, now time.Time) {
	due := t.Lead.Due
	switch {
	case t.State == lead.Attached:
		v.State = "This request joined an earlier lead of the same patient"
	case !t.ContactedAt.IsZero():
		v.Reached = "Reached " + s.staffTime(t.ContactedAt)
		if !due.IsZero() {
			if t.ContactedAt.After(due) {
				v.Reached += ", " + mail.Lateness(t.ContactedAt.Sub(due)) + " after the promise"
			} else {
				v.Reached += ", within the promise"
			}
		}
	case due.IsZero() || t.State == lead.Spam || lead.Final(t.State):
	case now.After(due):
		v.Overdue = "Overdue by " + mail.Lateness(now.Sub(due))
		v.Due = "The reply was due " + s.staffTime(due)
	default:
		v.Due = "Reply by " + s.staffTime(due)
	}
	owner := cmp.Or(t.ClaimedName, t.ClaimedBy)
	switch {
	case v.State != "":
	case t.State == lead.Spam && t.Lead.Spam:
		v.State = "Held as suspected spam"
		if len(t.Lead.Signals) > 0 {
			v.State += " (" + strings.Join(t.Lead.Signals, ", ") + "): release it to deliver it as a lead"
		}
	case t.State == lead.Claimed:
		v.State = "Claimed by " + owner
	case t.State == lead.New:
		v.State = "New: nobody has claimed it yet"
	case owner != "" && !lead.Final(t.State):
		v.State = lead.Label(t.State) + " · claimed by " + owner
	default:
		v.State = lead.Label(t.State)
	}
	if t.Calls > 0 {
		v.Calls = strconv.Itoa(t.Calls) + " call"
		if t.Calls > 1 {
			v.Calls += "s"
		}
		v.Calls += ", the last: " + lead.OutcomeLabel(t.LastCall)
	}
	if next, ok := t.NextOf(lead.Attempt); ok {
		v.Next = "Next call: " + s.staffTime(next.At)
		if t.LastCall == lead.CallBack {
			v.Next = "Call back at " + s.staffTime(next.At) + ", as the patient asked"
		}
	} else if t.State == lead.NotReached {
		v.Next = "Every planned call went unanswered: the patient is told how to reach the practice"
	}
}

// contactLinks are the one-tap ways to reach the patient: a call (the
// number in the practice's national format), a text when the patient
// prefers texts and agreed to them, and an email whose subject carries
// the lead's reference.
func contactLinks(l lead.Lead, ref string, p mail.Practice) []contactLink {
	var out []contactLink
	first := cmp.Or(strings.TrimSpace(l.FirstName), "the patient")
	if tel := mail.TelURL(l.Phone); tel != "" {
		shown := mail.NationalPhone(l.Phone, p.Region)
		out = append(out, contactLink{Label: "Call " + first, Shown: shown, URL: tel})
		if l.PreferredContact == "text" && l.SMSOptIn != nil {
			out = append(out, contactLink{Label: "Text " + first, Shown: shown, URL: htmltemplate.URL("sms:" + l.Phone)})
		}
	}
	if l.Email != "" {
		subject := "Your consultation request (" + ref + ")"
		out = append(out, contactLink{Label: "Email " + first, Shown: l.Email, Wide: true,
			URL: htmltemplate.URL(mail.MailtoURL(l.Email) + "?subject=" + url.PathEscape(subject))})
	}
	return out
}

// buttons sets the page's next step and the others, by the lead's state:
// claim → record a call → consultation booked or closed. The link's own
// action is the next step while the lead can still take it.
func (s *server) buttons(v *leadView, linkAction string, t lead.Tracked) {
	act := func(a string) button { return button{Do: a, Label: action.Labels[a]} }
	v.CanCall = lead.CanCall(t.State)
	if v.CanCall {
		for _, o := range lead.Outcomes[:len(lead.Outcomes)-1] {
			v.Calling = append(v.Calling, button{Do: doCall + o, Label: lead.OutcomeLabel(o)})
		}
	}
	var next []string // the next step first, then the others
	switch t.State {
	case lead.New:
		next = []string{action.Claim, action.NotALead, action.Spam}
	case lead.Claimed, lead.NotReached:
		next = []string{"", action.Booked, action.Closed, action.NotALead}
	case lead.Contacted:
		next = []string{action.Booked, action.Closed, action.NotALead}
	case lead.Spam:
		if t.Lead.Spam {
			next = []string{action.Release}
		}
	}
	if target, ok := action.States[linkAction]; ok && target != "" && linkAction != action.Release && lead.CanMove(t.State, target) &&
		!(linkAction == action.Contacted && v.CanCall) {
		next = append([]string{linkAction}, slices.DeleteFunc(next, func(a string) bool { return a == linkAction })...)
	}
	for i, a := range next {
		switch {
		case i == 0 && a == "":
			v.Call = true
		case i == 0:
			b := act(a)
			if a == action.Release {
				b.Label = "Release: deliver this request"
			}
			v.Main = &b
		case a != "":
			v.Others = append(v.Others, act(a))
		}
	}
}

// history is the lead's history, newest first, in words.
func (s *server) history(r *http.Request, t lead.Tracked) []historyRow {
	var again map[string]lead.Lead
	words := make(map[string]string, len(t.History))
	for _, e := range t.History {
		words[strconv.FormatInt(e.ID, 10)] = s.entryWords(e)
	}
	rows := make([]historyRow, 0, len(t.History))
	for _, e := range t.History {
		row := historyRow{When: s.staffTime(e.At), Who: e.By.String(), What: s.entryWords(e), Note: e.Note, Undone: !e.Undone.IsZero()}
		switch {
		case e.Kind == lead.KindUndo:
			row.What = "Undid: " + cmp.Or(words[e.Detail], "an earlier step")
		case e.Kind == lead.KindAgain:
			if again == nil {
				again = s.attached(r, t.Lead.ID)
			}
			a := again[e.Detail]
			row.Who, row.Quote = cmp.Or(strings.TrimSpace(a.FirstName+" "+a.LastName), "The patient"), a.Message
		case e.Kind == lead.Correction:
			row.Who = cmp.Or(strings.TrimSpace(t.Lead.FirstName+" "+t.Lead.LastName), "The patient")
		case row.Who == "":
			row.Who = "The practice's service"
		}
		rows = append(rows, row)
	}
	return rows
}

// attached returns the requests that joined lead id, by their ids.
func (s *server) attached(r *http.Request, id string) map[string]lead.Lead {
	out := map[string]lead.Lead{}
	leads, err := s.store.Attached(r.Context(), id)
	if err != nil {
		s.log.Error("read the requests that joined a lead", "lead", id, "err", err)
	}
	for _, l := range leads {
		out[l.ID] = l
	}
	return out
}

// stepWords say what the clock did at each kind of step.
var stepWords = map[string]string{
	lead.Reminder:   "Reminder sent",
	lead.Escalation: "Escalated: the reply is overdue",
	lead.Attempt:    "Reminder to call again sent",
	lead.FollowUp:   "Follow-up reminder sent",
	lead.Unreached:  "Emailed the patient: we tried to call, and how to reach us",
	lead.Correction: "Corrected her phone or email after sending the form",
}

// entryWords says what an entry of the history did: "Call: No answer".
func (s *server) entryWords(e lead.Entry) string {
	if w, ok := journeyEntry(e); ok {
		return w
	}
	switch e.Kind {
	case lead.KindState:
		return lead.Label(e.State)
	case lead.KindCall:
		w := "Call: " + lead.OutcomeLabel(e.Outcome())
		if at, ok := e.CallBackAt(); ok {
			w += " at " + s.staffTime(at)
		}
		if e.State == lead.NotReached {
			w += ". Not reached"
		}
		return w
	case lead.KindReleased:
		return "Released: delivered after it was held as suspected spam"
	case lead.KindAgain:
		return "Wrote again"
	}
	return cmp.Or(stepWords[e.Kind], e.Kind)
}
