package problem

import (
	"strconv"
	"strings"
)

// FieldName writes a field path as staff read it: list items by their
// place and what they are, not in programmers' index notation.
//
//	surgeons[0]             the first surgeon
//	photos[1].after         the second photo's after
//	faq[2].a                the third question's answer
//	intake.escalate_to[0]   the first address in intake.escalate_to
//	fees.from               fees.from
func FieldName(path string) string {
	var b strings.Builder
	for path != "" {
		open := strings.IndexByte(path, '[')
		if open < 0 {
			if b.Len() > 0 {
				b.WriteString("'s ")
			}
			b.WriteString(strings.TrimPrefix(path, "."))
			break
		}
		closing := strings.IndexByte(path[open:], ']')
		i, err := strconv.Atoi(path[open+1 : open+max(closing, 0)])
		if closing < 0 || err != nil {
			b.WriteString(path)
			break
		}
		list := strings.TrimPrefix(path[:open], ".")
		if b.Len() > 0 {
			b.WriteString("'s ")
		}
		b.WriteString("the " + Ordinal(i+1) + " ")
		b.WriteString(itemName(list))
		path = path[open+closing+1:]
		if list == "faq" && (path == ".a" || path == ".q") {
			if path == ".a" {
				b.WriteString("'s answer")
			}
			break
		}
	}
	return b.String()
}

// items names an item of each list staff write, by the list's key.
var items = map[string]string{
	"surgeons":        "surgeon",
	"related":         "related procedure",
	"photos":          "photo",
	"faq":             "question",
	"aliases":         "alias",
	"categories":      "category",
	"memberships":     "membership",
	"affiliations":    "hospital",
	"formats":         "format in formats",
	"social":          "social link",
	"hours":           "line of hours",
	"widths":          "width",
	"languages":       "language",
	"risks":           "risk",
	"compliance":      "rule set in compliance",
	"escalate_to":     "address in escalate_to",
	"digest_to":       "address in digest_to",
	"closed":          "date in closed",
	"allowed_origins": "origin in allowed_origins",
}

// itemName names an item of the list at path, e.g. "intake.escalate_to"
// gives "address in intake.escalate_to".
func itemName(path string) string {
	key := path[strings.LastIndexByte(path, '.')+1:]
	name, ok := items[key]
	if !ok {
		return "item of " + path
	}
	if key != path {
		if before, in, found := strings.Cut(name, " in "); found {
			return before + " in " + strings.TrimSuffix(path, key) + in
		}
	}
	return name
}

var ordinals = []string{"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}

// Ordinal writes n ≥ 1 as staff say it: "first", …, "tenth", then "11th".
func Ordinal(n int) string {
	if n >= 1 && n <= len(ordinals) {
		return ordinals[n-1]
	}
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return strconv.Itoa(n) + suffix
}
