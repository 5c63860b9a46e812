package intake

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/action"
)

func TestFormSecretIsKept(t *testing.T) {
	dir := t.TempDir()
	a, err := formSecret(nil, dir)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := formSecret(nil, dir)
	if len(a) < 32 || string(a) != string(b) {
		t.Errorf("secret %d bytes, then another: want one kept", len(a))
	}
	if fi, err := os.Stat(filepath.Join(dir, secretFile)); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the key file: %v, %v; want mode 0600", fi, err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if _, err := formSecret([]byte("short"), dir); err == nil {
		t.Error("a short CONSULTA_FORM_SECRET: want an error")
	}
}

// TestFormSecretMadeOnce: instances starting together on one data folder
// end up with one key, whichever made it.
func TestFormSecretMadeOnce(t *testing.T) {
	dir := t.TempDir()
	keys := make([]string, 8)
	var wg sync.WaitGroup
	for i := range keys {
		wg.Go(func() {
			k, err := formSecret(nil, dir)
			if err != nil {
				t.Error(err)
			}
			keys[i] = string(k)
		})
	}
	wg.Wait()
	kept, _ := os.ReadFile(filepath.Join(dir, secretFile))
	for i, k := range keys {
		if k != string(kept) {
			t.Errorf("instance %d signs with a key other than the one kept", i)
		}
	}
}

// TestDamagedFormSecretRefused: a key file that is cut short, empty or
// cannot be read stops the service from starting, with a message saying
// how to recover; it is never silently replaced, which would make every
// emailed action link invalid.
func TestDamagedFormSecretRefused(t *testing.T) {
	for name, damage := range map[string]func(path string) error{
		"truncated":  func(p string) error { return os.WriteFile(p, []byte("0123456789abcdef"), 0o600) },
		"empty":      func(p string) error { return os.WriteFile(p, nil, 0o600) },
		"unreadable": func(p string) error { return os.Mkdir(p, 0o700) }, // as root, a mode would not stop a read
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			os.Chmod(dir, 0o700) // a data folder others may open is refused first
			path := filepath.Join(dir, secretFile)
			if err := damage(path); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(path)
			_, err := Open(context.Background(), slog.New(slog.DiscardHandler), Config{DataDir: dir, Practice: testPractice})
			if err == nil {
				t.Fatal("the service started on a damaged key")
			}
			for _, want := range []string{path, "backup", "CONSULTA_FORM_SECRET"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("the message does not say %q:\n%v", want, err)
				}
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("the damaged key file was changed")
			}
		})
	}
}

// TestPreviousSecret: during a rotation (CONSULTA_FORM_SECRET_PREVIOUS),
// the links, form tokens and thank-you pages signed with the previous key
// still verify, and everything new is signed with the new key.
func TestPreviousSecret(t *testing.T) {
	old := []byte("the-old-key-0123456789abcdef-0123456789")
	f := newFixture(t, func(c *Config) {
		c.PreviousSecret = old
		c.PublicURL = "https://www.harbour.example"
	})
	w := f.post(ctJSON, asJSON(validLead()), "")
	if w.Code != http.StatusAccepted {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var a answer
	json.Unmarshal(w.Body.Bytes(), &a)
	oldLink := action.Signer{Secret: old, Now: f.clock.now}.Sign(a.ID, action.Claim, coordinator)
	if r := f.do(http.MethodGet, action.Path+oldLink); r.StatusCode != http.StatusOK {
		t.Errorf("a link signed with the previous key: %d, want 200", r.StatusCode)
	}
	forged := action.Signer{Secret: []byte("another-key-0123456789abcdef-012345678"), Now: f.clock.now}.Sign(a.ID, action.Claim, coordinator)
	if r := f.do(http.MethodGet, action.Path+forged); r.StatusCode != http.StatusForbidden {
		t.Errorf("a link signed with another key: %d, want 403", r.StatusCode)
	}
	oldTok := tokens{secret: old}.issue(f.clock.now().Add(-time.Minute))
	if sig := f.server().tokens.judge(oldTok, f.clock.now()); sig != "" {
		t.Errorf("a form token signed with the previous key: %q, want none", sig)
	}
	thanks := (&server{tokens: tokens{secret: old}}).thanksURL("HAS-0302-AAAA", f.clock.now(), "")
	if page := f.get(thanks).Body.String(); !strings.Contains(page, "HAS-0302-AAAA") {
		t.Error("a thank-you page signed with the previous key does not show its reference")
	}
	if new := f.server().actions.Sign("ld_x", action.Claim, coordinator); new == (action.Signer{Secret: old, Now: f.clock.now}).Sign("ld_x", action.Claim, coordinator) {
		t.Error("new links are signed with the previous key")
	}
}

// server returns the fixture's server.
func (f *fixture) server() *server { return f.h.(*server) }
