package rules_test

import (
	"testing"

	wt "github.com/wasmlint/wasmlint/internal/wasmtest"
	"github.com/wasmlint/wasmlint/rules"
)

// Start-up rules: PW306 (entry point), PW308 (start section), PW310
// (host calls during start-up).

// pwExit calls proc_exit(0) (it has no result).
var pwExit = pwCallDrop(pwProcExit, 1, false)

// pwCommand is a WASI command whose _start runs body.
func pwCommand(body []wt.Op, opts ...wt.Option) []byte {
	return wt.Filter(append([]wt.Option{pwWASI("proc_exit"), pwFuncCalling("_start", true, body...)}, opts...)...)
}

func TestEntrypoint(t *testing.T) {
	always := pwCommand(pwExit)
	maybe := pwCommand(wt.If(pwExit...))
	init := pwFuncCalling("_initialize", true)
	start := pwFuncCalling("_start", true)
	pwCheck(t, rules.Entrypoint, []pwCase{
		{name: "command always exits", bin: always,
			want: []pwWant{pwF(pwE, "export _start", "the module is a WASI command: envoy@1.39 calls _start at start-up, which always ends in wasi_snapshot_preview1.proc_exit (_start → wasi_snapshot_preview1.proc_exit); the VM fails to start",
				`envoy@1.39: "Function: _start failed: Uncaught Error: restricted_callback"`)}},
		{name: "command always exits", host: "envoy@1.22", bin: always,
			want: []pwWant{pwF(pwE, "export _start", "always ends in wasi_snapshot_preview1.proc_exit", "!restricted_callback")}},
		{name: "command always exits", host: "envoy@1.16", bin: always,
			want: []pwWant{pwF(pwE, "export _start", "envoy@1.16 calls _start")}},
		{name: "command always exits", host: "mosn", bin: always,
			want: []pwWant{pwF(pwE, "export _start", "mosn@0.2 calls _start")}},
		{name: "command exits through main", bin: pwCommand(pwCallDrop("__main", 0, false), pwFuncCalling("__main", false, pwExit...), wt.Named()),
			want: []pwWant{pwF(pwE, "export _start", "(_start → __main → wasi_snapshot_preview1.proc_exit)")}},
		{name: "command exits through wasi_unstable", bin: wt.Filter(pwWASIFrom("wasi_unstable", "proc_exit"), pwFuncCalling("_start", true, pwCallDrop("wasi_unstable.proc_exit", 1, false)...)),
			want: []pwWant{pwF(pwE, "export _start", "always ends in wasi_unstable.proc_exit")}},
		{name: "command exits under an if", bin: maybe,
			want: []pwWant{pwF(pwW, "export _start", "which can reach wasi_snapshot_preview1.proc_exit (_start → wasi_snapshot_preview1.proc_exit); if it does, the VM fails to start")}},
		{name: "command with proc_exit never called", bin: pwCommand(nil),
			want: []pwWant{pwF(pwN, "export _start", "the module is a WASI command (_start, no _initialize): envoy@1.39 runs main() once at start-up; build a reactor")}},
		{name: "command without proc_exit", bin: wt.Filter(start),
			want: []pwWant{pwF(pwN, "export _start", "is a WASI command (_start, no _initialize)")}},
		// A body that does not decode (PW001's) leaves only the note.
		{name: "command whose code does not decode", bin: pwCommand([]wt.Op{wt.Raw(0x27)}),
			want: []pwWant{pwF(pwN, "export _start", "is a WASI command")}},
		{name: "reactor", bin: wt.Filter(init)},
		{name: "reactor", host: "kong", bin: wt.Filter(init)},
		{name: "reactor", host: "apisix", bin: wt.Filter(init)},
		{name: "reactor with _start", bin: pwCommand(pwExit, init)},
		// Envoy 1.16 and MOSN never call _initialize.
		{name: "reactor", host: "envoy@1.16", bin: wt.Filter(init),
			want: []pwWant{pwF(pwW, "export _initialize", "envoy@1.16 never calls _initialize: the reactor's constructors and runtime set-up do not run")}},
		{name: "reactor", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), init),
			want: []pwWant{pwF(pwW, "export _initialize", "mosn@0.2 never calls _initialize")}},
		{name: "reactor with an exiting _start", host: "envoy@1.16", bin: pwCommand(pwExit, init),
			want: []pwWant{
				pwF(pwW, "export _initialize", "never calls _initialize"),
				pwF(pwE, "export _start", "always ends in wasi_snapshot_preview1.proc_exit"),
			}},
		// Kong calls whichever of _start and _initialize is exported first.
		{name: "_start exported before _initialize", host: "kong", bin: wt.Filter(start, init),
			want: []pwWant{
				pwF(pwW, "export _initialize", "kong@0.6.0 never calls _initialize"),
				pwF(pwN, "export _start", "kong@0.6.0 runs main() once"),
			}},
		{name: "_initialize exported before _start", host: "kong", bin: wt.Filter(init, start)},
		// APISIX calls _start when there is one.
		{name: "reactor with _start", host: "apisix", bin: wt.Filter(init, start),
			want: []pwWant{
				pwF(pwW, "export _initialize", "apisix@0.7 never calls _initialize"),
				pwF(pwN, "export _start", "apisix@0.7 runs main() once"),
			}},
		{name: "no entry point", host: "envoy@1.16", bin: wt.Filter()},
	})
}

