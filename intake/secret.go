package intake

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// secretFile is the file under the data folder that keeps the key signing
// form tokens when none is given, so that tokens outlive a restart.
const secretFile = "form-secret"

// formSecret returns the key that signs form tokens: given, when set, else
// the one kept in dataDir/form-secret, made on first use.
func formSecret(given []byte, dataDir string) ([]byte, error) {
	if len(given) > 0 {
		if len(given) < 32 {
			return nil, errors.New("the form secret (CONSULTA_FORM_SECRET) is too short: use at least 32 characters (e.g. openssl rand -hex 32)")
		}
		return given, nil
	}
	file := filepath.Join(dataDir, secretFile)
	b, err := os.ReadFile(file)
	if err == nil && len(b) >= 32 {
		return b, nil
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read form secret: %w", err)
	}
	raw := make([]byte, 32)
	rand.Read(raw)
	b = []byte(hex.EncodeToString(raw))
	if err := os.WriteFile(file, b, 0o600); err != nil {
		return nil, fmt.Errorf("keep form secret: %w", err)
	}
	return b, nil
}
