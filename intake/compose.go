package intake

import (
	"context"
	"fmt"

	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// composeStored builds message m, which the request stored planned but not
// composed (mail.Plan), from the lead as the store keeps it. The request
// answers as soon as the lead and its planned messages are committed;
// composing waits for the delivery worker, off the patient's path. A lead
// that cannot be read is tried again; one that cannot be composed is
// dead-lettered (delivery.ErrCompose).
func composeStored(ctx context.Context, leads Store, p mail.Practice, m outbox.Msg) (mail.Message, error) {
	t, err := leads.Lead(ctx, m.LeadID)
	if err != nil {
		return mail.Message{}, fmt.Errorf("compose %s: read lead: %w", m.ID, err)
	}
	c, err := mail.ComposeKind(t.Lead, p, m.Kind)
	if err != nil {
		return mail.Message{}, fmt.Errorf("%w: %w", delivery.ErrCompose, err)
	}
	return c, nil
}

// stored returns msgs as the outbox keeps them.
func stored(msgs []mail.Message) []outbox.Message {
	out := make([]outbox.Message, len(msgs))
	for i, m := range msgs {
		out[i] = outbox.Message{ID: m.ID, Kind: m.Kind, MessageID: m.MessageID, From: m.From, To: m.To, Raw: m.Raw}
	}
	return out
}
