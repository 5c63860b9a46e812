package mail_test

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	cmail "github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/golden"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

var received = time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)

func practice() cmail.Practice {
	london, _ := time.LoadLocation("Europe/London")
	return cmail.Practice{
		Name: "Harley Aesthetics", From: "desk@harley.example", Phone: "+44 20 7946 0000",
		Coordinator: "leads@harley.example", Routes: map[string]string{"face": "face@harley.example"},
		CoordinatorName: "Sarah", ReplyWithin: "one working day", SiteURL: "https://harley.example",
		Language: "en", TimeZone: london, Region: "GB",
		Colours: cmail.Colours{Ink: "#1f2528", Paper: "#fbf9f6", Accent: "#6e4a32", Muted: "#5a6165"},
		Procedures: map[string]cmail.Procedure{"rhinoplasty": {Title: "Rhinoplasty",
			URL: "https://harley.example/procedures/rhinoplasty/", Fees: "£6,000 – £9,000"}},
		Logo: cmail.Logo{URL: "https://harley.example/brand/logo-email.png", Width: 120, Height: 40},
	}
}

// buttons are the coordinator's buttons of lead l for recipient, as the
// service gives them (its links are signed; these are shown whole).
func buttons(l lead.Lead, recipient string) []cmail.Link {
	var out []cmail.Link
	for _, b := range []struct{ action, label string }{{"claim", "I'm handling it"}, {"contacted", "Reached"},
		{"booked", "Consultation booked"}, {"not_a_lead", "Not a lead"}} {
		out = append(out, cmail.Link{Label: b.label, URL: "https://harley.example/v1/actions/" + l.ID + "." + b.action + "." + recipient + ".sig"})
	}
	return out
}

// noButtons gives an email no buttons.
func noButtons(lead.Lead, string) []cmail.Link { return nil }

// compose composes the coordinator's email of l, with its buttons, and the
// patient's confirmation, as the delivery worker does.
func compose(l lead.Lead, p cmail.Practice) ([]cmail.Message, error) {
	return composeWith(l, p, buttons)
}

// composeWith is compose with the buttons that links gives.
func composeWith(l lead.Lead, p cmail.Practice, links func(lead.Lead, string) []cmail.Link) ([]cmail.Message, error) {
	var msgs []cmail.Message
	for _, kind := range []string{cmail.Coordinator, cmail.Patient} {
		letter := cmail.Letter{Kind: kind, Lead: l}
		if kind == cmail.Coordinator {
			letter.Links = links(l, p.To(l.Category))
		}
		m, err := cmail.Compose(letter, p)
		if err != nil {
			return nil, err
		}
		msgs = append(msgs, m)
	}
	return msgs, nil
}

func anna() lead.Lead {
	return lead.Lead{
		ID: "ld_01JDEMO", Ref: "HAR-1127-0042", Received: received,
		Due:       time.Date(2026, 11, 30, 11, 0, 0, 0, time.UTC), // Monday
		FirstName: "Anna", LastName: "Smith", Email: "anna@example.org", Phone: "+447700900123",
		Procedure: "rhinoplasty", ProcedureTitle: "Rhinoplasty", Category: "face",
		PreferredContact: "phone", PreferredTime: "Weekday mornings",
		Message: "I'd like to know about recovery time.", Source: "Instagram", Language: "en-GB",
		Page:     "https://harley.example/procedures/rhinoplasty/",
		Privacy:  &lead.OptIn{At: received, Page: "/consultation/", Wording: "2026-01"},
		SMSOptIn: &lead.OptIn{At: received, Page: "/procedures/rhinoplasty/", Wording: "sms-v1"},
		Attribution: &lead.Attribution{
			Landing:  "/procedures/rhinoplasty/?utm_source=google&utm_medium=cpc&utm_campaign=nose-2026&gclid=EAIaIQobChM",
			Referrer: "https://www.google.com/", UTMSource: "google", UTMMedium: "cpc", UTMCampaign: "nose-2026",
			GCLID: "EAIaIQobChM",
		},
	}
}

