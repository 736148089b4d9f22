package rules

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/wasmlint/wasmlint/abiversions"
	"github.com/wasmlint/wasmlint/analyzer"
	"github.com/wasmlint/wasmlint/analyzer/wasm"
)

// Media types Istio's and Higress's image fetcher knows (istio/istio
// pkg/wasm/imagefetcher.go).
const (
	mediaOCIManifest    = "application/vnd.oci.image.manifest.v1+json"
	mediaDockerManifest = "application/vnd.docker.distribution.manifest.v2+json"
	mediaOCITarGzip     = "application/vnd.oci.image.layer.v1.tar+gzip"
	mediaDockerTarGzip  = "application/vnd.docker.image.rootfs.diff.tar.gzip"
	mediaSoloWasm       = "application/vnd.module.wasm.content.layer.v1+wasm"
)

// istioFetchFailed is how istio-agent logs an image it cannot use
// (pkg/wasm/cache.go and imagefetcher.go).
const istioFetchFailed = "could not fetch Wasm OCI image: the given image is in invalid format as an OCI image"

// LayoutNotPullable reports an image that Istio or Higress would not pull
// the module from.
var LayoutNotPullable = &analyzer.Rule{
	ID: "PW801", Name: "layout-not-pullable-by-host", Severity: analyzer.Error,
	Title: "the image layout is not one the host's image fetcher accepts",
	What: "The module comes from an OCI image whose layout Istio's and Higress's Wasm image fetcher does not accept. " +
		"The fetcher (istio-agent, `pkg/wasm/imagefetcher.go`) takes exactly two layouts: the *compat* variant, whose **last** layer is " +
		"a tar+gzip layer (`application/vnd.oci.image.layer.v1.tar+gzip` in an OCI manifest, " +
		"`application/vnd.docker.image.rootfs.diff.tar.gzip` in a Docker v2 manifest) holding a file named `plugin.wasm`; and Solo.io's " +
		"*oci* variant, an OCI manifest with **exactly two** layers, one of them `application/vnd.module.wasm.content.layer.v1+wasm`. " +
		"Before Istio 1.16 the compat image had to have exactly one layer, and Istio before 1.12 pulls no images at all. " +
		"The wasm-to-oci layout (`application/vnd.wasm.content.layer.v1+wasm`) and the CNCF Wasm artifact (`application/wasm`) are not accepted.",
	Why: "istio-agent fetches the image when it receives the WasmPlugin (or the ECDS update), tries the compat variant, then the oci " +
		"variant, and fails the fetch if neither matches: the plugin is not applied, and with `failStrategy: FAIL_CLOSE` (the " +
		"default) istio-agent puts a deny-all RBAC filter in its place (`pkg/wasm/convert.go`), so every request gets 403. Envoy itself loads modules only from a file or an HTTP URL, never from an image; Kong, MOSN and APISIX load " +
		"files: on those hosts the finding is a note about where the image can be used.",
	Fix: "Repackage the module in a layout the fetcher takes: `FROM scratch` + `COPY filter.wasm ./plugin.wasm` in one Dockerfile step " +
		"(docker build, buildah), or `oras push` with two layers as Solo.io's spec describes. Do not add layers after the one holding " +
		"plugin.wasm.",
	Host: "istio-agent: `" + istioFetchFailed + "` with `could not parse as compat variant: …` and `could not parse as oci variant: …`; " +
		"sources: https://github.com/istio/istio/blob/master/pkg/wasm/imagefetcher.go (last layer since istio/istio#40647, Istio 1.16; " +
		"image fetching since Istio 1.12), Higress's fork https://github.com/higress-group/istio (same rules), and the variants' spec " +
		"https://github.com/solo-io/wasm/tree/master/spec.",
	Tags: []string{"packaging", "availability"},
	Run: func(p *analyzer.Pass) {
		pkg := p.Package
		if !pkg.InImage() {
			return
		}
		if minor, pulls := imagePuller(p.Host); pulls {
			if why := istioRefuses(pkg, minor, p.Host.Name()); why != "" {
				p.Reportf(analyzer.Error, wasm.Span{}, "image layout", "%s will not pull the module from this %s image: %s%s",
					p.Host.Name(), pkg.Layout, why, hostSays(p, istioFetchFailed))
			}
			return
		}
		if why := istioRefuses(pkg, 99, "Istio"); why != "" {
			p.Reportf(analyzer.Note, wasm.Span{}, "image layout", "Istio and Higress would not pull the module from this %s image (%s); %s itself loads modules from files or HTTP, not images",
				pkg.Layout, why, p.Host.Name())
		}
	},
}

// imagePuller reports whether the host pulls Wasm images itself (Istio,
// Higress) and, for Istio, its minor release (Higress: that of a current
// Istio).
func imagePuller(h *abiversions.Profile) (minor int, pulls bool) {
	switch h.Host {
	case "higress":
		return 99, true
	case "istio":
		_, m, _ := strings.Cut(h.Release, ".")
		n, err := strconv.Atoi(m)
		if err != nil {
			return 99, true
		}
		return n, true
	}
	return 0, false
}

// istioRefuses says why Istio 1.<minor>'s image fetcher would not return
// this module, or "" when it would.
func istioRefuses(pkg *analyzer.Package, minor int, host string) string {
	if minor < 12 {
		return host + " pulls no Wasm images (image fetching came in Istio 1.12)"
	}
	n := len(pkg.LayerMediaTypes)
	last := ""
	if n > 0 {
		last = pkg.LayerMediaTypes[n-1]
	}
	isPlugin := pkg.Layer == n-1 && pkg.File != "" && path.Base(pkg.File) == "plugin.wasm"
	compat := func(want string) string {
		switch {
		case last != want:
			return fmt.Sprintf("its last layer is %s, not %s", orNone(last), want)
		case minor < 16 && n != 1:
			return fmt.Sprintf("%s takes a compat image with exactly one layer (Istio 1.16 takes the last), and it has %d", host, n)
		case !isPlugin && pkg.File != "":
			return fmt.Sprintf("the module is %s in layer %d, but the fetcher reads plugin.wasm from the last layer", pkg.File, pkg.Layer+1)
		case !isPlugin:
			return "the fetcher reads plugin.wasm from the last layer"
		}
		return ""
	}
	if pkg.ManifestMediaType == mediaDockerManifest {
		return compat(mediaDockerTarGzip)
	}
	whyCompat := compat(mediaOCITarGzip)
	if whyCompat == "" {
		return ""
	}
	solo := -1
	for i, mt := range pkg.LayerMediaTypes {
		if mt == mediaSoloWasm {
			solo = i
			break
		}
	}
	switch {
	case pkg.Layout != analyzer.LayoutSolo:
		return whyCompat
	case n != 2:
		return fmt.Sprintf("the oci variant must have exactly 2 layers, and it has %d", n)
	case solo != pkg.Layer:
		return fmt.Sprintf("the fetcher takes the first %s layer, layer %d, not this one", mediaSoloWasm, solo+1)
	}
	return ""
}

func orNone(s string) string {
	if s == "" {
		return "absent"
	}
	return s
}
