package toolchain

import "testing"

func TestRelease(t *testing.T) {
	for in, want := range map[string]string{
		"1.79.0 (129f3b996 2024-06-10)": "1.79.0", "1.65.0-nightly (20ffea693)": "1.65.0-nightly",
		"19.1.5-wasi-sdk (https://x)": "19.1.5-wasi-sdk", "10.0.1-++2020+ef3-1~exp1": "10.0.1",
		"0.28.1": "0.28.1", "": "", "nightly": "", "14.": "14",
	} {
		if got := release(in); got != want {
			t.Errorf("release(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionToken(t *testing.T) {
	for _, tc := range []struct{ in, stop, want string }{
		{"v0.24.0\th1:x", "\t", "v0.24.0"},
		{"v0.0.0-20250212164326-ab4161dcf924\th1", "\t", "v0.0.0-20250212164326-ab4161dcf924"},
		{"0.2.1/src/lib.rs", "/", "0.2.1"},
		{"zig-sdk/src", "/", ""},
		{"1.2 é", " ", "1.2"},
		{"1.2é/", "/", ""},
	} {
		if got := versionToken(tc.in, tc.stop); got != tc.want {
			t.Errorf("versionToken(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestHasLocalNames(t *testing.T) {
	for _, tc := range []struct {
		payload []byte
		want    bool
	}{
		{[]byte{1, 3, 1, 0, 0, 2, 1, 0}, true},       // function names, then local names
		{[]byte{0, 2, 1, 'm', 1, 3, 1, 0, 0}, false}, // module and function names
		{[]byte{1, 9, 1}, false},                     // truncated
		{nil, false},
	} {
		if got := hasLocalNames(tc.payload); got != tc.want {
			t.Errorf("hasLocalNames(%v) = %v", tc.payload, got)
		}
	}
}

func TestIsCamelCallback(t *testing.T) {
	for name, want := range map[string]bool{
		"proxy_onStart": true, "_proxy_onRequestHeaders": true, "proxy_validateConfiguration": true,
		"proxy_on_vm_start": false, "proxy_on_": false, "proxy_log": false,
	} {
		if got := isCamelCallback(name); got != want {
			t.Errorf("isCamelCallback(%q) = %v", name, got)
		}
	}
}
