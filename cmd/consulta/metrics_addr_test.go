package main

import (
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestMetricsAddress: /metrics, which names the practice's performance,
// is not served on the service's public address; with --metrics-addr it
// is served there, and only there.
func TestMetricsAddress(t *testing.T) {
	if testing.Short() {
		t.Skip("starts processes")
	}
	site, _ := filepath.Abs("../..")
	get := func(url string) (int, string) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	for _, withMetrics := range []bool{false, true} {
		data := filepath.Join(t.TempDir(), "data")
		args := []string{"-s", site, "--data", data, "--addr", "127.0.0.1:0"}
		if withMetrics {
			args = append(args, "--metrics-addr", "127.0.0.1:0")
		}
		p := startIntake(t, nil, args...)
		if code, _ := get(p.url + "/metrics"); code != http.StatusNotFound {
			t.Errorf("metrics %v: GET /metrics on the public address: %d, want 404", withMetrics, code)
		}
		if !withMetrics {
			if p.metrics != "" {
				t.Errorf("no --metrics-addr, yet metrics on %s", p.metrics)
			}
			continue
		}
		if p.metrics == "" {
			t.Fatalf("--metrics-addr: no metrics address printed:\n%s", p.logs)
		}
		if code, body := get(p.metrics + "/metrics"); code != http.StatusOK || !strings.Contains(body, "consulta_leads_overdue") {
			t.Errorf("GET /metrics on the metrics address: %d\n%.500s", code, body)
		}
		for _, path := range []string{"/v1/consultations/token", "/healthz"} {
			if code, _ := get(p.metrics + path); code != http.StatusNotFound {
				t.Errorf("GET %s on the metrics address: %d, want 404", path, code)
			}
		}
	}
}
