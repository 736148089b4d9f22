package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/smoke"
	"github.com/wasmlint/wasmlint/rules"
)

func smokeOptions(t *testing.T, args ...string) (smoke.Options, error) {
	t.Helper()
	var s smokeFlags
	fl := pflag.NewFlagSet("test", pflag.ContinueOnError)
	addSmokeFlags(fl, &s)
	if err := fl.Parse(args); err != nil {
		t.Fatal(err)
	}
	host, err := abiversions.Select("envoy")
	if err != nil {
		t.Fatal(err)
	}
	return s.options(host, "")
}

func TestSmokeFlags(t *testing.T) {
	dir := t.TempDir()
	cfg := filepath.Join(dir, "cfg.json")
	fixture := filepath.Join(dir, "req.json")
	os.WriteFile(cfg, []byte(`{"a":1}`), 0o644)
	os.WriteFile(fixture, []byte(`{"request": {"headers": [[":path","/x"]]}}`), 0o644)
	o, err := smokeOptions(t, "--smoke", "--root-id", "r", "--plugin-config", cfg, "--vm-config", "inline",
		"--filter-kind", "network", "--requests", "5", "--request", fixture, "--smoke-timeout", "250ms")
	if err != nil {
		t.Fatal(err)
	}
	if string(o.PluginConfig) != `{"a":1}` || string(o.VMConfig) != "inline" || o.RootID != "r" ||
		o.FilterKind != "network" || o.Requests != 5 || o.Timeout != 250*time.Millisecond || o.Fixture.Request.Headers[0][1] != "/x" {
		t.Errorf("options: %+v", o)
	}
	for _, bad := range [][]string{
		{"--filter-kind", "grpc"}, {"--requests", "0"}, {"--smoke-engine", "jit"},
		{"--request", filepath.Join(dir, "missing.json")}, {"--plugin-config", dir},
	} {
		if _, err := smokeOptions(t, bad...); err == nil {
			t.Errorf("%v: no error", bad)
		}
	}
}

// TestRunSmoke runs the static rules and the smoke run on a real filter,
// as lint does with --smoke, and checks the merged findings and report.
func TestRunSmoke(t *testing.T) {
	path := filepath.Join("..", "..", "testdata", "smoke", "c_trap_configure.wasm")
	bin, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	host, _ := abiversions.Select("envoy")
	res := analyzer.Run(path, bin, rules.All, analyzer.Config{Host: host})
	o, err := smokeOptions(t)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := runSmoke(context.Background(), bin, res, o, nil)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range res.Diagnostics {
		ids = append(ids, d.Rule)
	}
	if !strings.Contains(strings.Join(ids, " "), "PW903") || rep.PhaseStatus(smoke.PhaseConfigure) != smoke.StatusError {
		t.Errorf("findings %v, phases %+v", ids, rep.Phases)
	}
	for i := 1; i < len(res.Diagnostics); i++ {
		if res.Diagnostics[i].Span.Offset < res.Diagnostics[i-1].Span.Offset {
			t.Errorf("findings out of order: %v", res.Diagnostics)
		}
	}
	if b, err := json.Marshal(rep); err != nil || !bytes.Contains(b, []byte(`"phases"`)) {
		t.Errorf("report JSON: %s %v", b, err)
	}
	res2 := analyzer.Run(path, bin, rules.All, analyzer.Config{Host: host})
	n := len(res2.Diagnostics)
	if _, err := runSmoke(context.Background(), bin, res2, o, func(id string) bool { return id != "PW903" }); err != nil || len(res2.Diagnostics) != n {
		t.Errorf("a disabled PW903 was added: %v", res2.Diagnostics)
	}
}
