package mail_test

import (
	"strings"
	"testing"

	cmail "github.com/consultahq/consulta/intake/mail"
)

// TestComposeLogo composes both emails with a wordmark, with a mark and
// without a logo. Each HTML part starts with the logo at its size: a
// wordmark has the practice's name as its text, a mark has the name
// beside it. Without a logo there is no image, and the confirmation names
// the practice in text. The plain-text parts are the same every way.
func TestComposeLogo(t *testing.T) {
	p := practice()
	p.Name = `Harley & "Sons" Aesthetics`
	const name = `Harley &amp; &#34;Sons&#34; Aesthetics`
	wordmark := cmail.Logo{URL: "https://harley.example/brand/logo-email.png", Width: 120, Height: 40}
	mark := cmail.Logo{URL: "https://harley.example/brand/logo-email.png", Width: 40, Height: 40}
	none := cmail.Logo{}
	compose := func(logo cmail.Logo) (text, html [2]string) {
		t.Helper()
		p.Logo = logo
		msgs, err := compose(anna(), p)
		if err != nil || len(msgs) != 2 {
			t.Fatalf("Compose: %d messages, %v", len(msgs), err)
		}
		for i, m := range msgs {
			tx, h := bodies(t, m.Raw)
			text[i], html[i] = string(tx), string(h)
		}
		return text, html
	}
	plain, noLogo := compose(none)
	for _, tc := range []struct {
		logo   cmail.Logo
		img    string
		beside bool // the name in text beside the logo
	}{
		{wordmark, `<img src="https://harley.example/brand/logo-email.png" alt="` + name + `" width="120" height="40"`, false},
		{mark, `<img src="https://harley.example/brand/logo-email.png" alt="" width="40" height="40"`, true},
	} {
		text, html := compose(tc.logo)
		for i, kind := range []string{"coordinator", "confirmation"} {
			if n := strings.Count(html[i], tc.img); n != 1 {
				t.Errorf("%s, logo %+v: %d of %s", kind, tc.logo, n, tc.img)
			}
			if at, first := strings.Index(html[i], tc.img), strings.Index(html[i], "</p>"); at > first {
				t.Errorf("%s, logo %+v: the logo is not at the top", kind, tc.logo)
			}
			besideName := `vertical-align: middle; font-weight: 700; color: #6e4a32;">` + name + `</td>`
			if strings.Contains(html[i], besideName) != tc.beside {
				t.Errorf("%s, logo %+v: name beside the logo %v, want %v", kind, tc.logo, !tc.beside, tc.beside)
			}
			if text[i] != plain[i] {
				t.Errorf("%s, logo %+v: the plain-text part changes with the logo", kind, tc.logo)
			}
			if strings.Contains(noLogo[i], "<img") {
				t.Errorf("%s without a logo shows an image", kind)
			}
		}
	}
	if !strings.Contains(noLogo[1], `font-weight: 700; color: #6e4a32;">`+name+`</p>`) {
		t.Errorf("confirmation without a logo does not name the practice as its header")
	}
}
