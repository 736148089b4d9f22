package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/smoke"
)

// smokeFlags are the flags of the smoke run (--smoke and its settings).
type smokeFlags struct {
	enabled                bool
	rootID                 string
	vmConfig, pluginConfig string
	filterKind             string
	requests               int
	fixture                string
	timeout                time.Duration
	cacheDir               string
	engine                 string
}

// addSmokeFlags registers the smoke-run flags on the lint flag set.
func addSmokeFlags(fl *pflag.FlagSet, s *smokeFlags) {
	fl.BoolVar(&s.enabled, "smoke", false, "also run each module through the host's lifecycle in an emulated host (rules PW901-PW908)")
	fl.StringVar(&s.rootID, "root-id", "", "smoke run: the plugin's root_id (what plugin_root_id returns)")
	fl.StringVar(&s.vmConfig, "vm-config", "", "smoke run: VM configuration for proxy_on_vm_start, a `FILE` or a string")
	fl.StringVar(&s.pluginConfig, "plugin-config", "", "smoke run: plugin configuration for proxy_on_configure, a `FILE` or a string")
	fl.StringVar(&s.filterKind, "filter-kind", smoke.KindHTTP, "smoke run: http, network (TCP connections) or root (stop after configure)")
	fl.IntVar(&s.requests, "requests", 3, "smoke run: number of HTTP streams or connections")
	fl.StringVar(&s.fixture, "request", "", "smoke run: request fixture `FILE` (JSON: request, response, properties, http_calls, foreign_functions)")
	fl.DurationVar(&s.timeout, "smoke-timeout", time.Second, "smoke run: deadline of each callback")
	fl.StringVar(&s.cacheDir, "smoke-cache", "", "smoke run: keep wazero's compilation cache in `DIR` (the compiler is then used)")
	fl.StringVar(&s.engine, "smoke-engine", smoke.EngineAuto, "smoke run: auto, compiler or interpreter")
}

// options turns the flags into smoke-run options for a host profile and an
// optional forced ABI version; configuration and fixture files are read
// here, so that a bad path is a usage error before any input is run.
func (s *smokeFlags) options(host *abiversions.Profile, abi string) (smoke.Options, error) {
	o := smoke.Options{
		Host: host, ABI: abi, RootID: s.rootID, FilterKind: s.filterKind, Requests: s.requests,
		Timeout: s.timeout, Engine: s.engine, CacheDir: s.cacheDir,
	}
	var err error
	if o.VMConfig, err = fileOrString(s.vmConfig); err != nil {
		return o, fmt.Errorf("--vm-config: %w", err)
	}
	if o.PluginConfig, err = fileOrString(s.pluginConfig); err != nil {
		return o, fmt.Errorf("--plugin-config: %w", err)
	}
	if s.fixture != "" {
		b, err := os.ReadFile(s.fixture)
		if err != nil {
			return o, fmt.Errorf("--request: %w", cleanErr(err))
		}
		if o.Fixture, err = smoke.ParseFixture(b); err != nil {
			return o, fmt.Errorf("--request %s: %w", s.fixture, err)
		}
	}
	if s.requests < 1 {
		return o, fmt.Errorf("--requests must be at least 1")
	}
	if s.timeout <= 0 {
		return o, fmt.Errorf("--smoke-timeout must be positive")
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	return o, nil
}

// fileOrString reads v as a file when one exists at that path, else takes
// it as the configuration itself.
func fileOrString(v string) ([]byte, error) {
	if v == "" {
		return nil, nil
	}
	st, err := os.Stat(v)
	if err != nil {
		return []byte(v), nil
	}
	if st.IsDir() {
		return nil, fmt.Errorf("%s is a directory", v)
	}
	b, err := os.ReadFile(v)
	if err != nil {
		return nil, cleanErr(err)
	}
	return b, nil
}

// runSmoke runs the smoke run on one input and adds its findings to the
// static result, keeping the result's order (offset, then rule). keep
// selects the PW9xx rules by ID (--enable/--disable); nil keeps all. The
// report is returned for the JSON output and the text summary.
func runSmoke(ctx context.Context, bin []byte, res *analyzer.Result, o smoke.Options, keep func(id string) bool) (*smoke.Report, error) {
	rep, diags, err := smoke.Run(ctx, bin, o)
	if err != nil {
		return nil, err
	}
	for _, d := range diags {
		if keep == nil || keep(d.Rule) {
			res.Diagnostics = append(res.Diagnostics, d)
		}
	}
	res.Diagnostics = analyzer.SortDiagnostics(res.Diagnostics)
	return rep, nil
}
