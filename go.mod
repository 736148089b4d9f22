module github.com/wasmlint/wasmlint

go 1.26.8

require (
	github.com/owenrumney/go-sarif/v2 v2.3.3
	github.com/spf13/pflag v1.1.0
	github.com/tetratelabs/wabin v0.0.0-20230304001439-f6f874872834
	github.com/tetratelabs/wazero v1.12.0
)

require golang.org/x/sys v0.44.0 // indirect
