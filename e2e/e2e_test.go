// Package e2e tests Consulta as a patient uses it: the real `consulta serve`
// (site and intake service on one address) driven by a real Chromium, with
// a real Mailpit as the SMTP server.
//
// Set CONSULTA_SCREENSHOTS to a folder to keep a screenshot of each step.
package e2e

import (
	"testing"

	"github.com/consultahq/consulta/internal/browser"
	"github.com/consultahq/consulta/internal/mailpit"
)

func TestSite(t *testing.T) {
	b := browser.Start(t)
	mp := mailpit.Start(t)
	bin := buildConsulta(t)
	site := copySite(t)
	base := startServe(t, bin, site, "CONSULTA_SMTP_URL=smtp://"+mp.SMTP+"?tls=none")
	var r report
	t.Cleanup(func() { r.print(t) })

	t.Run("page kinds", func(t *testing.T) { testPageKinds(t, b, base, &r) })
	for _, j := range []journey{
		{js: true, procedure: "rhinoplasty", title: "Rhinoplasty", email: "ada.js@example.org", phone: "+44 20 7946 0123"},
		{js: false, procedure: "breast-lift", title: "Breast lift", email: "ada.nojs@example.org", phone: "+44 20 7946 0124"},
	} {
		t.Run("request "+j.name(), func(t *testing.T) { j.run(t, b, base, mp, &r) })
	}

	// The lead's own journeys, on a service of their own: each client may
	// send only a few requests at once.
	leads := startServe(t, bin, copySite(t), "CONSULTA_SMTP_URL=smtp://"+mp.SMTP+"?tls=none", "CONSULTA_FORM_SECRET="+formSecret)
	t.Run("stale token refreshed", func(t *testing.T) { testStaleToken(t, b, leads, mp) })
	t.Run("campaign reaches the coordinator", func(t *testing.T) { testCampaign(t, b, leads, mp) })

	// The patient's path, at a phone's width, on a service of its own too.
	patient := startServe(t, bin, copySite(t), "CONSULTA_SMTP_URL=smtp://"+mp.SMTP+"?tls=none")
	t.Run("invalid field's border", func(t *testing.T) { testInvalidBorder(t, b, patient) })
	t.Run("book with a surgeon", func(t *testing.T) { testBookWithSurgeon(t, b, patient) })
	t.Run("book from a case", func(t *testing.T) { testBookFromCase(t, b, patient) })
	t.Run("reveal a case, hide it", func(t *testing.T) { testRevealCase(t, b, patient) })
	// Four requests and corrections from one client: a service of their own.
	thanks := startServe(t, bin, copySite(t), "CONSULTA_SMTP_URL=smtp://"+mp.SMTP+"?tls=none")
	t.Run("thank you, and a correction", func(t *testing.T) { testThankYou(t, b, thanks, mp) })
	t.Run("targets of 44 px", func(t *testing.T) { testTargetSize(t, b, patient) })
}
