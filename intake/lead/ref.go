package lead

import (
	"crypto/sha256"
	"strings"
	"time"
	"unicode"
)

// refAlphabet is Crockford's base32: digits and capitals without I, L, O
// and U, so a reference read out on the phone cannot be misheard as another.
const refAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// Ref returns a lead's short human reference, e.g. "HAS-1129-7K2Q": the
// practice's initials (RefPrefix), the month and day it was received in
// the practice's time zone, and four characters derived from its id. Two
// leads of one day share a reference with odds of one in a million.
func Ref(prefix, id string, received time.Time, loc *time.Location) string {
	if loc == nil {
		loc = time.UTC
	}
	sum := sha256.Sum256([]byte(id))
	var tail [4]byte
	for i := range tail {
		tail[i] = refAlphabet[sum[i]&31]
	}
	return prefix + "-" + received.In(loc).Format("0102") + "-" + string(tail[:])
}

// RefPrefix returns the initials of a practice's name, up to four, for
// Ref: "Harbour Aesthetic Surgery" gives "HAS". A name without letters
// gives "LEAD".
func RefPrefix(name string) string {
	var b strings.Builder
	for w := range strings.FieldsSeq(name) {
		r := []rune(w)[0]
		if unicode.IsLetter(r) && b.Len() < 4 && r < unicode.MaxASCII {
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	if b.Len() == 0 {
		return "LEAD"
	}
	return b.String()
}
