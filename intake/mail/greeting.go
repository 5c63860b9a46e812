package mail

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The patient's confirmation goes to whatever address the request names,
// so anyone can make the practice write to anyone. It therefore carries
// nothing the submitter wrote but a first name, and only one that looks
// like a first name: never a link, a domain or an address that would turn
// the practice's email into an advertisement.

// maxGreetingName is the longest first name the confirmation greets by.
const maxGreetingName = 40

// greetingName returns first when the confirmation may greet by it, else
// "" for the generic greeting. A first name may hold up to three words of
// letters, with hyphens, apostrophes and full stops, and nothing that
// reads as a domain ("evil.example"): no digits, no @, no slash or colon.
func greetingName(first string) string {
	first = strings.TrimSpace(first)
	if first == "" || utf8.RuneCountInString(first) > maxGreetingName || len(strings.Fields(first)) > 3 {
		return ""
	}
	for _, r := range first {
		if !unicode.IsLetter(r) && !unicode.IsMark(r) && !strings.ContainsRune(" -'’.", r) {
			return ""
		}
	}
	for _, word := range strings.Fields(first) {
		if domainLike(word) {
			return ""
		}
	}
	return first
}

// domainLike reports whether word has a full stop followed by two or more
// letters, as a domain's last labels do ("evil.example", "St.John"), but
// initials ("J.R.") do not.
func domainLike(word string) bool {
	labels := strings.Split(word, ".")
	for _, l := range labels[1:] {
		if utf8.RuneCountInString(l) >= 2 {
			return true
		}
	}
	return false
}
