package photo

import (
	"image"
	"image/color"
	"image/draw"
)

// ycc is an image as three planes, in the stored orientation. The chroma
// planes may be smaller than Y (subsampled); each plane is resized to its
// own target size, so any subsampling works.
type ycc struct {
	y, cb, cr plane
}

// toYCC views a decoded image as planes. JPEG's *image.YCbCr is used as it
// is, without a copy; *image.Gray gets neutral chroma; anything else (PNG,
// CMYK JPEG) is converted, transparent pixels over white.
func toYCC(m image.Image) ycc {
	switch m := m.(type) {
	case *image.YCbCr:
		cw, ch := chromaSize(m)
		cOff := m.COffset(m.Rect.Min.X, m.Rect.Min.Y)
		return ycc{
			y:  plane{pix: m.Y[m.YOffset(m.Rect.Min.X, m.Rect.Min.Y):], stride: m.YStride, w: m.Rect.Dx(), h: m.Rect.Dy()},
			cb: plane{pix: m.Cb[cOff:], stride: m.CStride, w: cw, h: ch},
			cr: plane{pix: m.Cr[cOff:], stride: m.CStride, w: cw, h: ch},
		}
	case *image.Gray:
		b := m.Rect
		neutral := plane{pix: []uint8{128}, stride: 0, w: 1, h: 1}
		return ycc{y: plane{pix: m.Pix[m.PixOffset(b.Min.X, b.Min.Y):], stride: m.Stride, w: b.Dx(), h: b.Dy()}, cb: neutral, cr: neutral}
	}
	b := m.Bounds()
	rgba := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(rgba, rgba.Rect, image.White, image.Point{}, draw.Src)
	draw.Draw(rgba, rgba.Rect, m, b.Min, draw.Over)
	out := ycc{y: newPlane(b.Dx(), b.Dy()), cb: newPlane(b.Dx(), b.Dy()), cr: newPlane(b.Dx(), b.Dy())}
	for y := range b.Dy() {
		px := rgba.Pix[y*rgba.Stride:]
		yr, cbr, crr := out.y.row(y), out.cb.row(y), out.cr.row(y)
		for x := range yr {
			yr[x], cbr[x], crr[x] = color.RGBToYCbCr(px[4*x], px[4*x+1], px[4*x+2])
		}
	}
	return out
}

// chromaSize is the size of m's Cb and Cr planes.
func chromaSize(m *image.YCbCr) (w, h int) {
	w, h = m.Rect.Dx(), m.Rect.Dy()
	switch m.SubsampleRatio {
	case image.YCbCrSubsampleRatio422:
		w = (w + 1) / 2
	case image.YCbCrSubsampleRatio420:
		w, h = (w+1)/2, (h+1)/2
	case image.YCbCrSubsampleRatio440:
		h = (h + 1) / 2
	case image.YCbCrSubsampleRatio411:
		w = (w + 3) / 4
	case image.YCbCrSubsampleRatio410:
		w, h = (w+3)/4, (h+1)/2
	}
	return w, h
}

// resized returns the image resized to w×h, 4:2:0, in the stored orientation.
// Its planes are taken from px.
func (src ycc) resized(w, h int, px *pixels) ycc {
	cw, ch := (w+1)/2, (h+1)/2
	return ycc{y: resizePlane(src.y, w, h, px), cb: resizePlane(src.cb, cw, ch, px), cr: resizePlane(src.cr, cw, ch, px)}
}

// upright returns the image turned upright by o as an *image.YCbCr, and
// the planes it made (none when o is upright: it shares src's pixels).
func (src ycc) upright(o Orientation, px *pixels) (*image.YCbCr, []plane) {
	y, cb, cr := orientPlane(src.y, o, px), orientPlane(src.cb, o, px), orientPlane(src.cr, o, px)
	var made []plane
	if o >= 2 && o <= 8 {
		made = []plane{y, cb, cr}
	}
	return &image.YCbCr{
		Y: y.pix, Cb: cb.pix, Cr: cr.pix,
		YStride: y.stride, CStride: cb.stride,
		SubsampleRatio: image.YCbCrSubsampleRatio420,
		Rect:           image.Rect(0, 0, y.w, y.h),
	}, made
}
