package mail_test

import (
	"bytes"
	"html"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// TestConfirmationCarriesOnlyAFirstName: the patient's confirmation goes
// to an address anyone may type, so it carries nothing the submitter wrote
// but a first name that looks like one, and no display name in To.
func TestConfirmationCarriesOnlyAFirstName(t *testing.T) {
	tests := []struct {
		first, greeting string
	}{
		{"Anna", "Dear Anna,"},
		{"Zoë", "Dear Zoë,"},
		{"Mary-Jane", "Dear Mary-Jane,"},
		{"J.R.", "Dear J.R.,"},
		{"Claim your prize at https://evil.example/p now", "Dear patient,"},
		{"Visit www.evil.example", "Dear patient,"},
		{"evil.example", "Dear patient,"},
		{"EVIL.CLAIM", "Dear patient,"},
		{"victim@victims.example", "Dear patient,"},
		{"hxxp://evil", "Dear patient,"},
		{"evil。example", "Dear patient,"}, // an ideographic full stop
		{strings.Repeat("a", 41), "Dear patient,"},
		{strings.Repeat("é", 40), "Dear " + strings.Repeat("é", 40) + ","},
	}
	for _, tt := range tests {
		t.Run(tt.first, func(t *testing.T) {
			l := anna()
			l.FirstName = tt.first
			l.LastName = "Visit www.evil.example/claim"
			l.Message = "Call +1 900 555 0100 for your prize"
			l.PreferredTime = "prize.example"
			l.Source = "evil.example/source"
			msgs, err := compose(l, practice())
			if err != nil {
				t.Fatal(err)
			}
			conf := msgs[1]
			text, html := bodies(t, conf.Raw)
			if !bytes.Contains(text, []byte(tt.greeting)) {
				t.Errorf("text lacks %q:\n%s", tt.greeting, text)
			}
			for _, part := range [][]byte{conf.Raw, text, html} {
				for _, bad := range []string{"evil", "prize", "victim", "Visit", "555 0100"} {
					if bytes.Contains(bytes.ToLower(part), []byte(strings.ToLower(bad))) {
						t.Errorf("the confirmation holds %q", bad)
					}
				}
			}
			msg, err := mail.ReadMessage(bytes.NewReader(conf.Raw))
			if err != nil {
				t.Fatal(err)
			}
			to, err := msg.Header.AddressList("To")
			if err != nil || len(to) != 1 || to[0].Name != "" || to[0].Address != l.Email {
				t.Errorf("To = %v (%v), want the bare address", to, err)
			}
		})
	}
}

// TestMailtoIsEncoded: an address may hold ? & % = (RFC 5322 allows them),
// so the coordinator's "Email" link percent-encodes it (RFC 6068): a click
// never adds a Bcc or a body.
func TestMailtoIsEncoded(t *testing.T) {
	l := anna()
	l.Email = "anna?bcc=spy%40evil.example&body=Please_wire_the_deposit@example.com"
	msgs, err := compose(l, practice())
	if err != nil {
		t.Fatal(err)
	}
	_, html := bodies(t, msgs[0].Raw)
	hrefs := regexp.MustCompile(`href="(mailto:[^"]*)"`).FindAllSubmatch(html, -1)
	if len(hrefs) == 0 {
		t.Fatalf("no mailto: link in the coordinator's email:\n%s", html)
	}
	for _, h := range hrefs {
		u, err := url.Parse(htmlUnescape(string(h[1])))
		if err != nil {
			t.Fatalf("%s: %v", h[1], err)
		}
		if u.RawQuery != "" || u.Opaque == "" {
			t.Errorf("%s: the link has a query %q", h[1], u.RawQuery)
		}
		if to, err := url.PathUnescape(u.Opaque); err != nil || to != l.Email {
			t.Errorf("%s: decodes to %q (%v), want the address", h[1], to, err)
		}
	}
}

func htmlUnescape(s string) string { return html.UnescapeString(s) }