// noPhone is a lead of a patient who gave no phone number.
func noPhone() lead.Lead {
	l := anna()
	l.Phone, l.PreferredContact, l.SMSOptIn = "", "email", nil
	return l
}

// spammy is a lead with weak spam signals only: delivered, marked.
func spammy() lead.Lead {
	l := anna()
	l.ID, l.Ref, l.Attribution, l.SMSOptIn = "ld_01JSPAMMY", "HAR-1127-0043", nil, nil
	l.Phone, l.Language = "+353871234567", "ga"
	l.Signals = []string{"too-fast", "links"}
	return l
}

// withSurgeon is a lead of a patient who asked to see a surgeon and named
// the days that suit her: each a row of its own in the coordinator's email.
func withSurgeon() lead.Lead {
	l := anna()
	l.ID, l.Ref, l.Attribution = "ld_01JSURGEON", "HAR-1127-0044", nil
	l.Surgeon, l.SurgeonName, l.PreferredDays = "dr-amelia-hart", "Dr Amelia Hart", "Tuesdays or Thursdays"
	return l
}

func zoe() lead.Lead {
	return lead.Lead{
		ID: "ld_01JUNICODE", Received: received,
		FirstName: "Zoë", LastName: "Müller-Łukasiewicz", Email: "zoe@example.de", Phone: "+4930901820",
		Procedure: lead.NotSure, PreferredContact: "email", Language: "fr-CA",
		Message: "<script>alert('x')</script> & \"quotes\"\nSecond line =?utf-8?q?x?=",
		Page:    "/contact/?a=1&b=<2>",
	}
}

func TestComposeGolden(t *testing.T) {
	minimal := cmail.Practice{Name: "Clinique Élise", From: "bonjour@elise.example", Coordinator: "rdv@elise.example"}
	tests := map[string]struct {
		l     lead.Lead
		p     cmail.Practice
		links func(lead.Lead, string) []cmail.Link
	}{
		"anna":    {anna(), practice(), buttons},
		"unicode": {zoe(), practice(), buttons},
		"minimal": {noPhone(), minimal, noButtons}, // no coordinator name, phone, reply time, site, actions or colours; a patient without a phone
		"spammy":  {spammy(), practice(), buttons},
		"surgeon": {withSurgeon(), practice(), buttons},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			msgs, err := composeWith(tt.l, tt.p, tt.links)
			if err != nil {
				t.Fatal(err)
			}
			if len(msgs) != 2 || msgs[0].Kind != cmail.Coordinator || msgs[1].Kind != cmail.Patient {
				t.Fatalf("Compose returned %d messages", len(msgs))
			}
			for _, m := range msgs {
				text, html := bodies(t, m.Raw)
				golden.Check(t, filepath.Join("testdata", name+"."+m.Kind+".headers"), headers(t, m.Raw), *update)
				golden.Check(t, filepath.Join("testdata", name+"."+m.Kind+".txt"), text, *update)
				golden.Check(t, filepath.Join("testdata", name+"."+m.Kind+".html"), html, *update)
				for _, line := range strings.Split(string(m.Raw), "\r\n") {
					if len(line) > 998 {
						t.Errorf("%s: line of %d characters", m.ID, len(line))
					}
				}
			}
		})
	}
}

