package compliance

import (
	"fmt"
	"unicode"
	"unicode/utf8"
)

// A matcher finds every phrase of a set in a text in one pass, whatever
// the number of phrases: an Aho–Corasick automaton over symbols, not bytes.
//
// Text and phrases are read as the same stream of symbols: a letter (any
// case) or digit is one symbol; a word's start and end are symbols of their
// own, so that a phrase matches whole words only; a run of spaces and
// hyphens is one separator symbol; other punctuation is one symbol per
// character. Markdown's emphasis marks (*, _ and `) are skipped, and an
// HTML comment (<!-- … -->) reads as a separator. Letters outside ASCII are
// word symbols that no phrase holds.
type matcher struct {
	class  [256]uint8 // the symbol of each byte, or one of the class* values
	nsym   int
	next   []uint32  // next[state*nsym+symbol] is the next state times nsym, with acceptBit if a phrase ends there
	out    [][]int32 // the phrases that end in each state, longest first
	phrase []phrase  // by index
}

// phrase is one expanded phrase of a rule.
type phrase struct {
	text    string // as in the rule, expanded, e.g. "anti-wrinkle injections"
	rule    int    // index in the checker's rules
	sources uint64 // which of the site's rule sets list it: bit i for set i
	anchors int    // its symbols that are not letters, digits or word ends: see scan
	endWord bool   // its last symbol is a word end
}

// Symbols 0–35 are a–z and 0–9.
const (
	symWord     = 36 // a letter or digit outside ASCII
	symStart    = 37 // a word starts
	symEnd      = 38 // a word ended
	symSep      = 39 // spaces and hyphens
	symOther    = 40 // punctuation no phrase holds
	symPunct    = 41 // the first of the punctuation the phrases hold
	classSkip   = 253
	classAngle  = 254 // '<', which may open a comment
	classUTF8   = 255 // the first byte of a multi-byte character
	maxSymbols  = 64  // the longest phrase, in symbols; a power of 2
	maxStates   = 1 << 16
	acceptBit   = 1 << 31
	ringMask    = maxSymbols - 1
	commentOpen = "<!--"
)

// newMatcher compiles phrases into one automaton.
func newMatcher(phrases []phrase) (*matcher, error) {
	m := &matcher{phrase: phrases, nsym: symPunct}
	for b := range 256 {
		c := byte(b)
		switch {
		case c >= 'a' && c <= 'z':
			m.class[b] = c - 'a'
		case c >= 'A' && c <= 'Z':
			m.class[b] = c - 'A'
		case c >= '0' && c <= '9':
			m.class[b] = 26 + c - '0'
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' || c == '-':
			m.class[b] = symSep
		case c == '*' || c == '_' || c == '`':
			m.class[b] = classSkip
		case c == '<':
			m.class[b] = classAngle
		case c >= utf8.RuneSelf:
			m.class[b] = classUTF8
		default:
			m.class[b] = symOther
		}
	}
	seqs := make([][]uint8, len(phrases))
	for i := range phrases {
		seq, err := m.symbols(phrases[i].text)
		if err != nil {
			return nil, err
		}
		seqs[i] = seq
		for _, sym := range seq {
			if anchor(sym) {
				phrases[i].anchors++
			}
		}
		phrases[i].endWord = seq[len(seq)-1] == symEnd
	}
	return m, m.build(seqs)
}

// symbols converts a phrase to its symbols, giving each punctuation
// character it holds a symbol of its own.
func (m *matcher) symbols(p string) ([]uint8, error) {
	var seq []uint8
	inWord := false
	for i := 0; i < len(p); i++ {
		c := p[i]
		cls := m.class[c]
		switch {
		case cls < symWord:
			if !inWord {
				seq = append(seq, symStart)
				inWord = true
			}
			seq = append(seq, cls)
			continue
		case c >= utf8.RuneSelf || c == '<' || cls == classSkip:
			return nil, fmt.Errorf("phrase %q: write phrases in plain letters, digits, spaces, hyphens and punctuation other than < * _ `", p)
		}
		if inWord {
			seq = append(seq, symEnd)
			inWord = false
		}
		switch {
		case cls == symSep:
			if len(seq) > 0 && seq[len(seq)-1] != symSep {
				seq = append(seq, symSep)
			}
		case cls == symOther:
			if m.nsym == classSkip {
				return nil, fmt.Errorf("phrase %q: too many punctuation characters in the phrases", p)
			}
			m.class[c] = uint8(m.nsym)
			m.nsym++
			seq = append(seq, m.class[c])
		default:
			seq = append(seq, cls)
		}
	}
	if inWord {
		seq = append(seq, symEnd)
	}
	for len(seq) > 0 && seq[len(seq)-1] == symSep {
		seq = seq[:len(seq)-1]
	}
	switch {
	case len(seq) == 0 || seq[0] == symSep:
		return nil, fmt.Errorf("phrase %q: it must start with a letter, a digit or punctuation", p)
	case len(seq) > maxSymbols:
		return nil, fmt.Errorf("phrase %q is too long: at most %d letters and spaces", p, maxSymbols/2)
	}
	return seq, nil
}

