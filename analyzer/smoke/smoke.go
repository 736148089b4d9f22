package smoke

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tetratelabs/wazero"

	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
	"github.com/wasmlint/wasmlint/rules"
)

// Run drives the module through the host's lifecycle in wazero against
// the emulated host, and returns what it saw and the PW9xx findings. It
// never fails: a module the host would refuse is a PW901 finding. The
// error is for options that cannot be used.
func Run(ctx context.Context, bin []byte, o Options) (*Report, []analyzer.Diagnostic, error) {
	if err := o.Validate(); err != nil {
		return nil, nil, err
	}
	o = o.withDefaults()
	ctx, cancel := context.WithTimeout(ctx, o.Total)
	defer cancel()
	engine := pickEngine(o)
	r := runOnce(ctx, bin, o, engine)
	if o.Engine == EngineAuto && engine == EngineInterpreter && r.timedOut() && compilerSupported() {
		// The interpreter runs some code (a Go GC cycle) several times
		// slower than the host's engine: confirm a deadline with the
		// compiler before reporting it.
		r = runOnce(ctx, bin, o, EngineCompiler)
		r.rep.Engine = EngineCompiler + " (re-run after a deadline in the interpreter)"
	}
	return r.rep, r.findings(), nil
}

func runOnce(ctx context.Context, bin []byte, o Options, engine string) *runner {
	rep := &Report{Host: o.Host.Name(), Engine: engine, FilterKind: o.FilterKind, RootID: o.RootID, HostCalls: map[string]int{}}
	for _, p := range []string{PhaseLoad, PhaseInitialize, PhaseStart, PhaseConfigure, PhaseRequest} {
		rep.setPhase(p, StatusSkipped, "", 0)
	}
	start := time.Now()
	r := &runner{o: o, rep: rep, bin: bin}
	r.run(ctx, engine)
	rep.Millis = ms(time.Since(start))
	return r
}

func (r *runner) timedOut() bool {
	if r.h == nil {
		return false
	}
	for _, t := range r.h.traps {
		if t.trap.timeout {
			return true
		}
	}
	return false
}

// runner holds one smoke run.
type runner struct {
	o    Options
	rep  *Report
	bin  []byte
	mod  *wasm.Module
	h    *host
	diag []analyzer.Diagnostic
	// pages are the memory sizes after each stream.
	pages []uint32
}

func (r *runner) run(ctx context.Context, engine string) {
	t := time.Now()
	m, abi, err := checkLoad(r.bin, r.o)
	r.mod = m
	if abi != nil {
		r.rep.ABI = abi.Name
	}
	if err != nil {
		r.refused(PhaseLoad, err, t)
		return
	}
	bin := r.bin
	if len(m.Memories) == 1 && m.Memories[0].Imported {
		bin = defineImportedMemory(bin, m)
	}
	rt, err := newRuntime(ctx, r.o, engine)
	if err != nil {
		r.refused(PhaseLoad, err, t)
		return
	}
	defer rt.Close(context.Background())
	compiled, err := rt.CompileModule(ctx, bin)
	if err != nil {
		r.refused(PhaseLoad, fail(PhaseLoad, orText(r.o.Host.Msg.CompileFailed, "compile failed")+" ("+err.Error()+")"), t)
		return
	}
	r.rep.setPhase(PhaseLoad, StatusOK, "", ms(time.Since(t)))

	t = time.Now()
	if err := checkLink(m, r.o.Host, abi); err != nil {
		r.refused(PhaseInitialize, err, t)
		return
	}
	alloc, err := checkExports(m, r.o.Host, abi)
	if err != nil {
		r.refused(PhaseInitialize, err, t)
		return
	}
	h := newHost(r.o, r.o.Host, abi, r.rep)
	r.h = h
	if err := h.instantiateHost(ctx, rt, m); err != nil {
		r.refused(PhaseInitialize, err, t)
		return
	}
	inst, err := rt.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		msg := "Failed to create new Wasm instance"
		tr := classify(err)
		r.refused(PhaseInitialize, fail(PhaseInitialize, msg+" ("+tr.reason+")"+stackText(tr.stack)), t)
		return
	}
	h.inst, h.mem = inst, inst.Memory()
	h.alloc = inst.ExportedFunction(alloc)
	for _, e := range m.Exports {
		h.exportOrder = append(h.exportOrder, e.Name)
	}
	h.phase = PhaseInitialize
	h.startup(ctx, compiled.ExportedFunctions())
	if r.trapped(PhaseInitialize, rules.InstantiateFailed, t) {
		return
	}
	r.rep.setPhase(PhaseInitialize, StatusOK, "", ms(time.Since(t)))
	r.lifecycle(ctx)
}

