package main

import (
	"context"
	"errors"
)

// TODO(owner): replace this placeholder.
func runNew(ctx context.Context, e env, args []string) error {
	return errors.New("new: not implemented yet")
}
