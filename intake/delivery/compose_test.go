package delivery_test

import (
	"context"
	"encoding/json"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/lead"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// TestComposerComposesWhatIsStored: the composer reads each planned
// message's lead from the store when it is sent, unpacks the digest's
// data, and asks for the buttons of each kind, signed for the recipient:
// the coordinator's email shows its own, the confirmation shows none
// whatever it is offered, and each lead the digest lists shows those of
// its list.
func TestComposerComposesWhatIsStored(t *testing.T) {
	ctx := context.Background()
	store, err := outbox.Open(ctx, filepath.Join(t.TempDir(), "outbox.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	l := newLead(1)
	planned, err := mail.Plan(l, practice, true)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.Enqueue(ctx, lead.Start(l), "", []outbox.Message{outbox.Message(planned[0]), outbox.Message(planned[1])}); err != nil {
		t.Fatal(err)
	}
	d := mail.DigestData{Since: time.Now().Add(-24 * time.Hour), Until: time.Now(),
		Overdue: []mail.DigestLead{{ID: l.ID, Ref: "HAS-0101-AAAA", Procedure: "rhinoplasty", Due: time.Now()}},
		Held:    []mail.DigestLead{{ID: "ld_held", Ref: "ld_held", Signals: []string{"honeypot"}, EmailDomain: "mail.example"}}}
	data, _ := json.Marshal(d)
	digest, err := mail.Envelope(mail.Digest, "digest.2026-12-01.0", "manager@harley.example", practice)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.QueueDigest(ctx, []outbox.Message{outbox.Message(digest)}, data, time.Now()); err != nil {
		t.Fatal(err)
	}
	var asked []string
	c := delivery.Composer{Leads: store, Practice: practice, Links: func(kind, id, to string) []mail.Link {
		asked = append(asked, kind+" "+id+" "+to)
		return []mail.Link{{Label: "Button of " + kind, URL: "https://harley.example/v1/actions/" + id + "." + to}}
	}}
	msgs, err := store.Claim(ctx, time.Now().Add(time.Minute), 10)
	if err != nil || len(msgs) != 3 {
		t.Fatalf("Claim = %d messages, %v; want 3", len(msgs), err)
	}
	for _, m := range msgs {
		got, err := c.Compose(ctx, m)
		if err != nil {
			t.Fatalf("compose %s: %v", m.ID, err)
		}
		raw := string(got.Raw) // the labels are short ASCII: the same in quoted-printable
		if m.Kind == mail.Patient && strings.Contains(raw, "Button of") || m.Kind != mail.Patient && !strings.Contains(raw, "Button of "+m.Kind) {
			t.Errorf("%s:\n%s", m.ID, raw)
		}
	}
	slices.Sort(asked)
	want := []string{"coordinator " + l.ID + " leads@harley.example", lead.DigestHeld + " ld_held manager@harley.example",
		lead.DigestOverdue + " " + l.ID + " manager@harley.example", "patient " + l.ID + " " + l.Email}
	if !slices.Equal(asked, want) {
		t.Errorf("buttons asked for %q, want %q", asked, want)
	}

	// A lead the store cannot read is tried again; data that cannot be read
	// will not be read on a later try: dead-letter it.
	gone := msgs[0]
	gone.LeadID = "ld_gone"
	if _, err := c.Compose(ctx, gone); err == nil || errors.Is(err, delivery.ErrCompose) {
		t.Errorf("compose of a lead not found: %v, want an error to retry", err)
	}
	bad := outbox.Msg{Message: outbox.Message(digest), Data: []byte("{")}
	if _, err := c.Compose(ctx, bad); !errors.Is(err, delivery.ErrCompose) {
		t.Errorf("compose of a digest with broken data: %v, want ErrCompose", err)
	}
}
