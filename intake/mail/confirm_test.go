package mail_test

import (
	"bytes"
	"net/mail"
	"strings"
	"testing"

	cmail "github.com/consultahq/consulta/intake/mail"
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
			msgs, err := cmail.Compose(l, practice())
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
