package oci

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"
	"strings"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/types"

	"github.com/wasmlint/wasmlint/analyzer"
)

// Media types of the Wasm image layouts (see the package documentation).
const (
	MediaSoloWasm    = "application/vnd.module.wasm.content.layer.v1+wasm"
	MediaSoloConfig  = "application/vnd.module.wasm.config.v1+json"
	MediaWasmToOCI   = "application/vnd.wasm.content.layer.v1+wasm"
	MediaCNCFWasm    = "application/wasm"
	MediaCNCFConfig  = "application/vnd.wasm.config.v0+json"
	maxMetadataBytes = 1 << 20 // runtime-config.json, meta.json, config blobs
)

// rawLayouts maps the media type of a layer that is a module to the layout.
var rawLayouts = map[string]analyzer.Layout{
	MediaSoloWasm:  analyzer.LayoutSolo,
	MediaWasmToOCI: analyzer.LayoutWasmToOCI,
	MediaCNCFWasm:  analyzer.LayoutCNCF,
}

// source is one image as the module finder sees it, whatever the input.
type source struct {
	manifestType, configType string
	layers                   []layerRef
	rawConfig                func() ([]byte, error)
}

// layerRef is one layer: media type, digest as stored, size (-1 if not
// known) and its content, raw or decompressed.
type layerRef struct {
	mediaType    string
	digest       v1.Hash
	size         int64
	compressed   func() (io.ReadCloser, error)
	uncompressed func() (io.ReadCloser, error)
}

// layoutDir reads every image of an OCI layout directory, following
// nested indexes.
func (r *reader) layoutDir(dir string) ([]Module, error) {
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		return nil, relErr(dir, err)
	}
	var out []Module
	seen := map[string]bool{}
	if err := r.index(dir, idx, &out, seen, 0); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, errors.New("the image index lists no image manifest")
	}
	return out, nil
}

func (r *reader) index(dir string, idx v1.ImageIndex, out *[]Module, seen map[string]bool, depth int) error {
	if depth > 8 {
		return errors.New("image indexes nested too deep")
	}
	im, err := idx.IndexManifest()
	if err != nil {
		return fmt.Errorf("image index: %w", relErr(dir, err))
	}
	for _, d := range im.Manifests {
		switch {
		case d.MediaType.IsIndex():
			child, err := idx.ImageIndex(d.Digest)
			if err != nil {
				return fmt.Errorf("index %s: %w", d.Digest, relErr(dir, err))
			}
			if err := r.index(dir, child, out, seen, depth+1); err != nil {
				return err
			}
		case d.MediaType.IsImage() || d.MediaType == "":
			img, err := idx.Image(d.Digest)
			if err != nil {
				return fmt.Errorf("manifest %s: %w", d.Digest, relErr(dir, err))
			}
			src, err := layoutSource(img)
			if err != nil {
				return fmt.Errorf("manifest %s: %w", d.Digest, relErr(dir, err))
			}
			mods, err := r.image(src)
			if err != nil {
				return relErr(dir, err)
			}
			*out = appendNew(*out, seen, mods)
		}
	}
	return nil
}

// layoutSource describes an image of an OCI layout by its manifest.
func layoutSource(img v1.Image) (*source, error) {
	m, err := img.Manifest()
	if err != nil {
		return nil, err
	}
	mt, err := img.MediaType()
	if err != nil {
		return nil, err
	}
	src := &source{manifestType: string(mt), configType: string(m.Config.MediaType)}
	if m.Config.Size <= maxMetadataBytes {
		src.rawConfig = img.RawConfigFile
	}
	for _, d := range m.Layers {
		src.layers = append(src.layers, layerRef{mediaType: string(d.MediaType), digest: d.Digest, size: d.Size,
			compressed: func() (io.ReadCloser, error) {
				l, err := img.LayerByDigest(d.Digest)
				if err != nil {
					return nil, err
				}
				return l.Compressed()
			},
			uncompressed: func() (io.ReadCloser, error) {
				l, err := img.LayerByDigest(d.Digest)
				if err != nil {
					return nil, err
				}
				return l.Uncompressed()
			}})
	}
	return src, nil
}

