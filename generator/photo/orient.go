package photo

// Orientation is the EXIF Orientation tag: how the stored pixels must be
// turned to be seen upright. 1 is upright; 2–8 mirror and rotate.
type Orientation int

// swapsAxes reports whether the orientation turns the image by 90°, so
// that the upright width is the stored height.
func (o Orientation) swapsAxes() bool { return o >= 5 && o <= 8 }

// orientPlane returns p turned upright. For upright pixel (x, y) it reads
// stored pixel (sx, sy) = (ax·x + bx·y + cx, ay·x + by·y + cy).
func orientPlane(p plane, o Orientation, px *pixels) plane {
	if o < 2 || o > 8 {
		return p
	}
	w, h := p.w, p.h
	if o.swapsAxes() {
		w, h = h, w
	}
	W, H := p.w-1, p.h-1 // last stored column and row
	var ax, bx, cx, ay, by, cy int
	switch o {
	case 2: // mirror left-right
		ax, cx, by = -1, W, 1
	case 3: // rotate 180°
		ax, cx, by, cy = -1, W, -1, H
	case 4: // mirror top-bottom
		ax, by, cy = 1, -1, H
	case 5: // transpose
		bx, ay = 1, 1
	case 6: // rotate 90° clockwise
		bx, ay, cy = 1, -1, H
	case 7: // transverse
		bx, cx, ay, cy = -1, W, -1, H
	case 8: // rotate 90° anticlockwise
		bx, cx, ay = -1, W, 1
	}
	dst := px.plane(w, h, 0)
	step := ax + ay*p.stride // move in the stored pixels for x+1
	for y := range h {
		i := (bx*y + cx) + (by*y+cy)*p.stride
		out := dst.row(y)
		for x := range out {
			out[x] = p.pix[i]
			i += step
		}
	}
	return dst
}
