package main

import (
	"bytes"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a buffer written by the progress goroutine and read by
// the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestProgress(t *testing.T) {
	onTerminal := func(io.Writer) bool { return true }
	// A run shorter than the delay shows nothing.
	var quick syncBuffer
	p := (&command{stderr: &quick, isTerminal: onTerminal}).startProgress(3)
	p.done()
	p.stop()
	if quick.String() != "" {
		t.Errorf("a quick run printed %q", quick.String())
	}
	// Off a terminal, nothing either.
	var off syncBuffer
	defer func(d, e time.Duration) { progressDelay, progressEvery = d, e }(progressDelay, progressEvery)
	progressDelay, progressEvery = 0, time.Millisecond
	p = (&command{stderr: &off, isTerminal: func(io.Writer) bool { return false }}).startProgress(3)
	p.done()
	p.stop()
	if off.String() != "" {
		t.Errorf("off a terminal: %q", off.String())
	}
	// A long run rewrites one line, then clears it.
	var slow syncBuffer
	p = (&command{stderr: &slow, isTerminal: onTerminal}).startProgress(2)
	p.done()
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(slow.String(), "\rwasmlint: 1/2 inputs linted"); {
		if time.Now().After(deadline) {
			t.Fatalf("no progress line: %q", slow.String())
		}
		time.Sleep(time.Millisecond)
	}
	p.stop()
	if out := slow.String(); !strings.HasSuffix(out, "\r\x1b[K") || strings.Contains(out, "\n") {
		t.Errorf("progress output %q: want \\r-rewritten lines, cleared at the end", out)
	}
}