// dockerSource describes an image of a docker save tarball as docker push
// would send it: a Docker v2 manifest with tar+gzip layers. Layers are
// named by their diff ID, the digest of the layer tar the archive stores.
func dockerSource(img v1.Image) (*source, error) {
	cf, err := img.ConfigFile()
	if err != nil {
		return nil, fmt.Errorf("image config: %w", err)
	}
	src := &source{manifestType: string(types.DockerManifestSchema2), configType: string(types.DockerConfigJSON)}
	for _, diff := range cf.RootFS.DiffIDs {
		src.layers = append(src.layers, layerRef{mediaType: string(types.DockerLayer), digest: diff, size: -1,
			uncompressed: func() (io.ReadCloser, error) {
				l, err := img.LayerByDiffID(diff)
				if err != nil {
					return nil, err
				}
				return l.Uncompressed()
			}})
	}
	return src, nil
}

// image finds the modules of one image: every layer whose media type says
// it is a module, else the plugin.wasm (or other *.wasm) of its tar
// layers, the newest layer first.
func (r *reader) image(src *source) ([]Module, error) {
	base := analyzer.Package{Image: r.name, ManifestMediaType: src.manifestType, ConfigMediaType: src.configType}
	for _, l := range src.layers {
		base.LayerMediaTypes = append(base.LayerMediaTypes, l.mediaType)
	}
	var out []Module
	for i, l := range src.layers {
		lay, ok := rawLayouts[l.mediaType]
		if !ok || l.compressed == nil {
			continue
		}
		bin, err := r.rawLayer(l)
		if err != nil {
			return nil, err
		}
		pkg := base
		pkg.Layout, pkg.Layer, pkg.LayerDigest = lay, i, l.digest.String()
		if lay == analyzer.LayoutSolo {
			if pkg.RuntimeConfig, err = r.soloConfig(src); err != nil {
				return nil, err
			}
		}
		out = append(out, Module{Path: r.name + "@" + l.digest.String(), Bin: bin, Package: &pkg})
	}
	if len(out) > 0 {
		return out, nil
	}
	return r.tarLayers(src, base)
}

// rawLayer reads a layer that is a module, checking its size and digest.
func (r *reader) rawLayer(l layerRef) ([]byte, error) {
	what := "layer " + l.digest.String()
	if l.size > r.lim.MaxModule {
		return nil, &LimitError{What: what, Limit: r.lim.MaxModule}
	}
	rc, err := l.compressed()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rc.Close()
	bin, err := readAtMost(r.budget.reader(rc), r.lim.MaxModule, what)
	if err != nil {
		return nil, tarErr(what, err)
	}
	if l.size >= 0 && int64(len(bin)) != l.size {
		return nil, fmt.Errorf("%s is truncated: %d of %d bytes", what, len(bin), l.size)
	}
	sum := sha256.Sum256(bin)
	if l.digest.Algorithm == "sha256" && hex.EncodeToString(sum[:]) != l.digest.Hex {
		return nil, fmt.Errorf("%s is corrupt: its content has digest sha256:%x", what, sum)
	}
	return bin, nil
}

// soloConfig is the runtime config of Solo.io's "oci" variant: its config
// layer, else the image config blob when it has that media type.
func (r *reader) soloConfig(src *source) ([]byte, error) {
	for _, l := range src.layers {
		if l.mediaType == MediaSoloConfig && l.compressed != nil {
			rc, err := l.compressed()
			if err != nil {
				return nil, fmt.Errorf("config layer %s: %w", l.digest, err)
			}
			defer rc.Close()
			return readAtMost(r.budget.reader(rc), maxMetadataBytes, "config layer "+l.digest.String())
		}
	}
	if src.configType == MediaSoloConfig && src.rawConfig != nil {
		return src.rawConfig()
	}
	return nil, nil
}

// appendNew appends the modules not seen yet (one layer can serve several
// manifests of an index).
func appendNew(out []Module, seen map[string]bool, mods []Module) []Module {
	for _, m := range mods {
		key := m.Path + "\x00" + m.Package.File
		if !seen[key] {
			seen[key] = true
			out = append(out, m)
		}
	}
	return out
}

// relErr makes the paths in file errors relative to the image directory,
// so that no temporary directory shows in a message.
func relErr(dir string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		if rel, rerr := filepath.Rel(dir, pe.Path); rerr == nil && !strings.HasPrefix(rel, "..") {
			return fmt.Errorf("%s: %w", filepath.ToSlash(rel), pe.Err)
		}
	}
	return err
}
