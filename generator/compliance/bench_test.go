package compliance

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/consultahq/consulta/generator/content"
)

// BenchmarkScan measures one pass of every rule set's procedure phrases
// over the demo practice's procedure pages.
func BenchmarkScan(b *testing.B) {
	files, err := filepath.Glob("../../content/procedures/*.md")
	if err != nil || len(files) == 0 {
		b.Fatalf("no demo procedures: %v", err)
	}
	var text []byte
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		text = append(text, src...)
	}
	c, probs := New(content.Config{Compliance: RuleSets()}, nil)
	if probs.Len() > 0 || c == nil {
		b.Fatalf("New: %v", probs.Sorted())
	}
	m := c.matchers[inProcedure]
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		scan(m, text, func(match) {})
	}
}

// BenchmarkLowercase is a floor to read BenchmarkScan against: one
// table lookup a byte over the same text.
func BenchmarkLowercase(b *testing.B) {
	files, _ := filepath.Glob("../../content/procedures/*.md")
	var text []byte
	for _, f := range files {
		src, _ := os.ReadFile(f)
		text = append(text, src...)
	}
	var tab [256]byte
	for i := range tab {
		tab[i] = byte(i) | 0x20
	}
	out := make([]byte, len(text))
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		for i, c := range text {
			out[i] = tab[c]
		}
	}
}
