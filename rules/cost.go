package rules

import (
	"fmt"
	"strings"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

func kib(n uint64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
}

// DebugInfo reports DWARF sections.
var DebugInfo = &analyzer.Rule{
	ID: "PW701", Name: "debug-info", Severity: analyzer.Note,
	Title: "the module carries DWARF debug information",
	What:  "The module contains `.debug_*` custom sections (DWARF).",
	Why:   "Proxies do not use DWARF (in-VM backtraces use the `name` section), but every VM still reads the bytes: larger downloads, image layers and load time.",
	Fix:   "Build in release mode, or strip: `wasm-tools strip`, `wasm-opt --strip-debug`, `llvm-strip`, Rust `strip = \"debuginfo\"`; keep the `name` section for readable backtraces.",
	Host:  "No message: the sections are ignored.",
	Tags:  []string{"cost"},
	Run: func(p *analyzer.Pass) {
		var total uint64
		var first *wasm.Section
		for i := range p.Module.Customs {
			c := &p.Module.Customs[i]
			if strings.HasPrefix(c.Name, ".debug_") {
				total += uint64(c.Span.Length)
				if first == nil {
					first = c
				}
			}
		}
		if first == nil {
			return
		}
		p.Reportf(analyzer.Note, first.Span, "section "+first.Name, "%s of DWARF debug sections (%.0f%% of the module)", kib(total), 100*float64(total)/float64(p.Module.Size))
	},
}

// largeModule is the size above which PW702 reports.
const largeModule = 10 << 20

// LargeModule reports a large module.
var LargeModule = &analyzer.Rule{
	ID: "PW702", Name: "large-module", Severity: analyzer.Note,
	Title: "the module is large",
	What:  "The module is larger than 10 MiB.",
	Why:   "Every plugin load compiles the module (V8 compiles with TurboFan, no Liftoff, in proxy-wasm-cpp-host), and the proxy fetches it on every configuration change: large modules slow down start-up and configuration pushes.",
	Fix:   "Strip debug information and names you do not need, optimise with `wasm-opt -Oz`, drop unused dependencies (Go: `-ldflags=-s -w`, Rust: `opt-level = \"z\"`, `lto = true`).",
	Host:  "No message; a slow load can exceed an xDS fetch timeout.",
	Tags:  []string{"cost"},
	Run: func(p *analyzer.Pass) {
		if p.Module.Size > largeModule {
			p.Reportf(analyzer.Note, wasm.Span{Length: uint32(p.Module.Size)}, "module", "the module is %s; each VM load compiles all of it", kib(uint64(p.Module.Size)))
		}
	},
}

// producedBy reports whether a producers entry contains s.
func producedBy(m *wasm.Module, s string) (string, bool) {
	for _, field := range []string{"language", "processed-by", "sdk"} {
		for _, pr := range m.Producers[field] {
			if strings.Contains(strings.ToLower(pr.Name+" "+pr.Version), s) {
				return strings.TrimSpace(pr.Name + " " + pr.Version), true
			}
		}
	}
	return "", false
}

// ToolchainRisk reports toolchains with known trouble in proxies.
var ToolchainRisk = &analyzer.Rule{
	ID: "PW703", Name: "toolchain-risk", Severity: analyzer.Warning,
	Title: "the toolchain has known trouble in proxies",
	What:  "The `producers` section shows a toolchain with a known failure mode in Proxy-Wasm hosts: TinyGo (conservative GC whose heap grows under load until the VM's memory cap, then `runtime._panic`), or Go `wasip1` on a host whose `poll_oneoff` fails (the Go runtime aborts with `fatal error: poll_oneoff failed` after hours of traffic).",
	Why:   "These builds load and pass a smoke test, then fail under production load.",
	Fix:   "TinyGo: bound allocations per request, load-test memory, or move to Go ≥1.24 `wasip1` with the current proxy-wasm-go-sdk; Go `wasip1`: deploy to Envoy ≥1.39 (Istio with Envoy 1.39), where `poll_oneoff` succeeds.",
	Host:  "At run time: `Function: proxy_on_response_body failed: Uncaught RuntimeError: unreachable` with `runtime._panic` in the backtrace; `fatal error: poll_oneoff failed`.",
	Tags:  []string{"toolchain"},
	Run: func(p *analyzer.Pass) {
		m := p.Module
		span := wasm.Span{}
		if s := m.Custom("producers"); s != nil {
			span = s.Span
		}
		if who, ok := producedBy(m, "tinygo"); ok {
			p.Reportf(analyzer.Note, span, "section producers", "built with TinyGo (%s): its conservative GC grows the heap under load; watch memory per worker", who)
		}
		if who, ok := producedBy(m, "go cmd/compile"); ok {
			if stub, ok := p.Host.WASIStubs["poll_oneoff"]; ok && stub.Fails() {
				p.Reportf(analyzer.Warning, span, "section producers", "built with Go wasip1 (%s), whose runtime aborts when poll_oneoff fails, and on %s poll_oneoff %s", who, p.Host.Name(), stub.What)
			}
		}
	},
}

// BodyCopy reports body callbacks that copy bytes.
var BodyCopy = &analyzer.Rule{
	ID: "PW704", Name: "body-copy", Severity: analyzer.Note,
	Title: "body callbacks copy every chunk between host and VM",
	What:  "The module handles request or response bodies (`proxy_on_request_body`, `proxy_on_response_body`) and reads or writes buffers (`proxy_get_buffer_bytes`, `proxy_set_buffer_bytes`).",
	Why:   "Each body chunk the filter reads is copied from the proxy into the VM's memory (through the module's allocator) and each write copied back; buffering whole bodies multiplies memory per worker by concurrent streams.",
	Fix:   "Read only what you need (a prefix, a header), return early from body callbacks when the content type does not concern the filter, and avoid buffering whole bodies.",
	Host:  "No message: a cost at run time.",
	Tags:  []string{"cost"},
	Run: func(p *analyzer.Pass) {
		var body []string
		for _, n := range []string{"proxy_on_request_body", "proxy_on_response_body"} {
			if funcExport(p.Module, n) != nil {
				body = append(body, n)
			}
		}
		if len(body) == 0 {
			return
		}
		funcImports(p, "env", func(im *wasm.Import, _ *wasm.FuncType) {
			if im.Name == "proxy_get_buffer_bytes" || im.Name == "proxy_set_buffer_bytes" {
				p.Reportf(analyzer.Note, im.Span, importSubject(im), "%s with %s: every body chunk read or written is copied between the proxy and the VM", strings.Join(body, " and "), im.Name)
			}
		})
	},
}
