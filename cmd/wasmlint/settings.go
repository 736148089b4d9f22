package main

import (
	"fmt"
	"strings"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/config"
	"github.com/wasmlint/wasmlint/rules"
)

// settings are what a lint runs with, from the flags, the configuration
// file and the defaults, in that order of precedence: a flag counts when
// it was given (pflag's Changed), a file key when it is present.
type settings struct {
	hosts    []*abiversions.Profile
	allHosts bool // --host all: the host matrix
	failOn   analyzer.Severity
	selected []*analyzer.Rule
	// severity overrides the severity of every finding of a rule (the
	// file's rules: {ID: {severity: …}}).
	severity map[string]analyzer.Severity
	opts     analyzer.Options
	file     *config.File // nil: no configuration file
}

// loadConfig finds the configuration file: --config, else .wasmlint.yaml
// in the working directory or a parent, unless --no-config.
func loadConfig(o options) (*config.File, error) {
	path := o.config
	if o.noConfig {
		if path != "" {
			return nil, fmt.Errorf("--config and --no-config exclude each other")
		}
		return nil, nil
	}
	if path == "" {
		found, err := config.Find(".")
		if err != nil || found == "" {
			return nil, err
		}
		path = found
	}
	return config.Load(path)
}

// resolve merges flags, file and defaults. Errors in the file name its
// line; all are usage errors.
func resolve(o options, fl *pflag.FlagSet, f *config.File) (*settings, error) {
	s := &settings{file: f, severity: map[string]analyzer.Severity{}}
	at := func(key string) string { return fmt.Sprintf("%s:%d", f.Path, f.Lines[key]) }

	hosts := []string{o.host}
	if f != nil && len(f.Hosts) > 0 && !fl.Changed("host") {
		hosts = f.Hosts
	}
	for _, h := range hosts {
		if h == "all" && len(hosts) == 1 {
			s.allHosts = true
			h = abiversions.DefaultProfile
		}
		p, err := abiversions.Select(h)
		if err != nil {
			if fl.Changed("host") || f == nil || len(f.Hosts) == 0 {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %w", at("hosts"), err)
		}
		s.hosts = append(s.hosts, p)
	}

	failOn := o.failOn
	if f != nil && f.FailOn != "" && !fl.Changed("fail-on") {
		failOn = f.FailOn
	}
	var err error
	if s.failOn, err = analyzer.ParseSeverity(failOn); err != nil {
		return nil, fmt.Errorf("--fail-on: %w", err)
	}

	s.opts.Workers = o.workers
	if f != nil && f.Workers != 0 && !fl.Changed("workers") {
		s.opts.Workers = f.Workers
	}
	budget, where := o.memoryBudget, "--memory-budget"
	if f != nil && f.MemoryBudget != "" && !fl.Changed("memory-budget") {
		budget, where = f.MemoryBudget, at("memory-budget")
	}
	if s.opts.MemoryBudget, err = parseSize(budget); err != nil {
		return nil, fmt.Errorf("%s: %w", where, err)
	}

	// Rules: the file's settings in order (later entries win), then
	// --disable, then --enable, which wins over everything.
	disabled := map[string]bool{}
	if f != nil {
		for _, r := range f.Rules {
			matched := ruleMatches(r.Pattern)
			if len(matched) == 0 {
				return nil, fmt.Errorf("%s:%d: no rule matches %q", f.Path, r.Line, r.Pattern)
			}
			for _, m := range matched {
				if r.Disable != nil {
					disabled[m.ID] = *r.Disable
				}
				if r.Severity != "" {
					s.severity[m.ID], _ = analyzer.ParseSeverity(r.Severity)
				}
			}
		}
		for i, ig := range f.Ignore {
			if len(ruleMatches(ig.Rule)) == 0 {
				return nil, fmt.Errorf("%s:%d: ignore entry %d: no rule matches %q", f.Path, ig.Line, i+1, ig.Rule)
			}
		}
	}
	disable := append([]string{}, o.disable...)
	for id, off := range disabled {
		if off {
			disable = append(disable, id)
		}
	}
	if s.selected, err = analyzer.Select(rules.All, o.enable, disable); err != nil {
		return nil, err
	}
	return s, nil
}

// ruleMatches are the rules a pattern (ID, name or glob) names, as
// --enable and --disable read it.
func ruleMatches(pattern string) []*analyzer.Rule {
	var out []*analyzer.Rule
	for _, r := range rules.All {
		if config.Glob(strings.ToUpper(pattern), r.ID) || pattern == r.Name || pattern == "all" {
			out = append(out, r)
		}
	}
	return out
}
