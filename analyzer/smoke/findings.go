package smoke

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
	"github.com/wasmlint/wasmlint/rules"
)

// add records a finding of a smoke rule.
func (r *runner) add(rule *analyzer.Rule, sev analyzer.Severity, subject string, span wasm.Span, msg string) {
	r.diag = append(r.diag, analyzer.Diagnostic{
		Rule: rule.ID, Name: rule.Name, Severity: sev, Message: msg, Span: span, Subject: subject,
	})
}

// exportAt locates a callback: its export entry in the file.
func (r *runner) exportAt(name string) (string, wasm.Span) {
	if r.mod != nil {
		if e := r.mod.Export(name); e != nil {
			return "export " + name, e.Span
		}
	}
	return "export " + name, wasm.Span{}
}

// trapped turns the traps of a phase into findings and marks the phase
// failed; false when the phase had none.
func (r *runner) trapped(phase string, rule *analyzer.Rule, t time.Time) bool {
	found := false
	for _, tr := range r.h.traps {
		if tr.phase != phase {
			continue
		}
		found = true
		status, sev, ru := StatusError, rule.Severity, rule
		where := ""
		if tr.request > 0 {
			where = fmt.Sprintf(" on request %d", tr.request)
		}
		subject, span := r.exportAt(tr.callback)
		hostLine := hostText(r.o.Host, tr.callback, tr.trap)
		var msg string
		if tr.trap.timeout {
			status, ru = StatusTimeout, rules.CallbackTimeout
			if phase == PhaseRequest {
				sev = analyzer.Warning
			} else {
				sev = analyzer.Error
			}
			last := "it made no host call"
			if tr.lastHost != "" {
				last = "its last host call was " + tr.lastHost
			}
			msg = fmt.Sprintf("%s did not return within %s%s and was stopped (%s; the wasm stack is not available after a deadline); %s: the worker thread hangs",
				tr.callback, r.o.Timeout, where, last, r.o.Host.Name())
		} else {
			msg = fmt.Sprintf("%s trapped%s (%s)%s%s; %s: %q%s", tr.callback, where, tr.trap.reason, r.configNote(phase),
				r.trapLog(tr), r.o.Host.Name(), hostLine, stackText(tr.trap.stack))
		}
		r.rep.setPhase(phase, status, hostLine, ms(time.Since(t)))
		r.add(ru, sev, subject, span, msg)
	}
	return found
}

// trapLog quotes the first error line the trapping callback logged (a
// runtime's panic message).
func (r *runner) trapLog(tr trapRec) string {
	for _, l := range r.rep.Logs {
		if l.Callback == tr.callback && l.Request == tr.request && l.Level >= 4 && l.Source != "host" && strings.TrimSpace(l.Message) != "" {
			return fmt.Sprintf(" after logging %q", clip(l.Message, 160))
		}
	}
	return ""
}

// trappedIn reports whether a log line was written by a callback that
// then trapped (its panic output, which PW904 quotes).
func (r *runner) trappedIn(l LogLine) bool {
	for _, tr := range r.h.traps {
		if l.Callback == tr.callback && l.Request == tr.request && l.Phase == tr.phase {
			return true
		}
	}
	return false
}

// configNote names the configuration a start or configure trap used.
func (r *runner) configNote(phase string) string {
	switch phase {
	case PhaseStart:
		return fmt.Sprintf(" with a VM configuration of %d bytes", len(r.o.VMConfig))
	case PhaseConfigure:
		return " with the plugin configuration " + quoteConfig(r.o.PluginConfig)
	}
	return ""
}

// returnedFalse records a start or configure callback that returned 0.
func (r *runner) returnedFalse(phase string, rule *analyzer.Rule, cb, with, hostMsg string, t time.Time) {
	r.rep.setPhase(phase, StatusError, hostMsg, ms(time.Since(t)))
	subject, span := r.exportAt(cb)
	r.add(rule, rule.Severity, subject, span, fmt.Sprintf("%s returned false %s%s; %s: %q",
		cb, with, r.logHint(phase), r.o.Host.Name(), hostMsg))
}

// logHint quotes the last line the filter logged in the phase, which
// usually says why it failed.
func (r *runner) logHint(phase string) string {
	for i := len(r.rep.Logs) - 1; i >= 0; i-- {
		if l := r.rep.Logs[i]; l.Phase == phase && l.Source != "host" {
			return fmt.Sprintf(" (it logged %q)", clip(l.Message, 120))
		}
	}
	return ""
}