func TestComposeHeaders(t *testing.T) {
	msgs, err := compose(zoe(), practice())
	if err != nil {
		t.Fatal(err)
	}
	coord, conf := msgs[0], msgs[1]
	tests := []struct {
		m                                     cmail.Message
		from, to, replyTo, subject, messageID string
	}{
		{coord, `"Harley Aesthetics" <desk@harley.example>`, `"Harley Aesthetics" <leads@harley.example>`,
			`"Zoë Müller-Łukasiewicz" <zoe@example.de>`, "New consultation request: Not sure yet — Zoë",
			"<ld_01JUNICODE.coordinator@harley.example>"},
		{conf, `"Harley Aesthetics" <desk@harley.example>`, `<zoe@example.de>`,
			`"Sarah" <leads@harley.example>`, "Your consultation request to Harley Aesthetics",
			"<ld_01JUNICODE.patient@harley.example>"},
	}
	for _, tt := range tests {
		msg, err := mail.ReadMessage(bytes.NewReader(tt.m.Raw))
		if err != nil {
			t.Fatal(err)
		}
		h := msg.Header
		addr := func(name string) string {
			a, err := h.AddressList(name)
			if err != nil || len(a) != 1 {
				t.Errorf("%s %s: %v", tt.m.ID, name, err)
				return ""
			}
			return a[0].String()
		}
		dec := new(mime.WordDecoder)
		subject, _ := dec.DecodeHeader(h.Get("Subject"))
		decode := func(s string) string { a, _ := mail.ParseAddress(s); return a.Name + " <" + a.Address + ">" }
		for _, c := range []struct{ name, got, want string }{
			{"From", decode(addr("From")), decode(tt.from)},
			{"To", decode(addr("To")), decode(tt.to)},
			{"Reply-To", decode(addr("Reply-To")), decode(tt.replyTo)},
			{"Subject", subject, tt.subject},
			{"Message-ID", h.Get("Message-ID"), tt.messageID},
		} {
			if c.got != c.want {
				t.Errorf("%s %s = %q, want %q", tt.m.ID, c.name, c.got, c.want)
			}
		}
		if tt.m.MessageID != tt.messageID {
			t.Errorf("Message.MessageID = %q, want %q", tt.m.MessageID, tt.messageID)
		}
	}
	if coord.To[0] != "leads@harley.example" || conf.To[0] != "zoe@example.de" || coord.From != "desk@harley.example" {
		t.Errorf("envelopes: %v → %v, %v", coord.From, coord.To, conf.To)
	}
	// Routed by category.
	msgs, _ = compose(anna(), practice())
	if msgs[0].To[0] != "face@harley.example" {
		t.Errorf("face lead went to %v", msgs[0].To)
	}
	// Composing twice gives the same message, but for the MIME boundary
	// and the order of the headers, which the email library picks.
	again, _ := compose(anna(), practice())
	t1, h1 := bodies(t, msgs[0].Raw)
	t2, h2 := bodies(t, again[0].Raw)
	if !bytes.Equal(headers(t, msgs[0].Raw), headers(t, again[0].Raw)) || !bytes.Equal(t1, t2) || !bytes.Equal(h1, h2) {
		t.Error("two compositions of one lead differ")
	}
}

func TestComposeRejectsHeaderInjection(t *testing.T) {
	tests := map[string]func(*lead.Lead){
		"LF in first name":       func(l *lead.Lead) { l.FirstName = "Anna\nBcc: x@evil.example" },
		"CR in last name":        func(l *lead.Lead) { l.LastName = "Smith\rX" },
		"CRLF in procedure":      func(l *lead.Lead) { l.ProcedureTitle = "Rhino\r\nBcc: x@evil.example" },
		"NUL in first name":      func(l *lead.Lead) { l.FirstName = "An\x00na" },
		"invalid UTF-8":          func(l *lead.Lead) { l.FirstName = "An\xffna" },
		"LF in email":            func(l *lead.Lead) { l.Email = "anna@example.org\nBcc: x@evil.example" },
		"two addresses in email": func(l *lead.Lead) { l.Email = "anna@example.org, x@evil.example" },
	}
	for name, spoil := range tests {
		t.Run(name, func(t *testing.T) {
			l := anna()
			spoil(&l)
			if msgs, err := compose(l, practice()); err == nil {
				t.Errorf("Compose accepted it:\n%s", msgs[0].Raw)
			}
		})
	}
	l := anna()
	l.FirstName = "Anna\nX"
	if _, err := compose(l, practice()); !errors.Is(err, cmail.ErrHeaderValue) {
		t.Errorf("err = %v, want ErrHeaderValue", err)
	}
}

// headers returns the top-level headers of raw as written, one per line,
// sorted, with the MIME boundary replaced by "BOUNDARY" (the email library
// writes the headers in no fixed order and picks a random boundary).
func headers(t *testing.T, raw []byte) []byte {
	t.Helper()
	head, _, ok := bytes.Cut(raw, []byte("\r\n\r\n"))
	if !ok {
		t.Fatal("no end of headers")
	}
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, _ := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	unfolded := strings.ReplaceAll(string(head), "\r\n ", " ")
	if b := params["boundary"]; b != "" {
		unfolded = strings.ReplaceAll(unfolded, b, "BOUNDARY")
	}
	lines := strings.Split(unfolded, "\r\n")
	slices.Sort(lines)
	return []byte(strings.Join(lines, "\n") + "\n")
}

