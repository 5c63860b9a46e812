package content

import (
	"bytes"
	"reflect"
	"strconv"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// readFrontMatter reads the YAML that front matter is written in —
// block mappings and sequences, one-line plain and quoted scalars, flow
// sequences of scalars, comments — into the node tree yaml.v3 makes of
// it, for a fifth of the time. It reports false for anything else
// (anchors, block scalars, multi-line scalars, flow mappings, any
// mistake), which yaml.v3 then reads and explains. The tree has no
// comments: the decoder reads none.
func readFrontMatter(src []byte) (*yaml.Node, bool) {
	r := &fmReader{}
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		line = bytes.TrimSuffix(line, []byte{'\r'})
		if !printable(line) {
			return nil, false
		}
		r.lines = append(r.lines, line)
	}
	r.next()
	if r.i >= len(r.lines) || r.indent != 0 {
		return nil, false
	}
	root, ok := r.block(0)
	if !ok || r.i < len(r.lines) {
		return nil, false
	}
	return r.node(yaml.Node{Kind: yaml.DocumentNode, Line: root.Line, Column: 1, Content: []*yaml.Node{root}}), true
}

type fmReader struct {
	lines  [][]byte
	i      int // the next line with content, len(lines) at the end
	indent int // its indentation
	nodes  []yaml.Node
}

// node returns a new node: the nodes of a document are allocated a few
// dozen at a time.
func (r *fmReader) node(n yaml.Node) *yaml.Node {
	if len(r.nodes) == cap(r.nodes) {
		r.nodes = make([]yaml.Node, 0, 32)
	}
	r.nodes = append(r.nodes, n)
	return &r.nodes[len(r.nodes)-1]
}

// keyString returns a key as a string, the same string for a key of the
// content model each time.
func keyString(b []byte) string {
	if s, ok := modelKeys[string(b)]; ok {
		return s
	}
	return string(b)
}

// modelKeys are the keys of the content model's structs, each its own string.
var modelKeys = func() map[string]string {
	keys := map[string]string{}
	for _, sf := range newFieldIndex(reflect.TypeFor[Config](), reflect.TypeFor[Meta](), reflect.TypeFor[Procedure](),
		reflect.TypeFor[Member](), reflect.TypeFor[Case](), reflect.TypeFor[PatientReview]()) {
		for _, k := range sf.keys {
			keys[k] = k
		}
	}
	return keys
}()

// next moves to the next line that is not blank or a comment.
func (r *fmReader) next() {
	for ; r.i < len(r.lines); r.i++ {
		t := bytes.TrimLeft(r.lines[r.i], " ")
		if len(t) > 0 && t[0] != '#' {
			r.indent = len(r.lines[r.i]) - len(t)
			return
		}
	}
}

// block reads the mapping or sequence at the current line, indented by ind.
func (r *fmReader) block(ind int) (*yaml.Node, bool) {
	if item(r.lines[r.i][ind:]) {
		return r.sequence(ind)
	}
	return r.mapping(ind)
}

// item reports whether a line's text starts a sequence item.
func item(t []byte) bool { return t[0] == '-' && (len(t) == 1 || t[1] == ' ') }

func (r *fmReader) mapping(ind int) (*yaml.Node, bool) {
	m := r.node(yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: r.i + 1, Column: ind + 1})
	for r.i < len(r.lines) && r.indent == ind {
		line := r.lines[r.i]
		t := line[ind:]
		if item(t) {
			break
		}
		n := keyLength(t)
		if n == 0 {
			return nil, false
		}
		key := r.node(yaml.Node{Kind: yaml.ScalarNode, Value: keyString(t[:n]), Line: r.i + 1, Column: ind + 1})
		key.Tag = key.ShortTag()
		rest := t[n+1:]
		after := ind + n + 2 // the column after the colon
		col := after
		for len(rest) > 0 && rest[0] == ' ' {
			rest, col = rest[1:], col+1
		}
		var v *yaml.Node
		var ok bool
		if len(rest) == 0 || rest[0] == '#' {
			keyLine := r.i
			r.i++
			r.next()
			switch {
			case r.i < len(r.lines) && r.indent > ind:
				v, ok = r.block(r.indent)
			case r.i < len(r.lines) && r.indent == ind && item(r.lines[r.i][ind:]):
				v, ok = r.sequence(ind) // a sequence may sit at its key's indentation
			default:
				v, ok = r.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: keyLine + 1, Column: after}), true
			}
		} else {
			v, ok = r.inline(rest, col, ind)
		}
		if !ok {
			return nil, false
		}
		m.Content = append(m.Content, key, v)
	}
	return m, r.i >= len(r.lines) || r.indent <= ind
}

