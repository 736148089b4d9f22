package rules

import "github.com/wasmlint/wasmlint/analyzer"

// The PW9xx rules are produced by the smoke run (package analyzer/smoke),
// which executes the module in an emulated host, not by a static Run: they
// are marked Runtime and listed in All so that `wasmlint explain PW904`,
// the rule table, SARIF and --enable/--disable treat them like every other
// rule.

// InstantiateFailed is PW901.
var InstantiateFailed = &analyzer.Rule{
	ID: "PW901", Name: "instantiate-failed", Severity: analyzer.Error,
	Title: "the smoke run could not load, link or start the module",
	What: "The emulated host refused the module before any Proxy-Wasm callback ran: it did not decode or " +
		"compile, it has no ABI marker the host accepts, an import is not provided (or has the wrong type), " +
		"a looked-up export has the wrong type, no allocator is exported, or `_initialize`/`_start`/`main` " +
		"trapped.",
	Why: "The host does the same checks in the same order when it creates the VM; the plugin never starts.",
	Fix: "Read the host message in the finding. Most causes also have a static rule (PW1xx-PW5xx) with a " +
		"specific fix; a trap in start-up code usually comes from a runtime that exits (`proc_exit`) or calls a " +
		"host function that is not allowed during start-up.",
	Host: "Envoy logs the VM error (`Failed to load Wasm module due to a missing import: ...`, " +
		"`Function: _initialize failed: ...`) and then `Wasm VM failed Failed to initialize Wasm code`; the " +
		"listener or filter configuration is rejected.",
	Tags: []string{"smoke", "load"}, Runtime: true,
}

// VMStartFailed is PW902.
var VMStartFailed = &analyzer.Rule{
	ID: "PW902", Name: "vm-start-failed", Severity: analyzer.Error,
	Title: "proxy_on_vm_start trapped or returned false",
	What:  "`proxy_on_vm_start(root_context_id, vm_configuration_size)` trapped or returned 0 with the VM configuration given by `--vm-config`.",
	Why:   "The host treats a zero result or a trap as a failed VM start and discards the VM.",
	Fix:   "Make `on_vm_start` tolerate the VM configuration you deploy (often an empty one) and return true; log and fall back to defaults instead of failing.",
	Host:  "cpp-host logs `Function: proxy_on_vm_start failed: ...` for a trap and then `Failed to start base Wasm` (or `Failed to start thread-local Wasm`); Envoy rejects the configuration.",
	Tags:  []string{"smoke", "lifecycle"}, Runtime: true,
}

// ConfigureFailed is PW903.
var ConfigureFailed = &analyzer.Rule{
	ID: "PW903", Name: "configure-failed", Severity: analyzer.Error,
	Title: "proxy_on_configure trapped or returned false",
	What:  "`proxy_on_configure(root_context_id, plugin_configuration_size)` trapped or returned 0 with the plugin configuration given by `--plugin-config` (quoted in the finding).",
	Why:   "A plugin whose configure step fails is not installed: Envoy NACKs the configuration, or with `fail_open: false` fails every request that reaches the filter.",
	Fix:   "Validate the configuration and return false only for a configuration that is really wrong, with a log line that says why; never trap (panic, `unreachable`, unchecked unwrap) on a bad or empty configuration.",
	Host:  "cpp-host logs `Function: proxy_on_configure failed: ...` for a trap and then `Failed to configure base Wasm plugin` (or `... thread-local Wasm plugin`).",
	Tags:  []string{"smoke", "lifecycle"}, Runtime: true,
}

// StreamCallbackTrap is PW904.
var StreamCallbackTrap = &analyzer.Rule{
	ID: "PW904", Name: "stream-callback-trap", Severity: analyzer.Warning,
	Title: "a stream callback trapped",
	What:  "A callback of an HTTP stream or network connection (`proxy_on_context_create`, `proxy_on_request_headers`, body, trailers, response callbacks, `proxy_on_log`, `proxy_on_done`, `proxy_on_delete`, ...) trapped; the finding names the callback, the request number and the wasm stack.",
	Why:   "A trap marks the VM as failed: the request fails (or, with `fail_open`, skips the filter), and the VM is no longer used until it is recreated.",
	Fix:   "Follow the wasm stack to the panic; common causes are a missing root context (wrong `root_id`), a nil configuration, an index out of range, or an unchecked host call result.",
	Host:  "cpp-host logs `Function: proxy_on_request_headers failed: Uncaught RuntimeError: unreachable` with `Proxy-Wasm plugin in-VM backtrace:`; Envoy answers 500 or resets the stream.",
	Tags:  []string{"smoke", "runtime"}, Runtime: true,
}

