package smoke

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/rules"
)

func envoy(t testing.TB) *abiversions.Profile {
	t.Helper()
	p, err := abiversions.Select("envoy")
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func smoke(t testing.TB, file string, o Options) (*Report, []analyzer.Diagnostic) {
	t.Helper()
	bin, err := os.ReadFile(filepath.Join("..", "..", "testdata", "smoke", file))
	if err != nil {
		t.Fatal(err)
	}
	if o.Host == nil {
		o.Host = envoy(t)
	}
	rep, diags, err := Run(context.Background(), bin, o)
	if err != nil {
		t.Fatal(err)
	}
	return rep, diags
}

// ids renders findings as "PW904 export proxy_on_request_headers", sorted.
func ids(diags []analyzer.Diagnostic) string {
	var out []string
	for _, d := range diags {
		out = append(out, d.Rule+" "+d.Subject)
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

func phaseLine(r *Report) string {
	var out []string
	for _, p := range r.Phases {
		out = append(out, p.Name+"="+p.Status)
	}
	return strings.Join(out, " ")
}

// TestRealFilters runs the filters of testdata/smoke (built from real SDKs
// and toolchains by scripts/build-smoke-filters.sh) and asserts the exact
// findings and phase outcomes.
func TestRealFilters(t *testing.T) {
	okPhases := "load=ok initialize=ok start=ok configure=ok request=ok"
	for _, tc := range []struct {
		file     string
		o        Options
		phases   string
		findings string
		message  []string // substrings of the first finding's message
	}{
		{file: "c_good.wasm", phases: okPhases},
		{file: "go_good.wasm", phases: okPhases},
		{file: "go_good.wasm", o: Options{PluginConfig: []byte(`{"header":"X-Team","value":"blue"}`)}, phases: okPhases},
		{file: "as_add_header.wasm", o: Options{RootID: "add_header"}, phases: okPhases},
		{file: "c_good.wasm", o: Options{FilterKind: KindNetwork}, phases: okPhases},
		{file: "c_good.wasm", o: Options{FilterKind: KindRoot}, phases: "load=ok initialize=ok start=ok configure=ok request=skipped"},
		{
			file: "c_trap_configure.wasm", phases: "load=ok initialize=ok start=ok configure=error request=skipped",
			findings: "PW903 export proxy_on_configure",
			message: []string{`proxy_on_configure trapped (unreachable) with the plugin configuration "" (empty)`,
				`"Function: proxy_on_configure failed: Uncaught RuntimeError: unreachable"`, "wasm stack: on_configure"},
		},
		{file: "c_trap_configure.wasm", o: Options{PluginConfig: []byte(`{"ok":true}`)}, phases: okPhases},
		{
			file: "go_good.wasm", o: Options{PluginConfig: []byte(`not json`)},
			phases:   "load=ok initialize=ok start=ok configure=error request=skipped",
			findings: "PW903 export proxy_on_configure; PW907 log proxy_log",
			message:  []string{`proxy_on_configure returned false with the plugin configuration "not json" (8 bytes) (it logged "go filter: bad configuration: invalid character`, `"Failed to configure base Wasm plugin"`},
		},
		{
			file: "go_panic.wasm", phases: "load=ok initialize=ok start=ok configure=ok request=error",
			findings: "PW904 export proxy_on_request_headers",
			message: []string{"proxy_on_request_headers trapped on request 1 (unreachable)",
				`after logging "panic: runtime error: invalid memory address or nil pointer dereference"`,
				"wasm stack: runtime.abort <- runtime.fatalpanic <- runtime.gopanic <- runtime.sigpanic <- main.onRequestHeaders <- proxy_on_request_headers"},
		},
		{
			file: "c_loop.wasm", o: Options{Timeout: 100 * time.Millisecond, Engine: EngineInterpreter},
			phases:   "load=ok initialize=ok start=ok configure=ok request=timeout",
			findings: "PW905 export proxy_on_request_headers",
			message:  []string{"proxy_on_request_headers did not return within 100ms on request 1 and was stopped"},
		},
		{
			file: "c_leak.wasm", phases: okPhases, findings: "PW906 memory 0",
			message: []string{"linear memory grew after every request: 18 -> 34 -> 50 pages after requests 1-3 (+16 pages, 1.0 MiB, per request)"},
		},
		{
			file: "c_host_errors.wasm", phases: okPhases,
			findings: "PW907 log proxy_log; PW908 import env.proxy_get_property; PW908 import env.proxy_log",
			message:  []string{`the filter logged at error level in request (proxy_log): "c filter: property wasmlint.undefined is missing"`},
		},
	} {
		t.Run(tc.file+"/"+string(tc.o.PluginConfig)+tc.o.FilterKind, func(t *testing.T) {
			rep, diags := smoke(t, tc.file, tc.o)
			if got := phaseLine(rep); got != tc.phases {
				t.Errorf("phases: got %s, want %s", got, tc.phases)
			}
			if got := ids(diags); got != tc.findings {
				t.Errorf("findings: got %q, want %q", got, tc.findings)
				for _, d := range diags {
					t.Log(d.Message)
				}
			}
			for _, want := range tc.message {
				if len(diags) == 0 || !strings.Contains(diags[0].Message, want) {
					t.Errorf("first finding should contain %q; findings:\n%v", want, diags)
				}
			}
		})
	}
}

// TestReport checks what the report records of a good run: callbacks in
// Envoy's order, host calls, the header the filter added, bytes and memory.
func TestReport(t *testing.T) {
	rep, _ := smoke(t, "c_good.wasm", Options{Requests: 1})
	var cbs []string
	for _, c := range rep.Calls {
		cbs = append(cbs, c.Callback)
	}
	want := "_initialize proxy_on_context_create proxy_on_vm_start proxy_on_configure proxy_on_context_create " +
		"proxy_on_request_headers proxy_on_response_headers proxy_on_done proxy_on_delete"
	if got := strings.Join(cbs, " "); got != want {
		t.Errorf("callbacks:\n got %s\nwant %s", got, want)
	}
	if rep.HostCalls["proxy_add_header_map_value"] != 2 || rep.HostCalls["proxy_log"] != 2 {
		t.Errorf("host calls: %v", rep.HostCalls)
	}
	if len(rep.Requests) != 1 || rep.Requests[0].BytesOut == 0 || rep.PagesAfter == 0 {
		t.Errorf("request stats: %+v, pages %d", rep.Requests, rep.PagesAfter)
	}
	var b bytes.Buffer
	if err := rep.Text(&b); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"phases: load ok", "host calls: proxy_add_header_map_value×2", "request 1:"} {
		if !strings.Contains(b.String(), s) {
			t.Errorf("text summary lacks %q:\n%s", s, b.String())
		}
	}
}

// TestRules checks that the PW9xx rules are well formed and documented.
func TestRules(t *testing.T) {
	if err := analyzer.Validate(rules.SmokeRules); err != nil {
		t.Fatal(err)
	}
	for i, r := range rules.SmokeRules {
		if want := "PW90" + string(rune('1'+i)); r.ID != want {
			t.Errorf("rules.SmokeRules[%d] is %s, want %s", i, r.ID, want)
		}
	}
}

// TestEveryHostFunctionImplemented checks that every env function of every
// ABI table and profile extra has an implementation.
func TestEveryHostFunctionImplemented(t *testing.T) {
	for _, v := range []*abiversions.Version{abiversions.V0_1_0, abiversions.V0_2_0, abiversions.V0_2_1} {
		for _, f := range v.HostFuncs {
			if envFuncs[f.Name] == nil {
				t.Errorf("%s (ABI %s) has no implementation", f.Name, v.Name)
			}
		}
	}
	for _, f := range envoy(t).EnvExtras {
		if envFuncs[f.Name] == nil {
			t.Errorf("extra %s has no implementation", f.Name)
		}
	}
	for _, name := range envoy(t).WASI {
		if _, ok := abiversions.WASISig(name); !ok {
			t.Errorf("WASI %s has no signature", name)
		}
	}
}

func TestOptionsValidate(t *testing.T) {
	p := envoy(t)
	for _, o := range []Options{{}, {Host: p, FilterKind: "grpc"}, {Host: p, Engine: "jit"}, {Host: p, ABI: "0.9.0"}} {
		if err := o.Validate(); err == nil {
			t.Errorf("%+v: no error", o)
		}
	}
	if _, _, err := Run(context.Background(), nil, Options{}); err == nil {
		t.Error("Run without a host: no error")
	}
}

func TestParseFixture(t *testing.T) {
	f, err := ParseFixture([]byte(`{"request": {"headers": [["X-User","alice"]], "body": "abcdef", "chunks": 3},
		"http_calls": {"auth": {"headers": [[":status","200"]], "body": "ok"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	if f.Request.Headers[0][0] != "x-user" || len(f.Response.Headers) != 5 || f.HTTPCalls["auth"].Body != "ok" {
		t.Errorf("fixture: %+v", f)
	}
	if got := chunks(f.Request.Body, f.Request.Chunks); strings.Join(got, "|") != "ab|cd|ef" {
		t.Errorf("chunks: %q", got)
	}
	if _, err := ParseFixture([]byte(`{"requests": {}}`)); err == nil {
		t.Error("unknown field: no error")
	}
}
