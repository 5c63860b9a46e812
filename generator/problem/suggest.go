package problem

import (
	"slices"
	"strings"
	"unicode"
)

// Closest returns the candidate nearest to s by edit distance, for a "did
// you mean" hint, or "" when none is within limit edits.
func Closest(s string, candidates []string, limit int) string {
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := Distance(s, c); d < bestD {
			best, bestD = c, d
		}
	}
	return best
}

// A Candidate is a name that a mistaken name may have meant, such as a
// team member's slug, with the other names it goes by: its title, its old
// addresses.
type Candidate struct {
	Name string   // what to write, e.g. "dr-amelia-hart"
	Also []string // e.g. "Dr Amelia Hart", "/team/amelia/"
}

// Names makes candidates of plain names.
func Names(names []string) []Candidate {
	cs := make([]Candidate, len(names))
	for i, n := range names {
		cs[i] = Candidate{Name: n}
	}
	return cs
}

// Suggest returns the names of the candidates that s most likely meant,
// best first: those whose name or other name differs from s in letter
// case only, or in a few letters, or holds every word of s ("dr-hart" for
// "dr-amelia-hart", "eyelid-surgery" for the procedure titled "Eyelid
// surgery"). None when nothing is near.
func Suggest(s string, cands []Candidate) []string {
	key := fold(s)
	if key == "" {
		return nil
	}
	limit := max(2, len([]rune(key))/4)
	type scored struct {
		name  string
		score int
	}
	var found []scored
	for _, c := range cands {
		best := -1
		for _, n := range append([]string{c.Name}, c.Also...) {
			k := fold(n)
			switch {
			case k == key:
				best = 0
			case containsWords(k, key) || containsWords(key, k) && len(k) > 2:
				best = pick(best, 1)
			default:
				if d := Distance(key, k); d <= limit {
					best = pick(best, 1+d)
				}
			}
		}
		if best >= 0 && c.Name != s {
			found = append(found, scored{c.Name, best})
		}
	}
	slices.SortStableFunc(found, func(a, b scored) int { return a.score - b.score })
	var out []string
	for _, f := range found {
		if f.score > found[0].score || len(out) == 3 {
			break
		}
		if !slices.Contains(out, f.name) {
			out = append(out, f.name)
		}
	}
	return out
}

func pick(best, score int) int {
	if best < 0 || score < best {
		return score
	}
	return best
}

// Hint is what a problem about the unknown name s adds: " — did you mean
// X?" for the likely candidates, else " — write one of …" when there are
// at most ten candidates, else "".
func Hint(s string, cands []Candidate) string {
	if best := Suggest(s, cands); len(best) > 0 {
		return " — did you mean " + orList(best) + "?"
	}
	if len(cands) > 0 && len(cands) <= 10 {
		names := make([]string, len(cands))
		for i, c := range cands {
			names[i] = c.Name
		}
		return " — write one of " + strings.Join(names, ", ")
	}
	return ""
}

// orList writes "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

// fold makes a name comparable: lower case, every run of other characters
// than letters and digits one dash, none at the ends: "Dr Amelia Hart",
// "/team/dr-amelia-hart/" and "dr_amelia_hart" fold alike but for the path.
func fold(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
			continue
		}
		dash = true
	}
	return b.String()
}

// containsWords reports whether every word of sub is a word of s, in order.
func containsWords(s, sub string) bool {
	words := strings.Split(s, "-")
	i := 0
	for _, w := range strings.Split(sub, "-") {
		for i < len(words) && words[i] != w {
			i++
		}
		if i == len(words) {
			return false
		}
		i++
	}
	return true
}

// Distance is the Levenshtein edit distance between a and b, in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
