// Consulta builds an aesthetic practice's website from Markdown and runs the
// intake service that takes its consultation requests.
//
// Usage:
//
//	consulta <command> [arguments]
//
// The commands are:
//
//	build    build the site into public/
//	check    load and render everything, write nothing, print every problem
//	new      write a starter file for a procedure, page or team member
//	serve    build, serve and rebuild on change, with the intake service mounted
//	intake   run the intake service alone
//
// Use "consulta help <command>" or "consulta <command> -help" for more about a command.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "consulta:", err)
		}
		os.Exit(1)
	}
}

// errUsage reports a command line that could not be parsed; the usage has
// been printed already.
var errUsage = errors.New("usage")

// errReported is returned by a command that has printed its own problems.
var errReported = errors.New("problems reported")

// env is what every command gets from the process, so tests can run
// commands without touching the real environment.
type env struct {
	getenv func(string) string
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
}

type command struct {
	name  string
	short string
	run   func(ctx context.Context, e env, args []string) error
}

func commands() []command {
	return []command{
		{"build", "build the site into public/", runBuild},
		{"check", "load and render everything, write nothing, print every problem", runCheck},
		{"new", "write a starter file for a procedure, page or team member", runNew},
		{"serve", "build, serve and rebuild on change, with the intake service mounted", runServe},
		{"intake", "run the intake service alone", runIntake},
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		usage(stderr)
		return errUsage
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "-help" || name == "--help" {
		if len(rest) == 0 {
			usage(stdout)
			return nil
		}
		name, rest = rest[0], []string{"-help"}
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, e, rest)
		}
	}
	fmt.Fprintf(stderr, "consulta %s: unknown command\nRun 'consulta help' for usage.\n", name)
	return errUsage
}

func usage(w io.Writer) {
	fmt.Fprint(w, "Consulta builds a practice's website from Markdown and runs its intake service.\n\nUsage:\n\n\tconsulta <command> [arguments]\n\nThe commands are:\n\n")
	for _, c := range commands() {
		fmt.Fprintf(w, "\t%-8s %s\n", c.name, c.short)
	}
	fmt.Fprint(w, "\nUse \"consulta help <command>\" for more information about a command.\n")
}

// newFlagSet returns a flag set that prints usage in the style of the Go
// tool: a usage line, then a paragraph of help, then the flags.
func newFlagSet(e env, name, usageLine, help string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "usage: consulta %s\n\n%s\n", usageLine, help)
		hasFlags := false
		fs.VisitAll(func(*flag.Flag) { hasFlags = true })
		if hasFlags {
			fmt.Fprint(w, "\nFlags:\n")
			fs.PrintDefaults()
		}
	}
	return fs
}

// parseFlags parses args and maps a parse error to errUsage; -help to flag.ErrHelp.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, flag.ErrHelp):
		return flag.ErrHelp
	default:
		return errUsage
	}
}