func quoteConfig(b []byte) string {
	if len(b) == 0 {
		return `"" (empty)`
	}
	return fmt.Sprintf("%q (%d bytes)", clip(string(b), 60), len(b))
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

func joinMsgs(msgs []string) string { return strings.Join(msgs, " | ") }

// findings completes the run's findings with what is judged over the whole
// run: memory growth, error logs and unexpected host call results.
func (r *runner) findings() []analyzer.Diagnostic {
	if r.h != nil {
		r.memoryGrowth()
		r.errorLogs()
		for _, is := range r.h.issues {
			where := is.callback
			if where == "" {
				where = "start-up"
			}
			if is.request > 0 {
				where += " on request " + strconv.Itoa(is.request)
			}
			subject := "import env." + is.fn
			span := wasm.Span{}
			if r.mod != nil {
				for _, im := range r.mod.Imports {
					if im.Module == "env" && im.Name == is.fn {
						span = im.Span
					}
				}
			}
			r.add(rules.HostCallFailed, analyzer.Warning, subject, span,
				fmt.Sprintf("%s returned %s in %s%s", is.fn, is.status, where, issueHint(is)))
		}
	}
	return r.diag
}

func issueHint(is hostIssue) string {
	switch {
	case is.status == "InvalidMemoryAccess":
		return " (a pointer or length outside linear memory, or the allocator failed)"
	case is.status == "BadArgument" && strings.Contains(is.fn, "header_map"):
		return " (an unknown map type, or a map this callback does not have)"
	case is.status == "BadArgument" && is.fn == "proxy_http_call":
		return " (the emulated host knows no such upstream cluster; a fixture's http_calls scripts one)"
	case is.status == "NotFound" && is.fn == "proxy_get_property":
		return " (the host does not define this property; see the README for the emulated set, or add it to the fixture)"
	case is.status == "NotFound" && is.fn == "proxy_get_buffer_bytes":
		return " (this callback has no such buffer)"
	}
	return ""
}

// memoryGrowth reports PW906 when the memory was larger after every stream
// than after the one before (at least three streams).
func (r *runner) memoryGrowth() {
	p := r.pages
	if len(p) < 3 {
		return
	}
	for i := 1; i < len(p); i++ {
		if p[i] <= p[i-1] {
			return
		}
	}
	parts := make([]string, len(p))
	for i, v := range p {
		parts[i] = strconv.Itoa(int(v))
	}
	per := float64(p[len(p)-1]-p[0]) / float64(len(p)-1)
	r.add(rules.MemoryGrowth, analyzer.Warning, "memory 0", r.memorySpan(), fmt.Sprintf(
		"linear memory grew after every request: %s pages after requests 1-%d (+%.0f pages, %.1f MiB, per request); at this rate the %s cap of %d pages is reached after about %d requests",
		strings.Join(parts, " -> "), len(p), per, per/16, r.o.Host.Name(), r.capPages(), int(float64(r.capPages()-p[len(p)-1])/per)))
}

func (r *runner) capPages() uint32 {
	if r.o.Host.MaxMemoryPages > 0 {
		return r.o.Host.MaxMemoryPages
	}
	return 65536
}

func (r *runner) memorySpan() wasm.Span {
	if r.mod != nil && len(r.mod.Memories) > 0 {
		return r.mod.Memories[0].Span
	}
	return wasm.Span{}
}

// errorLogs reports PW907 for each distinct line the filter logged at
// error or critical (at most three, then a count).
func (r *runner) errorLogs() {
	seen := map[string]bool{}
	n := 0
	for _, l := range r.rep.Logs {
		if l.Level < 4 || l.Source == "host" || seen[l.Message] || strings.TrimSpace(l.Message) == "" || r.trappedIn(l) {
			continue
		}
		seen[l.Message] = true
		n++
		if n > 3 {
			continue
		}
		level := "error"
		if l.Level == 5 {
			level = "critical"
		}
		r.add(rules.ErrorLog, analyzer.Warning, "log "+l.Source, wasm.Span{},
			fmt.Sprintf("the filter logged at %s level in %s (%s): %q", level, l.Phase, l.Source, clip(l.Message, 200)))
	}
	if n > 3 {
		r.add(rules.ErrorLog, analyzer.Warning, "log", wasm.Span{}, fmt.Sprintf("the filter logged %d more distinct lines at error level", n-3))
	}
}