// lifecycle runs start, configure, one tick, and the streams.
func (r *runner) lifecycle(ctx context.Context) {
	h := r.h
	t := time.Now()
	h.phase = PhaseStart
	root := h.newContext(0)
	h.rootID = root.id
	rid := uint64(root.id)
	h.call(ctx, "proxy_on_context_create", root.id, 0, rid, 0)
	out := h.call(ctx, "proxy_on_vm_start", root.id, 0, rid, uint64(len(r.o.VMConfig)))
	if r.trapped(PhaseStart, rules.VMStartFailed, t) {
		return
	}
	if out.present && uint32(out.result) == 0 {
		r.returnedFalse(PhaseStart, rules.VMStartFailed, "proxy_on_vm_start",
			fmt.Sprintf("with a VM configuration of %d bytes", len(r.o.VMConfig)), "Failed to start base Wasm", t)
		return
	}
	r.rep.setPhase(PhaseStart, StatusOK, "", ms(time.Since(t)))
	r.rep.PagesBefore = h.pages()

	t = time.Now()
	h.phase = PhaseConfigure
	out = h.call(ctx, "proxy_on_configure", root.id, 0, rid, uint64(len(r.o.PluginConfig)))
	if r.trapped(PhaseConfigure, rules.ConfigureFailed, t) {
		return
	}
	if out.present && uint32(out.result) == 0 {
		r.returnedFalse(PhaseConfigure, rules.ConfigureFailed, "proxy_on_configure",
			"with the plugin configuration "+quoteConfig(r.o.PluginConfig), "Failed to configure base Wasm plugin", t)
		return
	}
	r.rep.setPhase(PhaseConfigure, StatusOK, "", ms(time.Since(t)))
	if h.tick > 0 {
		// A tick is a run-time event: a trap in it fails the requests.
		h.phase = PhaseRequest
		h.call(ctx, "proxy_on_tick", root.id, 0, rid)
	}
	r.rep.PagesAfter = h.pages()
	if r.o.FilterKind == KindRoot {
		r.trapped(PhaseRequest, rules.StreamCallbackTrap, time.Now())
		return
	}

	t = time.Now()
	h.phase = PhaseRequest
	if h.dead {
		// A trap in the tick has already failed the VM.
		r.trapped(PhaseRequest, rules.StreamCallbackTrap, t)
		return
	}
	for n := 1; n <= r.o.Requests; n++ {
		rt := time.Now()
		h.reqStats = &Request{N: n}
		h.request = n
		var ok bool
		if r.o.FilterKind == KindNetwork {
			ok = h.connection(ctx, n)
		} else {
			ok = h.httpStream(ctx, n)
		}
		h.reqStats.Pages, h.reqStats.Millis = h.pages(), ms(time.Since(rt))
		r.rep.Requests = append(r.rep.Requests, *h.reqStats)
		r.pages = append(r.pages, h.reqStats.Pages)
		h.reqStats, h.request = nil, 0
		if !ok {
			break
		}
	}
	r.rep.PagesAfter = h.pages()
	if !r.trapped(PhaseRequest, rules.StreamCallbackTrap, t) {
		r.rep.setPhase(PhaseRequest, StatusOK, "", ms(time.Since(t)))
	}
}

func (h *host) pages() uint32 {
	if h.mem == nil {
		return 0
	}
	return h.mem.Size() / 65536
}

// instantiateHost instantiates the env and WASI host modules with the
// functions the module imports (checkLink has verified each one).
func (h *host) instantiateHost(ctx context.Context, rt wazero.Runtime, m *wasm.Module) error {
	builders := map[string]wazero.HostModuleBuilder{}
	for _, im := range m.Imports {
		if im.Kind != wasm.KindFunc {
			continue
		}
		b, ok := builders[im.Module]
		if !ok {
			b = rt.NewHostModuleBuilder(im.Module)
			builders[im.Module] = b
		}
		sig, _ := hostSig(h.prof, h.abi, im.Module, im.Name)
		fn := envFunc(im.Name)
		if im.Module != "env" {
			fn = h.wasiFunc(im.Name)
		}
		// wasm.ValType and api.ValueType are both the value type byte.
		params, results := sig.Params, sig.Results
		b.NewFunctionBuilder().
			WithGoModuleFunction(h.wrap(im.Module, im.Name, len(results) > 0, fn), params, results).
			Export(im.Name)
	}
	for name, b := range builders {
		if _, err := b.Instantiate(ctx); err != nil {
			return fail(PhaseInitialize, fmt.Sprintf("emulated host module %s: %v", name, err))
		}
	}
	return nil
}

// refused records a phase the host refused, and skips the rest.
func (r *runner) refused(phase string, err error, t time.Time) {
	var lf *loadFailure
	msgs := []string{err.Error()}
	if errors.As(err, &lf) {
		msgs = lf.msgs
	}
	text := joinMsgs(msgs)
	r.rep.setPhase(phase, StatusError, text, ms(time.Since(t)))
	r.add(rules.InstantiateFailed, analyzer.Error, "", wasm.Span{},
		fmt.Sprintf("the smoke run stopped in %s: %s: %s", phase, r.o.Host.Name(), text))
}
