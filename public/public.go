// Package public holds the static files the binary serves under /static.
// vendor/htmx.min.js is copied from the pinned npm package by `make assets`.
package public

import "embed"

//go:embed css/*.css js/*.js img/*.svg vendor/htmx.min.js
var FS embed.FS
