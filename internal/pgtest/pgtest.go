// Package pgtest runs a real PostgreSQL server for tests: Debian's
// postgresql package, initialised in a temporary folder and started on a
// free loopback port as an unprivileged user (PostgreSQL refuses to run as
// root, and the tests may). One server serves a whole test package; each
// test gets a schema of its own.
//
// A package that uses it stops the server in TestMain:
//
//	func TestMain(m *testing.M) { code := m.Run(); pgtest.Stop(); os.Exit(code) }
package pgtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Server is a running PostgreSQL server.
type Server struct {
	// URL reaches the server's postgres database as its superuser.
	URL  string
	dir  string
	cmd  *exec.Cmd
	logs *bytes.Buffer
	done chan struct{}
	n    atomic.Int64
}

var shared struct {
	mu  sync.Mutex
	srv *Server
	err error
}

// Start returns the test package's server, starting it on first use. It
// skips the test when PostgreSQL is not installed, unless CI=true.
func Start(t testing.TB) *Server {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.srv == nil && shared.err == nil {
		shared.srv, shared.err = start()
	}
	if errors.Is(shared.err, errMissing) {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%v: run make test (it installs Debian's postgresql) or set CONSULTA_PG_BIN", shared.err)
		}
		t.Skipf("%v (Debian's postgresql; make test installs it)", shared.err)
	}
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.srv
}

// Stop stops the server Start started, if any, and removes its files.
func Stop() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if s := shared.srv; s != nil {
		s.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
			<-s.done
		}
		os.RemoveAll(s.dir)
		shared.srv = nil
	}
}

var errMissing = errors.New("PostgreSQL not found")

// Bin returns the folder of PostgreSQL's programs: $CONSULTA_PG_BIN, else
// the newest /usr/lib/postgresql/*/bin (Debian's layout), else the folder
// of initdb on PATH; "" if none.
func Bin() string {
	if dir := os.Getenv("CONSULTA_PG_BIN"); dir != "" {
		return dir
	}
	dirs, _ := filepath.Glob("/usr/lib/postgresql/*/bin")
	slices.SortFunc(dirs, func(a, b string) int { return version(b) - version(a) })
	for _, d := range dirs {
		if isFile(filepath.Join(d, "initdb")) {
			return d
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if real, err := filepath.EvalSymlinks(p); err == nil {
			return filepath.Dir(real)
		}
	}
	return ""
}

// version is the major version in a path like /usr/lib/postgresql/15/bin.
func version(binDir string) int {
	n, _ := strconv.Atoi(filepath.Base(filepath.Dir(binDir)))
	return n
}

func isFile(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && !fi.IsDir()
}

// start initialises a cluster in a new temporary folder and starts it.
func start() (*Server, error) {
	bin := Bin()
	if bin == "" {
		return nil, errMissing
	}
	cred, err := unprivileged()
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "consulta-pg-")
	if err != nil {
		return nil, err
	}
	data := filepath.Join(dir, "data")
	if err := os.Mkdir(data, 0o700); err != nil {
		return nil, err
	}
	if cred != nil {
		if err := chownAll(dir, int(cred.Uid), int(cred.Gid)); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
	}
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres",
		"--auth=trust", "--no-instructions", "--encoding=UTF8", "--locale=C")
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	initdb.Dir = dir
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("initdb: %v\n%s", err, out)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	// Durable as in production (fsync, synchronous_commit): the tests and
	// benchmarks measure what a practice would get. Old write-ahead log
	// segments are removed rather than kept for reuse (wal_recycle), as
	// docs/intake.md asks of a practice's server, so that a purge leaves
	// nothing in the data folder.
	s := &Server{dir: dir, logs: &bytes.Buffer{}, done: make(chan struct{}),
		URL: "postgres://postgres@127.0.0.1:" + port + "/postgres?sslmode=disable"}
	s.cmd = exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-c", "listen_addresses=127.0.0.1", "-c", "port="+port, "-c", "unix_socket_directories=",
		"-c", "max_connections=200", "-c", "shared_buffers=64MB", "-c", "log_min_messages=warning",
		"-c", "wal_recycle=off")
	s.cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	s.cmd.Dir = dir
	s.cmd.Stdout, s.cmd.Stderr = s.logs, s.logs
	if err := s.cmd.Start(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("start postgres: %w", err)
	}
	go func() { s.cmd.Wait(); close(s.done) }()
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		c, err := pgx.Connect(ctx, s.URL)
		cancel()
		if err == nil {
			c.Close(context.Background())
			return s, nil
		}
		select {
		case <-s.done:
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres exited: %s", s.logs)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.cmd.Process.Kill()
			<-s.done
			os.RemoveAll(dir)
			return nil, fmt.Errorf("postgres not ready after 30s: %v\n%s", err, s.logs)
		}
	}
}

// unprivileged returns the credentials of the user "nobody" when the tests
// run as root, and nil (the current user) otherwise.
func unprivileged() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("run PostgreSQL as an unprivileged user: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

func chownAll(dir string, uid, gid int) error {
	return filepath.Walk(dir, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Chown(p, uid, gid)
	})
}

func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return strconv.Itoa(l.Addr().(*net.TCPAddr).Port), nil
}

// DataDir is the server's data folder: its tables, indexes and
// write-ahead log, for a test that reads what the server keeps on disk.
func (s *Server) DataDir() string { return filepath.Join(s.dir, "data") }

// Database makes an empty schema for the test, dropped when it ends, and
// returns a URL whose connections use it (search_path).
func (s *Server) Database(t testing.TB) string {
	t.Helper()
	name := fmt.Sprintf("t%d", s.n.Add(1))
	s.exec(t, "CREATE SCHEMA "+name)
	t.Cleanup(func() { s.exec(t, "DROP SCHEMA "+name+" CASCADE") })
	return s.URL + "&search_path=" + name
}

// Exec runs sql on the server as its superuser, e.g. a CHECKPOINT.
func (s *Server) Exec(t testing.TB, sql string) { s.exec(t, sql) }

func (s *Server) exec(t testing.TB, sql string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pgx.Connect(ctx, s.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(ctx)
	if _, err := c.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}
