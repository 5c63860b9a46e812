// Package golden compares what a test made with a golden file under
// testdata/, for tests only. Each test package keeps its own -update flag
// and passes it in.
package golden

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Check compares got with the file at path. With update it writes got to
// path instead, making its folder.
func Check(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Errorf("%v (run go test -update to create it)", err)
		return
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs (run go test -update and review the diff):\n%s", path, FirstDiff(got, want))
	}
}

// FirstDiff shows the first line where got and want differ.
func FirstDiff(got, want []byte) string {
	g, w := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(g), len(w)) {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return fmt.Sprintf("line %d:\n got: %s\nwant: %s", i+1, gl, wl)
		}
	}
	return ""
}

var assetHash = regexp.MustCompile(`(/assets/[\w./-]+?)\.[0-9a-f]{8}\.(\w+)`)

// RedactAssets writes the content hash in asset URLs as HASH, so that a
// change to a style sheet does not change every golden page.
func RedactAssets(b []byte) []byte { return assetHash.ReplaceAll(b, []byte("$1.HASH.$2")) }

var photoHash = regexp.MustCompile(`(/photos/)[0-9a-f]{16,64}(-\d+\.\w+)`)

// RedactPhotos writes the content hash in published photo names as HASH,
// so that a change to the photo pipeline does not change the golden pages
// that show photos.
func RedactPhotos(b []byte) []byte { return photoHash.ReplaceAll(b, []byte("${1}HASH$2")) }
