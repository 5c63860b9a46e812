package photo

import "sync"

// pixels keeps the buffers of planes that are done with, so that the
// planes of one photo after another reuse memory instead of making
// garbage for the collector (each photo would otherwise make about ten
// megabytes). A nil *pixels allocates every plane.
type pixels struct {
	pool sync.Pool // of *[]uint8
}

// plane returns a w×h plane with room for pad more bytes after its last
// row; its samples are not cleared.
func (p *pixels) plane(w, h, pad int) plane {
	n := w*h + pad
	if p != nil {
		if b, ok := p.pool.Get().(*[]uint8); ok && cap(*b) >= n {
			return plane{pix: (*b)[:n], stride: w, w: w, h: h}
		}
	}
	return plane{pix: make([]uint8, n), stride: w, w: w, h: h}
}

// free gives back the buffers of planes made by plane.
func (p *pixels) free(planes ...plane) {
	if p == nil {
		return
	}
	for _, pl := range planes {
		if cap(pl.pix) > 0 {
			b := pl.pix[:0]
			p.pool.Put(&b)
		}
	}
}
