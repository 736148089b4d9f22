package wasm

import "fmt"

// ErrorKind classifies a decode failure.
type ErrorKind int

const (
	// Malformed: the bytes start like a core module but do not decode.
	Malformed ErrorKind = iota
	// NotWasm: the file does not start with the Wasm magic "\0asm".
	NotWasm
	// Component: the file is a Wasm component (component-model layer), not a
	// core module.
	Component
	// UnknownVersion: the magic is right but the version is neither a core
	// module (1) nor a known component encoding.
	UnknownVersion
)

// DecodeError is a decode failure at a byte offset.
type DecodeError struct {
	Kind   ErrorKind
	Offset uint32
	// Context names where the decoder was ("import section entry 3").
	Context string
	Msg     string
}

func (e *DecodeError) Error() string {
	if e.Kind == NotWasm {
		return e.Msg
	}
	if e.Context != "" {
		return fmt.Sprintf("%s at offset %#x: %s", e.Context, e.Offset, e.Msg)
	}
	return fmt.Sprintf("at offset %#x: %s", e.Offset, e.Msg)
}