// bodies returns the decoded text and HTML parts of raw.
func bodies(t *testing.T, raw []byte) (text, html []byte) {
	t.Helper()
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	_, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		t.Fatal(err)
	}
	parts := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := parts.NextRawPart()
		if err == io.EOF {
			return text, html
		}
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(quotedprintable.NewReader(p))
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			html = b
		} else {
			text = b
		}
	}
}

func BenchmarkCompose(b *testing.B) {
	p := practice()
	l := anna()
	for b.Loop() {
		if _, err := compose(l, p); err != nil {
			b.Fatal(err)
		}
	}
}

// TestComposeNameWithComma: the email library splits From and To at
// commas; a practice name holding one must still arrive whole.
func TestComposeNameWithComma(t *testing.T) {
	p := practice()
	p.Name = "Smith, Jones & Partners — Chirurgie esthétique, Paris"
	msgs, err := compose(anna(), p)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		msg, err := mail.ReadMessage(bytes.NewReader(m.Raw))
		if err != nil {
			t.Fatal(err)
		}
		from, err := msg.Header.AddressList("From")
		if err != nil || len(from) != 1 || from[0].Name != p.Name || from[0].Address != p.From {
			t.Errorf("%s From = %v (%v), want %q <%s>", m.ID, from, err, p.Name, p.From)
		}
	}
}

// TestComposePossibleSpam checks the subject and the line that say why a
// lead may be spam: none for a clean lead; the reasons for weak signals;
// and for a lead held as spam, mailed only once someone releases it.
func TestComposePossibleSpam(t *testing.T) {
	tests := []struct {
		name    string
		signals []string
		held    bool
		reason  string // in the text; "" for none
	}{
		{"clean", nil, false, ""},
		{"too fast", []string{"too-fast"}, false, "within seconds of opening the form"},
		{"old token and links", []string{"stale-token", "links"}, false, "open for more than a day; the message holds several links"},
		{"released from the honeypot", []string{"honeypot"}, true, "a field people never see was filled in"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := anna()
			l.Signals, l.Spam = tt.signals, tt.held
			msgs, err := compose(l, practice())
			if err != nil {
				t.Fatal(err)
			}
			msg, err := mail.ReadMessage(bytes.NewReader(msgs[0].Raw))
			if err != nil {
				t.Fatal(err)
			}
			subject, _ := new(mime.WordDecoder).DecodeHeader(msg.Header.Get("Subject"))
			text, html := bodies(t, msgs[0].Raw)
			marked := strings.HasPrefix(subject, "Possible spam: ")
			if marked != (tt.reason != "") {
				t.Errorf("subject %q: marked %v, want %v", subject, marked, tt.reason != "")
			}
			for kind, body := range map[string][]byte{"text": text, "HTML": html} {
				if got := bytes.Contains(body, []byte(tt.reason)) && bytes.Contains(body, []byte("Possible spam:")); tt.reason != "" && !got {
					t.Errorf("the %s part does not say why (%q):\n%s", kind, tt.reason, body)
				}
				if tt.reason == "" && bytes.Contains(body, []byte("Possible spam")) {
					t.Errorf("the %s part of a clean lead speaks of spam", kind)
				}
			}
		})
	}
}

