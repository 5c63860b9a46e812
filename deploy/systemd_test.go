package deploy_test

import (
	"bufio"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

const unitFile = "consulta-intake.service"

// TestSystemdUnit checks deploy/consulta-intake.service with systemd's own
// tools (systemd-analyze verify, and security for its exposure), that it
// keeps the settings the deployment guide promises, and that its ExecStart
// runs the service as a user with no rights but its state folder.
func TestSystemdUnit(t *testing.T) {
	analyze, err := exec.LookPath("systemd-analyze")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("systemd-analyze not found: make test installs Debian's systemd package")
		}
		t.Skip("systemd-analyze not found (Debian's systemd package; make test installs it)")
	}
	bin := buildAsContainer(t)
	unit := readUnit(t)

	// verify checks that ExecStart names an executable: point it at the
	// binary just built, in a copy of the unit with the same name.
	text, err := os.ReadFile(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	copyPath := filepath.Join(t.TempDir(), unitFile)
	os.WriteFile(copyPath, []byte(strings.ReplaceAll(string(text), "/usr/local/bin/consulta", bin)), 0o644)
	if out, err := exec.Command(analyze, "verify", copyPath).CombinedOutput(); err != nil || len(out) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	if out, err := exec.Command(analyze, "security", "--offline=yes", "--threshold=20", copyPath).CombinedOutput(); err != nil {
		t.Errorf("systemd-analyze security: exposure above 2.0 (%v):\n%s", err, out)
	}

	for key, want := range map[string]string{
		"DynamicUser":             "yes",
		"StateDirectory":          "consulta",
		"StateDirectoryMode":      "0700",
		"ProtectSystem":           "strict",
		"NoNewPrivileges":         "yes",
		"PrivateTmp":              "yes",
		"RestrictAddressFamilies": "AF_INET AF_INET6 AF_UNIX",
		"Restart":                 "on-failure",
		"EnvironmentFile":         "/etc/consulta/intake.env",
	} {
		if got := unit[key]; got != want {
			t.Errorf("%s=%q, want %q", key, got, want)
		}
	}

	// Run ExecStart as systemd would: a user of its own, the state folder
	// its only writable place (the site and the rest are root's).
	needRoot(t)
	site, state := publicDir(t), publicDir(t)
	if err := os.CopyFS(filepath.Join(site, "content"), os.DirFS(filepath.Join(root, "content"))); err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(filepath.Join(site, "themes"), os.DirFS(filepath.Join(root, "themes"))); err != nil {
		t.Fatal(err)
	}
	const uid = 61234 // DynamicUser picks one in 61184–65519
	os.Chmod(state, 0o700)
	os.Chown(state, uid, uid)
	port := freePort(t)
	argv := strings.Fields(unit["ExecStart"])
	for i, a := range argv {
		switch a {
		case "/usr/local/bin/consulta":
			argv[i] = bin
		case "/srv/consulta/site":
			argv[i] = site
		case "/var/lib/consulta":
			argv[i] = state
		}
	}
	argv = onPort(argv, port)
	svc := start(t, command("", uid, argv, []string{"PATH=/usr/bin:/bin"}))
	healthy(t, svc, func() *exec.Cmd {
		return command("", uid, []string{bin, "intake", "healthcheck", "--addr", "127.0.0.1:" + port}, nil)
	})
	if code := postLead(t, "127.0.0.1:"+port); code != http.StatusAccepted {
		t.Errorf("a lead got %d, want 202", code)
	}
	svc.stop(t)
}

// readUnit returns the unit's settings, continuation lines joined; a key
// given twice keeps the last.
func readUnit(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(unitFile)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := map[string]string{}
	var line string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if line == "" && (text == "" || strings.HasPrefix(text, "#") || strings.HasPrefix(text, "[")) {
			continue
		}
		if s, ok := strings.CutSuffix(text, `\`); ok {
			line += s + " "
			continue
		}
		k, v, _ := strings.Cut(line+text, "=")
		line = ""
		keys[k] = v
	}
	return keys
}
