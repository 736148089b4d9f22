package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/config"
)

// configCmd is `wasmlint config validate [FILE]`: it checks a
// configuration file (by default the one lint would read) as lint reads
// it, with line numbers, and against the published JSON Schema. It exits
// 0 when the file is valid, 1 when it is not, 2 on a usage error and 3
// when the file cannot be read.
func (c *command) configCmd(args []string) int {
	if len(args) == 0 || args[0] != "validate" {
		return c.usageErr("usage: wasmlint config validate [FILE]")
	}
	fl := pflag.NewFlagSet("config validate", pflag.ContinueOnError)
	fl.SetOutput(c.stderr)
	if err := fl.Parse(args[1:]); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return exitOK
		}
		return c.usageErr("%v", err)
	}
	path := fl.Arg(0)
	if fl.NArg() > 1 {
		return c.usageErr("config validate: give one file")
	}
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return c.usageErr("config validate: no %s here or in a parent directory; give a file", config.FileName)
		}
		path = found
	}
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: %s: %v\n", path, cleanErr(err))
		return exitInput
	}
	f, err := config.Parse(path, b)
	if err == nil {
		// The checks lint makes: hosts, rule patterns, sizes exist.
		_, err = resolve(options{host: "envoy", failOn: "error"}, pflag.NewFlagSet("", pflag.ContinueOnError), f)
	}
	if err == nil {
		if serr := config.ValidateSchema(b); serr != nil {
			err = fmt.Errorf("%s: does not match config/wasmlint.schema.json: %w", path, serr)
		}
	}
	if err != nil {
		fmt.Fprintf(c.stderr, "wasmlint: %v\n", err)
		return exitFindings
	}
	fmt.Fprintf(c.stdout, "%s: valid\n", path)
	return exitOK
}