func TestStartSection(t *testing.T) {
	start := func(ops ...wt.Op) []byte {
		return wt.Filter(pwFuncCalling("init", false, ops...), wt.Start("init"), wt.Named())
	}
	log := pwCallDrop("env.proxy_log", 3, true)
	pwCheck(t, rules.StartSection, []pwCase{
		{name: "calls proxy_log", bin: start(log...),
			want: []pwWant{pwF(pwE, "section start", "the start function init calls host function env.proxy_log (init → env.proxy_log) while the module is instantiated, before any context exists; instantiation fails",
				`envoy@1.39: "Failed to create new Wasm instance"`)}},
		{name: "calls proxy_log", host: "kong", bin: start(log...),
			want: []pwWant{pwF(pwE, "section start", "calls host function env.proxy_log", "!kong@0.6.0:")}},
		{name: "calls fd_write", bin: wt.Filter(pwWASI("fd_write"), pwFuncCalling("init", false, pwCallDrop(pwP1+".fd_write", 2, true)...), wt.Start("init"), wt.Named()),
			want: []pwWant{pwF(pwE, "section start", "calls host function wasi_snapshot_preview1.fd_write")}},
		{name: "calls proxy_log through a helper", bin: wt.Filter(pwFuncCalling("helper", false, log...), pwFuncCalling("init", false, wt.Call("helper")), wt.Start("init"), wt.Named()),
			want: []pwWant{pwF(pwE, "section start", "(init → helper → env.proxy_log)")}},
		{name: "calls proxy_log under an if", bin: start(wt.If(log...)...),
			want: []pwWant{pwF(pwW, "section start", "the start function init can call host function env.proxy_log (init → env.proxy_log) while the module is instantiated, before any context exists; if that path runs, instantiation fails")}},
		{name: "calls nothing", bin: start(),
			want: []pwWant{pwF(pwN, "section start", "the start function init runs at instantiation; it calls no host function, so it is harmless")}},
		{name: "calls a defined function only", bin: wt.Filter(pwFuncCalling("helper", false), pwFuncCalling("init", false, wt.Call("helper")), wt.Start("init"), wt.Named()),
			want: []pwWant{pwF(pwN, "section start", "harmless")}},
		// i32.const 0; call_indirect (type 0) (table 0)
		{name: "indirect call", bin: start(wt.Raw(0x41, 0x00, 0x11, 0x00, 0x00)),
			want: []pwWant{pwF(pwW, "section start", "the start function init makes indirect calls, which may reach a host function")}},
		{name: "unnamed start function", bin: wt.Filter(pwFuncCalling("init", false), wt.Start("init")),
			want: []pwWant{pwF(pwN, "section start", "the start function func[5] runs at instantiation")}},
		// The start function is the import itself.
		{name: "start is a host function", bin: wt.Filter(wt.Start("env.proxy_log")),
			want: []pwWant{pwF(pwE, "section start", "calls host function env.proxy_log")}},
		{name: "body does not decode", bin: start(wt.Raw(0x27))},
	})
}

