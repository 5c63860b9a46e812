package e2e

import (
	"bufio"
	"context"
	"io"
	"io/fs"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// repoRoot is the repository's root, which is also the demo site.
func repoRoot(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("the e2e tests run from e2e/ in the repository: %v", err)
	}
	return root
}

// buildConsulta builds cmd/consulta into a temporary folder.
func buildConsulta(t testing.TB) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		goTool = filepath.Join(runtime.GOROOT(), "bin", "go")
	}
	bin := filepath.Join(t.TempDir(), "consulta")
	cmd := exec.Command(goTool, "build", "-o", bin, "./cmd/consulta")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/consulta: %v\n%s", err, out)
	}
	return bin
}

// copySite copies the demo site's content/ (and a themes/ folder of the
// site's own, if any) into a temporary folder, so that the test's data
// folder and build output stay out of the repository.
func copySite(t testing.TB) string {
	t.Helper()
	root := repoRoot(t)
	dst := t.TempDir()
	for _, dir := range []string{"content"} {
		src := filepath.Join(root, dir)
		err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(root, p)
			if d.IsDir() {
				return os.MkdirAll(filepath.Join(dst, rel), 0o755)
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
		})
		if err != nil {
			t.Fatalf("copy the demo site: %v", err)
		}
	}
	return dst
}

// serving is the announcement `consulta serve` prints once it listens.
var serving = regexp.MustCompile(`at (http://127\.0\.0\.1:\d+)/`)

// startServe runs `consulta serve` on a free loopback port against site,
// with env added to the environment, and returns its base URL (no
// trailing slash). The server is stopped when t ends; its output is
// logged when t fails.
func startServe(t testing.TB, bin, site string, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	// A person takes seconds to fill in the form; the browser here does
	// not, and a shorter least time keeps the journeys from waiting.
	cmd := exec.CommandContext(ctx, bin, "serve", "-s", site, "-addr", "127.0.0.1:0", "-min-fill", "50ms",
		"-rate-burst", "100") // every page of every test posts from 127.0.0.1: one client to the rate limit
	cmd.Env = append(os.Environ(), env...)
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 10 * time.Second
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var logMu sync.Mutex
	var log strings.Builder
	cmd.Stderr = writerFunc(func(p []byte) (int, error) {
		logMu.Lock()
		defer logMu.Unlock()
		return log.Write(p)
	})
	if err := cmd.Start(); err != nil {
		t.Fatalf("start consulta serve: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		cmd.Wait()
		if t.Failed() {
			logMu.Lock()
			t.Logf("consulta serve's log:\n%s", log.String())
			logMu.Unlock()
		}
	})
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			logMu.Lock()
			log.WriteString(sc.Text() + "\n")
			logMu.Unlock()
			if m := serving.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
	}()
	select {
	case base := <-found:
		waitReady(t, base)
		return base
	case <-time.After(60 * time.Second):
		logMu.Lock()
		defer logMu.Unlock()
		t.Fatalf("consulta serve did not say where it listens within a minute; its output:\n%s", log.String())
	}
	return ""
}

// waitReady waits until the site's home page answers.
func waitReady(t testing.TB, base string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		resp, err := http.Get(base + "/")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s/ did not answer 200 within 30s: %v", base, err)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }
