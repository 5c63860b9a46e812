package generator

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/consultahq/consulta/generator/internal/phototest"
)

// TestEveryImageClean puts a phone camera's JPEG (GPS position, camera
// serial and make, a comment) where staff put images, in Markdown, in
// static/ and as a team member's photo, and finds none of what the camera
// wrote in public/. Files that must stay as they are (a PDF, an SVG) do.
func TestEveryImageClean(t *testing.T) {
	site := testdataSite(t)
	camera := phototest.CameraJPEG(t, phototest.Halves(640, 480), 1)
	write := func(name string, data []byte) { site[name] = &fstest.MapFile{Data: data} }
	write("content/clinic.jpg", camera)
	write("static/img/door.jpg", camera)
	write("content/team/hart.jpg", camera)
	pdf := []byte("%PDF-1.4\n% a leaflet, published as it is\n")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><!-- kept --></svg>`)
	write("static/leaflet.pdf", pdf)
	write("static/mark.svg", svg)
	site["content/financing.md"].Data = append(site["content/financing.md"].Data, "\n![Our waiting room](clinic.jpg)\n\n![The front door](/img/door.jpg)\n\n[The leaflet](/leaflet.pdf)\n"...)
	edit(t, site, "content/team/dr-amelia-hart.md", "role: surgeon", "role: surgeon\nphoto: hart.jpg")

	cfg := config(t, site)
	if _, err := Build(context.Background(), cfg); err != nil {
		t.Fatalf("Build: %v", err)
	}
	out := cfg.OutDir
	gps := phototest.CameraTIFF(binary.LittleEndian, 1)
	jpegs := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		for _, secret := range []string{phototest.Serial, phototest.Make, phototest.Comment} {
			if bytes.Contains(data, []byte(secret)) {
				t.Errorf("%s carries %q from the camera", rel, secret)
			}
		}
		if bytes.Contains(data, gps[8:]) || bytes.Contains(data, []byte("Exif\x00\x00")) {
			t.Errorf("%s carries the camera's EXIF (GPS position)", rel)
		}
		if strings.HasSuffix(p, ".jpg") {
			jpegs++
			if _, err := jpeg.Decode(bytes.NewReader(data)); err != nil {
				t.Errorf("%s does not decode: %v", rel, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if jpegs < 3 {
		t.Errorf("%d JPEGs published, want at least the Markdown image's, the static one and the portrait's", jpegs)
	}
	if _, err := os.Stat(filepath.Join(out, "img", "door.jpg")); err != nil {
		t.Errorf("static/img/door.jpg is not published at its own path: %v", err)
	}
	for name, want := range map[string][]byte{"leaflet.pdf": pdf, "mark.svg": svg} {
		if got, err := os.ReadFile(filepath.Join(out, name)); err != nil || !bytes.Equal(got, want) {
			t.Errorf("%s changed or missing (%v): a file that is not a JPEG or PNG passes unchanged", name, err)
		}
	}
	page, err := os.ReadFile(filepath.Join(out, "financing", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, alt := range []string{"Our waiting room", "The front door"} {
		i := bytes.Index(page, []byte(`alt="`+alt+`"`))
		if i < 0 {
			t.Errorf("financing page has no image %q", alt)
			continue
		}
		tag := page[bytes.LastIndexByte(page[:i], '<'):]
		tag = tag[:bytes.IndexByte(tag, '>')]
		for _, want := range []string{`src="/images/`, `srcset="/images/`, `width="`, `height="`} {
			if !bytes.Contains(tag, []byte(want)) {
				t.Errorf("image %q lacks %s: %s", alt, want, tag)
			}
		}
	}
	team, err := os.ReadFile(filepath.Join(out, "team", "dr-amelia-hart", "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(team, []byte(`class="portrait large" src="/images/`)) {
		t.Error("the member's page does not show their photo from images/")
	}
}

// TestBrandImageProblemHasItsLine: a site.yaml image that is not an image
// is reported on the line that names it, for the brand's keys and for a
// membership's logo.
func TestBrandImageProblemHasItsLine(t *testing.T) {
	site := testdataSite(t)
	for _, name := range []string{"hero.jpg", "badge.png"} {
		site["content/brand/"+name] = &fstest.MapFile{Data: []byte("not an image")}
	}
	edit(t, site, "content/site.yaml", "name: Harbour Aesthetic Surgery\n",
		"name: Harbour Aesthetic Surgery\nhero: brand/hero.jpg\nmemberships:\n  - name: Example Society\n    logo: brand/badge.png\n")
	got := problems(t, site)
	for _, want := range []string{"content/site.yaml:2: hero: hero.jpg: ", "content/site.yaml:5: the first membership's logo: badge.png: "} {
		if !slices.ContainsFunc(got, func(p string) bool { return strings.HasPrefix(p, want) }) {
			t.Errorf("problems %q: want one starting %q", got, want)
		}
	}
}

// TestFaviconProblemHasItsLine: a favicon too small to make the icons from
// is a problem on site.yaml's favicon line, found by check with the
// others, not a bare error once every page has been rendered.
func TestFaviconProblemHasItsLine(t *testing.T) {
	site := testdataSite(t)
	var small bytes.Buffer
	if err := png.Encode(&small, image.NewNRGBA(image.Rect(0, 0, 16, 16))); err != nil {
		t.Fatal(err)
	}
	site["content/brand/fav.png"] = &fstest.MapFile{Data: small.Bytes()}
	edit(t, site, "content/site.yaml", "name: Harbour Aesthetic Surgery\n", "name: Harbour Aesthetic Surgery\nfavicon: brand/fav.png\n")
	got := problems(t, site)
	want := "content/site.yaml:2: favicon: fav.png: favicon is 16×16 pixels — use a square image of at least 180×180"
	if !slices.Contains(got, want) {
		t.Errorf("problems %q: want %q", got, want)
	}
}

// TestUncleanablePhotoRefused: a photo format the pipeline cannot
// re-encode (WebP, TIFF, HEIC, AVIF) can carry GPS and a serial number,
// so it is never published: from Markdown it is a problem on its line,
// from static/ the build stops naming the file.
func TestUncleanablePhotoRefused(t *testing.T) {
	site := testdataSite(t)
	for _, name := range []string{"content/procedures/door.webp", "static/scan.heic"} {
		site[name] = &fstest.MapFile{Data: []byte("RIFF....WEBPVP8 with Exif")}
	}
	page := "content/procedures/rhinoplasty.md"
	src := site[page].Data
	site[page] = &fstest.MapFile{Data: append(slices.Clip(src), "\n![Our door](door.webp)\n"...)}
	line := bytes.Count(src, []byte("\n")) + 2
	want := fmt.Sprintf(`content/procedures/rhinoplasty.md:%d: image "door.webp": a WebP file can keep the camera's data (such as its GPS position) when published — save it as JPEG or PNG`, line)
	if got := problems(t, site); !slices.Contains(got, want) {
		t.Errorf("problems %q: want %q", got, want)
	}
	site[page] = &fstest.MapFile{Data: src}
	cfg := config(t, site)
	_, err := Build(context.Background(), cfg)
	if err == nil || !strings.Contains(err.Error(), "static/scan.heic: a HEIC file can keep the camera's data") {
		t.Errorf("Build = %v, want it to refuse static/scan.heic", err)
	}
	if _, err := os.Stat(filepath.Join(cfg.OutDir, "scan.heic")); err == nil {
		t.Error("scan.heic was published")
	}
}
