package main

import (
	"context"
	"errors"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/consultahq/consulta/generator/content"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func runNew(ctx context.Context, e env, args []string) error {
	fs := newFlagSet(e, "new", "new [-s SITE_DIR] procedure|page|member SLUG",
		`New writes a starter file, with comments on every field, for a procedure
(content/procedures/SLUG.md), a page (content/SLUG.md) or a team member
(content/team/SLUG.md). The file builds as it is; edit it, then run
consulta check. SLUG becomes the page's address, e.g. /procedures/SLUG/:
lower-case letters, digits and dashes. An existing file is never
overwritten.`)
	site := fs.String("s", ".", "the site's `folder`, holding content/")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 {
		fs.Usage()
		return errUsage
	}
	kind, slug := fs.Arg(0), fs.Arg(1)
	if !slugRE.MatchString(slug) {
		return fmt.Errorf("new: %q is not a slug — use lower-case letters, digits and dashes, e.g. breast-lift", slug)
	}
	title := titleCase(slug)
	var rel, text string
	switch kind {
	case "procedure":
		cfg, _ := content.LoadConfig(os.DirFS(*site))
		if len(cfg.Categories) == 0 {
			cfg.Categories = content.DefaultCategories
		}
		rel = filepath.Join("content", "procedures", slug+".md")
		text = fmt.Sprintf(procedureStarter, title, cfg.Categories[0].Slug, categoryNames(cfg.Categories))
	case "page":
		rel, text = filepath.Join("content", slug+".md"), fmt.Sprintf(pageStarter, title)
	case "member":
		rel, text = filepath.Join("content", "team", slug+".md"), fmt.Sprintf(memberStarter, title)
	default:
		fs.Usage()
		return errUsage
	}
	path := filepath.Join(*site, rel)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("new: %w", err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, iofs.ErrExist) {
		return fmt.Errorf("new: %s exists already — edit it, or choose another slug", path)
	}
	if err != nil {
		return fmt.Errorf("new: %w", err)
	}
	if _, err := f.WriteString(text); err != nil {
		f.Close()
		return fmt.Errorf("new: write %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("new: write %s: %w", path, err)
	}
	fmt.Fprintf(e.stdout, "wrote %s — edit it, then run consulta check\n", path)
	return nil
}

func titleCase(slug string) string {
	words := strings.Split(slug, "-")
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	return strings.Join(words, " ")
}

func categoryNames(cs []content.Category) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Slug
	}
	return strings.Join(names, ", ")
}

const procedureStarter = `---
# The procedure's name, as patients search for it.
title: "%[1]s"
# One or two sentences for search results: at most 160 characters.
description: "%[1]s at our practice: what it is, what it costs and how recovery goes."
# One of the categories in content/site.yaml: %[3]s.
category: %[2]s
# A short summary shown in lists and at the top of the page.
summary: "Describe in two sentences what %[1]s does and who it is for."
# The fee range in whole units of the currency (ISO 4217 code, e.g. EUR, GBP).
fees:
  from: 1000
  to: 2000
  currency: EUR
  note: "Quoted at your consultation."
recovery: "1-2 weeks"
duration: "1-2 hours"
anesthesia: "local with sedation"
# Team members who perform it: file names in content/team/, without .md.
# surgeons:
#   - dr-amelia-hart
# Related procedures: file names in content/procedures/, without .md.
# related:
#   - facelift
# Frequently asked questions, shown on the page and to search engines.
faq:
  - q: "How long is the recovery after %[1]s?"
    a: "Most patients return to work after one to two weeks."
# Lower comes first in lists.
weight: 100
# draft: true keeps the page off the site until you remove it.
draft: false
---

Introduce %[1]s in a short paragraph: what it is and what it can do.

## Who is a good candidate?

- Describe who benefits most.

## The procedure

Explain what happens before, on the day and after.

## Recovery

Explain the recovery, week by week.
`

const pageStarter = `---
# The page's title, shown in the browser tab and at the top of the page.
title: "%[1]s"
# One or two sentences for search results: at most 160 characters.
description: "About %[1]s."
# draft: true keeps the page off the site until you remove it.
draft: false
# Old addresses of this page that should lead here, e.g. /old-page/.
# aliases:
#   - /old-page/
---

Write the page in Markdown here.
`

const memberStarter = `---
# The team member's name, as patients should see it.
title: "%[1]s"
# surgeon, coordinator, nurse, …
role: surgeon
# Degrees and memberships, e.g. "MBBS, FRCS (Plast)".
credentials: ""
# languages:
#   - English
# A photo beside this file or under content/, e.g. photo: dr-amelia-hart.jpg
# photo: ""
# Lower comes first in lists.
weight: 100
---

Write a short biography: training, experience and what patients can expect.
`
