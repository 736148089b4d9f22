package inspect

import (
	"fmt"
	"strconv"
	"strings"
)

// Diff is what changed between two builds of a module: the check a
// reviewer wants on a pull request that rebuilds a filter.
type Diff struct {
	Old File `json:"old"`
	New File `json:"new"`
	// ABI lists changes of interface, version and markers.
	ABI []Change `json:"abi"`
	// Toolchain lists changes of toolchain, version, language, SDK and SDK
	// version.
	Toolchain []Change `json:"toolchain"`
	Imports   SetDiff  `json:"imports"`
	Exports   SetDiff  `json:"exports"`
	// WASI compares the WASI imports ("wasi_snapshot_preview1.fd_write");
	// Changed holds the start-up convention ("entry").
	WASI SetDiff `json:"wasi"`
	// Capabilities compares the host capability groups used.
	Capabilities SetDiff  `json:"capabilities"`
	Memory       []Change `json:"memory"`
	// Size has every section kind of Sizes, changed or not.
	Size  []SizeChange `json:"size"`
	Hosts HostDiff     `json:"hosts"`
}

// File identifies one side of a diff.
type File struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int    `json:"size"`
	Format string `json:"format"`
}

// Change is one field that changed.
type Change struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// SetDiff compares two sets of names; Changed lists names in both whose
// type (signature) changed.
type SetDiff struct {
	Added   []string `json:"added"`
	Removed []string `json:"removed"`
	Changed []Change `json:"changed"`
}

// SizeChange is one section kind's size before and after.
type SizeChange struct {
	Section string `json:"section"`
	Old     int    `json:"old"`
	New     int    `json:"new"`
	Delta   int    `json:"delta"`
}

// HostDiff says which hosts gained or lost the ability to load the
// module.
type HostDiff struct {
	Gained       []string   `json:"gained"`
	Lost         []HostLoss `json:"lost"`
	StillLoading int        `json:"still_loading"`
	StillFailing int        `json:"still_failing"`
}

// HostLoss is a host that loaded the old build and refuses the new one.
type HostLoss struct {
	Host       string   `json:"host"`
	FirstError *Finding `json:"first_error"`
}

// Compare diffs two summaries and their host matrices (built over the
// same profiles).
func Compare(oldS, newS *Summary, oldM, newM *Matrix) *Diff {
	return &Diff{
		Old: fileOf(oldS), New: fileOf(newS),
		ABI:          abiChanges(oldS.ABI, newS.ABI),
		Toolchain:    toolchainChanges(oldS.Toolchain, newS.Toolchain),
		Imports:      externDiff(oldS.Imports, newS.Imports),
		Exports:      externDiff(oldS.Exports, newS.Exports),
		WASI:         wasiDiff(oldS, newS),
		Capabilities: setDiff(groupNames(oldS.Capabilities), groupNames(newS.Capabilities)),
		Memory:       memoryChanges(oldS.Memory, newS.Memory),
		Size:         sizeChanges(oldS.Sections, newS.Sections),
		Hosts:        hostDiff(oldM, newM),
	}
}

// Regressed reports whether a host that loaded the old build refuses the
// new one.
func (d *Diff) Regressed() bool { return len(d.Hosts.Lost) > 0 }

func fileOf(s *Summary) File {
	return File{Path: s.Path, SHA256: s.SHA256, Size: s.Size, Format: s.Format}
}

// changes lists the fields whose old and new values differ; pairs holds
// field, old, new triples.
func changes(pairs ...string) []Change {
	out := []Change{}
	for i := 0; i+2 < len(pairs); i += 3 {
		if pairs[i+1] != pairs[i+2] {
			out = append(out, Change{Field: pairs[i], Old: pairs[i+1], New: pairs[i+2]})
		}
	}
	return out
}

func abiChanges(o, n ABI) []Change {
	return changes("interface", o.Interface, n.Interface,
		"version", deref(o.Version, "none"), deref(n.Version, "none"),
		"markers", strings.Join(o.Markers, " "), strings.Join(n.Markers, " "))
}

func toolchainChanges(o, n Toolchain) []Change {
	return changes("toolchain", o.Name, n.Name, "toolchain_version", o.Version, n.Version,
		"language", o.Language, n.Language, "sdk", o.SDK, n.SDK, "sdk_version", o.SDKVersion, n.SDKVersion)
}

