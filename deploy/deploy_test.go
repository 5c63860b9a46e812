// Package deploy_test checks the deployment recipes of this folder with the
// real binary: the container image's build and run (deploy/Containerfile)
// and the systemd unit (deploy/consulta-intake.service). No container
// engine runs here, so the image is reproduced: the binary is built by the
// Containerfile's own build command, and run as the image runs it, chrooted
// into a folder holding exactly what the image's COPY lines put there, as
// the image's user.
package deploy_test

import (
	"bufio"
	"debug/elf"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// root is the module's root, where the Containerfile's build runs.
var root, _ = filepath.Abs("..")

// instruction is one line of a Containerfile, continuation lines joined.
type instruction struct {
	stage int    // which FROM it follows, from 0
	op    string // upper case: FROM, RUN, COPY, ...
	args  string
}

// parseContainerfile reads deploy/Containerfile.
func parseContainerfile(t *testing.T) []instruction {
	t.Helper()
	f, err := os.Open("Containerfile")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []instruction
	stage := -1
	var line string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		text := strings.TrimSpace(sc.Text())
		if line == "" && (text == "" || strings.HasPrefix(text, "#")) {
			continue
		}
		if s, ok := strings.CutSuffix(text, `\`); ok {
			line += s + " "
			continue
		}
		line += text
		op, args, _ := strings.Cut(line, " ")
		line = ""
		op = strings.ToUpper(op)
		if op == "FROM" {
			stage++
		}
		out = append(out, instruction{stage: stage, op: op, args: strings.TrimSpace(args)})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// execForm parses the JSON array form of ENTRYPOINT, CMD and HEALTHCHECK CMD.
func execForm(t *testing.T, s string) []string {
	t.Helper()
	var argv []string
	if err := json.Unmarshal([]byte(s), &argv); err != nil || len(argv) == 0 {
		t.Fatalf("%s: want the exec form [\"program\", \"arg\", …] (the image has no shell): %v", s, err)
	}
	return argv
}

// needRoot skips the test unless it runs as root (chroot, another user),
// and fails it under CI, where tests run as root.
func needRoot(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("deploy tests run as root (chroot, another user); CI runs them as root")
		}
		t.Skip("needs root: chroot and another user")
	}
}

// freePort returns a free loopback port.
func freePort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
}

// publicDir makes a folder that other users can reach (t.TempDir's parent
// is private to root), removed at the end of the test.
func publicDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("", "consulta-deploy-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

// service is a process started as the image or the unit starts it.
type service struct {
	cmd  *exec.Cmd
	logs *strings.Builder // read it only after done is closed
	done chan struct{}    // closed when the process has exited
	err  error            // how it exited, once done is closed
}

// command runs argv as uid:gid from "/", chrooted into chroot unless it
// is "", with only env in its environment.
func command(chroot string, uid int, argv, env []string) *exec.Cmd {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = "/"
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Chroot:     chroot,
		Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(uid)},
	}
	if chroot != "" { // the path is the image's: run it after the chroot, do not look it up before
		cmd.Path, cmd.Err = argv[0], nil
	}
	return cmd
}

// start starts cmd and kills it at the end of the test.
func start(t *testing.T, cmd *exec.Cmd) *service {
	t.Helper()
	s := &service{cmd: cmd, logs: &strings.Builder{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = s.logs, s.logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", cmd.Args, err)
	}
	go func() {
		s.err = cmd.Wait()
		close(s.done)
	}()
	t.Cleanup(s.kill)
	return s
}

// kill stops the process at once and waits for it.
func (s *service) kill() {
	s.cmd.Process.Kill()
	<-s.done
}

// stop sends SIGTERM and fails the test unless the process exits cleanly.
func (s *service) stop(t *testing.T) {
	t.Helper()
	s.cmd.Process.Signal(syscall.SIGTERM)
	<-s.done
	if s.err != nil {
		t.Errorf("after SIGTERM: %v\n%s", s.err, s.logs)
	}
}

// ready waits until ok returns true, for up to 15 seconds, and fails the
// test with the process's log if it exits first or the time runs out.
func (s *service) ready(t *testing.T, what string, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(15 * time.Second); !ok(); {
		select {
		case <-s.done:
			t.Fatalf("%s: the process exited (%v):\n%s", what, s.err, s.logs)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.kill()
			t.Fatalf("%s: not ready after 15 s:\n%s", what, s.logs)
		}
	}
}

// healthy waits until the health check passes.
func healthy(t *testing.T, s *service, check func() *exec.Cmd) {
	t.Helper()
	s.ready(t, "health check", func() bool { return check().Run() == nil })
}

// postLead sends one valid lead and returns the status.
func postLead(t *testing.T, addr string) int {
	t.Helper()
	body := `{"first_name":"Deploy","last_name":"Test","email":"deploy@mail.example","procedure":"rhinoplasty","consent_privacy":true}`
	resp, err := http.Post("http://"+addr+"/v1/consultations", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// isStatic reports why the binary at path is not a static executable
// stripped of symbols, or "" when it is.
func isStatic(path string) string {
	f, err := elf.Open(path)
	if err != nil {
		return err.Error()
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return "it asks for a dynamic loader"
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		return fmt.Sprintf("it needs %v", libs)
	}
	if f.Section(".symtab") != nil {
		return "it keeps its symbol table (-ldflags=-s)"
	}
	return ""
}