// keyLength returns the length of the plain key that t starts with,
// followed by ':' and a space or the end of the line; 0 for any other text.
func keyLength(t []byte) int {
	n := 0
	for n < len(t) && (t[n] >= 'a' && t[n] <= 'z' || t[n] >= 'A' && t[n] <= 'Z' || t[n] >= '0' && t[n] <= '9' || t[n] == '_' || t[n] == '-' && n > 0) {
		n++
	}
	if n == 0 || n > 128 || n >= len(t) || t[n] != ':' || n+1 < len(t) && t[n+1] != ' ' {
		return 0 // YAML takes no longer key without a ? before it
	}
	return n
}

func (r *fmReader) sequence(ind int) (*yaml.Node, bool) {
	s := r.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: r.i + 1, Column: ind + 1})
	for r.i < len(r.lines) && r.indent == ind && item(r.lines[r.i][ind:]) {
		line := r.lines[r.i]
		rest := line[ind+1:]
		col := ind + 2 // after the dash, then after the spaces
		for len(rest) > 0 && rest[0] == ' ' {
			rest, col = rest[1:], col+1
		}
		var v *yaml.Node
		var ok bool
		switch {
		case len(rest) == 0 || rest[0] == '#':
			itemLine := r.i
			r.i++
			r.next()
			if r.i < len(r.lines) && r.indent > ind {
				v, ok = r.block(r.indent)
			} else {
				v, ok = r.node(yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: itemLine + 1, Column: ind + 2}), true
			}
		case keyLength(rest) > 0:
			// A mapping that starts on the item's line: read the line as
			// if the dash were a space.
			spaced := bytes.Clone(line)
			spaced[ind] = ' '
			r.lines[r.i], r.indent = spaced, col-1
			v, ok = r.mapping(col - 1)
		default:
			v, ok = r.inline(rest, col, ind)
		}
		if !ok {
			return nil, false
		}
		s.Content = append(s.Content, v)
	}
	return s, r.i >= len(r.lines) || r.indent <= ind
}

// inline reads the scalar or flow sequence t that ends the current line,
// at column col, under a key or item indented by ind, and moves to the
// next line, which must not continue it.
func (r *fmReader) inline(t []byte, col, ind int) (*yaml.Node, bool) {
	line := r.i + 1
	var v *yaml.Node
	var rest []byte
	var ok bool
	if t[0] == '[' {
		v, rest, ok = r.flowSequence(t, line, col)
	} else {
		v, rest, ok = r.scalar(t, line, col, false)
	}
	if !ok || !comment(rest) {
		return nil, false
	}
	r.i++
	r.next()
	return v, r.i >= len(r.lines) || r.indent <= ind
}

// comment reports whether t is nothing, or spaces and a comment.
func comment(t []byte) bool {
	u := bytes.TrimLeft(t, " ")
	return len(u) == 0 || u[0] == '#' && len(u) < len(t)
}

// flowSequence reads [a, "b", 'c'] at the start of t.
func (r *fmReader) flowSequence(t []byte, line, col int) (*yaml.Node, []byte, bool) {
	s := r.node(yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle, Line: line, Column: col})
	t, col = t[1:], col+1
	for {
		for len(t) > 0 && t[0] == ' ' {
			t, col = t[1:], col+1
		}
		if len(t) == 0 {
			return nil, nil, false
		}
		if t[0] == ']' && len(s.Content) == 0 {
			return s, t[1:], true
		}
		v, rest, ok := r.scalar(t, line, col, true)
		if !ok {
			return nil, nil, false
		}
		s.Content = append(s.Content, v)
		col += len(t) - len(rest)
		for len(rest) > 0 && rest[0] == ' ' {
			rest, col = rest[1:], col+1
		}
		switch {
		case len(rest) > 0 && rest[0] == ']':
			return s, rest[1:], true
		case len(rest) > 1 && rest[0] == ',' && rest[1] == ' ':
			t, col = rest[1:], col+1
		default:
			return nil, nil, false
		}
	}
}