func memoryChanges(o, n *Memory) []Change {
	f := func(m *Memory) []string {
		if m == nil {
			return []string{"0", "none", "none", "false", "false", "", "", "0", "0"}
		}
		return []string{strconv.Itoa(m.Count), strconv.FormatUint(m.InitialPages, 10), deref64(m.MaxPages),
			strconv.FormatBool(m.Shared), strconv.FormatBool(m.Memory64), m.Imported,
			strings.Join(m.ExportedAs, " "), strconv.FormatUint(m.DataBytes, 10), strconv.Itoa(m.DataSegments)}
	}
	fields := []string{"count", "initial_pages", "max_pages", "shared", "memory64", "imported", "exported_as", "data_bytes", "data_segments"}
	ov, nv := f(o), f(n)
	var pairs []string
	for i, field := range fields {
		pairs = append(pairs, field, ov[i], nv[i])
	}
	return changes(pairs...)
}

func sizeChanges(o, n Sizes) []SizeChange {
	ov := []int{o.Code, o.Data, o.Names, o.Debug, o.OtherCustom, o.Other, o.Total}
	nv := []int{n.Code, n.Data, n.Names, n.Debug, n.OtherCustom, n.Other, n.Total}
	out := []SizeChange{}
	for i, name := range []string{"code", "data", "names", "debug", "other_custom", "other", "total"} {
		out = append(out, SizeChange{Section: name, Old: ov[i], New: nv[i], Delta: nv[i] - ov[i]})
	}
	return out
}

// externDiff compares imports or exports by name; a name whose kind or
// signature changed is Changed, not Added and Removed.
func externDiff(o, n []Extern) SetDiff {
	old := map[string]Extern{}
	var oldNames, newNames []string
	for _, x := range o {
		old[x.Name] = x
		oldNames = append(oldNames, x.Name)
	}
	for _, x := range n {
		newNames = append(newNames, x.Name)
	}
	d := setDiff(oldNames, newNames)
	for _, x := range n {
		if y, ok := old[x.Name]; ok && (y.Kind != x.Kind || y.Type != x.Type) {
			d.Changed = append(d.Changed, Change{Field: x.Name, Old: typeOf(y), New: typeOf(x)})
		}
	}
	return d
}

func typeOf(x Extern) string { return strings.TrimSpace(x.Kind + " " + x.Type) }

func wasiDiff(o, n *Summary) SetDiff {
	d := setDiff(wasiImports(o), wasiImports(n))
	if o.WASI.Entry != n.WASI.Entry {
		d.Changed = append(d.Changed, Change{Field: "entry", Old: o.WASI.Entry, New: n.WASI.Entry})
	}
	return d
}

func wasiImports(s *Summary) []string {
	var out []string
	for _, im := range s.Imports {
		if mod, _, _ := strings.Cut(im.Name, "."); isWASIModule(mod) {
			out = append(out, im.Name)
		}
	}
	return out
}

func groupNames(gs []Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.Name)
	}
	return out
}

// setDiff lists names only in n (Added) and only in o (Removed), in the
// order of each list.
func setDiff(o, n []string) SetDiff {
	d := SetDiff{Added: []string{}, Removed: []string{}, Changed: []Change{}}
	for _, x := range n {
		if !contains(o, x) && !contains(d.Added, x) {
			d.Added = append(d.Added, x)
		}
	}
	for _, x := range o {
		if !contains(n, x) && !contains(d.Removed, x) {
			d.Removed = append(d.Removed, x)
		}
	}
	return d
}

func hostDiff(o, n *Matrix) HostDiff {
	d := HostDiff{Gained: []string{}, Lost: []HostLoss{}}
	for _, row := range n.Hosts {
		before := o.Row(row.Host)
		switch {
		case before == nil:
		case !before.Loads && row.Loads:
			d.Gained = append(d.Gained, row.Host)
		case before.Loads && !row.Loads:
			d.Lost = append(d.Lost, HostLoss{Host: row.Host, FirstError: row.FirstError})
		case row.Loads:
			d.StillLoading++
		default:
			d.StillFailing++
		}
	}
	return d
}

func deref(s *string, none string) string {
	if s == nil {
		return none
	}
	return *s
}

func deref64(v *uint64) string {
	if v == nil {
		return "none"
	}
	return fmt.Sprint(*v)
}
