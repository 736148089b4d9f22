package main

import (
	"fmt"
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer/inspect"
)

// Text forms of inspect's summary and diff: one labelled line per topic,
// continuation lines indented under the value.

const indent = "               " // under the value column of printer.field

func textSummary(p *printer, s *inspect.Summary) {
	p.line("%s: %d bytes, sha256 %s", s.Path, s.Size, s.SHA256)
	if s.Format != "wasm" {
		p.field("format", "%s: %s", s.Format, s.Error)
		return
	}
	p.field("ABI", "%s", abiText(s.ABI))
	textToolchain(p, s.Toolchain)
	p.field("filter", "%s", filterText(s.Filter))
	textGroups(p, "capabilities", s.Capabilities)
	p.field("WASI", "%s; entry %s", join(s.WASI.Modules, "none"), entryText(s.WASI.Entry))
	textGroups(p, "", s.WASI.Groups)
	p.field("memory", "%s", memoryText(s.Memory))
	z := s.Sections
	p.field("size", "%d bytes: code %d, data %d, names %d, debug %d, other custom %d, other %d",
		z.Total, z.Code, z.Data, z.Names, z.Debug, z.OtherCustom, z.Other)
}

func abiText(a inspect.ABI) string {
	v := "no known ABI version"
	if a.Version != nil {
		v = "ABI " + *a.Version
	}
	if len(a.Markers) == 0 {
		return a.Interface + ", " + v
	}
	return fmt.Sprintf("%s, %s (%s)", a.Interface, v, strings.Join(a.Markers, ", "))
}

func textToolchain(p *printer, t inspect.Toolchain) {
	name := or(strings.TrimSpace(t.Name+" "+t.Version), "unknown")
	if t.Language != "" && t.Language != t.Name {
		name += " (" + t.Language + ")"
	}
	sdk := "no SDK found"
	if t.SDK != "" {
		sdk = "SDK " + strings.TrimSpace(t.SDK+" "+t.SDKVersion)
	}
	p.field("toolchain", "%s; %s", name, sdk)
	for _, e := range t.Evidence {
		if e.Field != "interface" {
			p.line("%s· %s: %s", indent, strings.ReplaceAll(e.Field, "_", " "), e.Source)
		}
	}
}

func filterText(f inspect.Filter) string {
	if len(f.Callbacks) == 0 {
		return "no Proxy-Wasm callbacks"
	}
	s := strings.Join(f.Kinds, ", ")
	if len(f.Callbacks) <= 10 {
		s += ": " + strings.Join(f.Callbacks, ", ")
	} else {
		s += fmt.Sprintf(" (%d callbacks)", len(f.Callbacks))
	}
	if f.Note != "" {
		s += "; " + f.Note
	}
	return s
}

// textGroups prints one line per group under label (or continuing the
// previous field when label is empty).
func textGroups(p *printer, label string, gs []inspect.Group) {
	if len(gs) == 0 && label != "" {
		p.field(label, "none")
	}
	for i, g := range gs {
		text := strings.ReplaceAll(g.Name, "_", " ") + ": " + strings.Join(g.Functions, ", ")
		if i == 0 && label != "" {
			p.field(label, "%s", text)
		} else {
			p.line("%s%s", indent, text)
		}
	}
}

func entryText(e string) string {
	switch e {
	case "reactor":
		return "reactor (_initialize)"
	case "command":
		return "command (_start)"
	case "both":
		return "both _initialize and _start"
	}
	return "none"
}

func memoryText(m *inspect.Memory) string {
	if m == nil {
		return "none"
	}
	max := "no maximum"
	if m.MaxPages != nil {
		max = fmt.Sprintf("maximum %d pages", *m.MaxPages)
	}
	s := fmt.Sprintf("%d pages (%s) initial, %s", m.InitialPages, bytesText(m.InitialBytes), max)
	if m.Shared {
		s += ", shared"
	}
	if m.Memory64 {
		s += ", 64-bit"
	}
	if m.Imported != "" {
		s += "; imported from " + m.Imported
	}
	s += "; exported as " + join(m.ExportedAs, "nothing")
	if m.Count > 1 {
		s += fmt.Sprintf("; %d memories", m.Count)
	}
	return s + fmt.Sprintf("; data %d bytes in %d segments", m.DataBytes, m.DataSegments)
}

