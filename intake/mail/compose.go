package mail

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"net/textproto"
	"strings"
	"sync"
	"time"

	"github.com/jordan-wright/email"

	"github.com/consultahq/consulta/intake/lead"
)

// Practice is what the emails say about the practice and where they go.
type Practice struct {
	Name            string               // "Harley Aesthetics"
	From            string               // the practice's own sending address, bare: "desk@harley.example"
	Phone           string               // shown to the patient, as written: "+44 20 7946 0123"
	Coordinator     string               // the coordinator's address for leads of any other category
	Routes          map[string]string    // procedure category slug → coordinator address
	CoordinatorName string               // "Sarah", who signs the confirmation
	ReplyWithin     string               // "one working day", completing "within …"; said when a lead has no due time
	SiteURL         string               // "https://harley.example"
	Language        string               // the practice's language, used when the patient's has no templates
	TimeZone        *time.Location       // for times shown in the emails; nil means UTC
	Region          string               // the practice's country, ISO 3166 ("IE"): its phone numbers are shown in national format
	Colours         Colours              // the site's palette; zero fields keep the emails' own colours
	Procedures      map[string]Procedure // procedure slug → its title, page and fees
	Logo            Logo                 // shown at the top of the HTML emails; zero shows the name as text
	Address         string               // the practice's address: where an appointment is, unless it names its own place
	Care            Care                 // the care plans, content/care/, for a journey's emails
	Surgeons        map[string]string    // the surgeons' names by team slug: "dr-amelia-hart" → "Dr Amelia Hart"
}

// Colours are the practice's colours as CSS "#rrggbb" values.
type Colours struct {
	Ink    string // body text
	Paper  string // background
	Accent string // links and buttons
	Muted  string // secondary text
}

// Logo is the practice's logo as the HTML emails show it: a PNG (mail
// clients do not show SVG) at an address that does not change between
// builds of the site.
type Logo struct {
	URL           string // absolute, e.g. "https://harley.example/brand/logo-email.png"; "" for none
	Width, Height int    // as shown, in CSS pixels
}

// Mark reports whether the logo is a mark rather than a wordmark: no
// wider than twice its height. The emails show the practice's name
// beside a mark, and give a wordmark the name as its text.
func (l Logo) Mark() bool { return l.Width <= 2*l.Height }

// Procedure is what the coordinator's email shows of a procedure's page.
type Procedure struct {
	Title string // "Rhinoplasty"
	URL   string // absolute, e.g. "https://harley.example/procedures/rhinoplasty/"
	Fees  string // the fee range as the site writes it, e.g. "€6,000 – €9,000"; "" when not published
}

// To returns the coordinator's address for a procedure category.
func (p Practice) To(category string) string {
	if to, ok := p.Routes[category]; ok && to != "" {
		return to
	}
	return p.Coordinator
}

