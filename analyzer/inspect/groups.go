package inspect

import (
	"strings"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Group is a named set of functions: host capabilities ("headers",
// "http_calls" ...) or WASI functions ("clock", "filesystem" ...).
type Group struct {
	Name      string   `json:"group"`
	Functions []string `json:"functions"`
}

// Filter is what the module's callbacks say it handles.
type Filter struct {
	// Kinds are "http" and "network", or "root-only" when the module has
	// only VM and plugin callbacks; empty when it has no callback.
	Kinds []string `json:"kinds"`
	// Callbacks are the exported callbacks, in export order.
	Callbacks []string `json:"callbacks"`
	// Note qualifies Kinds, for an SDK that exports every callback.
	Note string `json:"note,omitempty"`
}

// WASI is the module's WASI surface.
type WASI struct {
	// Modules are the WASI import modules ("wasi_snapshot_preview1").
	Modules []string `json:"modules"`
	// Entry is the WASI start-up convention the exports follow: "reactor"
	// (_initialize), "command" (_start), "both" or "none".
	Entry string `json:"entry"`
	// Groups are the WASI functions imported, by what they do.
	Groups []Group `json:"groups"`
}

// capabilityGroups classify env host functions by a fragment of their
// name, first match wins; the order is the order of the report.
var capabilityGroups = []struct{ name, fragments string }{
	{"headers", "header_map"},
	{"bodies", "buffer"},
	{"http_calls", "http_call"},
	{"grpc", "grpc"},
	{"shared_data", "shared_data"},
	{"queues", "shared_queue"},
	{"metrics", "metric"},
	{"properties", "property"},
	{"foreign_functions", "foreign_function"},
	{"logging", "proxy_log proxy_get_log_level"},
	{"timers", "tick_period current_time"},
	{"stream_control", "continue_ close_stream send_local_response send_http_response clear_route_cache"},
	{"context", "effective_context proxy_done get_status get_configuration"},
}

// capabilities groups the env imports; env functions outside the ABI
// (Emscripten's runtime, host extensions) land in "other".
func capabilities(m *wasm.Module) []Group {
	var names []string
	for _, im := range m.Imports {
		if im.Module == "env" && im.Kind == wasm.KindFunc {
			names = append(names, im.Name)
		}
	}
	return classify(names, func(n string) string {
		for _, g := range capabilityGroups {
			for _, frag := range strings.Fields(g.fragments) {
				if strings.HasPrefix(n, "proxy_") && strings.Contains(n, frag) {
					return g.name
				}
			}
		}
		return "other"
	}, capabilityOrder())
}

func capabilityOrder() []string {
	var order []string
	for _, g := range capabilityGroups {
		order = append(order, g.name)
	}
	return append(order, "other")
}

// wasiOrder is the order of WASI groups in the report.
var wasiOrder = []string{"args_env", "clock", "random", "stdio", "filesystem", "sockets", "process", "scheduling", "other"}

// wasiGroup says what a WASI function touches. fd_* functions that take
// a path or a preopened directory are file-system access; the others
// serve stdio as much as files.
func wasiGroup(name string) string {
	switch {
	case strings.HasPrefix(name, "args_"), strings.HasPrefix(name, "environ_"):
		return "args_env"
	case strings.HasPrefix(name, "clock_"):
		return "clock"
	case name == "random_get":
		return "random"
	case strings.HasPrefix(name, "sock_"):
		return "sockets"
	case strings.HasPrefix(name, "proc_"):
		return "process"
	case name == "poll_oneoff", name == "sched_yield":
		return "scheduling"
	case strings.HasPrefix(name, "path_"), strings.HasPrefix(name, "fd_prestat"), strings.HasPrefix(name, "fd_filestat"),
		name == "fd_readdir", name == "fd_allocate", name == "fd_advise", name == "fd_renumber", name == "fd_pread", name == "fd_pwrite":
		return "filesystem"
	case strings.HasPrefix(name, "fd_"):
		return "stdio"
	}
	return "other"
}

func isWASIModule(mod string) bool { return strings.HasPrefix(mod, "wasi_") || mod == "wasi" }

func wasiOf(m *wasm.Module) WASI {
	w := WASI{Modules: []string{}, Entry: entryOf(m)}
	var names []string
	for _, im := range m.Imports {
		if !isWASIModule(im.Module) {
			continue
		}
		if !contains(w.Modules, im.Module) {
			w.Modules = append(w.Modules, im.Module)
		}
		names = append(names, im.Name)
	}
	w.Groups = classify(names, wasiGroup, wasiOrder)
	return w
}

func entryOf(m *wasm.Module) string {
	init, start := m.Export("_initialize") != nil, m.Export("_start") != nil
	switch {
	case init && start:
		return "both"
	case init:
		return "reactor"
	case start:
		return "command"
	}
	return "none"
}

// classify groups names (de-duplicated, in first-seen order) by group,
// groups in the given order, empty groups left out.
func classify(names []string, group func(string) string, order []string) []Group {
	by := map[string][]string{}
	for _, n := range names {
		g := group(n)
		if !contains(by[g], n) {
			by[g] = append(by[g], n)
		}
	}
	out := []Group{}
	for _, g := range order {
		if len(by[g]) > 0 {
			out = append(out, Group{Name: g, Functions: by[g]})
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