func TestStartupHostCall(t *testing.T) {
	getProp := pwCallDrop("env.proxy_get_property", 4, true)
	prop := pwEnv("proxy_get_property", "i32 i32 i32 i32 -> i32")
	initCalling := func(ops ...wt.Op) wt.Option { return pwFuncCalling("_initialize", true, ops...) }
	withWASI := func(name string) []byte {
		return wt.Filter(pwWASI(name), initCalling(pwCallDrop(pwP1+"."+name, 2, true)...))
	}
	growth := wt.Filter(pwEnv("emscripten_notify_memory_growth", "i32 ->"), initCalling(pwCallDrop("env.emscripten_notify_memory_growth", 1, false)...))
	restricted := `envoy@1.39: "Function: _initialize failed: Uncaught Error: restricted_callback"`
	pwCheck(t, rules.StartupHostCall, []pwCase{
		{name: "_initialize always exits", bin: wt.Filter(pwWASI("proc_exit"), initCalling(pwExit...)),
			want: []pwWant{pwF(pwE, "export _initialize", "_initialize always calls wasi_snapshot_preview1.proc_exit (_initialize → wasi_snapshot_preview1.proc_exit), which never returns control properly on a proxy; the VM fails to start", "!restricted_callback")}},
		{name: "_initialize always exits", host: "envoy@1.22", bin: wt.Filter(pwWASI("proc_exit"), initCalling(pwExit...)),
			want: []pwWant{pwF(pwE, "export _initialize", "always calls wasi_snapshot_preview1.proc_exit")}},
		// A call on some paths only is left to the smoke run: runtimes are
		// full of such paths (error handling that exits).
		{name: "_initialize exits under an if is not reported", bin: wt.Filter(pwWASI("proc_exit"), initCalling(wt.If(pwExit...)...))},
		{name: "_initialize calls a forbidden host function", bin: wt.Filter(prop, initCalling(getProp...)),
			want: []pwWant{pwF(pwE, "export _initialize", "_initialize always calls env.proxy_get_property (_initialize → env.proxy_get_property), which envoy@1.39 forbids during start-up; the VM fails to start", restricted)}},
		{name: "_initialize may call a forbidden host function: not reported", bin: wt.Filter(prop, initCalling(wt.If(getProp...)...))},
		{name: "_initialize calls a forbidden host function", host: "higress", bin: wt.Filter(prop, initCalling(getProp...)),
			want: []pwWant{pwF(pwE, "export _initialize", "higress@2 forbids", "restricted_callback")}},
		// Envoy before 1.24 restricts nothing but proc_exit.
		{name: "_initialize calls proxy_get_property", host: "envoy@1.22", bin: wt.Filter(prop, initCalling(getProp...))},
		{name: "_initialize calls proxy_log", bin: wt.Filter(initCalling(pwCallDrop("env.proxy_log", 3, true)...))},
		{name: "_initialize calls fd_write", bin: withWASI("fd_write")},
		{name: "fd_fdstat_get before its allowance", host: "envoy@1.32", bin: withWASI("fd_fdstat_get"),
			want: []pwWant{pwF(pwE, "export _initialize", "always calls wasi_snapshot_preview1.fd_fdstat_get", "envoy@1.32 forbids")}},
		{name: "fd_fdstat_get", host: "envoy@1.33", bin: withWASI("fd_fdstat_get")},
		{name: "sched_yield", host: "envoy@1.33", bin: withWASI("sched_yield"),
			want: []pwWant{pwF(pwE, "export _initialize", "wasi_snapshot_preview1.sched_yield", "envoy@1.33 forbids")}},
		{name: "sched_yield", bin: withWASI("sched_yield"),
			want: []pwWant{pwF(pwE, "export _initialize", "wasi_snapshot_preview1.sched_yield", "envoy@1.39 forbids")}},
		{name: "emscripten growth hook", host: "envoy@1.36", bin: growth,
			want: []pwWant{pwF(pwE, "export _initialize", "env.emscripten_notify_memory_growth", "envoy@1.36 forbids")}},
		{name: "emscripten growth hook", host: "envoy@1.37", bin: growth},
		{name: "two forbidden calls", bin: wt.Filter(prop, pwWASI("proc_exit"), initCalling(wt.Ops(getProp, pwExit)...)),
			want: []pwWant{
				pwF(pwE, "export _initialize", "env.proxy_get_property"),
				pwF(pwE, "export _initialize", "wasi_snapshot_preview1.proc_exit"),
			}},
		{name: "main of a reactor", bin: wt.Filter(prop, initCalling(), wt.AddFunc(wt.Func{ID: "main", Sig: "i32 i32 -> i32", Exports: []string{"main"}, Body: wt.Ops(getProp, []wt.Op{wt.Raw(0x41, 0x00)})})),
			want: []pwWant{pwF(pwE, "export main", "main always calls env.proxy_get_property", "envoy@1.39 forbids", `"Function: main failed: Uncaught Error: restricted_callback"`)}},
		{name: "__main_void of a reactor", bin: wt.Filter(prop, initCalling(), wt.AddFunc(wt.Func{ID: "__main_void", Sig: "-> i32", Exports: []string{"__main_void"}, Body: wt.Ops(getProp, []wt.Op{wt.Raw(0x41, 0x00)})})),
			want: []pwWant{pwF(pwE, "export __main_void", "__main_void always calls env.proxy_get_property")}},
		{name: "__main_void before cpp-host looked it up", host: "envoy@1.38", bin: wt.Filter(prop, initCalling(), wt.AddFunc(wt.Func{ID: "__main_void", Sig: "-> i32", Exports: []string{"__main_void"}, Body: wt.Ops(getProp, []wt.Op{wt.Raw(0x41, 0x00)})}))},
		{name: "__main_void without the __main_void step", host: "higress", bin: wt.Filter(prop, initCalling(), wt.AddFunc(wt.Func{ID: "__main_void", Sig: "-> i32", Exports: []string{"__main_void"}, Body: wt.Ops(getProp, []wt.Op{wt.Raw(0x41, 0x00)})}))},
		// A command's _start is PW306's.
		{name: "command", bin: pwCommand(pwExit)},
		{name: "_start first on Kong", host: "kong", bin: wt.Filter(pwWASI("proc_exit"), pwFuncCalling("_start", true, pwExit...), initCalling()),
			want: []pwWant{pwF(pwE, "export _start", "_start always calls wasi_snapshot_preview1.proc_exit")}},
		{name: "_initialize is never run", host: "mosn", bin: wt.Filter(wt.ABI("0.2.0"), pwWASI("proc_exit"), initCalling(pwExit...))},
		{name: "no entry point", bin: wt.Filter(pwWASI("proc_exit"))},
	})
}
