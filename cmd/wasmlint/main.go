// Command wasmlint checks Proxy-Wasm filter modules against the ABI and a
// host profile, and says whether they will load and run, and why not.
package main

import (
	"io"
	"os"
	"runtime/debug"
)

func main() {
	// A run is short and its live heap small (the facts of the inputs in
	// flight): collect garbage less often. GOGC, when set, still wins.
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(400)
	}
	c := &command{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, env: os.Getenv, isTerminal: isTerminal}
	os.Exit(c.run(os.Args[1:]))
}

// isTerminal reports whether w is a character device (a terminal), the
// only place the text output is coloured.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
