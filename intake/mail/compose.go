package mail

import (
	"bytes"
	"embed"
	"fmt"
	htmltemplate "html/template"
	"net/textproto"
	"strings"
	"sync"
	"text/template"
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
	Procedures      map[string]Procedure // procedure slug → its page and fees, to link from the coordinator's email
	Logo            Logo                 // shown at the top of the HTML emails; zero shows the name as text

	// ActionURL returns the signed link that takes action (action.Claim, …)
	// on l for the recipient; nil shows no actions.
	ActionURL func(l lead.Lead, action, recipient string) string
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
	URL  string // absolute, e.g. "https://harley.example/procedures/rhinoplasty/"
	Fees string // the fee range as the site writes it, e.g. "€6,000 – €9,000"; "" when not published
}

// To returns the coordinator's address for a procedure category.
func (p Practice) To(category string) string {
	if to, ok := p.Routes[category]; ok && to != "" {
		return to
	}
	return p.Coordinator
}

// templateFS holds one folder per language, named by its base BCP 47 tag
// ("en", "fr"): coordinator.txt and .html, patient.txt and .html. The .txt
// files define "subject" and "body"; the .html files define "body". A new
// language needs only patient.* (coordinator mail is always in English).
//
//go:embed templates
var templateFS embed.FS

// Compose builds the coordinator's email and the patient's confirmation for
// l. It fails if a value bound for a header holds a control character.
func Compose(l lead.Lead, p Practice) ([]Message, error) {
	return ComposeFor(l, p, true)
}

