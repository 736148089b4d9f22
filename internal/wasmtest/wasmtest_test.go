package wasmtest

import (
	"testing"

	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

func TestBaselineDecodes(t *testing.T) {
	bin := Filter()
	m, err := wasm.Decode(bin)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	if _, err := wasm.ScanCode(bin, m); err != nil {
		t.Fatalf("ScanCode: %v", err)
	}
	if len(m.Imports) != 1 || m.Imports[0].Module != "env" || m.Imports[0].Name != "proxy_log" {
		t.Errorf("imports = %+v", m.Imports)
	}
	for _, name := range []string{"proxy_abi_version_0_2_1", "proxy_on_context_create", "proxy_on_request_headers", "malloc", "memory"} {
		if m.Export(name) == nil {
			t.Errorf("no export %s", name)
		}
	}
	ft := m.FuncType(m.Export("proxy_on_request_headers").Index)
	if ft == nil || len(ft.Params) != 3 || len(ft.Results) != 1 {
		t.Errorf("proxy_on_request_headers type = %+v", ft)
	}
	if len(m.Memories) != 1 || m.Memories[0].Min != 1 || m.Memories[0].Imported {
		t.Errorf("memories = %+v", m.Memories)
	}
}

func TestOptions(t *testing.T) {
	bin := Filter(
		ABI("0.1.0"),
		Without("malloc"),
		ImportFunc("wasi_snapshot_preview1", "proc_exit", "i32 ->"),
		AddFunc(Func{ID: "_start", Sig: "->", Exports: []string{"_start"},
			Body: Ops([]Op{Raw(0x41, 0x00), Call("wasi_snapshot_preview1.proc_exit")})}),
		Memory(Mem{Min: 2, Max: 4, HasMax: true, Shared: true}, Mem{Min: 1, Is64: true}),
		AddImport(Import{Module: "env", Name: "tag", Kind: KindTag}),
		Section(SecTag, []byte{0x01, 0x00, 0x00}),
		Start("marker"),
		Named(),
	)
	m, err := wasm.Decode(bin)
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	c, err := wasm.ScanCode(bin, m)
	if err != nil {
		t.Fatalf("ScanCode: %v", err)
	}
	if m.Export("proxy_abi_version_0_1_0") == nil || m.Export("malloc") != nil {
		t.Errorf("exports = %+v", m.Exports)
	}
	if ft := m.FuncType(m.Export("proxy_on_request_headers").Index); len(ft.Params) != 2 {
		t.Errorf("0.1.0 header callback type = %+v", ft)
	}
	if len(m.Memories) != 2 || !m.Memories[0].Shared || m.Memories[0].Max != 4 || !m.Memories[1].Is64 {
		t.Errorf("memories = %+v", m.Memories)
	}
	if m.Tags != 1 || m.Imports[2].Kind != wasm.KindTag {
		t.Errorf("tags = %d, imports = %+v", m.Tags, m.Imports)
	}
	start := m.Export("_start").Index
	if path, ok := c.MustReach(m, start, 1); !ok || len(path) != 2 {
		t.Errorf("_start must reach proc_exit: %v %v", path, ok)
	}
	if !m.HasStart || m.FuncName(m.Start) != "marker" {
		t.Errorf("start = %d (%q)", m.Start, m.FuncName(m.Start))
	}
}

func TestInsertSectionOrder(t *testing.T) {
	bin := Filter(Section(SecDataCount, []byte{0x00}), Custom("x", nil))
	var ids []byte
	for _, s := range Sections(bin) {
		ids = append(ids, s.ID)
	}
	want := []byte{1, 2, 3, 5, 7, 12, 10, 0}
	if string(ids) != string(want) {
		t.Errorf("section ids = %v, want %v", ids, want)
	}
}
