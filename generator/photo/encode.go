package photo

import (
	"encoding/binary"
	"image"
	"math"
	"math/bits"
)

// A baseline JPEG encoder for 4:2:0 YCbCr planes. It does what
// image/jpeg's encoder does (the standard tables, 4:2:0, no metadata at
// all), reading blocks straight from the planes and with a float AAN
// DCT whose scale factors are folded into the quantisation, so that it
// is about a third faster. Its output is checked by decoding it with
// image/jpeg in the tests.

// zigzag[i] is the natural (row-major) index of the i-th coefficient in
// zigzag order.
var zigzag = [64]uint8{
	0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
	12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
	35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
	58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
}

// The quantisation tables of the JPEG standard (Annex K), natural order.
var baseQuant = [2][64]uint8{{
	16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55,
	14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62,
	18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92,
	49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
}, {
	17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99,
	24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
	99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
}}

// huffSpec is a Huffman table as a JPEG file stores it: how many codes
// of each length 1–16, and the symbols in code order.
type huffSpec struct {
	counts [16]uint8
	values []uint8
}

// The standard Huffman tables (Annex K.3): DC and AC, luma and chroma.
// The AC tables list their short codes here; the 16-bit codes take every
// other symbol in ascending order.
func standardHuffman() [4]huffSpec {
	dcValues := []uint8{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	return [4]huffSpec{
		{[16]uint8{0, 1, 5, 1, 1, 1, 1, 1, 1}, dcValues},
		{[16]uint8{0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7d}, acValues([]uint8{
			0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61,
			0x07, 0x22, 0x71, 0x14, 0x32, 0x81, 0x91, 0xa1, 0x08, 0x23, 0x42, 0xb1, 0xc1,
			0x15, 0x52, 0xd1, 0xf0, 0x24, 0x33, 0x62, 0x72, 0x82,
		})},
		{[16]uint8{0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1}, dcValues},
		{[16]uint8{0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77}, acValues([]uint8{
			0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71,
			0x13, 0x22, 0x32, 0x81, 0x08, 0x14, 0x42, 0x91, 0xa1, 0xb1, 0xc1, 0x09, 0x23, 0x33, 0x52, 0xf0,
			0x15, 0x62, 0x72, 0xd1, 0x0a, 0x16, 0x24, 0x34, 0xe1, 0x25, 0xf1,
		})},
	}
}

// acValues completes the short-code symbols of an AC table with every
// other AC symbol (end of block, sixteen zeros, run/size pairs) in order.
func acValues(short []uint8) []uint8 {
	seen := map[uint8]bool{}
	for _, v := range short {
		seen[v] = true
	}
	out := append([]uint8(nil), short...)
	for run := 0; run < 16; run++ {
		for size := 0; size <= 10; size++ {
			s := uint8(run<<4 | size)
			if (size == 0 && run != 0 && run != 15) || seen[s] {
				continue
			}
			out = append(out, s)
		}
	}
	return out
}

// huffCode is the code of every symbol of one table.
type huffCode struct {
	code [256]uint16
	size [256]uint8
}

func (h huffSpec) codes() *huffCode {
	c := &huffCode{}
	code, k := uint16(0), 0
	for n, count := range h.counts {
		for range count {
			c.code[h.values[k]], c.size[h.values[k]] = code, uint8(n+1)
			code++
			k++
		}
		code <<= 1
	}
	return c
}

// aan are the scale factors of the AAN DCT's outputs.
var aan = [8]float64{1, 1.387039845, 1.306562965, 1.175875602, 1, 0.785694958, 0.541196100, 0.275899379}

// encoder holds the tables for one quality; it is read only, and safe
// for concurrent use. Each encoding has its own bitWriter.
type encoder struct {
	quant  [2][64]uint8   // quantisation tables, natural order
	recip  [2][64]float32 // 1 / (quant · AAN scale · 8), natural order
	specs  [4]huffSpec
	tables [4]*huffCode
	header []byte // SOI, DQT and DHT; the frame header depends on the size
}

func newEncoder(quality int) *encoder {
	scale := 200 - 2*quality
	if quality < 50 {
		scale = 5000 / quality
	}
	e := &encoder{specs: standardHuffman()}
	for t := range 2 {
		for i, b := range baseQuant[t] {
			q := min(max((int(b)*scale+50)/100, 1), 255)
			e.quant[t][i] = uint8(q)
			e.recip[t][i] = float32(1 / (float64(q) * aan[i/8] * aan[i%8] * 8))
		}
	}
	for i, s := range e.specs {
		e.tables[i] = s.codes()
	}
	h := []byte{0xff, 0xd8, 0xff, 0xdb, 0, 2 + 2*65}
	for t := range 2 {
		h = append(h, uint8(t))
		for _, z := range zigzag {
			h = append(h, e.quant[t][z])
		}
	}
	for i, s := range e.specs {
		n := 2 + 1 + 16 + len(s.values)
		h = append(h, 0xff, 0xc4, uint8(n>>8), uint8(n), uint8(i%2)<<4|uint8(i/2))
		h = append(h, s.counts[:]...)
		h = append(h, s.values...)
	}
	e.header = h
	return e
}

// encode appends the JPEG of m, a 4:2:0 image, to out.
func (e *encoder) encode(out []byte, m *image.YCbCr) []byte {
	w, h := m.Rect.Dx(), m.Rect.Dy()
	out = append(out, e.header...)
	out = append(out, 0xff, 0xc0, 0, 17, 8)
	out = binary.BigEndian.AppendUint16(out, uint16(h))
	out = binary.BigEndian.AppendUint16(out, uint16(w))
	out = append(out, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1)
	out = append(out, 0xff, 0xda, 0, 12, 3, 1, 0x00, 2, 0x11, 3, 0x11, 0, 63, 0)
	bw := bitWriter{out: out}
	y := plane{pix: m.Y, stride: m.YStride, w: w, h: h}
	cb := plane{pix: m.Cb, stride: m.CStride, w: (w + 1) / 2, h: (h + 1) / 2}
	cr := plane{pix: m.Cr, stride: m.CStride, w: (w + 1) / 2, h: (h + 1) / 2}
	var blk [64]float32
	var dcY, dcCb, dcCr int32
	for my := 0; my < h; my += 16 {
		for mx := 0; mx < w; mx += 16 {
			for _, o := range [4][2]int{{0, 0}, {8, 0}, {0, 8}, {8, 8}} {
				load(&blk, y, mx+o[0], my+o[1])
				e.block(&bw, &blk, 0, &dcY)
			}
			load(&blk, cb, mx/2, my/2)
			e.block(&bw, &blk, 1, &dcCb)
			load(&blk, cr, mx/2, my/2)
			e.block(&bw, &blk, 1, &dcCr)
		}
	}
	bw.flush()
	return append(bw.out, 0xff, 0xd9)
}

// load reads the 8×8 block at (x0, y0) of p, level-shifted, repeating the
// last row and column past the edges.
func load(b *[64]float32, p plane, x0, y0 int) {
	if x0+8 <= p.w && y0+8 <= p.h {
		for r := range 8 {
			s := (*[8]uint8)(p.pix[(y0+r)*p.stride+x0:])
			d := (*[8]float32)(b[r*8:])
			d[0], d[1], d[2], d[3] = float32(int32(s[0])-128), float32(int32(s[1])-128), float32(int32(s[2])-128), float32(int32(s[3])-128)
			d[4], d[5], d[6], d[7] = float32(int32(s[4])-128), float32(int32(s[5])-128), float32(int32(s[6])-128), float32(int32(s[7])-128)
		}
		return
	}
	for r := range 8 {
		row := p.row(min(y0+r, p.h-1))
		for c := range 8 {
			b[r*8+c] = float32(row[min(x0+c, len(row)-1)]) - 128
		}
	}
}

// block transforms, quantises and entropy-codes one block. t is 0 for
// luma, 1 for chroma; dc is the component's previous DC value.
func (e *encoder) block(bw *bitWriter, b *[64]float32, t int, dc *int32) {
	fdct(b)
	var z [64]int32
	recip := &e.recip[t]
	var nonzero uint64 // bit i set: z[i] is not zero
	for i, n := range zigzag {
		// Round half up without a branch: |v| < 2048, so v+4096 is positive.
		v := int32(b[n&63]*recip[n&63]+4096.5) - 4096
		z[i] = v
		nonzero |= uint64(uint32(v|-v)>>31) << i
	}
	dcT, acT := e.tables[2*t], e.tables[2*t+1]
	diff := z[0] - *dc
	*dc = z[0]
	size := bitSize(diff)
	bw.write(uint32(dcT.code[size]), uint(dcT.size[size]))
	bw.write(valueBits(diff, size), uint(size))
	// Visit the non-zero coefficients only: whether a coefficient is zero
	// is what a branch cannot predict.
	prev := 0
	for ac := nonzero &^ 1; ac != 0; ac &= ac - 1 {
		i := bits.TrailingZeros64(ac)
		run := i - prev - 1
		prev = i
		for ; run > 15; run -= 16 {
			bw.write(uint32(acT.code[0xf0]), uint(acT.size[0xf0]))
		}
		v := z[i&63]
		size := bitSize(v)
		sym := uint8(run<<4) | size
		bw.write(uint32(acT.code[sym])<<size|valueBits(v, size), uint(acT.size[sym]+size))
	}
	if prev < 63 {
		bw.write(uint32(acT.code[0]), uint(acT.size[0])) // end of block
	}
}

// bitSize is the number of bits of |v|: its JPEG size category.
func bitSize(v int32) uint8 {
	m := v >> 31
	return uint8(bits.Len32(uint32((v ^ m) - m)))
}

// valueBits is how JPEG writes v in size bits: negative values as v−1.
func valueBits(v int32, size uint8) uint32 {
	return uint32(v+v>>31) & (1<<size - 1)
}

// bitWriter packs codes into bytes, stuffing a zero after every 0xff.
// It writes four bytes at once when none of them is 0xff.
type bitWriter struct {
	out  []byte
	acc  uint64
	nacc uint // bits in acc not yet written, fewer than 32 between calls
}

// write adds the n low bits of bits, n ≤ 32.
func (w *bitWriter) write(bits uint32, n uint) {
	w.acc = w.acc<<n | uint64(bits)
	w.nacc += n
	if w.nacc < 32 {
		return
	}
	w.nacc -= 32
	v := uint32(w.acc >> w.nacc)
	if x := ^v; (x-0x01010101)&^x&0x80808080 == 0 { // no byte of v is 0xff
		w.out = binary.BigEndian.AppendUint32(w.out, v)
		return
	}
	for i := 24; i >= 0; i -= 8 {
		w.emit(byte(v >> i))
	}
}

func (w *bitWriter) emit(b byte) {
	w.out = append(w.out, b)
	if b == 0xff {
		w.out = append(w.out, 0)
	}
}

// flush pads the last byte with ones and writes every bit left.
func (w *bitWriter) flush() {
	w.write(0x7f, 7)
	for w.nacc >= 8 {
		w.nacc -= 8
		w.emit(byte(w.acc >> w.nacc))
	}
}

// fdct is the AAN forward DCT in floating point, rows then columns. Its
// outputs are scaled by 8·aan[u]·aan[v], which the quantiser divides out.
func fdct(b *[64]float32) {
	for i := range 8 {
		fdct8(b, i*8, 1)
	}
	for i := range 8 {
		fdct8(b, i, 8)
	}
}

func fdct8(b *[64]float32, o, s int) {
	d0, d1, d2, d3 := b[o], b[o+s], b[o+2*s], b[o+3*s]
	d4, d5, d6, d7 := b[o+4*s], b[o+5*s], b[o+6*s], b[o+7*s]
	t0, t7 := d0+d7, d0-d7
	t1, t6 := d1+d6, d1-d6
	t2, t5 := d2+d5, d2-d5
	t3, t4 := d3+d4, d3-d4

	t10, t13 := t0+t3, t0-t3
	t11, t12 := t1+t2, t1-t2
	b[o] = t10 + t11
	b[o+4*s] = t10 - t11
	z1 := (t12 + t13) * math.Sqrt2 / 2
	b[o+2*s] = t13 + z1
	b[o+6*s] = t13 - z1

	t10, t11, t12 = t4+t5, t5+t6, t6+t7
	z5 := (t10 - t12) * 0.382683433
	z2 := 0.541196100*t10 + z5
	z4 := 1.306562965*t12 + z5
	z3 := t11 * math.Sqrt2 / 2
	z11, z13 := t7+z3, t7-z3
	b[o+5*s] = z13 + z2
	b[o+3*s] = z13 - z2
	b[o+s] = z11 + z4
	b[o+7*s] = z11 - z4
}
