package photo

import (
	"encoding/binary"
	"math"
)

// A plane is one 8-bit channel of an image: Y, Cb or Cr.
type plane struct {
	pix    []uint8
	stride int
	w, h   int
}

func newPlane(w, h int) plane {
	return plane{pix: make([]uint8, w*h), stride: w, w: w, h: h}
}

func (p plane) row(y int) []uint8 { return p.pix[y*p.stride : y*p.stride+p.w] }

// Weights are fixed point with this many fraction bits, so that a sum of
// products of 8-bit samples fits an int32 with room to spare.
const weightBits = 14

// taps holds, for each output sample, the first input sample it reads and
// the weights of that and the following input samples. Every output
// sample reads the same number of inputs (n); weights past the edge are
// folded onto the edge sample.
type taps struct {
	start   []int
	weights []int32 // len(start)*n
	n       int
}

// catmullRom is the cubic convolution kernel with a = -0.5: sharp without
// the ringing of Lanczos on skin edges, the filter most image tools call
// "bicubic".
func catmullRom(x float64) float64 {
	x = math.Abs(x)
	switch {
	case x < 1:
		return (1.5*x-2.5)*x*x + 1
	case x < 2:
		return ((-0.5*x+2.5)*x-4)*x + 2
	}
	return 0
}

// makeTaps computes the weights that resample in samples to out samples.
// When shrinking, the kernel is stretched by the ratio so that every input
// sample contributes (an area-correct, alias-free downscale).
func makeTaps(in, out int) taps {
	scale := float64(in) / float64(out)
	support := 2.0
	if scale > 1 {
		support *= scale
	}
	// The kernel is zero at ±support, so the open window of 2·support
	// holds at most ⌈2·support⌉ samples with a weight.
	n := min(int(math.Ceil(2*support)), in)
	t := taps{start: make([]int, out), weights: make([]int32, out*n), n: n}
	ws := make([]float64, n)
	for o := range out {
		center := (float64(o)+0.5)*scale - 0.5
		first := int(math.Floor(center - support + 1))
		// Slide the window inside [0, in) so no index is out of range;
		// weights for samples outside the window fold onto the edges.
		start := min(max(first, 0), in-n)
		clear(ws)
		var sum float64
		for i := first; i <= int(math.Floor(center+support)); i++ {
			d := float64(i) - center
			if scale > 1 {
				d /= scale
			}
			w := catmullRom(d)
			if w == 0 {
				continue
			}
			j := min(max(i, 0), in-1) - start
			if j < 0 || j >= n {
				continue
			}
			ws[j] += w
			sum += w
		}
		t.start[o] = start
		row := t.weights[o*n : (o+1)*n]
		var isum int32
		for j, w := range ws {
			row[j] = int32(math.Round(w / sum * (1 << weightBits)))
			isum += row[j]
		}
		// Put the rounding error on the largest weight so every row sums to one.
		big := 0
		for j := range row {
			if row[j] > row[big] {
				big = j
			}
		}
		row[big] += 1<<weightBits - isum
	}
	return t
}

func clamp8(v int32) uint8 {
	v = (v + 1<<(weightBits-1)) >> weightBits
	if uint32(v) > 255 {
		if v < 0 {
			return 0
		}
		return 255
	}
	return uint8(v)
}

// The inner loops compute two sums at once in the two 32-bit halves of a
// uint64 ("SIMD within a register"): a sample times a weight fits 23
// bits and a sum 24, and a negative low half only borrows one from the
// high half, which unpack gives back.

// lanes masks the bytes 0 and 4 of a uint64: two samples, one a lane.
const lanes = 0x000000ff_000000ff

// pair packs two signed weights, one a lane.
func pair(lo, hi int32) uint64 { return uint64(int64(lo)) + uint64(int64(hi))<<32 }

// unpack returns the two sums of a, rounded and clamped to 8 bits.
func unpack(a uint64) (lo, hi uint8) {
	l := int32(a)
	h := int32(int64(a-uint64(int64(l))) >> 32)
	return clamp8(l), clamp8(h)
}

// resizePlane resamples src to w×h with separable Catmull-Rom filtering:
// columns first into an 8-bit intermediate (the cheaper pass, as its inner
// loop runs along rows), then rows. Its planes are taken from px.
func resizePlane(src plane, w, h int, px *pixels) plane {
	if src.w == w && src.h == h {
		dst := px.plane(w, h, 0)
		for y := range h {
			copy(dst.row(y), src.row(y))
		}
		return dst
	}
	pt := makePairTaps(makeTaps(src.w, w))
	// The last pair of a row may read past its end, with weight zero.
	mid := px.plane(src.w, h, pt.n)
	vertical(mid, src, makeTaps(src.h, h))
	dst := px.plane(w, h, 0)
	horizontal(dst, mid, pt)
	px.free(mid)
	return dst
}

