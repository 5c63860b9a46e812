package content

import (
	"cmp"
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/consultahq/consulta/generator/problem"
)

// decoder decodes a YAML node tree into typed structs by hand, so that every
// mistake is reported with its file line and field path, all at once,
// instead of stopping at the first like yaml.Node.Decode.
type decoder struct {
	file   string
	offset int // added to a node's line to give the file's line
	probs  *problem.List
	lines  map[string]int  // field path → file line, for checks after decoding
	bad    map[string]bool // field paths already reported
	fields fieldIndex
}

// fieldIndex maps each struct type the decoder fills to its fields by
// YAML key, with the keys in declaration order for hints. It is built
// once and only read after, so that decoding never parses struct tags.
type fieldIndex map[reflect.Type]*structFields

type structFields struct {
	index map[string]int
	keys  []string
}

// newFieldIndex indexes the struct types reachable from roots.
func newFieldIndex(roots ...reflect.Type) fieldIndex {
	fi := fieldIndex{}
	var add func(t reflect.Type)
	add = func(t reflect.Type) {
		for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
			t = t.Elem()
		}
		if t.Kind() != reflect.Struct || t == timeType || fi[t] != nil {
			return
		}
		sf := &structFields{index: map[string]int{}}
		fi[t] = sf
		for i := range t.NumField() {
			if k := yamlKey(t.Field(i)); k != "" {
				sf.index[k] = i
				sf.keys = append(sf.keys, k)
				add(t.Field(i).Type)
			}
		}
	}
	for _, r := range roots {
		add(r)
	}
	return fi
}

// misspellings are keys staff are likely to write for another key.
var misspellings = map[string]string{
	"anaesthesia": "anesthesia",
	"anaesthetic": "anesthesia",
	"anesthetic":  "anesthesia",
	"faqs":        "faq",
	"surgeon":     "surgeons",
	"categories":  "category",
}

// movedKeys are keys that have moved or gone, by path, and what to write
// instead.
var movedKeys = map[string]string{
	"intake.hours":        "the opening hours are written once, at the top level (hours:), for the pages and the response clock alike — move these lines there",
	"intake.reply_within": "the promise patients read is written from intake.respond_within (2h reads \"two working hours\") — remove reply_within",
}

// mapExamples are examples of the maps staff write, by path.
var mapExamples = map[string]string{
	"hours":               `mon-fri: "09:00-18:00"`,
	"intake.coordinators": `breast: "breast@example.org"`,
}

func (d *decoder) line(n *yaml.Node) int { return n.Line + d.offset }

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	if d.bad != nil {
		d.bad[path] = true
	}
	d.probs.Errorf(d.file, d.line(n), path, format, args...)
}

// document decodes the top-level mapping of doc into targets, each a
// pointer to a struct; a key is looked up in each in turn.
func (d *decoder) document(doc *yaml.Node, targets ...any) {
	if doc == nil || len(doc.Content) == 0 {
		return
	}
	vs := make([]reflect.Value, len(targets))
	for i, t := range targets {
		vs[i] = reflect.ValueOf(t).Elem()
	}
	d.mapping(doc.Content[0], "", vs...)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// yamlKey returns the field's key, or "" when it has none.
func yamlKey(f reflect.StructField) string {
	tag, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
	if tag == "-" || !f.IsExported() {
		return ""
	}
	return tag
}

func (d *decoder) mapping(n *yaml.Node, path string, targets ...reflect.Value) {
	n = resolveAlias(n)
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return
	}
	if n.Kind != yaml.MappingNode {
		d.errorf(n, path, "expected keys and values (key: value, one a line), found %s", describe(n))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		if d.repeated(n, i, path) {
			continue
		}
		field, ok := d.lookupField(targets, key)
		if !ok {
			d.unknownKey(k, join(path, key), key, targets)
			continue
		}
		d.lines[join(path, key)] = d.line(k)
		d.value(v, join(path, key), field)
	}
}

// repeated reports the key at n.Content[i] when an earlier key of the
// mapping n is the same: YAML would silently keep one of the two.
func (d *decoder) repeated(n *yaml.Node, i int, path string) bool {
	k := n.Content[i]
	for j := 0; j < i; j += 2 {
		if first := n.Content[j]; first.Value == k.Value {
			d.errorf(k, join(path, k.Value), "written a second time (first on line %d) — keep one of the two and delete the other", d.line(first))
			return true
		}
	}
	return false
}

