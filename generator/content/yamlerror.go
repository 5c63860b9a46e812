package content

import (
	"bytes"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// yamlError is a YAML syntax error as staff read it: the file line to
// look at, the field written on it (when one is), and what to change.
type yamlError struct {
	line  int // in the YAML source, 1-based; 0 when unknown
	field string
	msg   string
}

// explainYAML finds the line of a YAML syntax error and says what to
// change there. yaml's own line is where the block it was reading began,
// often lines above the mistake; this names the line the parser stopped
// at and, for the common mistakes (an unescaped quote, a missing space
// after a colon, a tab, a list item without "- ", text holding ": "), the
// exact fix.
func explainYAML(src []byte, err error) yamlError {
	lines := strings.Split(strings.TrimSuffix(string(src), "\n"), "\n")
	if n := tabLine(src); n > 0 {
		return yamlError{line: n, field: keyOf(strings.TrimLeft(lines[n-1], " \t")), msg: "this line starts with a tab — indent with spaces: YAML does not allow tabs"}
	}
	stop := stopLine(lines)
	for i, l := range lines {
		if e, ok := lintLine(lines, i, l); ok && (stop == 0 || i+1 <= stop) {
			return e
		}
	}
	msg := err.Error()
	yamlLine := 0
	if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
		yamlLine, _ = strconv.Atoi(m[1])
		msg = msg[len(m[0]):]
	}
	line := stop
	if line == 0 {
		line = min(yamlLine, len(lines))
	}
	e := yamlError{line: line, msg: fmt.Sprintf("YAML cannot read this line (%s) — check that it is indented like the keys around it, and put text holding \": \" or \" #\" in quotes", msg)}
	if line > 0 {
		e.field = keyOf(lines[line-1])
	}
	return e
}

var yamlLineRE = regexp.MustCompile(`^yaml: (?:line (\d+): )?`)

// stopLine returns the line where a parser reading src line by line first
// fails: the first line n such that lines 1..n do not parse while lines
// 1..n-1 do. A prefix that fails only because it ends inside a quoted
// text or a bracket that a later line closes does not count. 0 when no
// prefix fails.
func stopLine(lines []string) int {
	var doc yaml.Node
	for n := 1; n <= len(lines); n++ {
		err := yaml.Unmarshal([]byte(strings.Join(lines[:n], "\n")+"\n"), &doc)
		if err == nil {
			continue
		}
		if s := err.Error(); strings.Contains(s, "end of stream") || strings.Contains(s, "expected ',' or ']'") || strings.Contains(s, "expected ',' or '}'") {
			continue
		}
		return n
	}
	return 0
}

// keyLineRE reads a line of a mapping: its indentation, an optional list
// dash, the key and the rest after the colon.
var keyLineRE = regexp.MustCompile(`^(\s*)(- +)?([A-Za-z_][A-Za-z0-9_-]*):(.*)$`)

// keyOf returns the key written on a line, or "".
func keyOf(l string) string {
	if m := keyLineRE.FindStringSubmatch(l); m != nil {
		return m[3]
	}
	return ""
}

// lintLine reports the mistake of line i, if it is one of the common ones.
func lintLine(lines []string, i int, l string) (yamlError, bool) {
	n := i + 1
	if e, ok := listItemWithoutDash(lines, i); ok {
		return e, true
	}
	m := keyLineRE.FindStringSubmatch(l)
	if m == nil {
		return yamlError{}, false
	}
	indent, dash, key, rest := m[1], m[2], m[3], m[4]
	if rest != "" && rest[0] != ' ' && !strings.HasPrefix(rest, "//") {
		fixed := indent + dash + key + ": " + rest
		return yamlError{line: n, field: key, msg: fmt.Sprintf("no space after the colon — write %q", strings.TrimSpace(fixed))}, true
	}
	value := strings.TrimSpace(rest)
	if value == "" {
		return yamlError{}, false
	}
	if q := value[0]; q == '"' || q == '\'' {
		return quoteMistake(n, indent+dash+key, key, value, q)
	}
	if strings.Contains(value, ": ") && value[0] != '[' && value[0] != '{' {
		return yamlError{line: n, field: key, msg: fmt.Sprintf("the text holds \": \", which YAML reads as a new key — put the text in quotes: %s: %q", key, value)}, true
	}
	return yamlError{}, false
}