// ComposeFor builds the coordinator's email for l and, when confirm is
// set, the patient's confirmation: a lead that gets no confirmation costs
// no confirmation to compose. It checks the patient's address either way,
// and fails as Compose does.
func ComposeFor(l lead.Lead, p Practice, confirm bool) ([]Message, error) {
	kinds := []string{Coordinator, Patient}
	if !confirm {
		kinds = kinds[:1]
	}
	msgs := make([]Message, 0, len(kinds))
	for _, kind := range kinds {
		m, err := ComposeKind(l, p, kind)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

// Plan returns the messages ComposeFor would build for l, each with its
// ID, Message-ID, envelope and kind but no Raw: what the outbox stores
// with the lead, so that the request need not compose them. ComposeKind
// builds each one later, from the stored lead. Plan refuses what
// ComposeFor refuses.
func Plan(l lead.Lead, p Practice, confirm bool) ([]Message, error) {
	domain, err := check(l, p)
	if err != nil {
		return nil, err
	}
	if _, err := address("email", "", l.Email); err != nil {
		return nil, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	msgs := []Message{envelope(l, p, domain, Coordinator)}
	if confirm {
		msgs = append(msgs, envelope(l, p, domain, Patient))
	}
	return msgs, nil
}

// ComposeKind builds one message of l: the coordinator's email
// (Coordinator) or the patient's confirmation (Patient).
func ComposeKind(l lead.Lead, p Practice, kind string) (Message, error) {
	if kind != Coordinator && kind != Patient {
		return Message{}, fmt.Errorf("compose %s: no message of kind %q", l.ID, kind)
	}
	domain, err := check(l, p)
	if err != nil {
		return Message{}, err
	}
	v := newView(l, p)
	var a addresses
	if a.from, err = address("from", p.Name, p.From); err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	if a.patient, err = address("email", v.Name, l.Email); err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", l.ID, err)
	}
	lang := "en" // coordinator mail is always in English
	if kind == Patient {
		lang = pickLanguage(l.Language, p.Language)
	}
	return compose(l, p, domain, kind, lang, &v, a)
}

// check refuses a value bound for a header that holds a control character,
// and returns the domain of the practice's From address.
func check(l lead.Lead, p Practice) (domain string, err error) {
	for _, f := range [...]struct{ field, value string }{{"first_name", l.FirstName}, {"last_name", l.LastName},
		{"procedure_title", l.ProcedureTitle}, {"practice name", p.Name}, {"coordinator name", p.CoordinatorName}} {
		if err := checkHeader(f.field, f.value); err != nil {
			return "", fmt.Errorf("compose %s: %w", l.ID, err)
		}
	}
	_, domain, ok := strings.Cut(p.From, "@")
	if !ok || l.ID == "" {
		return "", fmt.Errorf("compose %s: practice From %q has no domain, or lead has no id", l.ID, p.From)
	}
	return domain, nil
}

// addresses are the From and patient header addresses.
type addresses struct{ from, patient string }

// envelope returns message kind of l without its content.
func envelope(l lead.Lead, p Practice, domain, kind string) Message {
	id := l.ID + "." + kind
	m := Message{ID: id, MessageID: "<" + id + "@" + domain + ">", From: p.From, Kind: kind, Raw: []byte{}}
	if kind == Coordinator {
		m.To = []string{p.To(l.Category)}
	} else {
		m.To = []string{l.Email}
	}
	return m
}

func compose(l lead.Lead, p Practice, domain, kind, lang string, v *view, a addresses) (Message, error) {
	m := envelope(l, p, domain, kind)
	id := m.ID
	var to, replyTo string
	var err error
	switch kind {
	case Coordinator:
		to, err = address("coordinator", p.Name, m.To[0])
		replyTo = a.patient
	default:
		to, err = address("email", "", l.Email) // no display name: the submitter chose it
		if err == nil {
			replyTo, err = address("coordinator", p.CoordinatorName, p.To(l.Category))
		}
	}
	if err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", id, err)
	}
	text, html := buffers.Get().(*bytes.Buffer), buffers.Get().(*bytes.Buffer)
	defer putBuffers(text, html)
	subject, err := render(lang+"/"+kind, v, text, html)
	if err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", id, err)
	}
	if err := checkHeader("subject", subject); err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", id, err)
	}
	// e.Bytes copies the bodies into the message: the buffers are free
	// again once it returns.
	e := &email.Email{From: a.from, To: []string{to}, Text: text.Bytes(), HTML: html.Bytes(), Headers: textproto.MIMEHeader{}}
	// Set in Headers, these are written as given. Each is ASCII already
	// (addresses by net/mail, the subject by unstructured), so the
	// library's own encoding leaves them alone; Date and Message-Id set
	// here keep it from using the clock and a random id.
	e.Headers.Set("Date", l.Received.Format(time.RFC1123Z))
	e.Headers.Set("Reply-To", replyTo)
	e.Headers.Set("Subject", Unstructured(subject))
	e.Headers.Set("Message-Id", m.MessageID)
	if kind == Patient {
		e.Headers.Set("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	}
	if m.Raw, err = e.Bytes(); err != nil {
		return Message{}, fmt.Errorf("compose %s: %w", id, err)
	}
	return m, nil
}

// pickLanguage returns the first of want (BCP 47, e.g. "fr-CA") and
// fallback whose base language has templates, else "en".
func pickLanguage(want, fallback string) string {
	for _, tag := range []string{want, fallback} {
		base, _, _ := strings.Cut(strings.ToLower(tag), "-")
		if base == "" || strings.ContainsAny(base, "./") {
			continue
		}
		if _, ok := templates[base+"/"+Patient]; ok {
			return base
		}
	}
	return "en"
}

// templateSet is one language's templates for one kind of message.
type templateSet struct {
	text *template.Template     // defines "subject" and "body"
	html *htmltemplate.Template // defines "body"; in the emails' own colours (see htmlIn)
}

// templates holds every embedded template, parsed once: "en/patient" → set.
// It is never changed after package initialisation.
var templates = parseTemplates()

func parseTemplates() map[string]templateSet {
	out := map[string]templateSet{}
	langs, err := templateFS.ReadDir("templates")
	if err != nil {
		panic(err) // the embedded tree is part of the binary
	}
	for _, lang := range langs {
		for _, kind := range []string{Coordinator, Patient} {
			name := lang.Name() + "/" + kind
			if _, err := templateFS.Open("templates/" + name + ".txt"); err != nil {
				continue
			}
			out[name] = templateSet{
				text: template.Must(template.New("").ParseFS(templateFS, "templates/"+name+".txt")),
				html: parseHTML(name, defaultColours),
			}
		}
	}
	return out
}

// render executes the templates of name ("en/patient"): it returns the
// subject, and writes the bodies to text and html.
func render(name string, v *view, text, html *bytes.Buffer) (subject string, err error) {
	set, ok := templates[name]
	if !ok {
		return "", fmt.Errorf("no templates for %s", name)
	}
	var s strings.Builder
	if err := set.text.ExecuteTemplate(&s, "subject", v); err != nil {
		return "", err
	}
	if err := set.text.ExecuteTemplate(text, "body", v); err != nil {
		return "", err
	}
	if err := set.htmlIn(name, v.C).ExecuteTemplate(html, "body", v); err != nil {
		return "", err
	}
	return strings.TrimSpace(s.String()), nil
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
