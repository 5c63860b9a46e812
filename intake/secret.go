package intake

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/consultahq/consulta/internal/newfile"
)

// secretFile is the file under the data folder that keeps the key signing
// form tokens and action links when none is given, so that they outlive a
// restart.
const secretFile = "form-secret"

// minSecret is the shortest key the service signs with, in bytes.
const minSecret = 32

// formSecret returns the key that signs form tokens and action links:
// given, when set, else the one kept in dataDir/form-secret, made on
// first use. The file is written whole or not at all (newfile.Write); of
// instances starting together on one folder, the first to write it wins
// and the others read it. A key file that is there but cannot be read, or
// is too short to be one, is refused: a new key in its place would
// silently invalidate every action link already emailed.
func formSecret(given []byte, dataDir string) ([]byte, error) {
	if len(given) > 0 {
		if len(given) < minSecret {
			return nil, errors.New("the form secret (CONSULTA_FORM_SECRET) is too short: use at least 32 characters (e.g. openssl rand -hex 32)")
		}
		return given, nil
	}
	file := filepath.Join(dataDir, secretFile)
	for range 2 {
		b, err := os.ReadFile(file)
		switch {
		case err == nil && len(b) >= minSecret:
			return b, nil
		case err == nil:
			return nil, damagedSecret(file, fmt.Sprintf("it holds %d bytes, and a key has at least %d", len(b), minSecret))
		case !errors.Is(err, fs.ErrNotExist):
			return nil, damagedSecret(file, err.Error())
		}
		raw := make([]byte, minSecret)
		rand.Read(raw)
		b = []byte(hex.EncodeToString(raw))
		err = newfile.Write(file, b, 0o600)
		if err == nil {
			return b, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("keep the form secret in %s: %w", file, err)
		}
		// Another instance made it a moment ago: read the one it kept.
	}
	return nil, fmt.Errorf("keep the form secret in %s: it keeps appearing and vanishing", file)
}

// damagedSecret is the error of a key file that cannot be used, saying
// why and how to recover.
func damagedSecret(file, why string) error {
	return fmt.Errorf("the form secret %s cannot be used: %s. "+
		"It signed the action links of the emails sent in the last 30 days and the forms open now, so the service "+
		"does not start with another key in its place. Restore the file from a backup of the data folder. "+
		"If there is none, move the file away and start again: a new key is made, and the links and forms "+
		"signed with the old one stop working. To sign with a key of your own, set CONSULTA_FORM_SECRET "+
		"(see docs/intake.md, Rotating the key)", file, why)
}