// pairTaps are the taps of output pairs: weight j of pair k packs the
// weights of input start[k]+j for outputs 2k (low lane) and 2k+1 (high
// lane). As neighbours read overlapping inputs, a pair reads few more
// inputs than one output.
type pairTaps struct {
	start   []int
	weights []uint64 // len(start)*n
	n       int      // 8, or a multiple of 4 above it, for horizontal's unrolled loops
}

func makePairTaps(t taps) pairTaps {
	out := len(t.start)
	pairs := (out + 1) / 2
	n := t.n
	for k := range out / 2 {
		n = max(n, t.start[2*k+1]-t.start[2*k]+t.n)
	}
	n = max(8, (n+3)&^3) // the added weights are zero
	p := pairTaps{start: make([]int, pairs), weights: make([]uint64, pairs*n), n: n}
	lo, hi := make([]int32, n), make([]int32, n)
	for k := range pairs {
		s := t.start[2*k]
		p.start[k] = s
		clear(lo)
		clear(hi)
		copy(lo, t.weights[2*k*t.n:(2*k+1)*t.n])
		if 2*k+1 < out {
			copy(hi[t.start[2*k+1]-s:], t.weights[(2*k+1)*t.n:(2*k+2)*t.n])
		}
		for j := range n {
			p.weights[k*n+j] = pair(lo[j], hi[j])
		}
	}
	return p
}

// horizontal filters rows with pair taps, two outputs a multiply.
func horizontal(dst, src plane, t pairTaps) {
	n, ws := t.n, t.weights
	for y := range dst.h {
		in := src.pix[y*src.stride:]
		out := dst.row(y)
		for k, s := range t.start {
			var a uint64
			if n == 8 {
				w := (*[8]uint64)(ws[k*8:])
				in := (*[8]uint8)(in[s:])
				a = uint64(in[0])*w[0] + uint64(in[1])*w[1] + uint64(in[2])*w[2] + uint64(in[3])*w[3] +
					uint64(in[4])*w[4] + uint64(in[5])*w[5] + uint64(in[6])*w[6] + uint64(in[7])*w[7]
			} else {
				w, in := ws[k*n:k*n+n], in[s:s+n]
				for j := 0; j+4 <= n; j += 4 {
					w, in := (*[4]uint64)(w[j:]), (*[4]uint8)(in[j:])
					a += uint64(in[0])*w[0] + uint64(in[1])*w[1] + uint64(in[2])*w[2] + uint64(in[3])*w[3]
				}
			}
			lo, hi := unpack(a)
			if 2*k+1 < len(out) {
				out[2*k], out[2*k+1] = lo, hi
			} else {
				out[2*k] = lo
			}
		}
	}
}

// vertical filters columns, sixteen at a time: each 8-byte load of a
// row feeds four two-lane sums.
func vertical(dst, src plane, t taps) {
	n := t.n
	for y := range dst.h {
		ws := t.weights[y*n : y*n+n]
		base := t.start[y] * src.stride
		out := dst.row(y)
		x := 0
		for ; x+16 <= len(out); x += 16 {
			var a0, a1, a2, a3, b0, b1, b2, b3 uint64
			i := base + x
			for _, w := range ws {
				p := (*[16]uint8)(src.pix[i:])
				v, u := binary.LittleEndian.Uint64(p[:8]), binary.LittleEndian.Uint64(p[8:])
				m := uint64(int64(w))
				a0 += (v & lanes) * m
				a1 += (v >> 8 & lanes) * m
				a2 += (v >> 16 & lanes) * m
				a3 += (v >> 24 & lanes) * m
				b0 += (u & lanes) * m
				b1 += (u >> 8 & lanes) * m
				b2 += (u >> 16 & lanes) * m
				b3 += (u >> 24 & lanes) * m
				i += src.stride
			}
			o := (*[16]uint8)(out[x:])
			o[0], o[4] = unpack(a0)
			o[1], o[5] = unpack(a1)
			o[2], o[6] = unpack(a2)
			o[3], o[7] = unpack(a3)
			o[8], o[12] = unpack(b0)
			o[9], o[13] = unpack(b1)
			o[10], o[14] = unpack(b2)
			o[11], o[15] = unpack(b3)
		}
		for ; x < len(out); x++ {
			var acc int32
			for k, w := range ws {
				acc += w * int32(src.pix[base+k*src.stride+x])
			}
			out[x] = clamp8(acc)
		}
	}
}
