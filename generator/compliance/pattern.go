package compliance

import (
	"regexp"
	"slices"
	"strings"
)

// A patternSet finds the rules' patterns in a text: one regular
// expression for every pattern of the rules that apply to one kind of
// text, each pattern a group, so that a text is read once.
type patternSet struct {
	re    *regexp.Regexp
	rules []int // the rule of each group, by group number - 1
}

// newPatternSet compiles the patterns of the rules that apply to texts of
// kind w, or returns nil when none has any.
func newPatternSet(rules []rule, w where) *patternSet {
	ps := &patternSet{}
	var alts []string
	for ri := range rules {
		r := &rules[ri]
		if !r.applies(w) {
			continue
		}
		for _, p := range r.Patterns {
			alts = append(alts, "("+p+")")
			ps.rules = append(ps.rules, ri)
		}
	}
	if len(alts) == 0 {
		return nil
	}
	// Whole words: no letter or digit just before or after a match.
	ps.re = regexp.MustCompile(`(?i)(?:^|[^\pL\pN])(?:` + strings.Join(alts, "|") + `)(?:$|[^\pL\pN])`)
	return ps
}

// find returns the patterns' hits in text.
func (ps *patternSet) find(text string) []hit {
	var hs []hit
	for _, m := range ps.re.FindAllStringSubmatchIndex(text, -1) {
		for g := 1; g < len(m)/2; g++ {
			if m[2*g] >= 0 {
				hs = append(hs, hit{rule: ps.rules[g-1], start: m[2*g], end: m[2*g+1]})
				break
			}
		}
	}
	return hs
}

// merge adds the pattern hits to the phrase hits, in the order of the
// text, a rule's overlapping hits made one.
func merge(hs, more []hit) []hit {
	if len(more) == 0 {
		return hs
	}
	hs = append(hs, more...)
	slices.SortStableFunc(hs, func(a, b hit) int { return a.start - b.start })
	out := hs[:0]
	for _, h := range hs {
		if n := len(out); n > 0 {
			if last := &out[n-1]; last.rule == h.rule && h.start < last.end {
				last.end = max(last.end, h.end)
				last.sources |= h.sources
				continue
			}
		}
		out = append(out, h)
	}
	return out
}
