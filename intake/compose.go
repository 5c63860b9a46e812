package intake

import (
	"github.com/consultahq/consulta/intake/delivery"
	"github.com/consultahq/consulta/intake/mail"
	"github.com/consultahq/consulta/intake/outbox"
)

// composer composes every email the service sends, when it is sent, from
// what the store holds (see delivery.Composer). The request answers as
// soon as the lead and its planned messages are committed; composing waits
// for the delivery worker, off the patient's path. The buttons are signed
// for each recipient with the service's secret.
func (s *server) composer() delivery.Composer {
	return delivery.Composer{Leads: s.store, Practice: s.cfg.Practice, Links: s.links, JourneyLinks: s.journeyLinks}
}

// links returns the buttons of an email of kind about lead leadID, signed
// for recipient.
func (s *server) links(kind, leadID, recipient string) []mail.Link {
	var out []mail.Link
	for _, l := range s.actions.For(kind, leadID, recipient) {
		out = append(out, mail.Link{Label: l.Label, URL: l.URL})
	}
	return out
}

// stored returns the planned msgs as the outbox keeps them.
func stored(msgs []mail.Message) []outbox.Message {
	out := make([]outbox.Message, len(msgs))
	for i, m := range msgs {
		out[i] = outbox.Message(m)
	}
	return out
}
