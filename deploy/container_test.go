package deploy_test

import (
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// imageUser is the unprivileged user the image runs as.
const imageUser = 65532

var built struct {
	once sync.Once
	path string
	err  error
	out  string
}

// buildAsContainer builds the binary with the Containerfile's own build
// command, once per test run, and returns its path.
func buildAsContainer(t *testing.T) string {
	t.Helper()
	var cmdline string
	for _, in := range parseContainerfile(t) {
		if in.stage == 0 && in.op == "RUN" && strings.Contains(in.args, "go build") {
			cmdline = in.args
		}
	}
	if !strings.Contains(cmdline, "-o /out/consulta ") {
		t.Fatalf("the build stage's go build does not write /out/consulta: %q", cmdline)
	}
	built.once.Do(func() {
		dir, err := os.MkdirTemp("", "consulta-image-")
		if err != nil {
			built.err = err
			return
		}
		os.Chmod(dir, 0o755)
		built.path = filepath.Join(dir, "consulta")
		cmd := exec.Command("sh", "-c", strings.Replace(cmdline, "/out/consulta", built.path, 1))
		cmd.Dir = root
		out, err := cmd.CombinedOutput()
		built.err, built.out = err, string(out)
	})
	if built.err != nil {
		t.Fatalf("build as the Containerfile does: %v\n%s", built.err, built.out)
	}
	return built.path
}

// TestContainerImage builds the binary as deploy/Containerfile does, lays
// out a root folder with what the image's run stage copies, and runs the
// image's ENTRYPOINT and HEALTHCHECK in it: chrooted (no shell, no library,
// nothing but the binary and the site), as the image's user, who may write
// to the data volume only.
func TestContainerImage(t *testing.T) {
	needRoot(t)
	bin := buildAsContainer(t)
	if why := isStatic(bin); why != "" {
		t.Errorf("the image's binary is not static and stripped: %s", why)
	}

	var from, user string
	var volumes, entry, health []string
	rootfs := publicDir(t)
	for _, in := range parseContainerfile(t) {
		if in.stage != 1 {
			continue
		}
		switch in.op {
		case "FROM":
			from = in.args
		case "USER":
			user = in.args
		case "VOLUME":
			volumes = append(volumes, execForm(t, in.args)...)
		case "ENTRYPOINT":
			entry = execForm(t, in.args)
		case "HEALTHCHECK":
			_, cmd, ok := strings.Cut(in.args, "CMD ")
			if !ok {
				t.Fatalf("HEALTHCHECK %s: no CMD", in.args)
			}
			health = execForm(t, cmd)
		case "COPY":
			copyInto(t, rootfs, bin, strings.Fields(in.args))
		case "RUN":
			t.Errorf("RUN %s in the run stage: the image has no shell to run it", in.args)
		}
	}
	if !strings.HasPrefix(from, "gcr.io/distroless/static") && from != "scratch" {
		t.Errorf("run stage FROM %s: want distroless static or scratch", from)
	}
	if user == "" || strings.HasPrefix(user, "0") || strings.HasPrefix(user, "root") {
		t.Errorf("USER %q: want a user that is not root", user)
	}
	if !slices.Equal(volumes, []string{"/data"}) {
		t.Errorf("VOLUME %v: want the one data volume /data", volumes)
	}
	volume := filepath.Join(rootfs, "data")
	data := filepath.Join(volume, "intake") // the service's own folder in the volume
	if fi, err := os.Stat(volume); err != nil || fi.Sys().(*syscall.Stat_t).Uid != imageUser {
		t.Fatalf("/data in the image: %v; want a folder owned by %d", err, imageUser)
	}

	port := freePort(t)
	entry = onPort(entry, port)
	health = onPort(health, port)
	env := []string{"PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/home/nonroot"}
	svc := start(t, command(rootfs, imageUser, entry, env))
	healthy(t, svc, func() *exec.Cmd { return command(rootfs, imageUser, health, env) })

	if code := postLead(t, "127.0.0.1:"+port); code != http.StatusAccepted {
		t.Errorf("a lead got %d, want 202", code)
	}
	// No SMTP server set: the coordinator's email is written into the data
	// volume (a lead posted without a form token gets no confirmation).
	var eml []string
	for deadline := time.Now().Add(10 * time.Second); len(eml) < 1 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		eml, _ = filepath.Glob(filepath.Join(data, "mail", "*.eml"))
	}
	svc.stop(t)
	if len(eml) != 1 {
		t.Errorf("%d emails in /data/intake/mail, want the coordinator's\n%s", len(eml), svc.logs)
	}
	if out, err := command(rootfs, imageUser, health, env).CombinedOutput(); err == nil {
		t.Errorf("the health check passes with the service stopped:\n%s", out)
	}
	if fi, err := os.Stat(data); err != nil {
		t.Error(err)
	} else if fi.Mode().Perm() != 0o700 {
		t.Errorf("/data/intake is %04o; want a folder the service made 0700", fi.Mode().Perm())
	}
	if _, err := os.Stat(filepath.Join(data, "outbox.db")); err != nil {
		t.Errorf("no store in /data/intake: %v", err)
	}
}

// copyInto does what a run-stage COPY line does to rootfs: args are the
// line's words, e.g. --from=build /out/consulta /usr/local/bin/consulta.
// The build stage's /out/consulta is bin; its /src is the module root.
func copyInto(t *testing.T, rootfs, bin string, args []string) {
	t.Helper()
	var chown string
	var paths []string
	for _, a := range args {
		switch {
		case strings.HasPrefix(a, "--chown="):
			chown = strings.TrimPrefix(a, "--chown=")
		case strings.HasPrefix(a, "--from=build"):
		case strings.HasPrefix(a, "--"):
			t.Fatalf("COPY %v: option %s not understood by this test", args, a)
		default:
			paths = append(paths, a)
		}
	}
	if len(paths) != 2 {
		t.Fatalf("COPY %v: want one source and one destination", args)
	}
	src, dst := paths[0], filepath.Join(rootfs, paths[1])
	switch {
	case src == "/out/consulta":
		src = bin
	case src == "/out/data":
		src = ""
	case strings.HasPrefix(src, "/src/"):
		src = filepath.Join(root, strings.TrimPrefix(src, "/src/"))
	default:
		t.Fatalf("COPY %v: source not understood by this test", args)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		t.Fatal(err)
	}
	var err error
	switch fi, statErr := os.Stat(src); {
	case src == "":
		err = os.Mkdir(dst, 0o755) // COPY of a folder makes the destination 0755, whatever the source's mode
	case statErr != nil:
		err = statErr
	case fi.IsDir():
		err = os.CopyFS(dst, os.DirFS(src))
	default:
		var b []byte
		if b, err = os.ReadFile(src); err == nil {
			err = os.WriteFile(dst, b, 0o755)
		}
	}
	if err != nil {
		t.Fatalf("COPY %v: %v", args, err)
	}
	if chown != "" {
		uid, _, _ := strings.Cut(chown, ":")
		if err := exec.Command("chown", "-R", uid+":"+uid, dst).Run(); err != nil {
			t.Fatalf("COPY %v: chown: %v", args, err)
		}
	}
}

// onPort moves the image's port 8081 to port, so that tests running at
// the same time do not collide.
func onPort(argv []string, port string) []string {
	out := slices.Clone(argv)
	for i, a := range out {
		if s, ok := strings.CutSuffix(a, ":8081"); ok {
			if s == "" {
				s = "127.0.0.1"
			}
			out[i] = s + ":" + port
		}
	}
	return out
}
