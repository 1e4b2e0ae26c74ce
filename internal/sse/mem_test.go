package sse

import (
	"os"
	"runtime"
	"strings"
	"testing"
)

// genBlock is one repetition of the generated stream: a mix of realistic
// Assistants events, comments, CRLF and CR framing, and an event with a
// line longer than the read buffer.
func genBlock() (block []byte, events int) {
	var sb strings.Builder
	sb.WriteString("event: thread.run.created\ndata: {\"id\":\"run_1\",\"object\":\"thread.run\",\"status\":\"queued\"}\n\n")
	sb.WriteString(": keep-alive\n\n")
	events++
	for i := range 1000 {
		sb.WriteString("event: thread.message.delta\ndata: " + deltaJSON(i) + "\n\n")
		events++
	}
	sb.WriteString("event: thread.run.step.delta\r\nid: step_1\r\ndata: {\"a\":1}\r\ndata: {\"b\":2}\r\n\r\n")
	events++
	sb.WriteString("event: thread.message.completed\rdata: " + strings.Repeat("x", 80<<10) + "\r\r")
	events++
	return []byte(sb.String()), events
}

// genReader produces whole blocks until at least size bytes were produced,
// without materializing the stream.
func genReader(size int64) (r *repeatReader, total int64, events int) {
	block, perBlock := genBlock()
	n := (size + int64(len(block)) - 1) / int64(len(block))
	return &repeatReader{body: block, n: n}, n * int64(len(block)), int(n) * perBlock
}

func TestConstantMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 256 MiB generated stream")
	}
	size := int64(256 << 20)
	if raceEnabled {
		size = 32 << 20
	}
	if os.Getenv("SSE_BIG") != "" {
		size = 1 << 30
	}
	r, total, want := genReader(size)

	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	startAlloc, startMallocs := ms.TotalAlloc, ms.Mallocs
	peak := base

	d := NewDecoder(r)
	n := 0
	for d.Next() {
		n++
		if n%(1<<14) == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	if err := d.Err(); err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&ms)
	peak = max(peak, ms.HeapInuse)
	if n != want {
		t.Fatalf("decoded %d events, want %d", n, want)
	}
	t.Logf("decoded %d MiB, %d events: HeapInuse base %.2f MiB, peak %.2f MiB; TotalAlloc %.2f MiB, %d mallocs",
		total>>20, n, float64(base)/(1<<20), float64(peak)/(1<<20),
		float64(ms.TotalAlloc-startAlloc)/(1<<20), ms.Mallocs-startMallocs)
	if peak > 16<<20 {
		t.Errorf("peak HeapInuse %.2f MiB, want < 16 MiB", float64(peak)/(1<<20))
	}
}
