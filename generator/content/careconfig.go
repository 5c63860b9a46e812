package content

import (
	"fmt"
	"strings"

	"github.com/nyaruka/phonenumbers"

	"github.com/consultahq/consulta/internal/care"
	"github.com/consultahq/consulta/internal/hours"
	"github.com/consultahq/consulta/internal/mailaddr"
)

// CareConfig is site.yaml's care keys: how a patient's journey after
// booking is timed, and who is told when a patient is worried. Each is
// checked by check; CareSettings gives them as read, with their defaults.
type CareConfig struct {
	ConsultationReminders []string `yaml:"consultation_reminders"` // how long before a consultation the patient is reminded, e.g. [2d, 2h] (the default)
	SendAt                string   `yaml:"send_at"`                // practice time of the steps counted in days, e.g. "09:00" (the default)
	ReviewEvery           string   `yaml:"review_every"`           // how long a step's medical review stays current, e.g. "12 months" (the default)
	QuestionWithin        string   `yaml:"question_within"`        // open time to answer a patient's question, e.g. "2h" (the default)
	UrgentTo              []string `yaml:"urgent_to"`              // told at once, at any hour, of a worried patient: the surgeon on call
	OutOfHoursPhone       string   `yaml:"out_of_hours_phone"`     // the number a worried patient calls while the practice is closed
	EmergencyNumber       string   `yaml:"emergency_number"`       // the country's emergency number; default the one of intake.region, or of the practice's phone
}

// checkCare reads the care keys into the settings CareSettings returns:
// each is parsed here once, and one that is wrong is left at its default.
func (c *configFile) checkCare() {
	cfg := &c.cfg
	in := cfg.Care
	errf := func(field, format string, args ...any) {
		c.probs.Errorf(configPath, c.line(field), field, format, args...)
	}
	var s care.Settings
	if _, set := c.lines["care.consultation_reminders"]; set {
		s.ConsultationReminders = []care.Offset{} // written, if empty: none
	}
	for i, r := range in.ConsultationReminders {
		field := fmt.Sprintf("care.consultation_reminders[%d]", i)
		o, err := care.Parse(r, care.Unsigned)
		if err != nil {
			errf(field, "%v", err)
			continue
		}
		s.ConsultationReminders = append(s.ConsultationReminders, o)
	}
	if in.SendAt != "" {
		if m, err := hours.ParseClock(in.SendAt); err != nil {
			errf("care.send_at", "%v", err)
		} else if m == 0 {
			errf("care.send_at", "\"00:00\" is not offered — choose a time patients read their email, e.g. \"09:00\"")
		} else {
			s.SendAt = m
		}
	}
	if in.ReviewEvery != "" {
		if n, err := care.ParseMonths(in.ReviewEvery); err != nil {
			errf("care.review_every", "%v", err)
		} else {
			s.ReviewEvery = n
		}
	}
	if in.QuestionWithin != "" {
		if d, err := hours.ParseDuration(in.QuestionWithin); err != nil {
			errf("care.question_within", "%v", err)
		} else {
			s.QuestionWithin = d
		}
	}
	for i, addr := range in.UrgentTo {
		field := fmt.Sprintf("care.urgent_to[%d]", i)
		if err := mailaddr.Check(addr); err != nil {
			errf(field, "%q is not an address emails can be sent to: %v — write one address per item, e.g. oncall@your-practice.example", addr, err)
			continue
		}
		s.UrgentTo = append(s.UrgentTo, addr)
	}
	if in.OutOfHoursPhone != "" {
		before := c.probs.Len()
		c.checkPhoneField("care.out_of_hours_phone", in.OutOfHoursPhone)
		if c.probs.Len() == before {
			s.OutOfHoursPhone = in.OutOfHoursPhone
		}
	}
	if n := strings.TrimSpace(in.EmergencyNumber); n != "" {
		if strings.Trim(n, "0123456789 or") != "" {
			errf("care.emergency_number", "%q is not an emergency number — write the digits people dial, e.g. \"112\" or \"999\"", in.EmergencyNumber)
		} else {
			s.EmergencyNumber = n
		}
	}
	cfg.care = s.WithDefaults(cfg.country())
}

// country returns the practice's country as an ISO 3166 code: intake.region,
// else the country of its phone number; "" when neither says.
func (c Config) country() string {
	if r := strings.ToUpper(strings.TrimSpace(c.Intake.Region)); r != "" {
		return r
	}
	if n, err := phonenumbers.Parse(c.Phone, "ZZ"); err == nil {
		return phonenumbers.GetRegionCodeForNumber(n)
	}
	return ""
}

// CareSettings returns the care keys as check read them, with their
// defaults; CoolingOffDays is left for the advertising rules to set.
func (c Config) CareSettings() care.Settings {
	if c.care.SendAt == 0 { // a Config not made by loading: the defaults alone
		return care.Settings{}.WithDefaults(c.country())
	}
	return c.care
}
