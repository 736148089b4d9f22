package toolchain

import (
	"fmt"
	"strings"
)

// toolchainVersion finds the version of the toolchain where the binary
// shows it: the producers section, else a path or DWARF producer string.
func (f *facts) toolchainVersion(tc string, r *Report) string {
	var v, src string
	switch tc {
	case Rust:
		if v, src = f.producerVersion("processed-by", "rustc"); v == "" {
			v, src = f.stringVersion("/rustc-", "Rust standard library source path")
		}
	case Go:
		if v, src = f.producerVersion("processed-by", "Go cmd/compile"); v == "" {
			v, src = f.producerVersion("language", "Go")
		}
	case TinyGo:
		if v, src = f.producerVersion("processed-by", "TinyGo"); v == "" {
			v, src = f.stringVersion("tinygo/", "TinyGo installation path")
		}
	case Clang:
		v, src = f.producerVersion("processed-by", "clang")
	case Zig:
		v, src = f.stringVersion("zig ", "Zig's DWARF producer")
	case Emscripten, AssemblyScript:
		v, src = f.producerVersion("processed-by", tc)
	}
	if v != "" {
		r.add(fieldTCVersion, v, src)
	}
	return v
}

// producerVersion reads the release in the version of the producers entry
// whose name contains key: "rustc" "1.79.0 (129f3b996 2024-06-10)" gives
// 1.79.0, "Go cmd/compile" "go1.24.1" 1.24.1, "Debian clang"
// "10.0.1-++20200708124224+ef32c611aa2-1~exp1" 10.0.1.
func (f *facts) producerVersion(field, key string) (version, source string) {
	p := f.producerEntry(field, key)
	if p == nil {
		return "", ""
	}
	v := release(strings.TrimPrefix(strings.TrimPrefix(p.Version, "go"), "v"))
	if v == "" {
		return "", ""
	}
	return v, fmt.Sprintf("producers %s %q", field, strings.TrimSpace(p.Name+" "+p.Version))
}

// release reads a release at the start of s: digits and dots, then a
// lower-case suffix ("1.65.0-nightly", "19.1.5-wasi-sdk"); "" when s does
// not start with a digit.
func release(s string) string {
	i := 0
	for i < len(s) && (s[i] == '.' || s[i] >= '0' && s[i] <= '9') {
		i++
	}
	if i == 0 {
		return ""
	}
	if i+1 < len(s) && s[i] == '-' && s[i+1] >= 'a' && s[i+1] <= 'z' {
		j := i + 1
		for j < len(s) && (s[j] == '-' || s[j] == '.' || s[j] >= 'a' && s[j] <= 'z' || s[j] >= '0' && s[j] <= '9') {
			j++
		}
		i = j
	}
	return strings.TrimRight(s[:i], ".-")
}

// stringVersion finds prefix followed by a version in the data or custom
// sections: "/rustc-1.63.0/", "tinygo/0.12.0/src", "zig 0.14.0".
func (f *facts) stringVersion(prefix, what string) (version, source string) {
	var v string
	where := f.text.find([]byte(prefix), func(at []byte) bool {
		v = versionToken(string(at[len(prefix):min(len(at), len(prefix)+40)]), "/ \x00\t\n\"")
		return v != "" && strings.Contains(v, ".")
	})
	if where == "" {
		return "", ""
	}
	return v, fmt.Sprintf("string %q in %s (%s)", prefix+v, where, what)
}

// versionToken reads a version at the start of s, up to a byte of stop:
// "1.79.0", "v0.24.0", "go1.24.1", "0.0.0-20250212164326-ab4161dcf924".
// It returns "" unless the token starts with a digit (after "v" or "go")
// and holds only version characters.
func versionToken(s, stop string) string {
	end := strings.IndexAny(s, stop)
	if end < 0 {
		end = len(s)
	}
	tok := s[:end]
	digits := strings.TrimPrefix(strings.TrimPrefix(tok, "go"), "v")
	if digits == "" || digits[0] < '0' || digits[0] > '9' {
		return ""
	}
	for _, c := range tok {
		if !strings.ContainsRune("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.+-", c) {
			return ""
		}
	}
	return tok
}

// sdkVersion finds the SDK's version where the binary shows it: Go build
// information or module-cache paths, Cargo registry paths; for an SDK from
// before versioned ABIs, the era.
func (f *facts) sdkVersion(sdk, iface string, r *Report) string {
	var v, src string
	switch sdk {
	case "":
		return ""
	case SDKGoProxyWasm, SDKGoTetrate, SDKGoMathetake, SDKHTTPWasmGo, SDKMOSNProtocol:
		v, src = f.goModuleVersion(sdk)
	case SDKRust:
		v, src = f.cargoVersion("proxy-wasm")
	case SDKEnvoyWasm:
		v, src = "2019 (camelCase callbacks)", "camelCase callback exports"
		if im := f.importWithPrefix("env", "_envoy_", "_wasmLog"); im != "" {
			v, src = "2018 (_envoy_* host functions)", "import "+im
		}
	}
	if v == "" && (iface == ProxyWasmPreABI || iface == ProxyWasmNoMarker) {
		v, src = "pre-ABI", "proxy_on* callbacks without a proxy_abi_version_* marker"
	}
	if v != "" {
		r.add(fieldSDKVersion, v, src)
	}
	return v
}

// goModuleVersion reads a Go module's version from the build information
// Go embeds ("dep\tpath\tv0.24.0", with a "=>" line when it was replaced)
// or from a module-cache path in DWARF ("path@v0.22.0/").
func (f *facts) goModuleVersion(path string) (version, source string) {
	needle := "dep\t" + path + "\t"
	where := f.text.find([]byte(needle), func(at []byte) bool {
		line, rest, _ := strings.Cut(string(at[len(needle):min(len(at), len(needle)+400)]), "\n")
		version = versionToken(line, "\t")
		if repl, ok := strings.CutPrefix(rest, "=>\t"); ok {
			rpath, rver, _ := strings.Cut(repl, "\t")
			version = versionToken(rver, "\t\n")
			source = fmt.Sprintf(" (replaced by %s %s)", rpath, version)
		}
		return version != ""
	})
	if where != "" {
		return version, fmt.Sprintf("Go build information in %s: dep %s %s%s", where, path, version, source)
	}
	needle = path + "@"
	where = f.text.find([]byte(needle), func(at []byte) bool {
		version = versionToken(string(at[len(needle):min(len(at), len(needle)+80)]), "/")
		return version != ""
	})
	if where != "" {
		return version, fmt.Sprintf("module path %s@%s in %s", path, version, where)
	}
	return "", ""
}

// cargoVersion reads a crate's version from a Cargo registry path
// ("…/proxy-wasm-0.2.1/src/dispatcher.rs").
func (f *facts) cargoVersion(crate string) (version, source string) {
	needle := "/" + crate + "-"
	where := f.text.find([]byte(needle), func(at []byte) bool {
		rest := string(at[len(needle):min(len(at), len(needle)+40)])
		version = versionToken(rest, "/")
		return version != "" && strings.HasPrefix(rest[len(version):], "/src/")
	})
	if where == "" {
		return "", ""
	}
	return version, fmt.Sprintf("Cargo path %s%s/src in %s", crate+"-", version, where)
}
