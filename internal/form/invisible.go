package form

import (
	"strings"
	"unicode"
)

// Invisible reports whether r changes how text is shown without being
// seen itself: a direction mark, embedding, override or isolate (with
// which "\u202egnp.exe" reads "exe.png"), a zero-width space, a word
// joiner, a byte order mark, a soft hyphen, a tag character (every
// Unicode format character, category Cf), or a blank letter such as the
// Hangul filler. The zero-width joiner and non-joiner are not: Persian,
// the Indic scripts and emoji are written with them.
func Invisible(r rune) bool {
	switch r {
	case '\u200c', '\u200d': // zero-width non-joiner and joiner
		return false
	case '\u034f', '\u115f', '\u1160', '\u17b4', '\u17b5', '\u3164', '\uffa0': // grapheme joiner, blank letters
		return true
	}
	return unicode.Is(unicode.Cf, r)
}

// HasInvisible reports whether s holds an Invisible character: every
// field of the form refuses one ("visible", see Field.Validation).
func HasInvisible(s string) bool { return strings.ContainsFunc(s, Invisible) }

// StripInvisible returns s without its Invisible characters.
func StripInvisible(s string) string {
	if !HasInvisible(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if Invisible(r) {
			return -1
		}
		return r
	}, s)
}
