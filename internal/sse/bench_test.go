package sse

import (
	"bytes"
	"fmt"
	"io"
	"testing"
)

var words = []string{"The", " quick", " brown", " fox", " jumps", " over", " the", " lazy", " dog", ".", " Über", " naïve", " café", " 日本語", " 🙂"}

// deltaJSON returns a realistic thread.message.delta payload (~150 bytes).
func deltaJSON(i int) string {
	return fmt.Sprintf(`{"id":"msg_7pKq2XvR9sT4wY1zB3nC5dF8","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":%q,"annotations":[]}}]}}`,
		words[i%len(words)])
}

// deltaStream returns a stream of n thread.message.delta events, framed
// with the given line terminator.
func deltaStream(n int, eol string) []byte {
	var b bytes.Buffer
	for i := range n {
		b.WriteString("event: thread.message.delta" + eol + "data: " + deltaJSON(i) + eol + eol)
	}
	return b.Bytes()
}

func benchDecode(b *testing.B, stream []byte, events int, mk func([]byte) io.Reader) {
	b.ReportAllocs()
	b.SetBytes(int64(len(stream)))
	for range b.N {
		d := NewDecoder(mk(stream))
		n := 0
		for d.Next() {
			n++
		}
		if d.Err() != nil || n != events {
			b.Fatalf("decoded %d events, err %v", n, d.Err())
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*events), "ns/event")
}

// BenchmarkDecode decodes 10,000 thread.message.delta events per op. The
// allocations per op are the per-decoder setup (decoder, read buffer, data
// buffer, type intern map); per event they are zero.
func BenchmarkDecode(b *testing.B) {
	const events = 10000
	lf := deltaStream(events, "\n")
	crlf := deltaStream(events, "\r\n")
	whole := func(s []byte) io.Reader { return bytes.NewReader(s) }
	b.Run("LF", func(b *testing.B) { benchDecode(b, lf, events, whole) })
	b.Run("CRLF", func(b *testing.B) { benchDecode(b, crlf, events, whole) })
	b.Run("LF-1KiB-reads", func(b *testing.B) {
		benchDecode(b, lf, events, func(s []byte) io.Reader {
			return &chunkReader{data: s, next: func() int { return 1024 }}
		})
	})
}

// BenchmarkNext measures one op = one event on a long-lived decoder, so
// allocs/op is the steady-state allocations per event.
func BenchmarkNext(b *testing.B) {
	body := deltaStream(64, "\n")
	d := NewDecoder(&loopReader{body: body})
	for range 1000 { // warm up: allocate the buffers once
		d.Next()
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(body) / 64))
	b.ResetTimer()
	for range b.N {
		if !d.Next() {
			b.Fatal(d.Err())
		}
	}
}
