package lead

import (
	"strconv"
	"strings"
	"time"
)

// The kinds of an event of a lead's history besides the clock's steps,
// which are named by their kind (Reminder, …).
const (
	KindState    = "state"    // moved to a state by hand (Act)
	KindReleased = "released" // delivered after it was held as spam (Release)
	KindCall     = "call"     // a call recorded (Call); Detail is its outcome
	KindUndo     = "undo"     // an action undone (Undo); Detail is the undone entry's ID
	KindAgain    = "again"    // the patient wrote again (Attach); Detail is the id of the lead that joined it
)

// UndoWindow is how long an action by hand can be undone, by the person
// who took it.
const UndoWindow = 10 * time.Minute

// MaxNote is the longest note kept with an action, in characters.
const MaxNote = 500

// Event is a change of a lead as its history keeps it.
type Event struct {
	Kind  string // KindState, KindCall, …, or the step taken (Reminder, …)
	State string // the state set; "" when the state did not change
	By    Person // who: zero for the clock and the patient
	At    time.Time
	// Note is what the person wrote with the action: kept with the lead,
	// shown in its history, purged with it. At most MaxNote characters.
	Note string
	// Detail says more of some kinds: a call's outcome, and for a call
	// back, the time asked for after a space ("call_back 2026-12-07T16:00:00Z");
	// the entry an undo undid; the lead that joined an open one.
	Detail string
	// Before is the lead's status before an action by hand, which Undo
	// restores; nil for what cannot be undone.
	Before *Status
}

// Entry is an event as the history holds it: numbered by the store, and
// marked once undone.
type Entry struct {
	ID int64
	Event
	Undone time.Time // zero unless undone
}

// CallBackAt returns the time a call's outcome asked to call back at, and
// false for any other event.
func (e Event) CallBackAt() (time.Time, bool) {
	outcome, at, ok := strings.Cut(e.Detail, " ")
	if e.Kind != KindCall || outcome != CallBack || !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, at)
	return t, err == nil
}

// Outcome returns a call's outcome (Reached, NoAnswer, …); "" for any
// other event.
func (e Event) Outcome() string {
	if e.Kind != KindCall {
		return ""
	}
	outcome, _, _ := strings.Cut(e.Detail, " ")
	return outcome
}

// Undoable returns the entry of t's history that by may undo at now, and
// false when there is none: the latest action not undone yet (undos and
// what they undid aside), if it was taken by hand, by the same person
// (the same address and name), less than UndoWindow ago. Anything that
// happened since (the clock's email, the patient writing again) ends
// the chance.
func (t Tracked) Undoable(by Person, now time.Time) (Entry, bool) {
	for _, e := range t.History {
		if e.Kind == KindUndo || !e.Undone.IsZero() {
			continue
		}
		ok := e.Before != nil && strings.EqualFold(e.By.Email, by.Email) && e.By.Name == by.Name &&
			by.Email != "" && !now.Before(e.At) && now.Sub(e.At) < UndoWindow
		return e, ok
	}
	return Entry{}, false
}

// Undo takes back t's latest action, as by asked at now: the lead stands
// as it stood before it, with the steps it then had (an email the action
// scheduled is never sent). It returns false when by may undo nothing
// (Undoable).
func Undo(t Tracked, by Person, now time.Time) (Change, bool) {
	e, ok := t.Undoable(by, now)
	if !ok {
		return Change{}, false
	}
	t.Status = *e.Before
	return Change{After: t, Undoes: e.ID,
		Event: Event{Kind: KindUndo, State: t.State, By: by, At: now, Detail: strconv.FormatInt(e.ID, 10)}}, true
}
