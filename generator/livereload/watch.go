package livereload

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// quiet is how long the watcher waits after a file event for more, so
// that an editor's several writes of one save make one rebuild.
const quiet = 10 * time.Millisecond

// Watcher reports changed files of a site in batches on Changes, as
// paths relative to the site folder with forward slashes, e.g.
// "content/procedures/rhinoplasty.md"; and failures to watch on Errors.
type Watcher struct {
	Changes <-chan []string // closed when the Watcher stops
	Errors  <-chan error

	site    string
	fsn     *fsnotify.Watcher
	changes chan []string
	errors  chan error
	done    chan struct{}
}

// Watch watches the folders of the site folder site (and every folder
// under them, those made later included): content/, themes/ and static/
// by default. A folder that does not exist is left out.
func Watch(site string, folders ...string) (*Watcher, error) {
	if len(folders) == 0 {
		folders = []string{"content", "themes", "static"}
	}
	fsn, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, fmt.Errorf("watch files: %w", err)
	}
	w := &Watcher{site: site, fsn: fsn, changes: make(chan []string), errors: make(chan error, 1), done: make(chan struct{})}
	w.Changes, w.Errors = w.changes, w.errors
	for _, dir := range folders {
		if err := w.addTree(filepath.Join(site, dir)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			fsn.Close()
			return nil, fmt.Errorf("watch %s: %w", dir, err)
		}
	}
	go w.loop()
	return w, nil
}

// addTree watches dir and every folder under it.
func (w *Watcher) addTree(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != dir && ignored(d.Name()) {
			return filepath.SkipDir
		}
		return w.fsn.Add(p)
	})
}

// ignored reports whether a file name is an editor's or the system's
// scratch file rather than content.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasSuffix(name, "~") || strings.HasSuffix(name, ".swp") ||
		strings.HasSuffix(name, ".tmp") || name == "4913"
}

func (w *Watcher) loop() {
	defer close(w.changes)
	var (
		batch []string
		timer = time.NewTimer(time.Hour)
	)
	timer.Stop()
	for {
		select {
		case <-w.done:
			return
		case ev, ok := <-w.fsn.Events:
			if !ok {
				return
			}
			if p, ok := w.relevant(ev); ok {
				if !slices.Contains(batch, p) {
					batch = append(batch, p)
				}
				timer.Reset(quiet)
			}
		case err, ok := <-w.fsn.Errors:
			if !ok {
				return
			}
			select {
			case w.errors <- err:
			default:
			}
		case <-timer.C:
			select {
			case w.changes <- batch:
				batch = nil
			case <-w.done:
				return
			}
		}
	}
}

// relevant returns the site-relative path of an event worth a rebuild. A
// new folder is watched too, and reported with the files already in it.
func (w *Watcher) relevant(ev fsnotify.Event) (string, bool) {
	if ignored(filepath.Base(ev.Name)) || ev.Op == fsnotify.Chmod {
		return "", false
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			if err := w.addTree(ev.Name); err != nil {
				select {
				case w.errors <- err:
				default:
				}
			}
		}
	}
	rel, err := filepath.Rel(w.site, ev.Name)
	if err != nil {
		return "", false
	}
	return filepath.ToSlash(rel), true
}

// Close stops watching.
func (w *Watcher) Close() error {
	close(w.done)
	return w.fsn.Close()
}
