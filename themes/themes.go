// Package themes embeds Consulta's built-in themes, so that the binary can
// build any site, including one with no themes/ folder of its own.
//
// A site's own themes/<name>/ overrides any file of the theme of that name.
package themes

import "embed"

// Default is the name of the built-in theme, and the theme of a site that
// names none.
const Default = "default"

// FS holds the built-in themes, one folder each: default/.
//
//go:embed all:default
var FS embed.FS