func bytesText(n uint64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

func textDiff(p *printer, d *inspect.Diff, width int) {
	p.line("%s (%d bytes) -> %s (%d bytes)", d.Old.Path, d.Old.Size, d.New.Path, d.New.Size)
	if d.Old.Format != d.New.Format {
		p.field("format", "%s -> %s", d.Old.Format, d.New.Format)
	}
	textChanges(p, "ABI", d.ABI)
	textChanges(p, "toolchain", d.Toolchain)
	textSet(p, "imports", d.Imports)
	textSet(p, "exports", d.Exports)
	textSet(p, "WASI", d.WASI)
	textSet(p, "capabilities", d.Capabilities)
	textChanges(p, "memory", d.Memory)
	var sizes []string
	for _, z := range d.Size {
		if z.Delta != 0 {
			sizes = append(sizes, fmt.Sprintf("%s %d -> %d (%+d)", strings.ReplaceAll(z.Section, "_", " "), z.Old, z.New, z.Delta))
		}
	}
	p.field("size", "%s", join(sizes, "unchanged"))
	textHosts(p, d.Hosts, width)
}

func textChanges(p *printer, label string, cs []inspect.Change) {
	var parts []string
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s %s -> %s", strings.ReplaceAll(c.Field, "_", " "), or(c.Old, "none"), or(c.New, "none")))
	}
	p.field(label, "%s", join(parts, "unchanged"))
}

func textSet(p *printer, label string, s inspect.SetDiff) {
	var lines []string
	for _, a := range s.Added {
		lines = append(lines, "+ "+a)
	}
	for _, r := range s.Removed {
		lines = append(lines, "- "+r)
	}
	for _, c := range s.Changed {
		lines = append(lines, fmt.Sprintf("~ %s: %s -> %s", c.Field, c.Old, c.New))
	}
	if len(lines) == 0 {
		p.field(label, "unchanged")
	}
	for i, l := range lines {
		if i == 0 {
			p.field(label, "%s", l)
		} else {
			p.line("%s%s", indent, l)
		}
	}
}

// textHosts prints the hosts lost, grouped by the rule and subject of
// their first error, with runs of releases shortened (envoy@1.17…1.32).
func textHosts(p *printer, h inspect.HostDiff, width int) {
	p.field("hosts", "%d lost, %d gained, %d still load, %d still fail", len(h.Lost), len(h.Gained), h.StillLoading, h.StillFailing)
	var order []string
	by := map[string][]string{}
	for _, l := range h.Lost {
		why := "unknown cause"
		if l.FirstError != nil {
			why = l.FirstError.Rule + " " + l.FirstError.Subject
		}
		if _, seen := by[why]; !seen {
			order = append(order, why)
		}
		by[why] = append(by[why], l.Host)
	}
	for _, why := range order {
		p.line("%s%s", indent, cut("lost "+hostRanges(by[why])+": "+why, width-len(indent)))
	}
	if len(h.Gained) > 0 {
		p.line("%s%s", indent, cut("gained "+hostRanges(h.Gained), width-len(indent)))
	}
}

// hostRanges joins host profile names, writing three or more consecutive
// releases of one host (in profile order) as a range.
func hostRanges(hosts []string) string {
	pos := map[string]int{}
	for i, p := range abiversions.Profiles() {
		pos[p.Name()] = i
	}
	product := func(h string) string { name, _, _ := strings.Cut(h, "@"); return name }
	var out []string
	for i := 0; i < len(hosts); {
		j := i
		for j+1 < len(hosts) && product(hosts[j+1]) == product(hosts[i]) && pos[hosts[j+1]] == pos[hosts[j]]+1 {
			j++
		}
		if j >= i+2 {
			_, last, _ := strings.Cut(hosts[j], "@")
			out = append(out, hosts[i]+"…"+last)
		} else {
			out = append(out, hosts[i:j+1]...)
		}
		i = j + 1
	}
	return strings.Join(out, ", ")
}

func or(s, otherwise string) string {
	if s == "" {
		return otherwise
	}
	return s
}
