package intake

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
)

func TestAttribution(t *testing.T) {
	long := strings.Repeat("x", maxAttributionValue+1)
	tests := []struct {
		name string
		sub  submission
		want *lead.Attribution
	}{
		{"nothing", submission{}, nil},
		{"a campaign", submission{
			LandingPage: "/procedures/rhinoplasty/?utm_source=google&gclid=abc", Referrer: "https://www.google.com/search?q=nose#x",
			UTMSource: "google", UTMMedium: "cpc", UTMCampaign: "Nose 2026", UTMTerm: "nose job", UTMContent: "ad-1",
			UTMID: "42", GCLID: "EAIaIQobChMI_-x", FBCLID: "IwAR2abc", MSCLKID: "0f1e2d3c",
		}, &lead.Attribution{
			Landing: "/procedures/rhinoplasty/?utm_source=google&gclid=abc", Referrer: "www.google.com",
			UTMSource: "google", UTMMedium: "cpc", UTMCampaign: "Nose 2026", UTMTerm: "nose job", UTMContent: "ad-1",
			UTMID: "42", GCLID: "EAIaIQobChMI_-x", FBCLID: "IwAR2abc", MSCLKID: "0f1e2d3c",
		}},
		{"absolute landing URL kept as its path", submission{LandingPage: "https://www.harbour.example/a/?b=1"},
			&lead.Attribution{Landing: "/a/?b=1"}},
		{"the referrer's host alone", submission{Referrer: "https://user:pw@news.example/story"},
			&lead.Attribution{Referrer: "news.example"}},
		{"another site's landing URL dropped", submission{LandingPage: "https://evil.example/a/"}, nil},
		{"bad values dropped, good ones kept", submission{
			LandingPage: "//evil.example/", Referrer: "javascript:alert(1)", UTMSource: "news\nBcc: x",
			UTMMedium: long, UTMCampaign: "spring", GCLID: "has space", FBCLID: strings.Repeat("a", maxClickID+1),
		}, &lead.Attribution{UTMCampaign: "spring"}},
		{"a relative referrer", submission{Referrer: "/consultation/"}, nil},
		{"a landing page too long", submission{LandingPage: "/" + strings.Repeat("a", maxAttributionURL)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := attribution(tt.sub, siteHosts(Config{AllowedOrigins: []string{"https://www.harbour.example"}}))
			switch {
			case got == nil && tt.want == nil:
			case got == nil || tt.want == nil || *got != *tt.want:
				t.Errorf("attribution = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestAttributionReachesTheCoordinator sends a request as form.js does,
// with where the visit came from, and reads the coordinator's email.
func TestAttributionReachesTheCoordinator(t *testing.T) {
	for _, ct := range []string{ctJSON, ctForm} {
		t.Run(ct, func(t *testing.T) {
			f := newFixture(t, nil)
			l := validLead()
			l["form_token"] = f.token(t)
			l["landing_page"] = "/procedures/rhinoplasty/?utm_source=newsletter&utm_campaign=spring"
			l["referrer"] = "https://mail.example/inbox"
			l["utm_source"], l["utm_campaign"], l["fbclid"] = "newsletter", "spring", "IwAR2abc"
			l["utm_medium"] = "email\r\nBcc: x@evil.example" // dropped, the lead kept
			f.clock.advance(10 * time.Second)
			body := asJSON(l)
			if ct == ctForm {
				body = asForm(l)
			}
			if w := f.post(ct, body, ""); w.Code != http.StatusAccepted && w.Code != http.StatusSeeOther {
				t.Fatalf("status %d %s", w.Code, w.Body)
			}
			text := f.coordinatorText(t)
			for _, want := range []string{"Landing page:        /procedures/rhinoplasty/", "Referrer:            mail.example\r\n",
				"Campaign source:     newsletter", "Campaign:            spring", "Meta ads click:      IwAR2abc",
				"Form sent from:      /procedures/rhinoplasty/"} {
				if !strings.Contains(text, want) {
					t.Errorf("the coordinator's email lacks %q:\n%s", want, text)
				}
			}
			if strings.Contains(text, "Bcc") || strings.Contains(text, "Campaign medium") {
				t.Errorf("a bad utm_medium reached the email:\n%s", text)
			}
		})
	}
}

// coordinatorText returns the plain-text body of the one coordinator's
// email waiting in the outbox.
func (f *fixture) coordinatorText(t *testing.T) string {
	t.Helper()
	for _, m := range f.claim(t) {
		if m.Kind == mail.Coordinator {
			return plainText(t, m.Raw)
		}
	}
	t.Fatal("no coordinator's email in the outbox")
	return ""
}
