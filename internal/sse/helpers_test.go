package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

// decodeAll decodes every event from r with the given size limit (<= 0 for
// the default), copying each event's Data.
func decodeAll(r io.Reader, limit int) ([]Event, error) {
	d := NewDecoder(r)
	d.SetMaxEventSize(limit)
	var evs []Event
	for d.Next() {
		ev := d.Event()
		ev.Data = append([]byte{}, ev.Data...)
		evs = append(evs, ev)
	}
	if d.Next() {
		return evs, errors.New("Next returned true after returning false")
	}
	return evs, d.Err()
}

// chunkReader returns its data in chunks whose sizes come from next.
type chunkReader struct {
	data []byte
	next func() int
}

func (c *chunkReader) Read(p []byte) (int, error) {
	if len(c.data) == 0 {
		return 0, io.EOF
	}
	n := min(c.next(), len(p), len(c.data))
	copy(p, c.data[:n])
	c.data = c.data[n:]
	return n, nil
}

// randomChunks returns a reader producing data in random-sized chunks
// (including empty reads) from a seeded generator.
func randomChunks(data []byte, seed int64, maxChunk int) io.Reader {
	rng := rand.New(rand.NewSource(seed))
	return &chunkReader{data: data, next: func() int { return rng.Intn(maxChunk + 1) }}
}

// fedReader describes one way of feeding a stream to the decoder.
type fedReader struct {
	name string
	mk   func([]byte) io.Reader
}

// feeders returns the set of chunkings every table case is run with.
func feeders() []fedReader {
	fs := []fedReader{
		{"whole", func(b []byte) io.Reader { return bytes.NewReader(b) }},
		{"onebyte", func(b []byte) io.Reader { return iotest.OneByteReader(bytes.NewReader(b)) }},
		{"onebyte-dataerr", func(b []byte) io.Reader {
			return iotest.DataErrReader(iotest.OneByteReader(bytes.NewReader(b)))
		}},
		{"half", func(b []byte) io.Reader { return iotest.HalfReader(bytes.NewReader(b)) }},
	}
	for seed := int64(1); seed <= 6; seed++ {
		maxChunk := []int{2, 3, 7, 16, 100, 5000}[seed-1]
		fs = append(fs, fedReader{fmt.Sprintf("random-seed%d-max%d", seed, maxChunk), func(b []byte) io.Reader {
			return randomChunks(b, seed, maxChunk)
		}})
	}
	return fs
}

// refDecode is a deliberately simple reference implementation of the
// WHATWG event stream interpretation (plus this package's size limit) that
// works on the whole input at once.
func refDecode(in []byte, limit int) ([]Event, error) {
	if limit <= 0 {
		limit = DefaultMaxEventSize
	}
	in = bytes.TrimPrefix(in, []byte("\xEF\xBB\xBF"))
	var (
		evs     []Event
		data    []byte
		typ, id string
		retry   = -1
		size    int
	)
	for len(in) > 0 {
		i := 0
		for i < len(in) && in[i] != '\r' && in[i] != '\n' {
			i++
		}
		if size+i > limit {
			return evs, &SizeError{Limit: limit}
		}
		if i == len(in) {
			break // unterminated final line: dropped
		}
		line := string(in[:i])
		if in[i] == '\r' && i+1 < len(in) && in[i+1] == '\n' {
			in = in[i+2:]
		} else {
			in = in[i+1:]
		}
		if line == "" {
			size = 0
			if len(data) > 0 {
				evs = append(evs, Event{Type: typ, Data: data[:len(data)-1], ID: id, Retry: retry})
			}
			data, typ, retry = nil, "", -1
			continue
		}
		size += len(line)
		if line[0] == ':' {
			continue
		}
		field, value, _ := strings.Cut(line, ":")
		value = strings.TrimPrefix(value, " ")
		switch field {
		case "event":
			typ = value
		case "data":
			data = append(data, value+"\n"...)
		case "id":
			if !strings.Contains(value, "\x00") {
				id = value
			}
		case "retry":
			if value != "" && strings.Trim(value, "0123456789") == "" {
				n, err := strconv.Atoi(value)
				if err != nil {
					n = math.MaxInt
				}
				retry = n
			}
		}
	}
	return evs, nil
}

// sameResult compares two decode results, reporting a description of the
// first difference or "".
func sameResult(gotEvs []Event, gotErr error, wantEvs []Event, wantErr error) string {
	if len(gotEvs) != len(wantEvs) {
		return fmt.Sprintf("got %d events, want %d\n got: %s\nwant: %s", len(gotEvs), len(wantEvs), fmtEvents(gotEvs), fmtEvents(wantEvs))
	}
	for i := range gotEvs {
		g, w := gotEvs[i], wantEvs[i]
		if g.Type != w.Type || g.ID != w.ID || g.Retry != w.Retry || !bytes.Equal(g.Data, w.Data) || (g.Data == nil) != (w.Data == nil) {
			return fmt.Sprintf("event %d: got %s, want %s", i, fmtEvent(g), fmtEvent(w))
		}
	}
	var gs, ws *SizeError
	switch {
	case wantErr == nil && gotErr == nil:
	case errors.As(wantErr, &ws):
		if !errors.As(gotErr, &gs) || gs.Limit != ws.Limit {
			return fmt.Sprintf("got error %v, want %v", gotErr, wantErr)
		}
	case !errors.Is(gotErr, wantErr):
		return fmt.Sprintf("got error %v, want %v", gotErr, wantErr)
	}
	return ""
}

func fmtEvent(e Event) string {
	return fmt.Sprintf("{Type:%q Data:%q ID:%q Retry:%d}", e.Type, e.Data, e.ID, e.Retry)
}

func fmtEvents(evs []Event) string {
	var sb strings.Builder
	for _, e := range evs {
		sb.WriteString(fmtEvent(e))
		sb.WriteString(" ")
	}
	return sb.String()
}

// checkAllFeeds decodes in with every feeder and requires the result to be
// want/wantErr.
func checkAllFeeds(t *testing.T, in []byte, limit int, want []Event, wantErr error) {
	t.Helper()
	for _, f := range feeders() {
		evs, err := decodeAll(f.mk(in), limit)
		if diff := sameResult(evs, err, want, wantErr); diff != "" {
			t.Errorf("%s: %s", f.name, diff)
		}
	}
}