// Compose builds the email that l describes, for practice p: the headers
// of its kind, and a plain-text and an HTML part from its kind's
// templates. Every kind is composed here, when it is sent, from what the
// store holds. It fails if a value bound for a header holds a control
// character, or an address cannot be sent to.
func Compose(l Letter, p Practice) (Message, error) {
	if l.ID == "" {
		l.ID = l.Lead.ID + "." + l.Kind
	}
	k, ok := kinds[l.Kind]
	if !ok {
		return Message{}, fmt.Errorf("compose %s: no message of kind %q", l.ID, l.Kind)
	}
	domain, err := fromDomain(l.ID, p)
	if err != nil {
		return Message{}, err
	}
	h := header{date: l.Date, messageID: "<" + l.ID + "@" + domain + ">", lang: "en"}
	if h.from, err = address("from", p.Name, p.From); err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	data, c, err := k.prepare(l, p, domain, &h)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	text, html := buffers.Get().(*bytes.Buffer), buffers.Get().(*bytes.Buffer)
	defer putBuffers(text, html)
	subject, err := render(h.lang+"/"+l.Kind, data, c, text, html)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	if err := checkHeader("subject", subject); err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	m := Message{ID: l.ID, MessageID: h.messageID, From: p.From, To: []string{h.envelopeTo}, Kind: l.Kind}
	// e.Bytes copies the bodies into the message: the buffers are free
	// again once it returns.
	e := &email.Email{From: h.from, To: []string{h.to}, Text: text.Bytes(), HTML: html.Bytes(), Headers: textproto.MIMEHeader{}}
	// Set in Headers, these are written as given. Each is ASCII already
	// (addresses by net/mail, the subject by Unstructured), so the
	// library's own encoding leaves them alone; Date and Message-Id set
	// here keep it from using the clock and a random id.
	e.Headers.Set("Date", h.date.Format(time.RFC1123Z))
	if h.replyTo != "" {
		e.Headers.Set("Reply-To", h.replyTo)
	}
	e.Headers.Set("Subject", Unstructured(subject))
	e.Headers.Set("Message-Id", m.MessageID)
	if k.auto {
		e.Headers.Set("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	}
	if h.inReplyTo != "" {
		e.Headers.Set("In-Reply-To", h.inReplyTo)
		e.Headers.Set("References", h.inReplyTo)
	}
	if l.Kind == Appointment {
		if err := attachCalendar(e, l, p, domain); err != nil {
			return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
		}
	}
	raw, err := e.Bytes()
	if err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	m.Raw = foldHeaders(raw)
	return m, nil
}

// header is what a kind sets of an email's headers and envelope.
type header struct {
	from, to, replyTo, inReplyTo string
	envelopeTo                   string // the recipient, bare
	date                         time.Time
	messageID                    string
	lang                         string // of the templates: "en"
}

// kind is how the emails of one kind are composed.
type kind struct {
	// prepare checks l, sets the kind's headers in h, and returns the
	// data of its templates and the colours of its HTML.
	prepare func(l Letter, p Practice, domain string, h *header) (any, Colours, error)
	auto    bool   // sent by the service of itself: Auto-Submitted
	layout  string // a template its own refines ("notice"), or ""
}

// kinds are the emails the composer writes, by kind.
var kinds = map[string]kind{
	Coordinator: {prepare: prepareLead},
	Patient:     {prepare: prepareLead, auto: true},
	Reminder:    {prepare: prepareNotice, auto: true, layout: "notice"},
	Escalation:  {prepare: prepareNotice, auto: true, layout: "notice"},
	Attempt:     {prepare: prepareNotice, auto: true, layout: "notice"},
	FollowUp:    {prepare: prepareNotice, auto: true, layout: "notice"},
	Again:       {prepare: prepareNotice, auto: true, layout: "notice"},
	Digest:      {prepare: prepareNotice, auto: true, layout: "notice"},
	Unreached:   {prepare: prepareUnreached, auto: true, layout: "letter"},
	Correction:  {prepare: prepareNotice, auto: true, layout: "notice"},

	Appointment:          {prepare: preparePatientJourney, auto: true, layout: "letter"},
	ConsultationReminder: {prepare: preparePatientJourney, auto: true, layout: "letter"},
	CareStep:             {prepare: preparePatientJourney, auto: true, layout: "letter"},
	CareTask:             {prepare: prepareCareNotice, auto: true, layout: "notice"},
	CareEscalation:       {prepare: prepareCareNotice, auto: true, layout: "notice"},
	CareWorry:            {prepare: prepareCareNotice, auto: true, layout: "notice"},
}

// fromDomain returns the domain of the practice's From address.
func fromDomain(id string, p Practice) (string, error) {
	_, domain, ok := strings.Cut(p.From, "@")
	if !ok || id == "" || strings.HasPrefix(id, ".") {
		return "", fmt.Errorf("compose %s: practice From %q has no domain, or the email has no id", id, p.From)
	}
	return domain, nil
}

// prepareLead prepares the coordinator's email of a lead (To the
// coordinator of its category, Reply-To the patient) or the patient's
// confirmation (To the patient, with no display name: the submitter chose
// it; Reply-To the coordinator).
func prepareLead(l Letter, p Practice, _ string, h *header) (any, Colours, error) {
	if err := checkLead(l.Lead, p); err != nil {
		return nil, Colours{}, err
	}
	v := newView(l, p)
	patient, err := address("email", v.Name, l.Lead.Email)
	if err != nil {
		return nil, Colours{}, err
	}
	h.date = l.Lead.Received
	if l.Kind == Coordinator {
		h.envelopeTo = cmp.Or(l.To, p.To(l.Lead.Category))
		h.to, err = address("coordinator", p.Name, h.envelopeTo)
		h.replyTo = patient
	} else {
		h.envelopeTo = l.Lead.Email
		h.to, err = address("email", "", l.Lead.Email)
		if err == nil {
			h.replyTo, err = address("coordinator", p.CoordinatorName, p.To(l.Lead.Category))
		}
		h.lang = pickLanguage(l.Kind, l.Lead.Language, p.Language)
	}
	return &v, v.C, err
}

// checkLead refuses a value of l bound for a header that holds a control
// character.
func checkLead(l lead.Lead, p Practice) error {
	for _, f := range [...]struct{ field, value string }{{"first_name", l.FirstName}, {"last_name", l.LastName},
		{"procedure_title", l.ProcedureTitle}, {"practice name", p.Name}, {"coordinator name", p.CoordinatorName}} {
		if err := checkHeader(f.field, f.value); err != nil {
			return err
		}
	}
	return nil
}

// Plan returns the coordinator's email of l and, when confirm is set, the
// patient's confirmation, each with its ID, Message-ID, envelope and kind
// but no Raw: what the outbox stores with the lead, so that the request
// need not compose them. Compose builds each one when it is sent, from the
// stored lead. Plan refuses what Compose refuses of a lead, and checks the
// patient's address even when no confirmation is planned.
func Plan(l lead.Lead, p Practice, confirm bool) ([]Message, error) {
	id := l.ID + "." + Coordinator
	if _, err := fromDomain(id, p); err != nil || l.ID == "" {
		return nil, fmt.Errorf("compose %s: practice From %q has no domain, or lead has no id", l.ID, p.From)
	}
	if err := checkLead(l, p); err != nil {
		return nil, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	if _, err := address("email", "", l.Email); err != nil {
		return nil, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	coordinator, err := Envelope(Coordinator, id, p.To(l.Category), p)
	if err != nil || !confirm {
		return []Message{coordinator}, err
	}
	patient, err := Envelope(Patient, l.ID+"."+Patient, l.Email, p)
	return []Message{coordinator, patient}, err
}

// Envelope returns the email of kind, with outbox id id, to one
// recipient, without its content: what the outbox keeps of an email that
// Compose builds when it is sent. It refuses an address that Compose
// cannot send to.
func Envelope(kind, id, to string, p Practice) (Message, error) {
	domain, err := fromDomain(id, p)
	if err != nil {
		return Message{}, err
	}
	if !AddressOK(to) {
		return Message{}, fmt.Errorf("compose %s: invalid or non-ASCII address", id)
	}
	return Message{ID: id, MessageID: "<" + id + "@" + domain + ">", From: p.From, To: []string{to}, Kind: kind, Raw: []byte{}}, nil
}

// pickLanguage returns the first of want (BCP 47, e.g. "fr-CA") and
// fallback whose base language has templates of kind, else "en".
func pickLanguage(kind, want, fallback string) string {
	for _, tag := range []string{want, fallback} {
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if base == "" || strings.ContainsAny(base, "./") {
			continue
		}
		if _, err := fs.Stat(templateFS, "templates/"+base+"/"+kind+".txt"); err == nil {
			return base
		}
	}
	return "en"
}

// buffers hold the bodies of a message while it is built.
var buffers = sync.Pool{New: func() any { return bytes.NewBuffer(make([]byte, 0, 8192)) }}

// putBuffers returns bs, emptied, to buffers.
func putBuffers(bs ...*bytes.Buffer) {
	for _, b := range bs {
		b.Reset()
		buffers.Put(b)
	}
}
