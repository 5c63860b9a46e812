package content

import (
	"regexp"
	"strconv"
	"strings"
)

// currencySymbols are written before the amount; other currencies are
// written as their code and a space, e.g. "CHF 3,500".
var currencySymbols = map[string]string{"EUR": "€", "GBP": "£", "USD": "$", "AUD": "A$", "CAD": "C$", "JPY": "¥"}

// String formats the fee range for patients: "€3,500 – €6,000",
// "from €500", "€900" when from and to are equal, "" when no fee is set.
func (f Fees) String() string {
	switch {
	case f.From == 0 && f.To == 0:
		return ""
	case f.To == 0:
		return "from " + money(f.From, f.Currency)
	case f.From == 0:
		return "up to " + money(f.To, f.Currency)
	case f.From == f.To:
		return money(f.From, f.Currency)
	}
	return money(f.From, f.Currency) + " – " + money(f.To, f.Currency)
}

// money writes a whole amount with thousands separators and its currency.
func money(n int, currency string) string {
	digits := strconv.Itoa(n)
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(d)
	}
	if sym, ok := currencySymbols[currency]; ok {
		return sym + b.String()
	}
	if currency == "" {
		return b.String()
	}
	return currency + "\u00a0" + b.String()
}

// priceRE finds a price written in text: a currency sign or code before
// or after a whole amount, e.g. "€6,500", "£ 3000", "6.500 EUR".
var priceRE = regexp.MustCompile(`(?:[€£$¥]|\b(?:EUR|GBP|USD|CHF|AUD|CAD|JPY))\s?(\d{1,3}(?:[,. ]\d{3})+|\d+)\b|\b(\d{1,3}(?:[,. ]\d{3})+|\d+)\s?(?:€|£|\b(?:EUR|GBP|USD|CHF|AUD|CAD|JPY)\b)`)

// staleFees reports a price in a procedure's description or summary that
// is neither of its fees, as when a fee was changed and the text was not:
// patients would read two prices.
func staleFees(f *file) {
	pr, p := f.page.Procedure, f.page.File
	if pr.Fees.From == 0 && pr.Fees.To == 0 {
		return
	}
	for _, field := range []struct{ name, text string }{{"description", f.page.Description}, {"summary", pr.Summary}} {
		if !mentionsCurrency(field.text) {
			continue // most texts name no price: skip the regular expression
		}
		for _, m := range priceRE.FindAllStringSubmatch(field.text, -1) {
			amount, _ := strconv.Atoi(strings.NewReplacer(",", "", ".", "", " ", "").Replace(m[1] + m[2]))
			if amount != pr.Fees.From && amount != pr.Fees.To {
				f.probs.Warnf(p, f.line(field.name), field.name, "says %s, but the fees are %s — change the price here to match fees, or leave it out and let the fees show it", m[0], pr.Fees)
				break
			}
		}
	}
}

// currencyCodes are the codes priceRE knows.
var currencyCodes = []string{"EUR", "GBP", "USD", "CHF", "AUD", "CAD", "JPY"}

func mentionsCurrency(s string) bool {
	if strings.ContainsAny(s, "€£$¥") {
		return true
	}
	for _, c := range currencyCodes {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}
