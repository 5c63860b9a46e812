package action

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSignVerify(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	s := Signer{Secret: []byte(strings.Repeat("k", 32)), Base: "https://www.example.org/", Now: func() time.Time { return now }}
	tok := s.Sign("ld_01KB", Claim, "ann@example.org")
	got, err := s.Verify(tok)
	if err != nil || got.Lead != "ld_01KB" || got.Action != Claim || got.Recipient != "ann@example.org" || !got.Expires.Equal(now.Add(DefaultTTL)) {
		t.Fatalf("Verify(Sign) = %+v, %v", got, err)
	}
	if u := s.URL("ld_01KB", Claim, "ann@example.org"); u != "https://www.example.org/v1/actions/"+tok {
		t.Errorf("URL = %s", u)
	}
	other := Signer{Secret: []byte(strings.Repeat("x", 32)), Now: s.Now}
	altered := func(from, to string) string { return strings.Replace(tok, from, to, 1) }
	bob := strings.TrimRight(encode("bob@example.org"), "=")
	for name, bad := range map[string]string{
		"other secret":       other.Sign("ld_01KB", Claim, "ann@example.org"),
		"other lead":         altered("ld_01KB", "ld_01KC"),
		"other action":       altered(".claim.", ".booked."),
		"other recipient":    altered(encode("ann@example.org"), bob),
		"no MAC":             tok[:strings.LastIndexByte(tok, '.')],
		"empty":              "",
		"a form token":       "v1.1764410400000.abc",
		"unknown action":     signRaw(s, "a1.ld_01KB.delete."+strings.Split(tok, ".")[3]+"."+encode("ann@example.org")),
		"truncated MAC":      tok[:len(tok)-2],
		"another version":    signRaw(s, "a2.ld_01KB.claim."+strings.Split(tok, ".")[3]+"."+encode("ann@example.org")),
		"extra part smuggle": signRaw(s, "a1.ld_01KB.claim.x.y."+encode("ann@example.org")),
	} {
		if _, err := s.Verify(bad); !errors.Is(err, ErrForged) {
			t.Errorf("%s: Verify = %v, want ErrForged", name, err)
		}
	}
	now = now.Add(DefaultTTL)
	if _, err := s.Verify(tok); !errors.Is(err, ErrExpired) {
		t.Errorf("at expiry: Verify = %v, want ErrExpired", err)
	}
	links := s.Links("ld_01KB", "ann@example.org")
	if len(links) != 4 || links[0].Label != "I'm handling it" || links[3].Action != NotALead {
		t.Errorf("Links = %+v", links)
	}
}

func encode(s string) string {
	tok := Signer{Secret: []byte("k")}.Sign("l", Claim, s)
	return strings.Split(tok, ".")[4]
}

func signRaw(s Signer, payload string) string { return payload + "." + s.mac(payload) }

// TestVerifyPrevious: during a rotation, a link signed with the previous
// secret verifies, new links are signed with the new one, and a link
// signed with any other secret is still forged.
func TestVerifyPrevious(t *testing.T) {
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	old := Signer{Secret: []byte(strings.Repeat("o", 32)), Now: clock}
	rotated := Signer{Secret: []byte(strings.Repeat("n", 32)), Previous: old.Secret, Now: clock}
	if got, err := rotated.Verify(old.Sign("ld_1", Booked, "ann@example.org")); err != nil || got.Action != Booked {
		t.Errorf("a link signed before the rotation: %+v, %v", got, err)
	}
	if tok := rotated.Sign("ld_1", Booked, "ann@example.org"); tok == old.Sign("ld_1", Booked, "ann@example.org") {
		t.Error("a new link is signed with the previous secret")
	}
	other := Signer{Secret: []byte(strings.Repeat("x", 32)), Now: clock}
	if _, err := rotated.Verify(other.Sign("ld_1", Booked, "ann@example.org")); !errors.Is(err, ErrForged) {
		t.Errorf("a link of another secret: %v, want ErrForged", err)
	}
}
