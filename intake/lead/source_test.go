package lead

import "testing"

// TestSourceOf: a lead's source is a category, never what the patient
// typed.
func TestSourceOf(t *testing.T) {
	answers := []string{"Search engine", "A friend or family member", "Other"}
	tests := []struct {
		name   string
		source string // the patient's answer
		a      *Attribution
		want   string
	}{
		{"nothing known", "", nil, "direct"},
		{"a campaign name alone", "", &Attribution{UTMCampaign: "spring", Landing: "/x/"}, "direct"},
		{"utm_source, a short token", "my friend Siobhan", &Attribution{UTMSource: "Newsletter"}, "newsletter"},
		{"utm_source, free text, then the referrer", "", &Attribution{UTMSource: "my friend Siobhan", Referrer: "www.google.co.uk"}, "google.co.uk"},
		{"utm_source too long", "", &Attribution{UTMSource: "a-very-long-campaign-source-name-indeed"}, "other"},
		{"utm_source a formula", "", &Attribution{UTMSource: "=1+2"}, "other"},
		{"a Google Ads click", "", &Attribution{GCLID: "abc"}, "google-ads"},
		{"a Meta click", "", &Attribution{FBCLID: "abc"}, "meta-ads"},
		{"a Microsoft click", "", &Attribution{MSCLKID: "abc"}, "microsoft-ads"},
		{"the referrer's registered domain", "", &Attribution{Referrer: "news.bbc.co.uk"}, "bbc.co.uk"},
		{"a referrer kept as an address by an earlier release", "", &Attribution{Referrer: "https://user:pw@m.facebook.com/story?id=1"}, "facebook.com"},
		{"a referrer that is an IP address", "", &Attribution{Referrer: "192.0.2.7"}, "other"},
		{"a referrer that is a formula", "", &Attribution{Referrer: "https://=1+2/x"}, "other"},
		{"a referrer that is a public suffix", "", &Attribution{Referrer: "co.uk"}, "other"},
		{"a fixed answer", "search engine", nil, "Search engine"},
		{"a fixed answer, with a campaign name", "A friend or family member", &Attribution{UTMCampaign: "spring"}, "A friend or family member"},
		{"the patient's own words", "my friend Siobhan, who had her nose done with you", nil, "other"},
		{"one word of the patient's own", "siobhan", nil, "other"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := Lead{Source: tt.source, Attribution: tt.a}
			if got := SourceOf(l, answers...); got != tt.want {
				t.Errorf("SourceOf = %q, want %q", got, tt.want)
			}
			if got := Start(l, answers...).Source; got != tt.want {
				t.Errorf("Start's source = %q, want %q", got, tt.want)
			}
		})
	}
}
