package main

import (
	"context"
	"errors"
)

// TODO(owner): replace this placeholder.
func runIntake(ctx context.Context, e env, args []string) error {
	return errors.New("intake: not implemented yet")
}
