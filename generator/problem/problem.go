// Package problem reports mistakes in a site's content the way staff need
// to read them: the file, the line, the field, what is wrong and how to fix it.
//
// A problem prints as
//
//	content/procedures/rhinoplasty.md:7: fees.from: "about 6000" is not a number — write 6000
//
// Loaders collect every problem in a [List] instead of stopping at the first,
// so that one run of consulta check shows them all, like go vet.
package problem

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a problem stops the build.
type Severity int

const (
	// Error stops the build: nothing is written to public/.
	Error Severity = iota
	// Warning is printed, and the build goes on.
	Warning
)

// A Problem is one mistake in one place.
type Problem struct {
	File     string // path relative to the site folder, with forward slashes, e.g. "content/site.yaml"
	Line     int    // 1-based; 0 when the problem is about the whole file
	Field    string // dotted path of the front matter field, e.g. "fees.from" or "surgeons[0]" (printed as "the first surgeon"); empty for the body or the file
	Message  string // what is wrong and how to fix it, written for staff
	Severity Severity
}

// String formats the problem as file:line: field: message.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Severity == Warning {
		b.WriteString("warning: ")
	}
	if p.Field != "" {
		b.WriteString(FieldName(p.Field))
		b.WriteString(": ")
	}
	b.WriteString(p.Message)
	return b.String()
}

// List collects problems. The zero value is ready to use. It is not safe
// for concurrent use; give each goroutine its own List and Merge them.
type List struct {
	items []Problem
}

// Add records a problem.
func (l *List) Add(p Problem) { l.items = append(l.items, p) }

// Errorf records an error at file:line in field.
func (l *List) Errorf(file string, line int, field, format string, args ...any) {
	l.Add(Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...)})
}

// Warnf records a warning at file:line in field.
func (l *List) Warnf(file string, line int, field, format string, args ...any) {
	l.Add(Problem{File: file, Line: line, Field: field, Message: fmt.Sprintf(format, args...), Severity: Warning})
}

// Merge appends every problem of other.
func (l *List) Merge(other *List) {
	if other != nil {
		l.items = append(l.items, other.items...)
	}
}

// AsWarnings makes every recorded problem a Warning, for problems that
// stop nothing, such as those of a page that is not published.
func (l *List) AsWarnings() {
	for i := range l.items {
		l.items[i].Severity = Warning
	}
}

// Len reports how many problems were recorded.
func (l *List) Len() int { return len(l.items) }

// HasErrors reports whether any recorded problem is an Error.
func (l *List) HasErrors() bool {
	for _, p := range l.items {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// Sorted returns the problems ordered by file, then line, then field.
func (l *List) Sorted() []Problem {
	ps := slices.Clone(l.items)
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Field, b.Field))
	})
	return ps
}

// Err returns nil if the list holds no errors, and otherwise an error whose
// text is every problem, sorted, one a line.
func (l *List) Err() error {
	if !l.HasErrors() {
		return nil
	}
	return &ListError{Problems: l.Sorted()}
}

// ListError is the error of a List that holds errors. Its Problems include
// the warnings recorded beside them.
type ListError struct {
	Problems []Problem
}

// Error returns every problem, one a line.
func (e *ListError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}
