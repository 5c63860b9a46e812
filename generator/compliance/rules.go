package compliance

import (
	"bytes"
	"cmp"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"sync"

	"go.yaml.in/yaml/v3"
)

// rulesFS holds one rule set a jurisdiction: rules/<name>.yaml.
//
//go:embed rules/*.yaml
var rulesFS embed.FS

// ruleSet is one file of rules.
type ruleSet struct {
	Name       string     `yaml:"name"` // the jurisdiction, e.g. "United Kingdom"
	CoolingOff coolingOff `yaml:"cooling_off"`
	Rules      []spec     `yaml:"rules"`
}

// coolingOff is the least time a rule set's guidance asks between a
// patient's first consultation and their surgery.
type coolingOff struct {
	Days   int    `yaml:"days"`   // calendar days; 0 sets none
	Source string `yaml:"source"` // the guidance, as staff read it after the refusal
}

// CoolingOff returns the longest cooling-off period, in days, of the rule
// sets names names, and the guidance that sets it; 0 and "" when none
// sets one. A surgery date sooner after the first consultation is refused
// unless the surgeon's agreement is recorded with a reason.
func CoolingOff(names []string) (days int, source string) {
	sets, _ := loadRuleSets()
	for _, n := range names {
		if c := sets[n].CoolingOff; c.Days > days {
			days, source = c.Days, c.Source
		}
	}
	return days, source
}

// spec is one rule as a rule set writes it; see rules/uk.yaml.
type spec struct {
	ID       string   `yaml:"id"`       // e.g. "time-pressure"; what an allowance names
	Context  string   `yaml:"context"`  // where it applies: one of contexts; default everywhere
	Phrases  []string `yaml:"phrases"`  // whole words, any case; "(a|b)" is a or b
	Patterns []string `yaml:"patterns"` // regular expressions (RE2, any case, no capturing groups) for what phrases cannot say, e.g. an amount
	Check    string   `yaml:"check"`    // instead of phrases: a check of fields, one of checks
	Unless   string   `yaml:"unless"`   // the rule does not apply to pages with this field: "registration"
	Severity string   `yaml:"severity"` // "warning" (the default) or "error"
	Message  string   `yaml:"message"`  // what is wrong, after the quoted phrase
	Source   string   `yaml:"source"`   // the rule's source, in parentheses after the message
	Fix      string   `yaml:"fix"`      // how to fix it, after " — "
}

// contexts are the places a rule may apply.
var contexts = []string{"everywhere", "procedures", "team", "cases", "reviews", "settings"}

// RuleSets returns the names of the rule sets a site may name in
// compliance, e.g. ["ie", "uk", "us-ca"].
func RuleSets() []string {
	sets, _ := loadRuleSets()
	names := make([]string, 0, len(sets))
	for name := range sets {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// loadRuleSets reads and checks every rule set, once.
var loadRuleSets = sync.OnceValues(func() (map[string]ruleSet, error) {
	files, err := fs.Glob(rulesFS, "rules/*.yaml")
	if err != nil {
		return nil, err
	}
	sets := map[string]ruleSet{}
	for _, f := range files {
		src, err := rulesFS.ReadFile(f)
		if err != nil {
			return nil, err
		}
		rs, err := parseRuleSet(src)
		if err != nil {
			return nil, fmt.Errorf("compliance rule set %s: %w", f, err)
		}
		sets[strings.TrimSuffix(path.Base(f), ".yaml")] = rs
	}
	return sets, nil
})

func parseRuleSet(src []byte) (ruleSet, error) {
	var rs ruleSet
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&rs); err != nil {
		return rs, err
	}
	if rs.Name == "" {
		return rs, fmt.Errorf("no name")
	}
	seen := map[string]bool{}
	for i := range rs.Rules {
		r := &rs.Rules[i]
		r.Context = cmp.Or(r.Context, "everywhere")
		if err := r.check(); err != nil {
			return rs, fmt.Errorf("rule %q: %w", r.ID, err)
		}
		if seen[r.ID] {
			return rs, fmt.Errorf("rule %q is there twice", r.ID)
		}
		seen[r.ID] = true
	}
	return rs, nil
}

func (r spec) check() error {
	switch {
	case r.ID == "" || strings.ContainsAny(r.ID, " ,"):
		return fmt.Errorf("an id is one word, e.g. time-pressure")
	case !slices.Contains(contexts, r.Context):
		return fmt.Errorf("context %q is not one of %s", r.Context, strings.Join(contexts, ", "))
	case (len(r.Phrases) == 0 && len(r.Patterns) == 0) == (r.Check == ""):
		return fmt.Errorf("a rule has either phrases and patterns, or a check")
	case r.Check != "" && checks[r.Check] == nil:
		return fmt.Errorf("no check %q", r.Check)
	case r.Unless != "" && (r.Unless != "registration" || r.Context != "team"):
		return fmt.Errorf(`"unless: registration" is the one condition, for rules in the team context`)
	case r.Severity != "" && r.Severity != "warning" && r.Severity != "error":
		return fmt.Errorf("severity %q is not warning or error", r.Severity)
	case r.Message == "" || r.Source == "" || r.Fix == "":
		return fmt.Errorf("a rule needs a message, a source and a fix")
	}
	for _, p := range r.Phrases {
		if _, err := expand(p); err != nil {
			return err
		}
	}
	for _, p := range r.Patterns {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("pattern %q: %w", p, err)
		}
		if re.NumSubexp() > 0 {
			return fmt.Errorf("pattern %q: write groups as (?:…), not (…)", p)
		}
	}
	return nil
}

// expand returns every phrase a pattern stands for: "injection(s|)" is
// "injections" and "injection"; groups do not nest.
func expand(p string) ([]string, error) {
	out, err := expandGroups(p)
	for i := range out {
		out[i] = strings.TrimSpace(out[i])
	}
	return out, err
}

func expandGroups(p string) ([]string, error) {
	open := strings.IndexByte(p, '(')
	if open < 0 {
		if strings.ContainsAny(p, ")|") {
			return nil, fmt.Errorf("phrase %q: a ) or | outside a group", p)
		}
		return []string{p}, nil
	}
	closing := strings.IndexByte(p[open:], ')')
	if closing < 0 || strings.ContainsAny(p[open+1:open+closing], "(") {
		return nil, fmt.Errorf("phrase %q: a ( without its ), or groups inside groups", p)
	}
	rest, err := expandGroups(p[open+closing+1:])
	if err != nil {
		return nil, err
	}
	var out []string
	for _, alt := range strings.Split(p[open+1:open+closing], "|") {
		for _, r := range rest {
			out = append(out, p[:open]+alt+r)
		}
	}
	if strings.ContainsAny(p[:open], ")|") {
		return nil, fmt.Errorf("phrase %q: a ) or | outside a group", p)
	}
	return out, nil
}
