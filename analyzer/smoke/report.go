package smoke

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// Phase names, in lifecycle order; they are the phases of the recorded
// host verdicts (../shared/corpus manifests).
const (
	PhaseLoad       = "load"       // decode, ABI marker, compile
	PhaseInitialize = "initialize" // link, export checks, allocator, _initialize/_start
	PhaseStart      = "start"      // root context, proxy_on_vm_start
	PhaseConfigure  = "configure"  // proxy_on_configure (and one tick)
	PhaseRequest    = "request"    // the HTTP streams or connections
)

// Phase outcomes.
const (
	StatusOK      = "ok"
	StatusError   = "error"
	StatusTimeout = "timeout"
	StatusSkipped = "skipped"
)

// Phase is the outcome of one lifecycle phase.
type Phase struct {
	Name   string  `json:"name"`
	Status string  `json:"status"`
	Error  string  `json:"error,omitempty"`
	Millis float64 `json:"ms"`
}

// Call is one callback the host made, with what it returned.
type Call struct {
	Callback string `json:"callback"`
	Context  uint32 `json:"context"`
	// Request is the stream number (1-based), 0 outside streams.
	Request int `json:"request,omitempty"`
	// Result is the returned value ("" for a void callback); Error is set
	// when it trapped or timed out.
	Result string  `json:"result,omitempty"`
	Error  string  `json:"error,omitempty"`
	Millis float64 `json:"ms"`
}

// LogLine is one line the filter logged (proxy_log, stdout, stderr) or the
// host logged about it (stubs).
type LogLine struct {
	Level   int    `json:"level"`
	Message string `json:"message"`
	Source  string `json:"source"` // proxy_log, stdout, stderr, host
	Phase   string `json:"phase"`
	// Callback is the callback that was running; Request the stream.
	Callback string `json:"callback,omitempty"`
	Request  int    `json:"request,omitempty"`
}

// LocalReply is a proxy_send_local_response.
type LocalReply struct {
	Request int    `json:"request"`
	Status  uint32 `json:"status"`
	Details string `json:"details,omitempty"`
	Body    string `json:"body,omitempty"`
	Headers []Pair `json:"headers,omitempty"`
}

// OutCall is an HTTP or gRPC call the filter made.
type OutCall struct {
	Kind     string `json:"kind"` // http, grpc, grpc_stream
	Upstream string `json:"upstream"`
	Token    uint32 `json:"token,omitempty"`
	Result   string `json:"result"`
	Phase    string `json:"phase"`
}

// Request is what one stream cost.
type Request struct {
	N int `json:"n"`
	// BytesIn are the bytes the host copied into the VM, BytesOut the bytes
	// it read out of the VM, during this stream.
	BytesIn  uint64  `json:"bytes_in"`
	BytesOut uint64  `json:"bytes_out"`
	Pages    uint32  `json:"memory_pages_after"`
	Millis   float64 `json:"ms"`
}

// Report is what the smoke run saw. It goes into the JSON output beside
// the file's diagnostics.
type Report struct {
	Host       string `json:"host"`
	ABI        string `json:"abi,omitempty"`
	Engine     string `json:"engine"`
	FilterKind string `json:"filter_kind"`
	RootID     string `json:"root_id"`
	// Entry is the start-up sequence the host ran ("_initialize", ...).
	Entry     []string       `json:"entry,omitempty"`
	Phases    []Phase        `json:"phases"`
	Calls     []Call         `json:"callbacks"`
	HostCalls map[string]int `json:"host_calls"`
	// HostErrors counts non-OK results by "function: Status".
	HostErrors   map[string]int `json:"host_call_errors,omitempty"`
	Logs         []LogLine      `json:"logs,omitempty"`
	LocalReplies []LocalReply   `json:"local_replies,omitempty"`
	OutCalls     []OutCall      `json:"outbound_calls,omitempty"`
	Requests     []Request      `json:"requests,omitempty"`
	// PagesBefore is the memory after start-up, PagesAfter at the end.
	PagesBefore uint32  `json:"memory_pages_before"`
	PagesAfter  uint32  `json:"memory_pages_after"`
	Millis      float64 `json:"ms"`
}

// PhaseStatus returns the status of the named phase ("" when absent).
func (r *Report) PhaseStatus(name string) string {
	for _, p := range r.Phases {
		if p.Name == name {
			return p.Status
		}
	}
	return ""
}

func (r *Report) setPhase(name, status, errText string, ms float64) {
	for i := range r.Phases {
		if r.Phases[i].Name == name {
			r.Phases[i] = Phase{Name: name, Status: status, Error: errText, Millis: ms}
			return
		}
	}
	r.Phases = append(r.Phases, Phase{Name: name, Status: status, Error: errText, Millis: ms})
}

// Text writes a short summary of the report: one line per phase, the
// callbacks with counts, the host calls and the memory.
func (r *Report) Text(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "smoke run: host %s, ABI %s, %s filter, root_id %q, %s, %.0f ms\n",
		r.Host, orDash(r.ABI), r.FilterKind, r.RootID, r.Engine, r.Millis)
	var ph []string
	for _, p := range r.Phases {
		ph = append(ph, fmt.Sprintf("%s %s (%.1f ms)", p.Name, p.Status, p.Millis))
	}
	fmt.Fprintf(&b, "  phases: %s\n", strings.Join(ph, ", "))
	if len(r.Calls) > 0 {
		fmt.Fprintf(&b, "  callbacks: %s\n", countList(callbackCounts(r.Calls)))
	}
	if len(r.HostCalls) > 0 {
		fmt.Fprintf(&b, "  host calls: %s\n", countList(r.HostCalls))
	}
	if len(r.HostErrors) > 0 {
		fmt.Fprintf(&b, "  host call errors: %s\n", countList(r.HostErrors))
	}
	for _, lr := range r.LocalReplies {
		fmt.Fprintf(&b, "  local reply on request %d: %d %s\n", lr.Request, lr.Status, lr.Details)
	}
	for _, rq := range r.Requests {
		fmt.Fprintf(&b, "  request %d: %d bytes in, %d bytes out, %d pages, %.1f ms\n", rq.N, rq.BytesIn, rq.BytesOut, rq.Pages, rq.Millis)
	}
	fmt.Fprintf(&b, "  memory: %d pages after start-up, %d at the end\n", r.PagesBefore, r.PagesAfter)
	_, err := io.WriteString(w, b.String())
	return err
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func callbackCounts(calls []Call) map[string]int {
	m := map[string]int{}
	for _, c := range calls {
		m[c.Callback]++
	}
	return m
}

// countList renders "a×2 b×1", sorted by name.
func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s×%d", k, m[k])
	}
	return strings.Join(parts, " ")
}
