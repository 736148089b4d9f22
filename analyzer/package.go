package analyzer

// Layout is how an OCI image carries a Wasm module. The names are those
// of the specifications (see package analyzer/oci).
type Layout string

// Image layouts, by the media type of the layer that holds the module.
const (
	// LayoutNone: the module is a bare file, not in an image.
	LayoutNone Layout = ""
	// LayoutSolo is Solo.io's "oci" variant: a config layer
	// (application/vnd.module.wasm.config.v1+json, the runtime config) and
	// a layer application/vnd.module.wasm.content.layer.v1+wasm.
	LayoutSolo Layout = "solo-oci"
	// LayoutCompat is Solo.io's "compat" variant: a tar+gzip layer (OCI or
	// Docker media type) holding plugin.wasm and, optionally,
	// runtime-config.json; what docker build, buildah and Istio's docs make.
	LayoutCompat Layout = "compat"
	// LayoutWasmToOCI is the wasm-to-oci tool's (and oras examples'):
	// one layer application/vnd.wasm.content.layer.v1+wasm.
	LayoutWasmToOCI Layout = "wasm-to-oci"
	// LayoutCNCF is the CNCF TAG Runtime Wasm OCI Artifact: config
	// application/vnd.wasm.config.v0+json, one layer application/wasm.
	LayoutCNCF Layout = "cncf-wasm"
)

// Package describes how a module was packaged, for the packaging rules
// (PW8xx): the image that carried it, if any, and the files shipped beside
// it. The runner leaves Pass.Package nil for a bare file with nothing
// beside it; the PW8xx rules then have nothing to check. The analyzer
// never reads images itself: package analyzer/oci (or the caller) fills
// this in.
type Package struct {
	// Image is the image as the user named it: an OCI layout directory or
	// an oci-archive or docker-archive tarball; "" for a bare file.
	Image string
	// Layout is the layout the module was found in.
	Layout Layout
	// ManifestMediaType is the manifest's media type (the OCI or the
	// Docker v2 manifest).
	ManifestMediaType string
	// ConfigMediaType is the media type of the image's config blob.
	ConfigMediaType string
	// LayerMediaTypes are the media types of every layer, in order, and
	// Layer the index of the one holding the module.
	LayerMediaTypes []string
	Layer           int
	// LayerDigest is that layer's digest ("sha256:…").
	LayerDigest string
	// File is the module's name inside a tar layer ("plugin.wasm",
	// "./plugin.wasm"), "" when the layer is the module itself.
	File string
	// RuntimeConfig is the runtime-config.json of Solo.io's layouts (the
	// config layer of the "oci" variant, the file beside plugin.wasm in the
	// "compat" variant); nil when there is none.
	RuntimeConfig []byte
	// Meta is Kong's <filter>.meta.json beside the module, MetaName its
	// name; Meta is nil when there is none.
	Meta     []byte
	MetaName string
}

// InImage reports whether the module came out of an image.
func (p *Package) InImage() bool { return p != nil && p.Image != "" }
