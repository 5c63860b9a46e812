package intake

import "testing"

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
	if _, err := formSecret([]byte("short"), dir); err == nil {
		t.Error("a short CONSULTA_FORM_SECRET: want an error")
	}
}