// CallbackTimeout is PW905.
var CallbackTimeout = &analyzer.Rule{
	ID: "PW905", Name: "callback-timeout", Severity: analyzer.Error,
	Title: "a callback did not return within the smoke deadline",
	What:  "A callback ran longer than `--smoke-timeout` (default 1 s) and was stopped; usually an infinite loop, or a busy wait for something the host never delivers.",
	Why:   "Proxy-Wasm callbacks run on the proxy's worker threads: a callback that does not return blocks every connection of that worker.",
	Fix:   "Find the loop from the wasm stack in the finding; never wait inside a callback: return Pause and resume from the event callback instead.",
	Host:  "Envoy has no per-callback deadline: the worker thread hangs (the recorded host hung for 60 s and was killed).",
	Tags:  []string{"smoke", "runtime"}, Runtime: true,
}

// MemoryGrowth is PW906.
var MemoryGrowth = &analyzer.Rule{
	ID: "PW906", Name: "memory-growth", Severity: analyzer.Warning,
	Title: "linear memory grows request after request",
	What:  "The module's linear memory was larger after every request of the smoke run than after the one before.",
	Why:   "Linear memory never shrinks: a filter that keeps memory per request runs into the host's memory cap (1 GiB on V8) and then traps on every request, on every worker.",
	Fix:   "Free what a request allocates by the end of the stream (`proxy_on_delete`); do not append to global collections per request; bound caches.",
	Host:  "On V8 growth stops at the 1 GiB cap (`--wasm_max_mem_pages`); the allocator then fails and the filter traps (`RuntimeError: unreachable` or an out-of-memory panic).",
	Tags:  []string{"smoke", "memory"}, Runtime: true,
}

// ErrorLog is PW907.
var ErrorLog = &analyzer.Rule{
	ID: "PW907", Name: "error-log", Severity: analyzer.Warning,
	Title: "the filter logged at error or critical level",
	What:  "The filter called `proxy_log` at level error (4) or critical (5), or wrote to stderr (which the host logs at error), during the smoke run.",
	Why:   "Errors logged on a plain request and the default configuration usually mean the filter is misconfigured or relies on something the host does not provide.",
	Fix:   "Read the logged message in the finding; give the filter the configuration, properties or root_id it expects, or lower the level of expected conditions.",
	Host:  "Envoy prints the message in its log at the same level (`wasm log <root_id>: ...`).",
	Tags:  []string{"smoke", "runtime"}, Runtime: true,
}

// HostCallFailed is PW908.
var HostCallFailed = &analyzer.Rule{
	ID: "PW908", Name: "host-call-failed", Severity: analyzer.Warning,
	Title: "a host call returned an error the filter likely did not expect",
	What:  "A host call returned BadArgument, InvalidMemoryAccess, ParseFailure, SerializationFailure, InternalFailure or Unimplemented, or NotFound from `proxy_get_property`, `proxy_call_foreign_function` or `proxy_get_buffer_bytes`, during the smoke run.",
	Why:   "These results mean the call was malformed (a bad pointer or length, an unknown map or buffer type, a map or buffer not available in this callback) or asked for something this host does not have.",
	Fix:   "Check the pointer and length arguments, call map and buffer functions only in the callbacks where the map or buffer exists, and handle NotFound for properties the host may not define.",
	Host:  "cpp-host returns the status to the module and logs nothing; SDKs usually turn it into a panic or an error log.",
	Tags:  []string{"smoke", "runtime"}, Runtime: true,
}

// SmokeRules lists the smoke-run rules, sorted by ID.
var SmokeRules = []*analyzer.Rule{
	InstantiateFailed, VMStartFailed, ConfigureFailed, StreamCallbackTrap,
	CallbackTimeout, MemoryGrowth, ErrorLog, HostCallFailed,
}
