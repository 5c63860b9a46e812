package intake

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/internal/form"
)

func TestNormalPhone(t *testing.T) {
	tests := []struct{ in, region, want string }{
		{"087 123 4567", "IE", "+353871234567"},
		{"(01) 555 0142", "IE", "+35315550142"},
		{"+44 20 7946 0123", "IE", "+442079460123"},
		{"020 7946 0123", "GB", "+442079460123"},
		{"087 123 4567", "", ""}, // no region: a country code is needed
		{"12", "IE", ""},
		{"not a number", "IE", ""},
	}
	for _, tt := range tests {
		got, ok := normalPhone(tt.in, tt.region)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("normalPhone(%q, %q) = %q, %v; want %q", tt.in, tt.region, got, ok, tt.want)
		}
	}
}

func TestProcedureSlug(t *testing.T) {
	for in, want := range map[string]string{
		"not sure yet": form.NotSure, "Not Sure Yet": form.NotSure, "not-sure": form.NotSure, " not_sure ": form.NotSure,
		"Rhinoplasty": "rhinoplasty", "facelift": "facelift",
	} {
		if got := procedureSlug(in); got != want {
			t.Errorf("procedureSlug(%q) = %q, want %q", in, got, want)
		}
	}
}

// FuzzDecode feeds arbitrary bodies through decoding, validation and the
// making of a lead: nothing may panic, a lead that passes may carry no
// control character into an email header, and it can be mailed.
func FuzzDecode(f *testing.F) {
	f.Add(kindJSON, asJSON(validLead()))
	f.Add(kindForm, asForm(validLead()))
	f.Add(kindJSON, `{"first_name":"A\r\nB","consent_privacy":"on","procedure":"not sure yet"}`)
	f.Add(kindJSON, `{"phone":"+1 (555) 0100 ext. 99999999999999","sms_opt_in":null}`)
	f.Add(kindForm, "first_name=%E2%80%AE&email=a%40b.example&procedure=Not+Sure+Yet&consent_privacy=yes")
	f.Add(kindJSON, `null`)
	f.Add(kindJSON, `{"first_name":"A\u2028B","last_name":"C","email":"\"q\"@b.example","procedure":"rhinoplasty","consent_privacy":true}`)
	f.Add(kindForm, "first_name=A%FF&last_name=B&email=j%C3%B6@b.example&procedure=rhinoplasty&consent_privacy=on")
	s := &server{cfg: Config{Region: "IE", Language: "en"}.WithDefaults(), procedures: map[string]Procedure{}}
	for _, p := range testProcedures {
		s.procedures[p.Slug] = p
	}
	s.check = newChecker(s.procedures, nil, "IE", siteHosts(Config{AllowedOrigins: []string{"https://www.harbour.example"}}))
	s.tokens = tokens{secret: []byte("secret"), minFill: 3 * time.Second, maxAge: 24 * time.Hour}
	f.Fuzz(func(t *testing.T, kind, body string) {
		sub, err := decode(kind, []byte(body))
		if err != nil {
			return
		}
		if errs := s.check.check(&sub); errs != nil {
			for field, msg := range errs { // one of ours, written for a patient
				if !strings.HasPrefix(msg, "Please ") && !strings.HasPrefix(msg, "The ") || !strings.HasSuffix(msg, ".") {
					t.Fatalf("%s: message %q", field, msg)
				}
			}
			return
		}
		l := s.lead(sub, time.Now())
		for field, v := range map[string]string{"first_name": l.FirstName, "last_name": l.LastName,
			"email": l.Email, "phone": l.Phone, "procedure": l.Procedure, "page": l.Page} {
			if strings.ContainsFunc(v, unicode.IsControl) {
				t.Fatalf("valid lead has a control character in %s: %q", field, v)
			}
		}
		if l.Phone != "" && !strings.HasPrefix(l.Phone, "+") {
			t.Fatalf("phone %q is not E.164", l.Phone)
		}
		if _, ok := s.procedures[l.Procedure]; !ok && l.Procedure != form.NotSure {
			t.Fatalf("procedure %q is not the site's", l.Procedure)
		}
		if !sub.ConsentPrivacy {
			t.Fatal("valid lead without consent")
		}
		for _, kind := range []string{mail.Coordinator, mail.Patient} {
			if _, err := mail.Compose(mail.Letter{Kind: kind, Lead: l}, testPractice); err != nil { // else the patient gets a 500
				t.Fatalf("valid lead cannot be mailed: %v", err)
			}
		}
	})
}