// scalar reads the quoted or plain scalar at the start of t, and returns
// what follows it. In a flow sequence, a plain scalar ends at ',' or ']'.
func (r *fmReader) scalar(t []byte, line, col int, flow bool) (*yaml.Node, []byte, bool) {
	n := r.node(yaml.Node{Kind: yaml.ScalarNode, Line: line, Column: col})
	switch t[0] {
	case '"':
		v, rest, ok := doubleQuoted(t)
		n.Tag, n.Style, n.Value = "!!str", yaml.DoubleQuotedStyle, v
		return n, rest, ok
	case '\'':
		v, rest, ok := singleQuoted(t)
		n.Tag, n.Style, n.Value = "!!str", yaml.SingleQuotedStyle, v
		return n, rest, ok
	}
	if !plainStart(t, flow) {
		return nil, nil, false
	}
	end := len(t)
	for i := 0; i < len(t); i++ {
		c := t[i]
		if c == ' ' && i+1 < len(t) && t[i+1] == '#' {
			end = i
			break
		}
		if c == ':' && (i+1 == len(t) || t[i+1] == ' ' || flow) {
			return nil, nil, false // a mapping here, or a mistake
		}
		if flow && (c == ',' || c == ']' || c == '[' || c == '{' || c == '}' || c == '?') { // as yaml.v3 ends them
			end = i
			break
		}
	}
	v := bytes.TrimRight(t[:end], " ")
	if len(v) == 0 {
		return nil, nil, false
	}
	n.Value = string(v)
	n.Tag = n.ShortTag()
	return n, t[len(v):], true
}

// plainStart reports whether t may start a plain scalar: not with an
// indicator, but for - ? and : before a character that is not a space
// (nor, in a flow sequence, one that ends an item).
func plainStart(t []byte, flow bool) bool {
	switch t[0] {
	case '-', '?', ':':
		return len(t) > 1 && t[1] != ' ' && !(flow && bytes.IndexByte([]byte(",[]{}"), t[1]) >= 0)
	case ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// doubleQuoted reads "…" at the start of t, with the escapes front matter
// uses; any other is left to yaml.v3.
func doubleQuoted(t []byte) (string, []byte, bool) {
	var b []byte
	for i := 1; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '"':
			if b == nil {
				return string(t[1:i]), t[i+1:], true
			}
			return string(b), t[i+1:], true
		case c == '\\':
			if b == nil {
				b = append(make([]byte, 0, len(t)), t[1:i]...)
			}
			if i+1 >= len(t) {
				return "", nil, false
			}
			i++
			switch t[i] {
			case '"', '\\':
				b = append(b, t[i])
			case 'n':
				b = append(b, '\n')
			case 't':
				b = append(b, '\t')
			case 'u':
				if i+4 >= len(t) {
					return "", nil, false
				}
				r, err := strconv.ParseUint(string(t[i+1:i+5]), 16, 32)
				if err != nil || r >= 0xd800 && r < 0xe000 {
					return "", nil, false
				}
				b = utf8.AppendRune(b, rune(r))
				i += 4
			default:
				return "", nil, false
			}
		case c < ' ' || c == 0x7f:
			return "", nil, false
		case b != nil:
			b = append(b, c)
		}
	}
	return "", nil, false // the text goes on to the next line
}

// singleQuoted reads '…' at the start of t, '' standing for '.
func singleQuoted(t []byte) (string, []byte, bool) {
	var b []byte
	for i := 1; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '\'' && i+1 < len(t) && t[i+1] == '\'':
			if b == nil {
				b = append(make([]byte, 0, len(t)), t[1:i]...)
			}
			b = append(b, '\'')
			i++
		case c == '\'':
			if b == nil {
				return string(t[1:i]), t[i+1:], true
			}
			return string(b), t[i+1:], true
		case c < ' ' || c == 0x7f:
			return "", nil, false
		case b != nil:
			b = append(b, c)
		}
	}
	return "", nil, false
}

// printable reports whether every character of line is one YAML reads
// as text within a line: no tab, control character, byte-order mark or
// Unicode line break.
func printable(line []byte) bool {
	for i := 0; i < len(line); {
		c := line[i]
		if c < utf8.RuneSelf {
			if c < ' ' || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(line[i:])
		if r == utf8.RuneError && size == 1 || r < 0xa0 || r == 0x2028 || r == 0x2029 || r == 0xfeff || r >= 0xfffe && r <= 0xffff {
			return false
		}
		i += size
	}
	return true
}
