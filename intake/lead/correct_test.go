package lead

import (
	"fmt"
	"testing"
)

// TestCorrect: a patient's correction of her phone and email changes the
// lead, keeps what it was, and sends its coordinator an email answering
// the lead's; a held lead is corrected quietly, and nothing changes for
// the same details, a purged lead, or a fourth correction.
func TestCorrect(t *testing.T) {
	p := policy(t)
	now := at(11, 30, 10, 5)
	withContact := func(t Tracked) Tracked {
		t.Lead.Phone, t.Lead.Email = "+353871234566", "niamh@mail.example"
		return t
	}
	c, ok := Correct(withContact(received(p)), "+353871234567", "niamh@mail.example", now, p)
	if !ok {
		t.Fatal("a new phone number: no change")
	}
	l := c.After.Lead
	if l.Phone != "+353871234567" || l.Email != "niamh@mail.example" ||
		fmt.Sprint(l.Corrections) != fmt.Sprint([]Corrected{{At: now, Phone: "+353871234566", Email: "niamh@mail.example"}}) {
		t.Errorf("after the correction: phone %s, email %s, corrections %v", l.Phone, l.Email, l.Corrections)
	}
	if want := []Send{{Kind: Correction, ID: "ld_1.correction.1", To: "face@harbour.example"}}; fmt.Sprint(c.Sends) != fmt.Sprint(want) {
		t.Errorf("sends %v, want %v", c.Sends, want)
	}
	if c.Event != (Event{Kind: Correction, At: now}) || c.After.State != New || len(c.After.Steps) != 1 {
		t.Errorf("event %+v, state %s, steps %v: want the correction kept, the lead's state and clock as they were", c.Event, c.After.State, c.After.Steps)
	}

	held := withContact(received(p))
	held.Lead.Spam, held.State = true, Spam
	if c, ok := Correct(held, "", "other@mail.example", now, p); !ok || len(c.Sends) != 0 || c.After.Lead.Email != "other@mail.example" {
		t.Errorf("a held lead: changed %v, sends %v, email %s; want corrected without an email", ok, c.Sends, c.After.Lead.Email)
	}

	purged := received(p)
	many := withContact(received(p))
	for i := range MaxCorrections {
		c, _ := Correct(many, fmt.Sprintf("+35387123450%d", i), many.Lead.Email, now, p)
		many = c.After
	}
	for name, tc := range map[string]struct {
		t            Tracked
		phone, email string
	}{
		"the same details":    {withContact(received(p)), "+353871234566", "niamh@mail.example"},
		"a purged lead":       {purged, "+353871234567", "niamh@mail.example"},
		"a fourth correction": {many, "+353871234599", "niamh@mail.example"},
	} {
		if _, ok := Correct(tc.t, tc.phone, tc.email, now, p); ok {
			t.Errorf("%s: changed, want nothing", name)
		}
	}
}
