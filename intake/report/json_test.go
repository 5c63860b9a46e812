package report

import (
	"encoding/json"
	"github.com/consultahq/consulta/intake/figures"
	"strings"
	"testing"
	"time"
)

// TestWriteJSON checks the report's JSON against encoding/json's.
func TestWriteJSON(t *testing.T) {
	r := figures.Compute(handSet(), t0, t0.Add(24*time.Hour), at(15, 0), time.UTC)
	var got strings.Builder
	if err := WriteJSON(&got, r); err != nil {
		t.Fatal(err)
	}
	want, _ := json.Marshal(r)
	if got.String() != string(want)+"\n" {
		t.Errorf("got:\n%s\nwant:\n%s", got.String(), want)
	}
}
