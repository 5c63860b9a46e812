package deploy_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCaddyRecipe runs Caddy with deploy/Caddyfile in front of the intake
// service and the built site, on loopback: the site's caching headers and
// 404 page, a body at the service's limit passing and one byte more refused,
// and the client's address taken from Caddy's X-Forwarded-For, never from
// the client's own.
func TestCaddyRecipe(t *testing.T) {
	caddy, err := exec.LookPath("caddy")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("caddy not found: make test installs Debian's caddy package")
		}
		t.Skip("caddy not found (Debian's caddy package; make test installs it)")
	}
	bin := buildAsContainer(t)
	dir := t.TempDir()
	public := filepath.Join(dir, "public")
	if out, err := exec.Command(bin, "build", "-s", root, "-d", public).CombinedOutput(); err != nil {
		t.Fatalf("build the site: %v\n%s", err, out)
	}

	intakeAddr, site := "127.0.0.1:"+freePort(t), "127.0.0.1:"+freePort(t)
	svc := start(t, exec.Command(bin, "intake", "-s", root, "--data", filepath.Join(dir, "data"), "--addr", intakeAddr,
		"--trusted-proxy-header", "X-Forwarded-For", "--rate-every", "1h", "--rate-burst", "3"))
	healthy(t, svc, func() *exec.Cmd { return exec.Command(bin, "intake", "healthcheck", "--addr", intakeAddr) })

	conf, err := os.ReadFile("Caddyfile")
	if err != nil {
		t.Fatal(err)
	}
	text := string(conf)
	for _, r := range [][2]string{
		{"www.example-clinic.com {", "http://" + site + " {"},
		{"127.0.0.1:8081", intakeAddr},
		{"/srv/consulta/site/public", public},
		{"{\n\tservers {", "{\n\tadmin off\n\tservers {"}, // tests may run at once: no admin endpoint
	} {
		if !strings.Contains(text, r[0]) {
			t.Fatalf("Caddyfile: %q not found; keep the test in step with the recipe", r[0])
		}
		text = strings.ReplaceAll(text, r[0], r[1])
	}
	conf2 := filepath.Join(dir, "Caddyfile")
	os.WriteFile(conf2, []byte(text), 0o644)
	cmd := exec.Command(caddy, "run", "--adapter", "caddyfile", "--config", conf2)
	cmd.Env = append(os.Environ(), "XDG_DATA_HOME="+filepath.Join(dir, "xdg-data"), "XDG_CONFIG_HOME="+filepath.Join(dir, "xdg-config"))
	proxy := start(t, cmd)
	base := "http://" + site
	proxy.ready(t, "caddy", func() bool {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	})

	// The site: pages revalidate, fingerprinted files are kept a year.
	assets, _ := filepath.Glob(filepath.Join(public, "assets", "*.css"))
	if len(assets) == 0 {
		t.Fatal("the build wrote no /assets/*.css")
	}
	for _, c := range []struct{ path, cache string }{
		{"/", "public, max-age=300, must-revalidate"},
		{"/procedures/rhinoplasty/", "public, max-age=300, must-revalidate"},
		{"/assets/" + filepath.Base(assets[0]), "public, max-age=31536000, immutable"},
	} {
		resp, body := get(t, base+c.path)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Cache-Control") != c.cache {
			t.Errorf("GET %s: %s, Cache-Control %q; want 200, %q (%d bytes)", c.path, resp.Status, resp.Header.Get("Cache-Control"), c.cache, len(body))
		}
	}
	notFound, _ := os.ReadFile(filepath.Join(public, "404.html"))
	if resp, body := get(t, base+"/no-such-page/"); resp.StatusCode != http.StatusNotFound || !bytes.Equal(body, notFound) {
		t.Errorf("GET /no-such-page/: %s, %d bytes; want 404 with the site's 404.html", resp.Status, len(body))
	}

	// The intake: the proxy's body limit is the service's. Each request
	// claims another client address; the service sees only the proxy's.
	lead := `{"first_name":"Proxy","last_name":"Test","email":"proxy@mail.example","procedure":"rhinoplasty","consent_privacy":true}`
	const maxBody = 64 << 10 // the service's --max-body default
	for i, c := range []struct {
		size int // bytes of body, the lead padded with spaces
		want int
	}{
		{maxBody, http.StatusAccepted},
		{maxBody + 1, http.StatusRequestEntityTooLarge},
		{len(lead), http.StatusAccepted},
		{len(lead), http.StatusAccepted},
		{len(lead), http.StatusTooManyRequests}, // burst 3: the fourth from one client
	} {
		body := lead + strings.Repeat(" ", c.size-len(lead))
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/consultations", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Forwarded-For", fmt.Sprintf("198.51.100.%d", i+1))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("request %d (%d bytes): %s, want %d", i+1, c.size, resp.Status, c.want)
		}
	}
	if t.Failed() {
		proxy.kill()
		svc.kill()
		t.Logf("caddy:\n%s\nintake:\n%s", proxy.logs, svc.logs)
	}
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, body
}
