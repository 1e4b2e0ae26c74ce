package sse

import (
	"bytes"
	"errors"
	"testing"
	"testing/iotest"
)

// FuzzDecoder checks that for arbitrary input the decoder neither panics
// nor hangs, that it agrees with the simple reference implementation, and
// that the events are identical whether the input is fed whole, one byte
// at a time, or in chunks derived from the input itself.
func FuzzDecoder(f *testing.F) {
	f.Add([]byte(assistantsStream))
	f.Add([]byte("data: a\r\n\r\ndata: b\r\r"))
	f.Fuzz(func(t *testing.T, in []byte) {
		sizes := in
		if len(sizes) == 0 {
			sizes = []byte{1}
		}
		i := 0
		for _, limit := range []int{0, 64} {
			want, wantErr := refDecode(in, limit)
			for name, r := range map[string]interface{ Read([]byte) (int, error) }{
				"whole":   bytes.NewReader(in),
				"onebyte": iotest.OneByteReader(bytes.NewReader(in)),
				"chunks": &chunkReader{data: in, next: func() int {
					i++
					return int(sizes[i%len(sizes)]%17) + 1
				}},
			} {
				got, err := decodeAll(r, limit)
				if diff := sameResult(got, err, want, wantErr); diff != "" {
					t.Fatalf("limit %d, %s: %s", limit, name, diff)
				}
				if err != nil && !errors.Is(err, ErrEventTooLarge) {
					t.Fatalf("unexpected error %v", err)
				}
				for _, e := range got {
					if bytes.IndexByte(e.Data, '\r') >= 0 || bytes.ContainsAny([]byte(e.Type+e.ID), "\r\n") ||
						bytes.IndexByte([]byte(e.ID), 0) >= 0 {
						t.Fatalf("line terminator or NUL leaked into %s", fmtEvent(e))
					}
				}
			}
		}
	})
}
