package content

import (
	"bytes"
	"errors"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// errNoFrontMatter and errOpenFrontMatter are the two ways a file can fail
// to have front matter at all.
var (
	errNoFrontMatter   = errors.New(`no front matter — start the file with a line "---", then "title: …", then another "---"`)
	errOpenFrontMatter = errors.New(`front matter is not closed — add a line "---" after the last key`)
)

// splitFrontMatter splits src into its YAML front matter (the lines
// between the --- lines) and its Markdown body. bodyLine is the file's line number of the
// body's first line, so that the body's problems point at the right line;
// the front matter's first line is always line 2.
func splitFrontMatter(src []byte) (fm, body []byte, bodyLine int, err error) {
	src = bytes.TrimPrefix(src, []byte("\uFEFF"))
	first, rest, ok := cutLine(src)
	if !isFence(first) {
		return nil, src, 1, errNoFrontMatter
	}
	start := len(src) - len(rest)
	line := 2
	for ok || len(rest) > 0 {
		var l []byte
		l, rest, ok = cutLine(rest)
		if isFence(l) {
			end := len(src) - len(rest) - len(l) // where the closing fence starts
			if ok {
				end--
			}
			return src[start:end], rest, line + 1, nil
		}
		line++
	}
	return nil, nil, 0, errOpenFrontMatter
}

// cutLine returns the first line of b without its line ending, the rest
// after it, and whether a newline was found.
func cutLine(b []byte) (line, rest []byte, found bool) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return b, nil, false
	}
	return b[:i], b[i+1:], true
}

func isFence(line []byte) bool {
	return string(bytes.TrimRight(line, " \t\r")) == "---"
}

// parseYAML parses src into a document node. A syntax error is reported
// with the file's line (the source's line plus offset), the field on it and
// a message for staff.
func parseYAML(src []byte, offset int) (*yaml.Node, *yamlError) {
	src = loneCRToSpace(src)
	if doc, ok := readFrontMatter(src); ok {
		return doc, nil
	}
	var doc yaml.Node
	err := yaml.Unmarshal(src, &doc)
	if err == nil {
		return &doc, nil
	}
	e := explainYAML(src, err)
	if e.line > 0 {
		e.line += offset
	}
	return nil, &e
}

// loneCRToSpace returns src with each carriage return that does not end a
// line made a space: YAML counts it as a line break, editors do not, and
// lines must be counted as staff see them.
func loneCRToSpace(src []byte) []byte {
	if bytes.IndexByte(src, '\r') < 0 {
		return src
	}
	out := bytes.Clone(src)
	for i, c := range out {
		if c == '\r' && (i+1 == len(out) || out[i+1] != '\n') {
			out[i] = ' '
		}
	}
	return out
}

// checkText reports text that is not UTF-8, as saved by an editor set to
// Latin-1 or Windows-1252: the file line (counted from offset+1) of the
// first byte that is not, and a message; 0 and "" when all is well.
func checkText(src []byte, offset int) (int, string) {
	if utf8.Valid(src) {
		return 0, ""
	}
	line := offset + 1
	for len(src) > 0 {
		r, size := utf8.DecodeRune(src)
		if r == utf8.RuneError && size == 1 {
			return line, "this line has a character that is not UTF-8 — save the file as UTF-8 (in your editor: Save As, then choose the encoding UTF-8)"
		}
		if r == '\n' {
			line++
		}
		src = src[size:]
	}
	return line, ""
}
