package content

import (
	"bytes"
	"context"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"path"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/consultahq/consulta/generator/problem"
)

// Load reads the site in fsys, which is rooted at the site folder (the one
// holding content/), and returns the published site and every problem found.
// The site is nil only when content/ cannot be read at all; when the list
// holds errors, the site must not be published.
func Load(ctx context.Context, fsys fs.FS) (*Site, *problem.List) {
	return NewLoader(fsys).Load(ctx)
}

// Loader loads a site and keeps every file it read, so that after an edit
// only the changed files are read again ([Loader.Reload]). It is not safe
// for concurrent use.
type Loader struct {
	Workers int // files read at once; default GOMAXPROCS

	fsys   fs.FS
	now    func() time.Time
	config *configFile
	files  map[string]*file // by path, e.g. "content/procedures/rhinoplasty.md"
	paths  []string         // keys of files, sorted
	site   *Site            // the last resolve's site and problems
	probs  *problem.List

	procedures, members map[string]*file // the last resolve's, by slug
	fields              fieldIndex
}

// metaSeed seeds the hash of front matter; a Loader compares hashes made by
// one process only.
var metaSeed = maphash.MakeSeed()

// file is one Markdown file as read: its page, and what the resolver needs
// to report problems at the right line.
type file struct {
	page    *Page
	slug    string          // the name other pages use for it: the file or bundle folder name
	lines   map[string]int  // front matter field path → file line
	bad     map[string]bool // fields with a problem reported already, or every field when the YAML is invalid
	probs   problem.List    // problems found reading this file alone
	publish bool            // false for drafts and cases without valid consent
	meta    uint64          // hash of the front matter, to tell an edit of the body alone
}

// NewLoader returns a Loader for the site in fsys.
func NewLoader(fsys fs.FS) *Loader {
	return &Loader{fsys: fsys, now: time.Now, files: map[string]*file{}, fields: newFieldIndex(
		reflect.TypeFor[Config](), reflect.TypeFor[Meta](), reflect.TypeFor[Procedure](), reflect.TypeFor[Member](), reflect.TypeFor[Case](), reflect.TypeFor[PatientReview](), reflect.TypeFor[CareStep]())}
}

// WithNow makes the loader judge dates (consent, its expiry, the age of
// a medical review) against now instead of the clock, and returns it; nil
// keeps the clock.
func (l *Loader) WithNow(now func() time.Time) *Loader {
	if now != nil {
		l.now = now
	}
	return l
}

// Load reads every file of the site, then resolves references.
func (l *Loader) Load(ctx context.Context) (*Site, *problem.List) {
	l.files = map[string]*file{}
	l.config = l.loadConfig()
	var paths []string
	err := fs.WalkDir(l.fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		// Folders starting with _ are skipped, but the care steps of
		// every procedure, content/care/_default/.
		if p != "content" && (strings.HasPrefix(name, ".") || d.IsDir() && strings.HasPrefix(name, "_") && p != "content/care/"+DefaultCare) {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && strings.HasSuffix(name, ".md") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		probs := &problem.List{}
		probs.Errorf("content", 0, "", "cannot read the site's content: %v — run consulta in the site's folder (the one holding content/), or name it with -s", err)
		return nil, probs
	}
	// One worker a core, each taking the next file in turn: a goroutine
	// for each file would grow a new stack for each file's YAML.
	files := make([]*file, len(paths))
	var (
		wg   sync.WaitGroup
		next atomic.Int64
	)
	workers := l.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1)) - 1; i < len(paths); i = int(next.Add(1)) - 1 {
				files[i] = l.parse(paths[i])
			}
		})
	}
	wg.Wait()
	for i, p := range paths {
		l.files[p] = files[i]
	}
	l.paths = paths // WalkDir walks in lexical order
	return l.resolve()
}

// Change is what reading one file again changed.
type Change struct {
	File     string // e.g. "content/procedures/rhinoplasty.md"
	Old, New *Page  // nil when the file was added, or removed
	Meta     bool   // the front matter (or the settings) changed, so pages that show this one may change too
}

