package photo

import (
	"bytes"
	"context"
	"image"
	"os"
	"sync"
	"testing"

	"github.com/consultahq/consulta/generator/internal/phototest"
)

// Photos processed at once by one Processor, which shares plane buffers
// between them, come out byte for byte as when processed one at a time.
func TestProcessConcurrent(t *testing.T) {
	var srcs [][]byte
	for i := range 6 {
		m := image.NewRGBA(image.Rect(0, 0, 300+10*i, 200+20*i))
		for j := range m.Pix {
			m.Pix[j] = uint8(j*(i+3) + j/7)
		}
		srcs = append(srcs, phototest.CameraJPEG(t, m, uint16(1+i%2*5))) // orientations 1 and 6
	}
	opts := Options{Widths: []int{50, 100, 250}}
	alone := newProcessor(t, opts)
	want := make([][][]byte, len(srcs))
	for i, src := range srcs {
		want[i] = outputs(t, alone, src)
	}
	shared := newProcessor(t, opts)
	var wg sync.WaitGroup
	got := make([][][]byte, len(srcs))
	for i, src := range srcs {
		wg.Go(func() { got[i] = outputs(t, shared, src) })
	}
	wg.Wait()
	for i := range srcs {
		for j := range want[i] {
			if !bytes.Equal(got[i][j], want[i][j]) {
				t.Errorf("photo %d, output %d differs when processed concurrently", i, j)
			}
		}
	}
}

// outputs processes src and returns the bytes of its output files.
func outputs(t *testing.T, p *Processor, src []byte) [][]byte {
	r, err := p.Process(context.Background(), src)
	if err != nil {
		t.Error(err)
		return nil
	}
	var out [][]byte
	for _, v := range r.Variants {
		data, err := os.ReadFile(p.Path(v.File))
		if err != nil {
			t.Error(err)
		}
		out = append(out, data)
	}
	return out
}
