//go:build !unix

package main

import (
	"errors"
	"os"
)

// mapFile is not available here; read falls back to one read of the file.
func mapFile(*os.File, int64) ([]byte, func(), error) {
	return nil, nil, errors.New("memory maps are not supported on this system")
}
