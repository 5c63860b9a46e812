package main

import "testing"

// TestFormSecretsFromEnvironment: the key and the previous key of a
// rotation come from the environment under their documented names.
func TestFormSecretsFromEnvironment(t *testing.T) {
	vars := map[string]string{
		"CONSULTA_FORM_SECRET":          "new-key-0123456789abcdef-0123456789",
		"CONSULTA_FORM_SECRET_PREVIOUS": "old-key-0123456789abcdef-0123456789",
	}
	cfg := envIntakeConfig(env{getenv: func(k string) string { return vars[k] }})
	if string(cfg.Secret) != vars["CONSULTA_FORM_SECRET"] || string(cfg.PreviousSecret) != vars["CONSULTA_FORM_SECRET_PREVIOUS"] {
		t.Errorf("secret %q, previous %q", cfg.Secret, cfg.PreviousSecret)
	}
}
