package main

import (
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake"
)

// TestCaddyfileLimitsAgree checks that deploy/Caddyfile gives requests the
// limits the intake service gives them: the same body and header sizes,
// and the same times to send the headers, the body and the answer.
func TestCaddyfileLimitsAgree(t *testing.T) {
	b, err := os.ReadFile("../../deploy/Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	conf := string(b)
	srv := newHTTPServer(nil)
	maxBody := intake.Config{}.WithDefaults().MaxBody
	for _, c := range []struct {
		directive string
		want      string
	}{
		{"read_header", srv.ReadHeaderTimeout.String()},
		{"read_body", srv.ReadTimeout.String()},
		{"write", srv.WriteTimeout.String()},
		{"idle", srv.IdleTimeout.String()},
		{"response_header_timeout", srv.WriteTimeout.String()},
		{"max_header_size", strconv.Itoa(srv.MaxHeaderBytes>>10) + "KiB"},
		{"max_size", strconv.FormatInt(maxBody>>10, 10) + "KiB"},
	} {
		m := regexp.MustCompile(`(?m)^\s*` + c.directive + `\s+(\S+)\s*$`).FindStringSubmatch(conf)
		if m == nil {
			t.Errorf("Caddyfile: no %s", c.directive)
			continue
		}
		got := m[1]
		if d, err := time.ParseDuration(got); err == nil {
			got = d.String()
		}
		if got != c.want {
			t.Errorf("Caddyfile: %s %s, the service's is %s", c.directive, m[1], c.want)
		}
	}
	if want := "> " + strconv.FormatInt(maxBody, 10) + "`"; !strings.Contains(conf, want) {
		t.Errorf("Caddyfile: @tooLarge does not refuse bodies over %d bytes (%q)", maxBody, want)
	}
}