// Reload reads the named files again (paths relative to the site folder,
// e.g. "content/procedures/rhinoplasty.md"), forgets those that no longer
// exist, and resolves the site again. A changed file that is not Markdown
// makes the page of its folder be read again (a bundle's photo, say); a
// change to content/site.yaml reloads the settings.
func (l *Loader) Reload(ctx context.Context, paths []string) (*Site, *problem.List, []Change) {
	if l.config == nil {
		site, probs := l.Load(ctx)
		return site, probs, []Change{{File: configPath, Meta: true}}
	}
	var changes []Change
	olds := map[string]*file{} // what the changed files were, for patch
	for _, p := range paths {
		switch {
		case p == configPath:
			l.config = l.loadConfig()
			changes = append(changes, Change{File: p, Meta: true})
		case strings.HasSuffix(p, ".md"):
			olds[p] = l.files[p]
			changes = append(changes, l.reloadFile(p, true))
		default:
			for _, md := range []string{path.Join(path.Dir(p), "index.md"), path.Join(path.Dir(p), "_index.md")} {
				if _, ok := l.files[md]; ok {
					changes = append(changes, l.reloadFile(md, false))
				}
			}
		}
	}
	if l.site != nil && !slices.ContainsFunc(changes, func(c Change) bool { return c.Meta }) {
		probs := &problem.List{}
		probs.Merge(l.probs)
		return l.site, probs, changes // only bodies changed: the site is as it was
	}
	if site, kept, ok := l.patch(changes, olds); ok {
		probs := &problem.List{}
		probs.Merge(kept)
		return site, probs, changes
	}
	site, probs := l.resolve()
	return site, probs, changes
}

// reloadFile reads the file at p again. When only its body changed (and
// bodyOnly allows it: not when a file beside it changed, which the front
// matter may name), the page read before is kept and given the new body,
// so that every reference to it stays valid without resolving the site.
func (l *Loader) reloadFile(p string, bodyOnly bool) Change {
	c := Change{File: p, Meta: true}
	old, had := l.files[p]
	if had {
		c.Old = old.page
	}
	if _, err := fs.Stat(l.fsys, p); err != nil {
		if had {
			delete(l.files, p)
			if i, found := slices.BinarySearch(l.paths, p); found {
				l.paths = slices.Delete(l.paths, i, i+1)
			}
		}
		return c
	}
	if !had {
		i, _ := slices.BinarySearch(l.paths, p)
		l.paths = slices.Insert(l.paths, i, p)
	}
	f := l.parse(p)
	if bodyOnly && had && f.meta == old.meta && f.publish == old.publish {
		pg := old.page
		pg.Body, pg.BodyLine, pg.Lastmod = f.page.Body, f.page.BodyLine, f.page.Lastmod
		c.New, c.Meta = pg, false
		return c
	}
	l.files[p] = f
	c.New = f.page
	return c
}

// Page returns the page read from the file at path, published or not, or nil.
func (l *Loader) Page(path string) *Page {
	if f, ok := l.files[path]; ok {
		return f.page
	}
	return nil
}

// parse reads one Markdown file. It reports what can be known from the file
// alone; references to other pages are checked by resolve.
func (l *Loader) parse(p string) *file {
	f := &file{lines: map[string]int{}, bad: map[string]bool{}}
	pg := &Page{File: p, lines: f.lines}
	f.page = pg
	classify(pg, f)
	src, modified, err := readFile(l.fsys, p)
	if err != nil {
		f.probs.Errorf(p, 0, "", "cannot read: %v", err)
		return f
	}
	if line, msg := checkText(src, 0); msg != "" {
		f.probs.Errorf(p, line, "", "%s", msg)
		return f
	}
	fm, body, bodyLine, err := splitFrontMatter(src)
	pg.Body, pg.BodyLine = bytes.Clone(body), bodyLine // let the front matter's bytes go
	f.meta = maphash.Bytes(metaSeed, fm)
	if err != nil {
		f.probs.Errorf(p, 1, "", "%v", err)
		return f
	}
	targets := []any{&pg.Meta}
	switch pg.Kind {
	case KindProcedure:
		pg.Procedure = &Procedure{}
		targets = append(targets, pg.Procedure)
	case KindMember:
		pg.Member = &Member{}
		targets = append(targets, pg.Member)
	case KindCase:
		pg.Case = &Case{}
		targets = append(targets, pg.Case)
	case KindReview:
		pg.PatientReview = &PatientReview{}
		targets = append(targets, pg.PatientReview)
	case KindCare: // a care file has keys of its own, and none of a page's
		pg.Care = &CareStep{}
		targets = []any{pg.Care}
	}
	doc, yerr := parseYAML(fm, 1)
	if yerr != nil {
		f.probs.Errorf(p, yerr.line, yerr.field, "%s", yerr.msg)
		f.publish = false
		return f
	}
	d := decoder{file: p, offset: 1, probs: &f.probs, lines: f.lines, bad: f.bad, fields: l.fields}
	d.document(doc, targets...)
	if c := pg.Care; c != nil {
		pg.Title, pg.Draft = c.Title, c.Draft
	}
	if pg.Lastmod.IsZero() {
		pg.Lastmod = modified
	}
	if pg.Slug != "" {
		if strings.ContainsAny(pg.Slug, "/\\ ?#") {
			f.probs.Errorf(p, f.line("slug"), "slug", "%q cannot hold slashes, spaces, ? or # — write one word such as %s", pg.Slug, f.slug)
		} else if pg.Kind != KindHome && pg.Kind != KindSection {
			pg.URL = path.Dir(strings.TrimSuffix(pg.URL, "/")) + "/" + pg.Slug + "/"
		}
	}
	f.publish = !pg.Draft
	l.check(f)
	if pg.Draft {
		// A draft is not published: its problems stop no build, and
		// check lists them for the day it is.
		f.probs.AsWarnings()
	} else {
		starterText(f, src)
	}
	return f
}

