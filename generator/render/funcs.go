package render

import (
	"html/template"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/consultahq/consulta/generator/content"
)

// funcs are the functions every template may call.
func (t *Theme) funcs() template.FuncMap {
	return template.FuncMap{
		"asset": t.assetURL,
		"fees":  FormatFees,
		"date":  func(d time.Time) string { return d.Format("2 January 2006") },
		"month": func(d time.Time) string { return d.Format("January 2006") },
		"isodate": func(d time.Time) string {
			return d.Format("2006-01-02")
		},
		"lower":    strings.ToLower,
		"title":    upperFirst,
		"initials": initials,
		"urls":     func(us ...string) []string { return us },
		"sitewide": t.sitewide,
		"nobreak":  NoBreak,
		"cached":   t.cached,
	}
}

// FormatFees formats a fee range for patients, as [content.Fees.String]
// does: "€3,500 – €6,000", "from €500", "" when no fee is set.
func FormatFees(f content.Fees) string { return f.String() }

// noBreak writes escaped text's spaces as no-break spaces and its
// hyphens as no-break hyphens.
var noBreak = strings.NewReplacer(" ", "&nbsp;", "-", "&#8209;")

// NoBreak keeps a short text, such as a phone number or "Call +353 1 555
// 0142", on one line: it is escaped, and its spaces become no-break
// spaces and its hyphens no-break hyphens.
func NoBreak(s string) template.HTML {
	return template.HTML(noBreak.Replace(template.HTMLEscapeString(s)))
}

// upperFirst capitalises the first letter: "surgeon" → "Surgeon".
func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// initials returns the first letters of a name's first and last words,
// skipping a leading title: "Dr Amelia Hart" → "AH".
func initials(name string) string {
	words := strings.Fields(name)
	if len(words) > 1 && slices.Contains([]string{"Dr", "Dr.", "Mr", "Mrs", "Ms", "Miss", "Prof", "Prof."}, words[0]) {
		words = words[1:]
	}
	if len(words) == 0 {
		return ""
	}
	first, _ := utf8.DecodeRuneInString(words[0])
	if len(words) == 1 {
		return string(first)
	}
	last, _ := utf8.DecodeRuneInString(words[len(words)-1])
	return string(first) + string(last)
}
