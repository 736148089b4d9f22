package oci

import (
	"archive/tar"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/wasmlint/wasmlint/analyzer"
)

// pluginFile is the module's name in the "compat" variant.
const pluginFile = "plugin.wasm"

// found is a module read from a tar layer, with the files beside it.
type found struct {
	bin  []byte
	file string // its name in the layer
}

// layerFiles is what one tar layer holds of interest.
type layerFiles struct {
	plugin, other *found
	runtimeConfig []byte
	metas         map[string][]byte // *.meta.json by base name
}

// tarLayers looks for the module in the image's tar layers, newest first:
// the first plugin.wasm found (the file Istio pulls from the last layer),
// else the first other *.wasm of the newest layer holding one.
func (r *reader) tarLayers(src *source, base analyzer.Package) ([]Module, error) {
	var fallback *Module
	for i := len(src.layers) - 1; i >= 0; i-- {
		l := src.layers[i]
		if !isTarLayer(l.mediaType) || l.uncompressed == nil {
			continue
		}
		lf, err := r.scanLayer(l)
		if err != nil {
			return nil, err
		}
		f := lf.plugin
		if f == nil && (fallback != nil || lf.other == nil) {
			continue
		}
		if f == nil {
			f = lf.other
		}
		pkg := base
		pkg.Layout, pkg.Layer, pkg.LayerDigest, pkg.File = analyzer.LayoutCompat, i, l.digest.String(), f.file
		pkg.RuntimeConfig = lf.runtimeConfig
		stem := strings.TrimSuffix(path.Base(f.file), path.Ext(f.file))
		if meta, ok := lf.metas[stem+".meta.json"]; ok {
			pkg.Meta, pkg.MetaName = meta, stem+".meta.json"
		}
		m := Module{Path: r.name + "@" + l.digest.String(), Bin: f.bin, Package: &pkg}
		if lf.plugin != nil {
			return []Module{m}, nil
		}
		fallback = &m
	}
	if fallback != nil {
		return []Module{*fallback}, nil
	}
	return nil, errors.New("no Wasm module in the image: no layer has a Wasm media type, and no layer holds plugin.wasm or another *.wasm file")
}

// isTarLayer reports the media types of filesystem layers (tar, plain or
// compressed), except foreign layers, which are not in the image.
func isTarLayer(mt string) bool {
	m := types.MediaType(mt)
	return m.IsLayer() && m != types.DockerForeignLayer
}

// scanLayer reads a tar layer to its end, within the budget: its first
// plugin.wasm, its first other *.wasm, runtime-config.json and *.meta.json.
func (r *reader) scanLayer(l layerRef) (*layerFiles, error) {
	what := "layer " + l.digest.String()
	rc, err := l.uncompressed()
	if err != nil {
		return nil, tarErr(what, err)
	}
	defer rc.Close()
	lf := &layerFiles{metas: map[string][]byte{}}
	tr := tar.NewReader(r.budget.reader(rc))
	for n := 0; ; n++ {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return lf, nil
		}
		if err != nil {
			return nil, tarErr(what, err)
		}
		if n >= maxEntries {
			return nil, fmt.Errorf("%s has more than %d entries", what, maxEntries)
		}
		name, err := entryName(h)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", what, err)
		}
		if h.Typeflag != tar.TypeReg {
			continue
		}
		base := path.Base(name)
		limit, fileWhat := int64(maxMetadataBytes), what+": "+h.Name
		var keep func([]byte)
		switch {
		case base == pluginFile && lf.plugin == nil:
			limit, keep = r.lim.MaxModule, func(b []byte) { lf.plugin = &found{bin: b, file: h.Name} }
		case strings.EqualFold(path.Ext(base), ".wasm") && base != pluginFile && lf.other == nil:
			limit, keep = r.lim.MaxModule, func(b []byte) { lf.other = &found{bin: b, file: h.Name} }
		case base == "runtime-config.json" && lf.runtimeConfig == nil:
			keep = func(b []byte) { lf.runtimeConfig = b }
		case strings.HasSuffix(base, ".meta.json") && lf.metas[base] == nil && len(lf.metas) < 16:
			keep = func(b []byte) { lf.metas[base] = b }
		default:
			continue
		}
		if h.Size > limit {
			return nil, &LimitError{What: fileWhat, Limit: limit}
		}
		b := make([]byte, h.Size)
		if _, err := io.ReadFull(tr, b); err != nil {
			return nil, tarErr(fileWhat, err)
		}
		keep(b)
	}
}
