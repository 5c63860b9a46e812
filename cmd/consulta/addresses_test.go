package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestAddressSameAnswer: a non-ASCII address in any address key of
// site.yaml gets the same answer from `consulta check` and from
// `consulta intake`, which does not start.
func TestAddressSameAnswer(t *testing.T) {
	for _, tc := range []struct{ key, yaml, want string }{
		{"email", "email: hello@exämple.org\n", `content/site.yaml:6: email: "hello@exämple.org"`},
		{"coordinator_email", "coordinator_email: desk@exämple.org\n", `content/site.yaml:6: coordinator_email: "desk@exämple.org"`},
		{"intake.coordinators", "intake:\n  coordinators:\n    face: fäce@example.org\n", `content/site.yaml:9: intake.coordinators.face: "fäce@example.org"`},
		{"intake.escalate_to", "intake:\n  escalate_to: [mánager@example.org]\n", `content/site.yaml:8: the first address in intake.escalate_to: "mánager@example.org"`},
		{"intake.digest_to", "intake:\n  digest_to: [mánager@example.org]\n", `content/site.yaml:8: the first address in intake.digest_to: "mánager@example.org"`},
	} {
		t.Run(tc.key, func(t *testing.T) {
			site := testSite(t)
			yml := filepath.Join(site, "content", "site.yaml")
			src, err := os.ReadFile(yml)
			if err != nil {
				t.Fatal(err)
			}
			key, _, _ := strings.Cut(tc.yaml, ":")
			lines := strings.SplitAfter(string(src), "\n")
			for i, l := range lines {
				if strings.HasPrefix(l, key+":") {
					lines[i] = "" // replaced below, at the end
				}
			}
			if err := os.WriteFile(yml, []byte(strings.Join(lines, "")+tc.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			_, checkOut, checkErr := runCmd(t, "check", "-s", site)
			_, intakeOut, intakeErr := runCmd(t, "intake", "-s", site, "--addr", "127.0.0.1:0", "--data", t.TempDir())
			if !errors.Is(checkErr, errReported) || !errors.Is(intakeErr, errReported) {
				t.Fatalf("check: %v, intake: %v; want both refused\ncheck:\n%s\nintake:\n%s", checkErr, intakeErr, checkOut, intakeOut)
			}
			if !strings.Contains(checkOut, tc.want) {
				t.Errorf("check printed:\n%s\nwant a line starting %s", checkOut, tc.want)
			}
			if intakeOut != checkOut {
				t.Errorf("intake printed:\n%s\ncheck printed:\n%s", intakeOut, checkOut)
			}
		})
	}
}
