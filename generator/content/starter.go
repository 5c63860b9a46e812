package content

import (
	"bytes"
	"strings"
)

// StarterMark begins every text that `consulta new` writes for staff to
// replace, e.g. "TODO: describe who benefits most.". A page that still
// holds one is not published: the build stops until it is replaced, or
// the page is a draft again.
const StarterMark = "TODO:"

// starterText reports each line of a published file that still holds a
// starter's text.
func starterText(f *file, src []byte) {
	if !bytes.Contains(src, []byte(StarterMark)) {
		return
	}
	fields := map[int]string{}
	for field, line := range f.lines {
		if prev, ok := fields[line]; !ok || len(field) > len(prev) {
			fields[line] = field // the innermost field of its line
		}
	}
	for n := 1; len(src) > 0; n++ {
		var line []byte
		line, src, _ = cutLine(src)
		i := bytes.Index(line, []byte(StarterMark))
		if i < 0 || bytes.HasPrefix(bytes.TrimSpace(line), []byte("#")) {
			continue
		}
		text := strings.Trim(strings.TrimSpace(string(line[i:])), `"'`)
		f.probs.Errorf(f.page.File, n, fields[n], "starter text left in: %q — replace it with your own, or set draft: true until the page is ready; nothing is published until then", text)
	}
}
