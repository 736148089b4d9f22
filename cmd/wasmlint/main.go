// Command wasmlint checks Proxy-Wasm filter modules against the ABI and a
// host profile, and says whether they will load and run, and why not.
package main

import "os"

func main() {
	os.Exit((&command{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, env: os.Getenv}).run(os.Args[1:]))
}
