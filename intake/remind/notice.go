package remind

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	netmail "net/mail"
	"net/textproto"
	"strings"
	"text/template"
	"time"

	"github.com/jordan-wright/email"

	"github.com/consultahq/consulta/intake/action"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// notice is one email of the clock: a reminder, an escalation, a
// follow-up or the digest. Its text and HTML are two templates of the same
// data; the HTML has the site's colours and a phone-width layout.
type notice struct {
	Kind    string   // mail.Reminder, …
	ID      string   // the outbox id, e.g. "<lead>.reminder"
	To      []string // bare addresses
	Subject string
	About   string // the lead's id, for In-Reply-To: the coordinator's email of it
	Date    time.Time

	Practice string
	Colours  mail.Colours
	Title    string   // the heading
	Intro    []string // paragraphs
	Facts    [][2]string
	Links    []action.Link
	Sections []section // the digest's
}

// section is a titled list of the digest.
type section struct {
	Title string
	Empty string // said when Rows is empty
	Rows  []row
}

// row is one line of a digest section: a few cells, and its actions.
type row struct {
	Cells []string
	Links []action.Link
}

// compose builds n into a message from p's address.
func compose(n notice, p mail.Practice) (outbox.Message, error) {
	_, domain, ok := strings.Cut(p.From, "@")
	if !ok {
		return outbox.Message{}, fmt.Errorf("compose %s: the practice's From %q has no domain", n.ID, p.From)
	}
	if !mail.HeaderSafe(n.Subject) || !mail.HeaderSafe(p.Name) {
		return outbox.Message{}, fmt.Errorf("compose %s: %w", n.ID, mail.ErrHeaderValue)
	}
	for _, to := range n.To {
		if !mail.AddressOK(to) {
			return outbox.Message{}, fmt.Errorf("compose %s: invalid or non-ASCII address", n.ID)
		}
	}
	m := outbox.Message{ID: n.ID, MessageID: "<" + n.ID + "@" + domain + ">", From: p.From, To: n.To, Kind: n.Kind}
	n.Practice, n.Colours = p.Name, p.Colours.WithDefaults()
	var text, html bytes.Buffer
	if err := textTemplate.Execute(&text, n); err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s: %w", n.ID, err)
	}
	if err := htmlTemplate.Execute(&html, n); err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s: %w", n.ID, err)
	}
	from := (&netmail.Address{Name: p.Name, Address: p.From}).String()
	e := &email.Email{From: from, To: n.To, Text: text.Bytes(), HTML: html.Bytes(), Headers: textproto.MIMEHeader{}}
	e.Headers.Set("Date", n.Date.Format(time.RFC1123Z))
	e.Headers.Set("Subject", mail.Unstructured(n.Subject))
	e.Headers.Set("Message-Id", m.MessageID)
	e.Headers.Set("Auto-Submitted", "auto-generated")
	if n.About != "" {
		orig := "<" + n.About + "." + mail.Coordinator + "@" + domain + ">"
		e.Headers.Set("In-Reply-To", orig)
		e.Headers.Set("References", orig)
	}
	raw, err := e.Bytes()
	if err != nil {
		return outbox.Message{}, fmt.Errorf("compose %s: %w", n.ID, err)
	}
	m.Raw = raw
	return m, nil
}

var textTemplate = template.Must(template.New("text").Parse(`{{.Title}}

{{range .Intro}}{{.}}

{{end}}{{range .Facts}}{{index . 0}}: {{index . 1}}
{{end}}{{if .Links}}
{{range .Links}}{{.Label}}:
{{.URL}}
{{end}}{{end}}{{range .Sections}}
{{.Title}}
{{if not .Rows}}  {{.Empty}}
{{end}}{{range .Rows}}  {{range $i, $c := .Cells}}{{if $i}} · {{end}}{{$c}}{{end}}
{{range .Links}}    {{.Label}}: {{.URL}}
{{end}}{{end}}{{end}}
-- 
{{.Practice}}, sent by its intake service
`))

var htmlTemplate = htmltemplate.Must(htmltemplate.New("html").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Subject}}</title>
</head>
<body style="margin:0;padding:0;background:{{.Colours.Paper}};color:{{.Colours.Ink}};font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif">
<div style="max-width:36rem;margin:0 auto;padding:16px">
<p style="margin:0 0 8px;color:{{.Colours.Muted}}">{{.Practice}}</p>
<h1 style="font-size:22px;line-height:1.3;margin:0 0 12px">{{.Title}}</h1>
{{range .Intro}}<p style="margin:0 0 12px">{{.}}</p>
{{end}}{{if .Facts}}<table role="presentation" style="border-collapse:collapse;margin:0 0 16px">
{{range .Facts}}<tr><td style="padding:2px 12px 2px 0;color:{{$.Colours.Muted}};vertical-align:top">{{index . 0}}</td><td style="padding:2px 0">{{index . 1}}</td></tr>
{{end}}</table>
{{end}}{{if .Links}}<p style="margin:0 0 16px">{{range .Links}}<a href="{{.URL}}" style="display:inline-block;margin:0 8px 8px 0;padding:12px 16px;border-radius:6px;background:{{$.Colours.Accent}};color:{{$.Colours.Paper}};font-weight:600;text-decoration:none">{{.Label}}</a>
{{end}}</p>
{{end}}{{range .Sections}}<h2 style="font-size:18px;margin:20px 0 8px">{{.Title}}</h2>
{{if not .Rows}}<p style="margin:0 0 8px;color:{{$.Colours.Muted}}">{{.Empty}}</p>
{{end}}{{range .Rows}}<p style="margin:0 0 8px">{{range $i, $c := .Cells}}{{if $i}} · {{end}}{{$c}}{{end}}{{if .Links}}<br>{{range .Links}}<a href="{{.URL}}" style="display:inline-block;white-space:nowrap;padding:6px 0;margin-right:16px;color:{{$.Colours.Accent}};font-weight:600">{{.Label}}</a>{{end}}{{end}}</p>
{{end}}{{end}}<p style="margin:24px 0 0;color:{{.Colours.Muted}};font-size:14px">{{.Practice}}, sent by its intake service.</p>
</div>
</body>
</html>
`))
