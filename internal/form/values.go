package form

import (
	"errors"
	"reflect"
	"strings"
)

// Values are the values of the form's fields: on the site the defaults,
// in the intake service what the patient sent. Each field of the table
// has one, under its Name as JSON key; Set, Get and Trim reach them by it.
type Values struct {
	FirstName        string `json:"first_name"`
	LastName         string `json:"last_name"`
	Email            string `json:"email"`
	Phone            string `json:"phone"`
	Procedure        string `json:"procedure"` // a slug, or NotSure
	Surgeon          string `json:"surgeon"`   // a surgeon's slug, or "" for no preference
	PreferredContact string `json:"preferred_contact"`
	PreferredTime    string `json:"preferred_time"`
	PreferredDays    string `json:"preferred_days"`
	Message          string `json:"message"`
	Source           string `json:"source"`
	Language         string `json:"language"`
	Page             string `json:"page"`
	ConsentPrivacy   Tick   `json:"consent_privacy"`
	SMSOptIn         Tick   `json:"sms_opt_in"`
	WordingVersion   string `json:"wording_version"`
	FormToken        string `json:"form_token"`
	IdempotencyKey   string `json:"idempotency_key"`
	Website          string `json:"website"` // the honeypot
}

// Tick is a tick box: ticked or not. In JSON it is true or false (null is
// false); in a form, one of the values a ticked box sends ("on", "true",
// "yes", "1"), or nothing. Anything else is refused: "maybe" is not a
// consent.
type Tick bool

// ErrNotTick is a tick box sent as something no tick box sends.
var ErrNotTick = errors.New("expected true or false")

// UnmarshalJSON accepts a JSON boolean or null.
func (t *Tick) UnmarshalJSON(b []byte) error {
	switch string(b) {
	case "true":
		*t = true
	case "false", "null":
		*t = false
	default:
		return ErrNotTick
	}
	return nil
}

// ParseTick returns the tick box that a form value means, or ErrNotTick.
func ParseTick(v string) (Tick, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "on", "true", "yes", "1":
		return true, nil
	case "":
		return false, nil
	}
	return false, ErrNotTick
}

// places holds, for each field of the table, the index of its value in
// Values, found by JSON key. It panics when a field has none, which only a
// mistake in this package can cause, and every test would show.
var places = func() []int {
	t := reflect.TypeFor[Values]()
	byKey := map[string]int{}
	for i := range t.NumField() {
		key, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		byKey[key] = i
	}
	out := make([]int, len(fields))
	for i, f := range fields {
		j, ok := byKey[f.Name]
		if !ok {
			panic("form: Values has no field for " + f.Name)
		}
		out[i] = j
	}
	return out
}()

// value returns the value of the field called name, or an invalid Value.
func (v *Values) value(name string) reflect.Value {
	i, ok := byName[name]
	if !ok {
		return reflect.Value{}
	}
	return reflect.ValueOf(v).Elem().Field(places[i])
}

// Get returns the value of the field called name: its text, or "on" for a
// ticked box and "" for one not ticked.
func (v *Values) Get(name string) string {
	f := v.value(name)
	switch {
	case !f.IsValid():
		return ""
	case f.Kind() == reflect.Bool:
		if f.Bool() {
			return "on"
		}
		return ""
	}
	return f.String()
}

// Set sets the field called name from a form value. A tick box takes
// ParseTick's reading of it, and a value no tick box sends is ErrNotTick.
// A name the form does not have is ignored.
func (v *Values) Set(name, value string) error {
	f := v.value(name)
	switch {
	case !f.IsValid():
	case f.Kind() == reflect.Bool:
		on, err := ParseTick(value)
		if err != nil {
			return err
		}
		f.SetBool(bool(on))
	default:
		f.SetString(value)
	}
	return nil
}

// Trim removes the spaces around every text value.
func (v *Values) Trim() {
	rv := reflect.ValueOf(v).Elem()
	for _, i := range places {
		if f := rv.Field(i); f.Kind() == reflect.String {
			f.SetString(strings.TrimSpace(f.String()))
		}
	}
}
