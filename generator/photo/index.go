package photo

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"time"
)

// The source index remembers, for each source file, its size and
// modification time when it was last processed and the key of its
// outputs, so that an unchanged file is not even read on a rebuild.
type sourceStamp struct {
	Size     int64     `json:"size"`
	ModTime  time.Time `json:"mtime"`
	Settings string    `json:"settings"` // hash of the settings the key was made with
	Key      string    `json:"key"`
}

const indexFile = "sources.json"

func (p *Processor) loadIndex() {
	p.index = map[string]sourceStamp{}
	if p.opts.CacheDir == "" {
		return
	}
	data, err := os.ReadFile(p.Path(indexFile))
	if err == nil {
		_ = json.Unmarshal(data, &p.index) // a broken index only costs reading the sources
	}
}

// ProcessFile is Process for the file name of fsys. It reads the file
// only when its size or modification time differ from the last time it
// was processed with these settings. Call SaveIndex when done.
func (p *Processor) ProcessFile(ctx context.Context, fsys fs.FS, name string) (Result, error) {
	info, r, ok, err := p.indexed(fsys, name)
	if err != nil || ok {
		return r, err
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Result{}, fmt.Errorf("read photo %s: %w", name, err)
	}
	r, err = p.Process(ctx, src)
	if err != nil {
		return Result{}, err
	}
	p.mu.Lock()
	p.index[name] = sourceStamp{Size: info.Size(), ModTime: info.ModTime(), Settings: p.settingsHash, Key: r.Key}
	p.dirty = true
	p.mu.Unlock()
	return r, nil
}

// PlanFile is Plan for the file name of fsys: like ProcessFile, it reads
// the file only when the index does not know it, and it writes nothing.
func (p *Processor) PlanFile(fsys fs.FS, name string) (Result, error) {
	_, r, ok, err := p.indexed(fsys, name)
	if err != nil || ok {
		return r, err
	}
	src, err := fs.ReadFile(fsys, name)
	if err != nil {
		return Result{}, fmt.Errorf("read photo %s: %w", name, err)
	}
	return p.Plan(src)
}

// indexed returns the cached result of the file name when the index
// knows it unchanged, and its file information.
func (p *Processor) indexed(fsys fs.FS, name string) (fs.FileInfo, Result, bool, error) {
	info, err := fs.Stat(fsys, name)
	if err != nil {
		return nil, Result{}, false, fmt.Errorf("read photo %s: %w", name, err)
	}
	p.mu.Lock()
	st, ok := p.index[name]
	p.mu.Unlock()
	if ok && st.Size == info.Size() && st.ModTime.Equal(info.ModTime()) && st.Settings == p.settingsHash {
		if r, ok := p.cached(st.Key); ok {
			return info, r, true, nil
		}
	}
	return info, Result{}, false, nil
}

// SaveIndex writes the source index to the cache, if it changed.
func (p *Processor) SaveIndex() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.dirty {
		return nil
	}
	data, err := json.Marshal(p.index)
	if err != nil {
		return err
	}
	if err := writeAtomic(p.Path(indexFile), data); err != nil {
		return err
	}
	p.dirty = false
	return nil
}