// build makes the automaton: a trie of the phrases, then, breadth first,
// each state's transitions completed with those of its longest proper
// suffix that is a trie state.
func (m *matcher) build(seqs [][]uint8) error {
	type node struct {
		child map[uint8]int
		out   []int32
	}
	nodes := []node{{child: map[uint8]int{}}}
	for i, seq := range seqs {
		s := 0
		for _, sym := range seq {
			nx, ok := nodes[s].child[sym]
			if !ok {
				nx = len(nodes)
				nodes = append(nodes, node{child: map[uint8]int{}})
				nodes[s].child[sym] = nx
			}
			s = nx
		}
		nodes[s].out = append(nodes[s].out, int32(i))
	}
	if len(nodes) > maxStates {
		return fmt.Errorf("the phrases make %d states, more than %d", len(nodes), maxStates)
	}
	n := m.nsym
	next := make([]uint16, len(nodes)*n)
	m.out = make([][]int32, len(nodes))
	fail := make([]int, len(nodes))
	queue := []int{0}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		m.out[s] = nodes[s].out
		if s != 0 {
			m.out[s] = append(m.out[s], m.out[fail[s]]...)
		}
		for sym := range n {
			if c, ok := nodes[s].child[uint8(sym)]; ok {
				if s != 0 {
					fail[c] = int(next[fail[s]*n+sym])
				}
				next[s*n+sym] = uint16(c)
				queue = append(queue, c)
			} else if s != 0 {
				next[s*n+sym] = next[fail[s]*n+sym]
			}
		}
	}
	m.next = make([]uint32, len(next))
	for i, st := range next {
		m.next[i] = uint32(int(st) * n)
		if len(m.out[st]) > 0 {
			m.next[i] |= acceptBit
		}
	}
	return nil
}

// A match is a phrase found in a text, at byte offsets [start, end).
type match struct {
	phrase     int32
	start, end int
}

// anchor reports whether scan records the offset of a symbol: the first
// symbol of every phrase is one (a word start or punctuation), and letters,
// most of any text, are not.
func anchor(sym uint8) bool { return sym == symStart || sym >= symOther }

// scan calls found for every phrase in text, in the order they end.
func scan[T string | []byte](m *matcher, text T, found func(match)) {
	var (
		anchors [maxSymbols]int32 // byte offsets of the last anchor symbols (a text is far below 2 GB)
		n       int               // anchor symbols read
		state   int               // times nsym
		inWord  bool
		wordTo  int    // the byte offset after the word's last letter
		sep     = true // the last symbol was a separator, or there was none
	)
	// step reads one symbol at byte offset off. No phrase ends with a
	// letter or a word's start, so that those, below, need only their
	// transition.
	step := func(state int, sym uint8, off int) int {
		if anchor(sym) {
			anchors[n&ringMask] = int32(off)
			n++
		}
		v := m.next[state+int(sym)]
		state = int(v &^ acceptBit)
		if v&acceptBit != 0 {
			for _, p := range m.out[state/m.nsym] {
				ph := &m.phrase[p]
				end := off
				if !ph.endWord {
					end++
				}
				found(match{phrase: p, start: int(anchors[(n-ph.anchors)&ringMask]), end: end})
			}
		}
		return state
	}
	next, class := m.next, &m.class
	for i := 0; i < len(text); i++ {
		cls := class[text[i]]
		if cls < symWord {
			if !inWord {
				// step(state, symStart, i), written out: no phrase ends
				// with a word's start.
				anchors[n&ringMask] = int32(i)
				n++
				state = int(next[state+symStart] &^ acceptBit)
				inWord = true
			}
			state = int(next[state+int(cls)] &^ acceptBit)
			if state == 0 {
				// No phrase is under way, and every phrase starts at a
				// word's start or with punctuation: skip the word's rest.
				for i+1 < len(text) && class[text[i+1]] < symWord {
					i++
				}
			}
			wordTo = i + 1
			continue
		}
		at := i
		switch cls {
		case classSkip:
			continue
		case classUTF8:
			r, size := utf8.DecodeRuneInString(string(text[i:min(i+utf8.UTFMax, len(text))]))
			i += size - 1
			switch {
			case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
				if !inWord {
					state = step(state, symStart, at)
					inWord = true
				}
				state = step(state, symWord, at)
				wordTo = i + 1
				continue
			case unicode.IsSpace(r):
				cls = symSep
			default:
				cls = symOther
			}
		case classAngle:
			cls = symOther
			if hasPrefix(text[i:], commentOpen) {
				cls = symSep
				i += len(commentOpen) + commentEnd(text[i+len(commentOpen):]) - 1
			}
		}
		// In the start state, a word's end and a separator lead nowhere:
		// no phrase starts with them.
		if inWord {
			if state != 0 {
				state = step(state, symEnd, wordTo)
			}
			inWord = false
			sep = false
		}
		if cls == symSep {
			if !sep && state != 0 {
				state = step(state, symSep, at)
			}
			sep = true
			continue
		}
		state = step(state, cls, at)
		sep = false
	}
	if inWord {
		step(state, symEnd, wordTo)
	}
}

func hasPrefix[T string | []byte](s T, prefix string) bool {
	return len(s) >= len(prefix) && string(s[:len(prefix)]) == prefix
}

// commentEnd returns the length of a comment's rest, "-->" included, or
// len(s) when it does not end.
func commentEnd[T string | []byte](s T) int {
	for i := 0; i+3 <= len(s); i++ {
		if s[i] == '-' && s[i+1] == '-' && s[i+2] == '>' {
			return i + 3
		}
	}
	return len(s)
}
