package content

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

func TestReload(t *testing.T) {
	ctx := context.Background()
	fsys := validSite()
	l := NewLoader(fsys).WithNow(func() time.Time { return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC) })
	site, probs := l.Load(ctx)
	if probs.Len() != 0 {
		t.Fatal(probs.Err())
	}
	const rh = "content/procedures/rhinoplasty.md"
	before := site.ByURL["/procedures/rhinoplasty/"]
	edit := func(name, old, new string) {
		src := string(fsys[name].Data)
		fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
	}

	// The body alone: the same page, with the new body, and no resolve.
	edit(rh, "Body.", "New body.")
	site2, _, changes := l.Reload(ctx, []string{rh})
	if len(changes) != 1 || changes[0].Meta || changes[0].New != before || site2 != site || !strings.Contains(string(before.Body), "New body.") {
		t.Fatalf("after a body edit: %+v", changes)
	}

	// Front matter: a new page, linked from the pages that show it.
	edit(rh, "title: Rhinoplasty", "title: Nose reshaping")
	site3, probs, changes := l.Reload(ctx, []string{rh})
	after := site3.ByURL["/procedures/rhinoplasty/"]
	if probs.Len() != 0 || len(changes) != 1 || !changes[0].Meta || changes[0].Old != before || changes[0].New != after || after.Title != "Nose reshaping" {
		t.Fatalf("after a title edit: %+v", changes)
	}
	if m := site3.ByURL["/team/dr-hart/"]; m.Member.Procedures[1] != after && m.Member.Procedures[0] != after {
		t.Errorf("the member does not list the new page")
	}
	if c := site3.ByURL["/gallery/rhinoplasty-a1b2/"]; c.Case.Procedure != after {
		t.Errorf("the case does not link the new page")
	}

	// A photo beside a case: the case is read again, and a missing photo reported.
	delete(fsys, "content/gallery/case-1/after.jpg")
	_, probs, changes = l.Reload(ctx, []string{"content/gallery/case-1/after.jpg"})
	if len(changes) != 1 || changes[0].File != "content/gallery/case-1/index.md" || probs.Len() != 1 {
		t.Errorf("after removing a photo: %+v %v", changes, probs.Err())
	}

	// A removed page is gone, and pages naming it are reported.
	delete(fsys, "content/procedures/facelift.md")
	site4, probs, changes := l.Reload(ctx, []string{"content/procedures/facelift.md"})
	if len(changes) != 1 || changes[0].New != nil || site4.ByURL["/procedures/facelift/"] != nil {
		t.Errorf("after removing a page: %+v", changes)
	}
	if err := probs.Err(); err == nil || !strings.Contains(err.Error(), `the first related procedure: no procedure "facelift"`) {
		t.Errorf("problems after removing a page: %v", err)
	}
}
