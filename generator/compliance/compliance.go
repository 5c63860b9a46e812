// Package compliance checks what a site says against the advertising rules
// for medical practices of the jurisdictions its content/site.yaml names:
//
//	compliance: [ie, uk]
//	compliance_strict: false   # a broken rule only warns; by default it stops the build
//
// Each rule set is a file under rules/, one per jurisdiction, built into
// the binary: phrases to flag (time pressure, prescription-only medicines,
// trivialising words, prizes and discounts, …), patterns for what a list
// of phrases cannot hold (money off by an amount, "only 3 places left"),
// and checks of fields (a
// before/after case without "retouched: false" under us-ca). A problem
// names the file, the line and the field, the rule and its source, and the
// fix:
//
//	content/procedures/anti-wrinkle-injections.md:2: warning: title: "anti-wrinkle injections" promotes a prescription-only medicine to the public (UK CAP guidance on cosmetic interventions; Irish rules on prescription-only medicines) — describe the treatment area instead, e.g. "treatments for lines and wrinkles"
//
// Phrases match whole words in any case, in every text that reaches the
// public: titles, descriptions, summaries, bodies, FAQ questions and
// answers, alt texts, reviews and site.yaml's wording. A body line may allow
// a rule with <!-- compliance: allow RULE-ID -->, e.g. on a page that quotes
// the rules; every allowance used is reported, so that none is silent.
//
// All of a page's phrases are found in one pass over its text, whatever
// their number: see matcher.
package compliance

import (
	"fmt"
	"slices"
	"strings"

	"github.com/consultahq/consulta/generator/content"
	"github.com/consultahq/consulta/generator/problem"
)

// A Checker checks pages against the rule sets a site names. It is safe
// for concurrent use.
type Checker struct {
	strict   bool
	rules    []rule
	ids      []string // every rule id in every rule set, for allowances
	matchers [numWhere]*matcher
	patterns [numWhere]*patternSet
	checks   [numWhere][]int // rules with a check, by index
}

// rule is a rule of one or more of the site's rule sets.
type rule struct {
	spec
	severity problem.Severity
	sources  []string // each rule set's source, in the site's order; "" where a set lacks the rule
}

// where is the kind of text a matcher is for.
type where int

const (
	inSettings     where = iota // content/site.yaml
	inPage                      // the home page, sections, plain pages
	inProcedure                 // procedure pages
	inMember                    // team members with a registration
	inUnregistered              // team members without one
	inCase                      // before/after cases
	inReview                    // reviews
	numWhere
)

// applies reports whether r applies to texts of kind w.
func (r *rule) applies(w where) bool {
	switch r.Context {
	case "everywhere":
		return true
	case "procedures":
		return w == inProcedure
	case "team":
		return w == inUnregistered || w == inMember && r.Unless == ""
	case "cases":
		return w == inCase
	case "reviews":
		return w == inReview
	case "settings":
		return w == inSettings
	}
	return false
}

// New returns a Checker for the rule sets that cfg names in compliance, or
// nil when it names none. Names that are not rule sets are reported at
// their line in content/site.yaml, which lines maps from field paths.
func New(cfg content.Config, lines map[string]int) (*Checker, *problem.List) {
	const file = "content/site.yaml"
	probs := &problem.List{}
	sets, err := loadRuleSets()
	if err != nil {
		panic(err) // the rule sets are built in: their tests fail first
	}
	known := RuleSets()
	var names []string
	for i, name := range cfg.Compliance {
		field := fmt.Sprintf("compliance[%d]", i)
		switch {
		case sets[name].Name == "":
			hint := ""
			if best := problem.Closest(strings.ToLower(name), known, 2); best != "" {
				hint = "did you mean " + best + "? "
			}
			probs.Errorf(file, lineOf(lines, field), field, "%q is not a rule set — %swrite one or more of %s, e.g. compliance: [%s]", name, hint, strings.Join(known, ", "), known[0])
		case slices.Contains(names, name):
			probs.Errorf(file, lineOf(lines, field), field, "%q is listed twice — remove one", name)
		default:
			names = append(names, name)
		}
	}
	if len(cfg.Compliance) == 0 && cfg.ComplianceStrict != nil {
		probs.Warnf(file, lineOf(lines, "compliance_strict"), "compliance_strict", "has no effect without rule sets — name them, e.g. compliance: [%s], or remove compliance_strict", known[0])
	}
	if len(names) == 0 {
		return nil, probs
	}
	c := &Checker{strict: cfg.ComplianceStrict == nil || *cfg.ComplianceStrict}
	for _, rs := range sets {
		for _, r := range rs.Rules {
			c.ids = append(c.ids, r.ID)
		}
	}
	slices.Sort(c.ids)
	c.ids = slices.Compact(c.ids)
	if err := c.compile(names, sets); err != nil {
		panic(err) // as above
	}
	return c, probs
}

func lineOf(lines map[string]int, field string) int {
	if n, ok := lines[field]; ok {
		return n
	}
	return 1
}

// compile merges the rules of the named sets by id and builds one matcher
// for each kind of text.
func (c *Checker) compile(names []string, sets map[string]ruleSet) error {
	byID := map[string]int{}
	type key struct {
		rule int
		text string
	}
	var order []key
	phraseSets := map[key]uint64{}
	for i, name := range names {
		for _, s := range sets[name].Rules {
			ri, ok := byID[s.ID]
			if !ok {
				ri = len(c.rules)
				byID[s.ID] = ri
				c.rules = append(c.rules, rule{spec: s, severity: problem.Warning, sources: make([]string, len(names))})
			}
			r := &c.rules[ri]
			r.sources[i] = s.Source
			if s.Severity == "error" || c.strict {
				r.severity = problem.Error
			}
			for _, p := range s.Phrases {
				texts, err := expand(p)
				if err != nil {
					return err
				}
				for _, t := range texts {
					k := key{ri, strings.ToLower(t)}
					if _, ok := phraseSets[k]; !ok {
						order = append(order, k)
					}
					phraseSets[k] |= 1 << i
				}
			}
		}
	}
	for w := range numWhere {
		var phrases []phrase
		for _, k := range order {
			if c.rules[k.rule].applies(w) {
				phrases = append(phrases, phrase{text: k.text, rule: k.rule, sources: phraseSets[k]})
			}
		}
		for ri := range c.rules {
			if c.rules[ri].Check != "" && c.rules[ri].applies(w) {
				c.checks[w] = append(c.checks[w], ri)
			}
		}
		c.patterns[w] = newPatternSet(c.rules, w)
		if len(phrases) == 0 {
			continue
		}
		m, err := newMatcher(phrases)
		if err != nil {
			return err
		}
		c.matchers[w] = m
	}
	return nil
}

// message formats a problem's text: the quoted phrase (when there is
// one), the rule's message, its sources and the fix.
func (r *rule) message(quoted string, sources uint64) string {
	var srcs []string
	for i, s := range r.sources {
		if s != "" && (sources == 0 || sources&(1<<i) != 0) && !slices.Contains(srcs, s) {
			srcs = append(srcs, s)
		}
	}
	var b strings.Builder
	if quoted != "" {
		fmt.Fprintf(&b, "%q ", quoted)
	}
	fmt.Fprintf(&b, "%s (%s) — %s", r.Message, strings.Join(srcs, "; "), r.Fix)
	return b.String()
}
