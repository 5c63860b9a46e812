package care

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Settings are the practice's care settings: site.yaml's care keys, and
// the cooling-off period its advertising rules set. The zero value of
// each field is its documented default; WithDefaults fills them in.
type Settings struct {
	// ConsultationReminders are when the patient is reminded of a
	// consultation, before it; nil means DefaultConsultationReminders,
	// an empty list none.
	ConsultationReminders []Offset
	// SendAt is the practice time of day, in minutes after midnight, at
	// which steps and reminders counted in days or weeks are sent; 0
	// means DefaultSendAt (midnight itself is not offered).
	SendAt int
	// QuestionWithin is the open time within which a patient's question
	// is answered; default DefaultQuestionWithin.
	QuestionWithin time.Duration
	// UrgentTo are told at once, at any hour, of a patient who is worried:
	// the surgeon on call. The coordinator is always told too.
	UrgentTo []string
	// OutOfHoursPhone is the number a worried patient calls when the
	// practice is closed, as written: "+353 1 555 0199".
	OutOfHoursPhone string
	// EmergencyNumber is the emergency number of the practice's country,
	// "112"; "" means the one EmergencyNumber gives for its region.
	EmergencyNumber string
	// ReviewEvery is how many months a step's medical review stays
	// current before check warns of it; default DefaultReviewEvery.
	ReviewEvery int
	// CoolingOffDays is the least number of days between a patient's
	// first consultation and a surgery date, unless the surgeon's
	// agreement is recorded with a reason; 0 sets none.
	CoolingOffDays int
}

// The defaults of Settings.
const (
	DefaultSendAt         = 9 * 60 // 09:00
	DefaultQuestionWithin = 2 * time.Hour
	DefaultReviewEvery    = 12 // months
)

// DefaultConsultationReminders are two days before a consultation (at
// SendAt) and two hours before it.
var DefaultConsultationReminders = []Offset{{-2, Day}, {-2, Hour}}

// WithDefaults returns s with every zero field set to its default; the
// emergency number is region's (an ISO 3166 code such as "IE").
func (s Settings) WithDefaults(region string) Settings {
	if s.ConsultationReminders == nil {
		s.ConsultationReminders = DefaultConsultationReminders
	}
	if s.SendAt <= 0 {
		s.SendAt = DefaultSendAt
	}
	if s.QuestionWithin <= 0 {
		s.QuestionWithin = DefaultQuestionWithin
	}
	if s.ReviewEvery <= 0 {
		s.ReviewEvery = DefaultReviewEvery
	}
	if s.EmergencyNumber == "" {
		s.EmergencyNumber = EmergencyNumber(region)
	}
	return s
}

// emergencyNumbers are the emergency numbers of the countries a practice
// is likeliest to be in, by ISO 3166 code: the one people there know
// first. 112 reaches the emergency services across the European Union.
var emergencyNumbers = map[string]string{
	"IE": "112 or 999", "GB": "999", "UK": "999", "US": "911", "CA": "911", "AU": "000", "NZ": "111",
	"ZA": "10111", "IN": "112", "AE": "999", "CH": "144", "NO": "113", "IS": "112", "SG": "995",
	"AT": "112", "BE": "112", "BG": "112", "HR": "112", "CY": "112", "CZ": "112", "DK": "112",
	"EE": "112", "FI": "112", "FR": "15 or 112", "DE": "112", "GR": "112", "HU": "112", "IT": "112",
	"LV": "112", "LT": "112", "LU": "112", "MT": "112", "NL": "112", "PL": "112", "PT": "112",
	"RO": "112", "SK": "112", "SI": "112", "ES": "112", "SE": "112",
}

// EmergencyNumber returns the emergency number of the country region
// names (ISO 3166, "IE"), as people there dial it; "" for a country it
// does not know, which must then set care.emergency_number.
func EmergencyNumber(region string) string {
	return emergencyNumbers[strings.ToUpper(strings.TrimSpace(region))]
}

// ParseMonths reads how long a medical review stays current, as staff
// write it: "12 months", "1 year", "18 months". Its errors are written
// for staff.
func ParseMonths(s string) (int, error) {
	f := strings.Fields(strings.ToLower(s))
	if len(f) == 1 { // "12m", "1y"
		for _, unit := range []string{"months", "month", "mo", "m", "years", "year", "y"} {
			if n, ok := strings.CutSuffix(f[0], unit); ok && n != "" {
				f = []string{n, unit}
				break
			}
		}
	}
	if len(f) == 2 {
		n, err := strconv.Atoi(f[0])
		if err == nil && n > 0 && n <= 120 {
			switch f[1] {
			case "month", "months", "mo", "m":
				return n, nil
			case "year", "years", "y":
				return 12 * n, nil
			}
		}
	}
	return 0, fmt.Errorf("%q is not a number of months — write e.g. \"12 months\" or \"1 year\"", s)
}
