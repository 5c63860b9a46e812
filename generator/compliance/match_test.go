package compliance

import (
	"slices"
	"testing"
)

func TestMatcher(t *testing.T) {
	var phrases []phrase
	for i, p := range []string{"botox", "anti-wrinkle injections", "anti-wrinkle injection", "% off", "100% safe", "win a", "qualified", "highly qualified", "no risks"} {
		phrases = append(phrases, phrase{text: p, rule: i})
	}
	m, err := newMatcher(phrases)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		text string
		want []string // the text of each match, in the order found
	}{
		{"Botox", []string{"Botox"}},
		{"BOTOX® and botox.", []string{"BOTOX", "botox"}},
		{"botoxes, abotox, botox2", nil},
		{"“Botox” — **Botox**", []string{"Botox", "Botox"}},
		{"Anti-wrinkle injections", []string{"Anti-wrinkle injections"}},
		{"an anti-wrinkle injection.", []string{"anti-wrinkle injection"}},
		{"anti wrinkle\n  injections", []string{"anti wrinkle\n  injections"}},
		{"anti-wrinkle-injections", []string{"anti-wrinkle-injections"}},
		{"anti-wrinkle injectionist", nil},
		{"20% off today, 20 % off", []string{"% off", "% off"}},
		{"100% safe, 1100% safe", []string{"100% safe"}},
		{"win a prize, win an award, twin a", []string{"win a"}},
		{"highly qualified", []string{"highly qualified", "qualified"}},
		{"unqualified, qualifiedly", nil},
		{"no <!-- a comment --> risks", []string{"no <!-- a comment --> risks"}},
		{"no <!-- botox --> risk", nil},
		{"café botox", []string{"botox"}},
		{"cafébotox, botoxé", nil},
		{"no\u00a0risks", []string{"no\u00a0risks"}},
	} {
		var got []string
		scan(m, tt.text, func(mt match) { got = append(got, tt.text[mt.start:mt.end]) })
		if !slices.Equal(got, tt.want) {
			t.Errorf("scan(%q) found %q, want %q", tt.text, got, tt.want)
		}
		var gotBytes []string
		scan(m, []byte(tt.text), func(mt match) { gotBytes = append(gotBytes, tt.text[mt.start:mt.end]) })
		if !slices.Equal(gotBytes, got) {
			t.Errorf("scan([]byte(%q)) found %q, as a string %q", tt.text, gotBytes, got)
		}
	}
}

func TestExpand(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want []string
	}{
		{"botox", []string{"botox"}},
		{"anti-wrinkle injection(s|)", []string{"anti-wrinkle injections", "anti-wrinkle injection"}},
		{"offer(s|) end(s|)", []string{"offers ends", "offers end", "offer ends", "offer end"}},
		{"ends (tonight|soon)", []string{"ends tonight", "ends soon"}},
	} {
		got, err := expand(tt.in)
		if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("expand(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, bad := range []string{"a(b", "a)b", "a|b", "a((b))"} {
		if _, err := expand(bad); err == nil {
			t.Errorf("expand(%q) = nil error", bad)
		}
	}
}

func TestPhraseErrors(t *testing.T) {
	for _, bad := range []string{"café", "a*b", " - ", "<b>"} {
		if _, err := newMatcher([]phrase{{text: bad}}); err == nil {
			t.Errorf("newMatcher(%q) = nil error", bad)
		}
	}
}
