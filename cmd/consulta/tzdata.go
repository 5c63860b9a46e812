package main

// The IANA time zone database, built in: practice time zones load the same
// on a server without tzdata and in a scratch or distroless image.
import _ "time/tzdata"