// quoteMistake reports a quoted text that ends before the line does: a
// quote mark inside it that is not escaped.
func quoteMistake(n int, lead, key, value string, q byte) (yamlError, bool) {
	end := closingQuote(value, q)
	if end < 0 {
		// YAML reads on to the next lines for the closing mark, and stops
		// lines below: the text was most likely not closed here.
		return yamlError{line: n, field: key, msg: fmt.Sprintf("the text in quotes is not closed on this line — add the closing %c at its end: %s: %s%c", q, strings.TrimSpace(lead), value, q)}, true
	}
	after := strings.TrimSpace(value[end+1:])
	if after == "" || after[0] == '#' {
		return yamlError{}, false
	}
	inner := strings.TrimSpace(value[1:])
	if i := strings.LastIndex(inner, " #"); i > strings.LastIndexByte(inner, q) {
		inner = strings.TrimSpace(inner[:i]) // a comment after the text
	}
	inner = strings.TrimSuffix(inner, string(q))
	if q == '"' {
		fixed := strings.ReplaceAll(strings.ReplaceAll(inner, `\"`, `"`), `"`, `\"`)
		return yamlError{line: n, field: key, msg: fmt.Sprintf(`the text in quotes holds a " of its own, so YAML cannot tell where it ends — write \" for each " inside: %s: "%s"`, strings.TrimSpace(lead), fixed)}, true
	}
	fixed := strings.ReplaceAll(strings.ReplaceAll(inner, "''", "'"), "'", "''")
	return yamlError{line: n, field: key, msg: fmt.Sprintf(`the text in quotes holds a ' of its own, so YAML cannot tell where it ends — write '' for each ' inside: %s: '%s'`, strings.TrimSpace(lead), fixed)}, true
}

// closingQuote returns the index in value of the quote mark that closes
// the one value starts with, or -1.
func closingQuote(value string, q byte) int {
	for i := 1; i < len(value); i++ {
		switch {
		case q == '"' && value[i] == '\\':
			i++
		case value[i] == q && q == '\'' && i+1 < len(value) && value[i+1] == '\'':
			i++
		case value[i] == q:
			return i
		}
	}
	return -1
}

// listItemWithoutDash reports line i when the lines above it at its
// indentation are list items and it is not one: "- " was left out.
func listItemWithoutDash(lines []string, i int) (yamlError, bool) {
	l := lines[i]
	text := strings.TrimSpace(l)
	if text == "" || text[0] == '#' || text[0] == '-' || i == 0 {
		return yamlError{}, false
	}
	indent := len(l) - len(strings.TrimLeft(l, " "))
	for j := i - 1; j >= 0; j-- {
		prev := lines[j]
		t := strings.TrimSpace(prev)
		if t == "" || t[0] == '#' {
			continue
		}
		pi := len(prev) - len(strings.TrimLeft(prev, " "))
		if pi > indent {
			continue // a nested line of the item above
		}
		if pi == indent && strings.HasPrefix(t, "- ") {
			if keyOf(l) != "" && compactList(lines, j) {
				return yamlError{}, false // a key after a list written at its key's indentation
			}
			return yamlError{line: i + 1, field: listKey(lines, j), msg: fmt.Sprintf("this line is in the list above but does not start with \"- \" — write %q", strings.Repeat(" ", indent)+"- "+text)}, true
		}
		return yamlError{}, false
	}
	return yamlError{}, false
}

// compactList reports whether the list item on line j is written at the
// indentation of its list's key, as YAML allows.
func compactList(lines []string, j int) bool {
	indent := len(lines[j]) - len(strings.TrimLeft(lines[j], " "))
	for k := j - 1; k >= 0; k-- {
		t := strings.TrimSpace(lines[k])
		if t == "" || t[0] == '#' {
			continue
		}
		pi := len(lines[k]) - len(strings.TrimLeft(lines[k], " "))
		if pi < indent {
			return false
		}
		if pi == indent && !strings.HasPrefix(t, "- ") {
			return true
		}
	}
	return false
}

// listKey returns the key of the list whose item is on line j.
func listKey(lines []string, j int) string {
	indent := len(lines[j]) - len(strings.TrimLeft(lines[j], " "))
	for k := j - 1; k >= 0; k-- {
		l := lines[k]
		if strings.TrimSpace(l) == "" {
			continue
		}
		if len(l)-len(strings.TrimLeft(l, " ")) <= indent {
			if key := keyOf(l); key != "" && strings.TrimSpace(keyLineRE.FindStringSubmatch(l)[4]) == "" {
				return key
			}
		}
	}
	return ""
}

// tabLine returns the first line of src indented with a tab, which YAML
// does not allow and the likely cause of its error; 0 when there is none.
func tabLine(src []byte) int {
	for n := 1; len(src) > 0; n++ {
		var l []byte
		l, src, _ = cutLine(src)
		if len(bytes.TrimLeft(l, " ")) > 0 && bytes.TrimLeft(l, " ")[0] == '\t' {
			return n
		}
	}
	return 0
}