// missing reports whether a required field is empty and no problem
// about it was reported yet.
func (f *file) missing(field, value string) bool {
	return strings.TrimSpace(value) == "" && !f.bad[field]
}

// line returns the file line of a front matter field, or 1 (the opening
// "---") when the field is not there, as when it is missing.
func (f *file) line(field string) int {
	if n, ok := f.lines[field]; ok {
		return n
	}
	return 1
}

// classify sets the page's kind, section, URL and bundle from its path.
func classify(pg *Page, f *file) {
	rel := strings.TrimPrefix(pg.File, "content/")
	dir, base := path.Split(rel)
	dir = strings.TrimSuffix(dir, "/")
	if strings.HasPrefix(rel, "care/") { // never published: no URL
		pg.Kind, pg.Section, f.slug = KindCare, "care", strings.TrimSuffix(base, ".md")
		return
	}
	switch {
	case rel == "_index.md":
		pg.Kind, pg.URL = KindHome, "/"
		return
	case base == "_index.md":
		pg.Kind, pg.URL = KindSection, "/"+dir+"/"
		pg.Section, _, _ = strings.Cut(dir, "/")
		f.slug = path.Base(dir)
		return
	case base == "index.md" && dir != "":
		pg.Bundle = "content/" + dir
		pg.URL = "/" + dir + "/"
		f.slug = path.Base(dir)
		dir = path.Dir(dir)
	default:
		f.slug = strings.TrimSuffix(base, ".md")
		pg.URL = "/" + path.Join(dir, f.slug) + "/"
	}
	if dir != "" && dir != "." {
		pg.Section, _, _ = strings.Cut(dir, "/")
	}
	switch pg.Section {
	case "procedures":
		pg.Kind = KindProcedure
	case "team":
		pg.Kind = KindMember
	case "gallery":
		pg.Kind = KindCase
	case "reviews":
		pg.Kind = KindReview
	default:
		pg.Kind = KindPage
	}
}

// check reports the problems that the file alone shows.
func (l *Loader) check(f *file) {
	pg, p := f.page, f.page.File
	if pg.Kind != KindReview && f.missing("title", pg.Title) {
		f.probs.Errorf(p, f.line("title"), "title", "missing — add a line such as \"title: %s\" to the front matter", titleFromSlug(f.slug))
	}
	if n := len([]rune(pg.Description)); n > 160 {
		f.probs.Warnf(p, f.line("description"), "description", "%d characters, at most 160 — shorten it: search engines cut the rest", n)
	}
	for i, a := range pg.Aliases {
		field := fmt.Sprintf("aliases[%d]", i)
		if !strings.HasPrefix(a, "/") || strings.HasPrefix(a, "//") {
			f.probs.Errorf(p, f.line(field), field, "%q is not a path on this site — write the old URL's path, starting with /, e.g. /old-page/", a)
			continue
		}
		pg.Aliases[i] = normalizeURL(a)
	}
	switch pg.Kind {
	case KindProcedure:
		checkProcedure(f, l.now())
	case KindMember:
		checkMember(l.fsys, f)
	case KindCase:
		checkCase(l.fsys, f, l.now())
	case KindReview:
		checkReview(f, l.now())
	case KindCare:
		checkCareStep(f, l.now())
	}
}

// normalizeURL gives a path without an extension its trailing slash.
func normalizeURL(u string) string {
	u, _, _ = strings.Cut(u, "#")
	u, _, _ = strings.Cut(u, "?")
	if !strings.HasSuffix(u, "/") && path.Ext(u) == "" {
		u += "/"
	}
	return u
}

func titleFromSlug(slug string) string {
	if slug == "" {
		return "Home"
	}
	words := strings.Split(slug, "-")
	for i, w := range words {
		if w != "" {
			words[i] = strings.ToUpper(w[:1]) + w[1:]
		}
	}
	return strings.Join(words, " ")
}

// readFile reads a file and its modification time with one open. It
// reads as many bytes as the file holds when opened, without the read
// that would report the end: a file written meanwhile is read again after
// the write's own change event.
func readFile(fsys fs.FS, name string) ([]byte, time.Time, error) {
	fl, err := fsys.Open(name)
	if err != nil {
		return nil, time.Time{}, err
	}
	defer fl.Close()
	info, err := fl.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	b := make([]byte, info.Size())
	n, err := io.ReadFull(fl, b)
	if err != nil && err != io.ErrUnexpectedEOF {
		return nil, time.Time{}, err
	}
	return b[:n], info.ModTime().UTC(), nil
}
