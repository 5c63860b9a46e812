package photo

import "testing"

func TestResizePlane(t *testing.T) {
	tests := []struct{ w, h, tw, th int }{
		{64, 48, 16, 12}, {64, 48, 61, 47}, {10, 10, 10, 10}, {9, 7, 4, 3}, {8, 8, 16, 16}, {1, 1, 3, 2},
	}
	for _, tt := range tests {
		flat := newPlane(tt.w, tt.h)
		ramp := newPlane(tt.w, tt.h)
		for y := range tt.h {
			for x := range tt.w {
				flat.pix[y*tt.w+x] = 137
				ramp.pix[y*tt.w+x] = uint8(x * 255 / max(1, tt.w-1))
			}
		}
		f := resizePlane(flat, tt.tw, tt.th, nil)
		if f.w != tt.tw || f.h != tt.th {
			t.Fatalf("%v: size %d×%d", tt, f.w, f.h)
		}
		for i, v := range f.pix {
			if v != 137 {
				t.Fatalf("%v: flat plane became %d at %d, want 137 everywhere", tt, v, i)
			}
		}
		r := resizePlane(ramp, tt.tw, tt.th, nil)
		for y := range r.h {
			row := r.row(y)
			for x := 1; x < len(row); x++ {
				if row[x] < row[x-1] {
					t.Fatalf("%v: ramp not increasing at row %d: %v", tt, y, row)
				}
			}
		}
	}
}

func TestMakeTapsSumToOne(t *testing.T) {
	for _, c := range [][2]int{{1600, 1440}, {1600, 960}, {1600, 480}, {960, 480}, {3, 7}, {1200, 1079}} {
		tp := makeTaps(c[0], c[1])
		for o := range c[1] {
			var sum int32
			for _, w := range tp.weights[o*tp.n : (o+1)*tp.n] {
				sum += w
			}
			if sum != 1<<weightBits || tp.start[o] < 0 || tp.start[o]+tp.n > c[0] {
				t.Fatalf("%d→%d: output %d: weights sum %d, window %d+%d", c[0], c[1], o, sum, tp.start[o], tp.n)
			}
		}
	}
}
