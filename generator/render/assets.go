package render

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"strings"
)

// fingerprint publishes every file under static/ at /assets/<name>.<hash>.<ext>,
// the hash being the first 8 hex digits of the SHA-256 of the content, so that
// browsers may cache assets for ever and a changed file gets a new URL.
func (t *Theme) fingerprint(files map[string]themeFile) {
	for _, p := range sortedKeys(files) {
		name, ok := strings.CutPrefix(p, "static/")
		if !ok {
			continue
		}
		sum := sha256.Sum256(files[p].data)
		ext := path.Ext(name)
		url := "/assets/" + strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:4]) + ext
		t.urls[name] = url
		t.assets = append(t.assets, Asset{Path: url, Data: files[p].data})
	}
}

// assetURL returns the published URL of a static file, e.g. "site.css".
func (t *Theme) assetURL(name string) (string, error) {
	if url, ok := t.urls[name]; ok {
		return url, nil
	}
	return "", fmt.Errorf("no file static/%s in theme %q", name, t.name)
}
