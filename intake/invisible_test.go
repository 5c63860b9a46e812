package intake

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/internal/form"
)

// invisible are characters that change how text is shown without being
// seen: direction overrides and isolates, which make "\u202egnp.exe" read
// "exe.png", and zero-width and other invisible characters.
var invisible = []rune{
	'\u202a', '\u202b', '\u202c', '\u202d', '\u202e', // embeddings and overrides
	'\u2066', '\u2067', '\u2068', '\u2069', // isolates
	'\u200e', '\u200f', '\u061c', // direction marks
	'\u200b', '\u2060', '\ufeff', '\u00ad', '\u180e', // zero width, word joiner, BOM, soft hyphen
	'\U000E0041', // a tag character
	'\u3164',     // the Hangul filler, a blank letter
}

// TestInvisibleCharactersRefused: a direction or invisible character in
// any field of the form is refused with a 422 that names the field.
func TestInvisibleCharactersRefused(t *testing.T) {
	valid := validLead()
	valid["wording_version"] = "2026-01"
	valid["form_token"] = "v2.1.abc.def"
	valid["idempotency_key"] = "key-1"
	for _, fld := range form.Fields() {
		if fld.Kind == form.Checkbox || fld.Kind == form.Honeypot {
			continue // a tick box is true or false; the honeypot is a spam signal
		}
		base, _ := valid[fld.Name].(string)
		if base == "" {
			base = "ab"
		}
		for _, r := range invisible {
			if fld.Name != "first_name" && r != '\u202e' && r != '\u200b' {
				continue // every character in one field; two in each of the others
			}
			t.Run(fmt.Sprintf("%s/U+%04X", fld.Name, r), func(t *testing.T) {
				f := newFixture(t, nil)
				l := validLead()
				mid := len(base) / 2
				l[fld.Name] = base[:mid] + string(r) + base[mid:]
				w := f.post(ctJSON, asJSON(l), "")
				var got struct{ Errors map[string]string }
				json.Unmarshal(w.Body.Bytes(), &got)
				if w.Code != http.StatusUnprocessableEntity || !strings.Contains(got.Errors[fld.Name], "invisible") {
					t.Errorf("%d %s, want 422 naming %s for its invisible character", w.Code, w.Body, fld.Name)
				}
			})
		}
	}
}

// TestJoinersAllowed: the zero-width joiner and non-joiner are part of
// how some languages and emoji are written, and are kept.
func TestJoinersAllowed(t *testing.T) {
	f := newFixture(t, nil)
	l := validLead()
	l["first_name"] = "Nasrin\u200cFarahani" // ZWNJ, as Persian writes names
	l["message"] = "Thank you 👩\u200d⚕️"     // an emoji joined by ZWJ
	if w := f.post(ctJSON, asJSON(l), ""); w.Code != http.StatusAccepted {
		t.Errorf("%d %s, want 202", w.Code, w.Body)
	}
}

// TestAttributionStripsInvisible: where the visit came from is never a
// reason to refuse a lead, so invisible characters are taken out of it.
func TestAttributionStripsInvisible(t *testing.T) {
	f := newFixture(t, nil)
	l := validLead()
	l["utm_source"] = "news\u200bletter"
	l["utm_campaign"] = "\u202egnp.exe"
	l["utm_term"] = "\u2066nose\u2069"
	l["landing_page"] = "/procedures/\u200brhinoplasty/"
	f.clock.advance(10 * time.Second)
	got := f.accept(t, l).Lead.Attribution
	if got == nil || got.UTMSource != "newsletter" || got.UTMCampaign != "gnp.exe" || got.UTMTerm != "nose" ||
		got.Landing != "/procedures/rhinoplasty/" {
		t.Errorf("attribution %+v, want the invisible characters taken out", got)
	}
}
