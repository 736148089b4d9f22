package smoke

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/wasmlint/wasmlint/abiversions"
)

// Filter kinds: how the smoke run drives the module after configure.
const (
	KindHTTP    = "http"    // HTTP streams (the default)
	KindNetwork = "network" // TCP connections
	KindRoot    = "root"    // stop after configure (and one tick)
)

// Engines: how wazero runs the module.
const (
	EngineAuto        = "auto"        // compiler with a cache, else the faster for one-shot runs
	EngineCompiler    = "compiler"    // wazero's optimizing compiler
	EngineInterpreter = "interpreter" // wazero's interpreter
)

// Options configure a smoke run. The zero value of every field but Host
// means its documented default.
type Options struct {
	// Host is the host profile to emulate (required).
	Host *abiversions.Profile
	// ABI forces the ABI version ("0.2.1") instead of detecting it.
	ABI string
	// RootID is the plugin's root_id: what plugin_root_id returns (Envoy's
	// root_id; AssemblyScript filters look their root context up by it).
	RootID string
	// VMConfig and PluginConfig are the VM and plugin configuration
	// buffers (proxy_on_vm_start, proxy_on_configure); empty by default.
	VMConfig, PluginConfig []byte
	// FilterKind is KindHTTP (default), KindNetwork or KindRoot.
	FilterKind string
	// Requests is the number of HTTP streams or connections (default 3).
	Requests int
	// Fixture is the request driven through each stream (default
	// DefaultFixture()).
	Fixture *Fixture
	// Timeout bounds each callback (default 1 s); Total bounds the whole
	// run (default 60 s).
	Timeout, Total time.Duration
	// Engine is EngineAuto (default), EngineCompiler or EngineInterpreter.
	Engine string
	// CacheDir keeps wazero's compilation cache on disk between runs.
	CacheDir string
	// LogLevel is what proxy_get_log_level returns (default 2, info).
	LogLevel *int

	// fresh compiles without any cache (benchmarks of cold runs).
	fresh bool
}

func (o Options) withDefaults() Options {
	if o.FilterKind == "" {
		o.FilterKind = KindHTTP
	}
	if o.Requests <= 0 {
		o.Requests = 3
	}
	if o.Fixture == nil {
		o.Fixture = DefaultFixture()
	}
	if o.Timeout <= 0 {
		o.Timeout = time.Second
	}
	if o.Total <= 0 {
		o.Total = 60 * time.Second
	}
	if o.Engine == "" {
		o.Engine = EngineAuto
	}
	return o
}

// Validate reports an option that cannot be used.
func (o Options) Validate() error {
	switch {
	case o.Host == nil:
		return fmt.Errorf("no host profile")
	case o.FilterKind != "" && o.FilterKind != KindHTTP && o.FilterKind != KindNetwork && o.FilterKind != KindRoot:
		return fmt.Errorf("unknown filter kind %q (want http, network or root)", o.FilterKind)
	case o.Engine != "" && o.Engine != EngineAuto && o.Engine != EngineCompiler && o.Engine != EngineInterpreter:
		return fmt.Errorf("unknown engine %q (want auto, compiler or interpreter)", o.Engine)
	case o.ABI != "" && abiversions.Table(o.ABI) == nil:
		return fmt.Errorf("unknown ABI version %q", o.ABI)
	}
	return nil
}

// Pair is one header (or trailer) as sent on the wire: lowercase name and
// value. Pseudo-headers (":path") come first, as in HTTP/2.
type Pair [2]string

// Message is one direction of a stream: headers, a body and trailers.
type Message struct {
	Headers []Pair `json:"headers"`
	Body    string `json:"body"`
	// Chunks splits the body into that many body callbacks (default 1).
	Chunks   int    `json:"chunks,omitempty"`
	Trailers []Pair `json:"trailers,omitempty"`
}

// CallResponse scripts the answer to proxy_http_call for one upstream.
type CallResponse struct {
	Headers  []Pair `json:"headers"`
	Body     string `json:"body"`
	Trailers []Pair `json:"trailers,omitempty"`
}

// Fixture is what each stream of the smoke run carries, and what the
// emulated host answers to the filter's own calls. It is read from a small
// JSON file (see README "Smoke run"):
//
//	{"request":  {"headers": [[":method","GET"], ...], "body": "...", "chunks": 2, "trailers": [...]},
//	 "response": {"headers": [[":status","200"], ...], "body": "..."},
//	 "properties": {"source.address": "10.0.0.1:1234"},
//	 "http_calls": {"auth_cluster": {"headers": [[":status","200"]], "body": "ok"}},
//	 "foreign_functions": {"compress": "result bytes"}}
type Fixture struct {
	Request  Message `json:"request"`
	Response Message `json:"response"`
	// Properties add to or replace the host's properties (path segments
	// joined by '.'); values are raw bytes.
	Properties map[string]string `json:"properties,omitempty"`
	// HTTPCalls are the upstreams proxy_http_call may reach, with the
	// response delivered to proxy_on_http_call_response after the calling
	// callback returns. A call to any other upstream gets BadArgument, as
	// Envoy answers for an unknown cluster.
	HTTPCalls map[string]CallResponse `json:"http_calls,omitempty"`
	// ForeignFunctions are the foreign functions proxy_call_foreign_function
	// knows, with the bytes they return; any other name is NotFound.
	ForeignFunctions map[string]string `json:"foreign_functions,omitempty"`
}

// DefaultFixture is a small JSON POST with an 11-header request and a
// 5-header response, the shape the recorded host verdicts used.
func DefaultFixture() *Fixture {
	return &Fixture{
		Request: Message{
			Headers: []Pair{
				{":method", "POST"}, {":path", "/anything?x=1"}, {":authority", "example.com"},
				{":scheme", "http"}, {"user-agent", "curl/8.0"}, {"accept", "*/*"},
				{"content-type", "application/json"}, {"content-length", "17"},
				{"x-request-id", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"}, {"x-forwarded-proto", "http"},
				{"authorization", "Bearer abc.def.ghi"},
			},
			Body: `{"hello":"world"}`,
		},
		Response: Message{
			Headers: []Pair{
				{":status", "200"}, {"content-type", "text/plain"}, {"content-length", "15"},
				{"date", "Thu, 26 Nov 2026 20:00:00 GMT"}, {"server", "envoy"},
			},
			Body: "hello from test",
		},
	}
}

// ParseFixture reads a fixture file. Missing parts take the default
// fixture's; header names are lowercased as a proxy does.
func ParseFixture(b []byte) (*Fixture, error) {
	var f Fixture
	dec := json.NewDecoder(strings.NewReader(string(b)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("request fixture: %w", err)
	}
	def := DefaultFixture()
	if f.Request.Headers == nil {
		f.Request.Headers = def.Request.Headers
	}
	if f.Response.Headers == nil {
		f.Response.Headers = def.Response.Headers
	}
	for _, ps := range [][]Pair{f.Request.Headers, f.Request.Trailers, f.Response.Headers, f.Response.Trailers} {
		for i := range ps {
			ps[i][0] = strings.ToLower(ps[i][0])
		}
	}
	return &f, nil
}

// chunks splits a body into n nearly equal parts (at least one, which may
// be empty).
func chunks(body string, n int) []string {
	if n <= 1 || len(body) < 2 {
		return []string{body}
	}
	if n > len(body) {
		n = len(body)
	}
	out := make([]string, 0, n)
	size := (len(body) + n - 1) / n
	for len(body) > 0 {
		k := min(size, len(body))
		out = append(out, body[:k])
		body = body[k:]
	}
	return out
}