func (d *decoder) lookupField(targets []reflect.Value, key string) (reflect.Value, bool) {
	for _, t := range targets {
		if i, ok := d.fields[t.Type()].index[key]; ok {
			return t.Field(i), true
		}
	}
	return reflect.Value{}, false
}

func (d *decoder) unknownKey(k *yaml.Node, path, key string, targets []reflect.Value) {
	var keys []string
	for _, t := range targets {
		keys = append(keys, d.fields[t.Type()].keys...)
	}
	if msg, ok := movedKeys[path]; ok {
		d.errorf(k, path, "%s", msg)
		return
	}
	if key == "reviewed" && slices.Contains(keys, "reviewed_by") {
		d.errorf(k, path, "write the review as two keys instead: reviewed_by (the clinician, a file name in content/team/ without .md) and reviewed_on (the date)")
		return
	}
	if want, ok := misspellings[key]; ok && slices.Contains(keys, want) {
		if key == "anaesthesia" || key == "anaesthetic" {
			d.errorf(k, path, "unknown key — write %s (the site uses American spelling for keys)", want)
		} else {
			d.errorf(k, path, "unknown key — did you mean %s?", want)
		}
		return
	}
	if best := closest(key, keys); best != "" {
		d.errorf(k, path, "unknown key — did you mean %s?", best)
		return
	}
	d.errorf(k, path, "unknown key — the keys here are %s", strings.Join(keys, ", "))
}

var timeType = reflect.TypeFor[time.Time]()

var digitsRE = regexp.MustCompile(`\d[\d,.]*`)

func (d *decoder) value(n *yaml.Node, path string, v reflect.Value) {
	n = resolveAlias(n)
	isNull := n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
	if n.Kind == yaml.ScalarNode && v.Kind() != reflect.String && strings.HasPrefix(n.Value, StarterMark) {
		// A starter's text in a date, number or list: the starter check
		// reports it, and the value stays empty meanwhile.
		if d.bad != nil {
			d.bad[path] = true
		}
		return
	}
	if v.Type() == timeType {
		if isNull {
			return
		}
		d.date(n, path, v)
		return
	}
	switch v.Kind() {
	case reflect.Pointer:
		if isNull {
			return
		}
		p := reflect.New(v.Type().Elem())
		before := d.probs.Len()
		d.value(n, path, p.Elem())
		if d.probs.Len() == before {
			v.Set(p) // a value with a mistake stays unset, as if not written
		}
	case reflect.Struct:
		d.mapping(n, path, v)
	case reflect.Slice:
		d.list(n, path, v, isNull)
	case reflect.Map:
		d.stringMap(n, path, v, isNull)
	case reflect.String:
		if isNull {
			return
		}
		if n.Kind != yaml.ScalarNode {
			d.errorf(n, path, "expected text, found %s — write it on one line after the colon", describe(n))
			return
		}
		v.SetString(n.Value)
	case reflect.Int:
		if isNull {
			return
		}
		i, err := strconv.Atoi(n.Value)
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" || err != nil {
			d.errorf(n, path, "%s is not a number — %s", quoteValue(n), suggestNumber(n, path))
			return
		}
		v.SetInt(int64(i))
	case reflect.Float64:
		if isNull {
			return
		}
		f, err := strconv.ParseFloat(n.Value, 64)
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") || err != nil {
			d.errorf(n, path, "%s is not a number — write a number such as 0.35", quoteValue(n))
			return
		}
		v.SetFloat(f)
	case reflect.Bool:
		if isNull {
			return
		}
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
			d.errorf(n, path, "%s is not true or false — write true or false", quoteValue(n))
			return
		}
		v.SetBool(n.Value == "true" || n.Value == "True" || n.Value == "TRUE")
	default:
		panic(fmt.Sprintf("content: no decoder for %s", v.Type()))
	}
}

func (d *decoder) list(n *yaml.Node, path string, v reflect.Value, isNull bool) {
	if isNull {
		return
	}
	if n.Kind != yaml.SequenceNode {
		example := "value"
		if n.Kind == yaml.ScalarNode {
			example = n.Value
		}
		d.errorf(n, path, "expected a list, found %s — write one item a line, each starting with \"- \", e.g. \"- %s\"", describe(n), example)
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content))
	for i, item := range n.Content {
		p := path + "[" + strconv.Itoa(i) + "]"
		d.lines[p] = d.line(item)
		d.value(item, p, s.Index(i))
	}
	v.Set(s)
}