// TestComposeForNoConfirmation: a lead that gets no confirmation is
// composed without one, and its coordinator's email is the same.
func TestComposeForNoConfirmation(t *testing.T) {
	both, err := compose(anna(), practice())
	if err != nil {
		t.Fatal(err)
	}
	planned, err := cmail.Plan(anna(), practice(), false)
	if err != nil {
		t.Fatal(err)
	}
	if len(planned) != 1 || planned[0].Kind != cmail.Coordinator {
		t.Fatalf("Plan(confirm=false) = %d messages, want the coordinator's email alone", len(planned))
	}
	only, err := cmail.Compose(cmail.Letter{Kind: planned[0].Kind, ID: planned[0].ID, To: planned[0].To[0], Lead: anna(),
		Links: buttons(anna(), planned[0].To[0])}, practice())
	if err != nil {
		t.Fatal(err)
	}
	text, html := bodies(t, only.Raw)
	wantText, wantHTML := bodies(t, both[0].Raw)
	if !bytes.Equal(headers(t, only.Raw), headers(t, both[0].Raw)) || !bytes.Equal(text, wantText) || !bytes.Equal(html, wantHTML) {
		t.Error("the coordinator's email differs from the one Compose writes")
	}
	l := anna()
	l.Email = "anna\r\nBcc: x@evil.example"
	if _, err := cmail.Plan(l, practice(), false); err == nil {
		t.Error("Plan(confirm=false) took an address Compose refuses")
	}
}

// TestComposeEscapesRows: the values of the coordinator's tables come from
// the request; markup in them is shown as text, and a link that is not
// http(s) is not a link.
func TestComposeEscapesRows(t *testing.T) {
	l := anna()
	l.PreferredTime = `<b onclick="x()">mornings</b>`
	l.Source = `"><script>alert(1)</script>`
	l.Page = "javascript:alert(1)"
	l.Attribution = &lead.Attribution{
		Landing:   `/p/"onmouseover="alert(1)`,
		Referrer:  `https://evil.example/"><img src=x onerror=alert(1)>`,
		UTMSource: `<img src=x onerror=alert(1)>`,
	}
	msgs, err := compose(l, practice())
	if err != nil {
		t.Fatal(err)
	}
	_, html := bodies(t, msgs[0].Raw)
	for _, bad := range []string{"<b ", "<script", "<img src=x", `href="javascript:`, `"onmouseover=`, `onerror=alert(1)>`} {
		if bytes.Contains(html, []byte(bad)) {
			t.Errorf("the coordinator's email holds %q unescaped", bad)
		}
	}
	for _, want := range []string{"&lt;b onclick=&#34;x()&#34;&gt;mornings&lt;/b&gt;", "&lt;img src=x onerror=alert(1)&gt;", "another site</td>"} {
		if !bytes.Contains(html, []byte(want)) {
			t.Errorf("the coordinator's email does not show %q", want)
		}
	}
}

// TestOriginLinksOnlyTheSite: the coordinator's email links a page only
// when it is a path on the practice's own site, and shows the referrer as
// its host, in plain text. A lead kept before the service refused other
// sites' pages is shown the same way.
func TestOriginLinksOnlyTheSite(t *testing.T) {
	l := anna()
	l.Page = "https://evil.example/login"
	l.Privacy = &lead.OptIn{At: received, Page: "https://evil.example/consent"}
	l.Attribution = &lead.Attribution{
		Landing:  "https://evil.example/landing",
		Referrer: "https://user:pass@evil.example/phish?x=1",
	}
	msgs, err := compose(l, practice())
	if err != nil {
		t.Fatal(err)
	}
	text, html := bodies(t, msgs[0].Raw)
	for _, body := range [][]byte{text, html} {
		if bytes.Contains(body, []byte("https://evil.example")) || bytes.Contains(body, []byte("user:pass")) {
			t.Errorf("the coordinator's email names another site's address:\n%s", body)
		}
	}
	if !bytes.Contains(text, []byte("Referrer:            evil.example\r\n")) {
		t.Errorf("the referrer is not shown as its host:\n%s", text)
	}
	l.Page, l.Attribution = "/procedures/rhinoplasty/", &lead.Attribution{Referrer: "www.google.com"}
	msgs, err = compose(l, practice())
	if err != nil {
		t.Fatal(err)
	}
	_, html = bodies(t, msgs[0].Raw)
	if !bytes.Contains(html, []byte(`href="https://harley.example/procedures/rhinoplasty/"`)) || bytes.Contains(html, []byte(`href="https://www.google.com`)) {
		t.Errorf("want the site's page linked and the referrer not:\n%s", html)
	}
}
