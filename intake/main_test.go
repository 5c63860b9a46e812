package intake

import (
	"os"
	"testing"

	"github.com/consultahq/consulta/internal/pgtest"
)

// TestMain stops the PostgreSQL server that the benchmarks start.
func TestMain(m *testing.M) {
	code := m.Run()
	pgtest.Stop()
	os.Exit(code)
}