func (d *decoder) stringMap(n *yaml.Node, path string, v reflect.Value, isNull bool) {
	if isNull {
		return
	}
	if n.Kind != yaml.MappingNode {
		example := ""
		if eg, ok := mapExamples[path]; ok {
			example = ", e.g. " + eg
		}
		d.errorf(n, path, "expected keys and values (key: value, one a line%s), found %s", example, describe(n))
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if d.repeated(n, i, path) {
			continue
		}
		e := reflect.New(v.Type().Elem()).Elem()
		d.lines[join(path, k.Value)] = d.line(k)
		d.value(val, join(path, k.Value), e)
		m.SetMapIndex(reflect.ValueOf(k.Value), e)
	}
	v.Set(m)
}

// dateLayouts are the forms a date may take in front matter.
var dateLayouts = []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02 15:04"}

func (d *decoder) date(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind == yaml.ScalarNode {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, n.Value); err == nil {
				v.Set(reflect.ValueOf(t))
				return
			}
		}
	}
	if m := ymdRE.FindStringSubmatch(n.Value); n.Kind == yaml.ScalarNode && m != nil {
		y, _ := strconv.Atoi(m[1])
		mo, _ := strconv.Atoi(m[2])
		day, _ := strconv.Atoi(m[3])
		if mo < 1 || mo > 12 {
			d.errorf(n, path, "%s is not a date: there is no month %d — write year-month-day, with the month from 01 to 12", quoteValue(n), mo)
			return
		}
		last := time.Date(y, time.Month(mo)+1, 0, 0, 0, 0, 0, time.UTC).Day()
		if day < 1 || day > last {
			d.errorf(n, path, "%s is not a date: %s %d has %d days — check the day", quoteValue(n), time.Month(mo), y, last)
			return
		}
	}
	d.errorf(n, path, "%s is not a date — write it as year-month-day, e.g. 2024-03-31", quoteValue(n))
}

// ymdRE reads a date written as year-month-day, whatever its numbers.
var ymdRE = regexp.MustCompile(`^(\d{4})-(\d{1,2})-(\d{1,2})\b`)

func resolveAlias(n *yaml.Node) *yaml.Node {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	return n
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "keys and values"
	case yaml.SequenceNode:
		return "a list"
	default:
		return quoteValue(n)
	}
}

func quoteValue(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a set of keys"
	case yaml.SequenceNode:
		return "a list"
	}
	return strconv.Quote(n.Value)
}

// numberExamples are examples that fit each number field, by key.
var numberExamples = map[string]string{
	"months_after": "6",
	"weight":       "10",
	"rating":       "5",
	"from":         "4500",
	"to":           "6500",
	"order":        "1",
	"quality":      "80",
	"max_pixels":   "50000000",
	"per_page":     "12",
	"widths":       "960",
}

// numberWords are the numbers staff may write as words.
var numberWords = []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
	"thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"}

// suggestNumber says how to write the number a value was meant to be,
// with an example that fits the field at path.
func suggestNumber(n *yaml.Node, path string) string {
	if n.Kind == yaml.ScalarNode {
		if m := digitsRE.FindString(n.Value); m != "" {
			digits := strings.NewReplacer(",", "", ".", "").Replace(m)
			if f, err := strconv.ParseFloat(strings.ReplaceAll(m, ",", ""), 64); err == nil && strings.Count(m, ".") == 1 {
				digits = strconv.Itoa(int(f))
			}
			return "write " + digits
		}
		if i := slices.Index(numberWords, strings.ToLower(strings.TrimSpace(n.Value))); i >= 0 {
			return "write " + strconv.Itoa(i)
		}
	}
	key := path[strings.LastIndexByte(path, '.')+1:]
	key, _, _ = strings.Cut(key, "[")
	return "write a whole number in digits, e.g. " + cmp.Or(numberExamples[key], "10")
}

// closest returns the candidate nearest to s, or "" when none is near
// enough to be a likely typo.
func closest(s string, candidates []string) string {
	return problem.Closest(strings.ToLower(s), candidates, max(2, len(s)/3))
}
