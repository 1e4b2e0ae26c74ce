// Package sse decodes the Server-Sent Events wire format (text/event-stream)
// as specified by the WHATWG HTML Living Standard, section "Server-sent
// events", subsection "Interpreting an event stream".
//
// The package only handles framing: line splitting (LF, CR and CRLF, even when
// a CRLF pair is split across reads), the optional leading UTF-8 byte order
// mark, comments, the "event", "data", "id" and "retry" fields, and event
// dispatch on blank lines. It knows nothing about JSON or about the OpenAI
// Assistants API; the payload of each event is handed to the caller as raw
// bytes, without any UTF-8 decoding or validation.
//
// A [Decoder] works in constant memory for streams of any length: it reuses
// its buffers, bounds the size of a single event with
// [Decoder.SetMaxEventSize], and allocates nothing per event in steady state
// (event type names are interned and the data buffer is reused).
package sse

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
)

// Event is one dispatched Server-Sent Event.
//
// Data is owned by the [Decoder] and is valid only until the next call to
// [Decoder.Next], like [bufio.Scanner.Bytes]; callers that keep it must copy
// it.
type Event struct {
	// Type is the value of the event's "event" field, or "" when the
	// event had none. Callers should treat "" as "message".
	Type string
	// Data holds the values of the event's "data" lines joined with "\n",
	// without a trailing newline. It is never nil for a dispatched event,
	// but may be empty (for example for a lone "data" line).
	Data []byte
	// ID is the last event ID seen on the stream so far (the WHATWG "last
	// event ID buffer"), which persists across events; "" if none.
	ID string
	// Retry is the reconnection time in milliseconds from a valid "retry"
	// field of this event, or -1 if the event had none.
	Retry int
}

// DefaultMaxEventSize is the maximum size of one event used when
// [Decoder.SetMaxEventSize] is not called or is called with n <= 0.
// See [Decoder.SetMaxEventSize] for how the size of an event is measured.
const DefaultMaxEventSize = 64 << 20

// ErrEventTooLarge is matched, via [errors.Is], by the [*SizeError] returned
// from [Decoder.Err] when an event or a line exceeds the maximum event size.
var ErrEventTooLarge = errors.New("sse: event too large")

// SizeError reports that an event exceeded the decoder's maximum event size.
// errors.Is(err, ErrEventTooLarge) reports true for a *SizeError.
type SizeError struct {
	// Limit is the maximum event size, in bytes, that was exceeded.
	Limit int
}

// Error implements the error interface.
func (e *SizeError) Error() string {
	return "sse: event exceeds the maximum size of " + strconv.Itoa(e.Limit) +
		" bytes (raise it with Decoder.SetMaxEventSize)"
}

// Is reports whether target is [ErrEventTooLarge].
func (e *SizeError) Is(target error) bool { return target == ErrEventTooLarge }

const (
	// minBufSize and bufSize are the initial and maximum sizes of the
	// read buffer.
	minBufSize = 4 << 10
	bufSize    = 64 << 10
	// keepCap is the largest capacity of the data or line buffer that is
	// kept after an event; bigger buffers are released so that one huge
	// event does not pin its memory for the rest of the stream.
	keepCap = 4 << 20
	// maxInterned bounds the number of distinct event type names that
	// are interned, and maxInternLen the length of an interned name.
	maxInterned  = 64
	maxInternLen = 128
	// maxEmptyReads is the number of consecutive (0, nil) reads after
	// which the decoder gives up with io.ErrNoProgress.
	maxEmptyReads = 100
	// unknown marks a cached line-terminator position as not yet searched.
	unknown = -2
)

var bom = [3]byte{0xEF, 0xBB, 0xBF}

var errInvalidRead = errors.New("sse: reader returned an invalid byte count")

// Decoder reads Server-Sent Events from an [io.Reader].
//
// Use it like [bufio.Scanner]:
//
//	d := sse.NewDecoder(r)
//	for d.Next() {
//		ev := d.Event()
//		// use ev.Type, ev.Data, ev.ID
//	}
//	if err := d.Err(); err != nil {
//		// handle err
//	}
//
// A Decoder is not safe for concurrent use.
type Decoder struct {
	rd   io.Reader
	rerr error // sticky error from rd, returned once buf is drained

	buf  []byte // read buffer; buf[r:w] is unconsumed
	r, w int
	full bool // the last read filled buf
	// lf and cr cache the absolute position in buf of the next '\n' and
	// '\r' at or after r: unknown, -1 for none before w, or an index.
	lf, cr int

	line    []byte // accumulates a line that spans several reads
	skipLF  bool   // previous line ended in '\r': drop a leading '\n'
	bomDone bool   // the leading byte order mark has been dealt with
	bomN    int    // bytes of a byte order mark matched so far

	max    int // maximum event size; <= 0 means DefaultMaxEventSize
	evSize int // bytes of the current event's lines read so far

	data    []byte            // data buffer
	typ     string            // event type buffer
	id      string            // last event ID buffer
	retry   int               // retry of the current event, or -1
	reconn  int               // last valid retry on the stream, or -1
	types   map[string]string // interned event types
	lastTyp string            // most recently interned event type

	cur  Event
	err  error
	done bool
}

// NewDecoder returns a Decoder that reads an event stream from r.
// The Decoder does its own buffering; r need not be buffered.
func NewDecoder(r io.Reader) *Decoder {
	return &Decoder{
		rd:     r,
		lf:     unknown,
		cr:     unknown,
		retry:  -1,
		reconn: -1,
		cur:    Event{Retry: -1},
	}
}

// SetMaxEventSize sets the maximum size of one event to n bytes; n <= 0
// restores [DefaultMaxEventSize]. The size of an event is the total length
// of all its lines (field and comment lines since the previous blank line),
// not counting line terminators or a leading byte order mark. This also
// bounds the length of any single line and of the event's data. When the
// limit is exceeded, [Decoder.Next] returns false and [Decoder.Err] returns
// a [*SizeError]; this also happens for an oversized unterminated final
// event, which would otherwise be discarded, so that the outcome does not
// depend on how the input is split into reads.
func (d *Decoder) SetMaxEventSize(n int) { d.max = n }

func (d *Decoder) limit() int {
	if d.max <= 0 {
		return DefaultMaxEventSize
	}
	return d.max
}

// Next advances to the next dispatched event, which is then available from
// [Decoder.Event]. It returns false when the stream ends or an error occurs;
// [Decoder.Err] tells which. Per the specification, an event that is not
// terminated by a blank line before the end of the stream is discarded.
func (d *Decoder) Next() bool {
	d.cur = Event{Retry: -1}
	if d.done {
		return false
	}
	if cap(d.data) > keepCap {
		d.data = nil
	}
	if cap(d.line) > keepCap {
		d.line = nil
	}
	for {
		line, err := d.readLine()
		if err != nil {
			d.done = true
			if err != io.EOF {
				d.err = err
			}
			return false
		}
		if len(line) == 0 {
			if d.dispatch() {
				return true
			}
			continue
		}
		d.processLine(line)
	}
}

// Event returns the event found by the last call to [Decoder.Next] that
// returned true. Its Data is valid only until the next call to Next.
func (d *Decoder) Event() Event { return d.cur }

// Err returns the error that ended decoding: nil if the stream ended cleanly
// at EOF, a [*SizeError] if an event was too large, or otherwise the error
// returned by the underlying reader, wrapped so that [errors.Is] and
// [errors.As] see it.
func (d *Decoder) Err() error { return d.err }

// LastEventID returns the last event ID buffer: the value of the last valid
// "id" field seen on the stream, whether or not its event was dispatched.
// It is what a client sends as Last-Event-ID when reconnecting.
func (d *Decoder) LastEventID() string { return d.id }

// Retry returns the reconnection time in milliseconds set by the last valid
// "retry" field seen on the stream, whether or not its event was dispatched,
// or -1 if there was none.
func (d *Decoder) Retry() int { return d.reconn }

// dispatch handles a blank line. It reports whether an event was dispatched.
func (d *Decoder) dispatch() bool {
	if len(d.data) == 0 {
		d.typ = ""
		d.retry = -1
		return false
	}
	n := len(d.data) - 1 // strip the trailing "\n"
	d.cur = Event{Type: d.typ, Data: d.data[:n:n], ID: d.id, Retry: d.retry}
	d.data = d.data[:0]
	d.typ = ""
	d.retry = -1
	return true
}

// processLine handles one non-blank line.
func (d *Decoder) processLine(line []byte) {
	if line[0] == ':' {
		return // comment
	}
	field, value := line, []byte(nil)
	if i := bytes.IndexByte(line, ':'); i >= 0 {
		field, value = line[:i], line[i+1:]
		if len(value) > 0 && value[0] == ' ' {
			value = value[1:]
		}
	}
	switch string(field) {
	case "event":
		d.typ = d.intern(value)
	case "data":
		// len(value)+1 <= len(line), so the buffer never exceeds the limit.
		d.data = appendCapped(d.data, value, '\n', d.limit())
	case "id":
		if bytes.IndexByte(value, 0) < 0 && string(value) != d.id {
			d.id = string(value)
		}
	case "retry":
		if n, ok := parseRetry(value); ok {
			d.retry = n
			d.reconn = n
		}
	}
}

// parseRetry parses a non-empty run of ASCII digits, saturating at
// math.MaxInt.
func parseRetry(b []byte) (int, bool) {
	if len(b) == 0 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v := int(c - '0')
		if n > (math.MaxInt-v)/10 {
			n = math.MaxInt
		} else {
			n = n*10 + v
		}
	}
	return n, true
}

// intern returns b as a string, reusing a previous string with the same
// bytes when possible so that repeated event types do not allocate.
func (d *Decoder) intern(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	if string(b) == d.lastTyp {
		return d.lastTyp
	}
	if s, ok := d.types[string(b)]; ok {
		d.lastTyp = s
		return s
	}
	s := string(b)
	if len(s) <= maxInternLen {
		if d.types == nil {
			d.types = make(map[string]string)
		}
		if len(d.types) < maxInterned {
			d.types[s] = s
		}
	}
	d.lastTyp = s
	return s
}

// readLine returns the next line without its terminator. The result is
// valid until the next call. At the end of the stream it returns io.EOF
// (an unterminated final line is dropped) or the read error.
func (d *Decoder) readLine() ([]byte, error) {
	d.line = d.line[:0]
	limit := d.limit()
	for {
		if d.r == d.w {
			if err := d.fill(); err != nil {
				if !d.bomDone {
					d.bomDone = true
					d.line = append(d.line, bom[:d.bomN]...)
				}
				if d.evSize+len(d.line) > limit {
					return nil, &SizeError{Limit: limit}
				}
				return nil, err
			}
		}
		if !d.bomDone {
			d.scanBOM()
			if d.r == d.w {
				continue
			}
		}
		if d.skipLF {
			d.skipLF = false
			if d.buf[d.r] == '\n' {
				d.r++
				if d.r == d.w {
					continue
				}
			}
		}
		end := d.findEOL()
		if end < 0 {
			// The rest of the buffer is part of a longer line.
			if d.evSize+len(d.line)+(d.w-d.r) > limit {
				return nil, &SizeError{Limit: limit}
			}
			d.line = appendCapped(d.line, d.buf[d.r:d.w], -1, limit)
			d.r = d.w
			continue
		}
		line := d.buf[d.r:end]
		d.skipLF = d.buf[end] == '\r'
		d.r = end + 1
		if d.evSize+len(d.line)+len(line) > limit {
			return nil, &SizeError{Limit: limit}
		}
		if len(d.line) > 0 {
			d.line = appendCapped(d.line, line, -1, limit)
			line = d.line
		}
		if len(line) == 0 {
			d.evSize = 0
		} else {
			d.evSize += len(line)
		}
		return line, nil
	}
}

// appendCapped appends src and then, if c >= 0, the byte c to dst. When dst
// must grow, its capacity is not grown beyond limit unless that is needed.
func appendCapped(dst, src []byte, c int, limit int) []byte {
	n := len(dst) + len(src)
	if c >= 0 {
		n++
	}
	if n > cap(dst) {
		nc := min(max(2*cap(dst), n, 512), max(limit, n))
		nd := make([]byte, len(dst), nc)
		copy(nd, dst)
		dst = nd
	}
	dst = append(dst, src...)
	if c >= 0 {
		dst = append(dst, byte(c))
	}
	return dst
}

// scanBOM consumes a leading byte order mark, which may arrive split across
// reads. Bytes that turn out not to be one are moved to the line buffer.
func (d *Decoder) scanBOM() {
	for d.r < d.w {
		if d.buf[d.r] != bom[d.bomN] {
			d.bomDone = true
			d.line = append(d.line, bom[:d.bomN]...)
			return
		}
		d.r++
		d.bomN++
		if d.bomN == len(bom) {
			d.bomDone = true
			return
		}
	}
}

// findEOL returns the index in buf of the first '\n' or '\r' in buf[r:w],
// or -1. Positions are cached so that a stream using only one of the two
// terminators is not rescanned for the other on every line.
func (d *Decoder) findEOL() int {
	if d.lf == unknown || (d.lf >= 0 && d.lf < d.r) {
		if i := bytes.IndexByte(d.buf[d.r:d.w], '\n'); i >= 0 {
			d.lf = d.r + i
		} else {
			d.lf = -1
		}
	}
	if d.cr == unknown || (d.cr >= 0 && d.cr < d.r) {
		end := d.w
		if d.lf >= 0 {
			end = d.lf // only a '\r' before the '\n' matters
		}
		if i := bytes.IndexByte(d.buf[d.r:end], '\r'); i >= 0 {
			d.cr = d.r + i
		} else if d.lf >= 0 {
			d.cr = unknown // not searched past the '\n'
		} else {
			d.cr = -1
		}
	}
	switch {
	case d.cr >= 0 && (d.lf < 0 || d.cr < d.lf):
		return d.cr
	default:
		return d.lf
	}
}

// fill reads more data into the empty buffer. It returns io.EOF or the
// (wrapped) read error once no data is left.
func (d *Decoder) fill() error {
	d.r, d.w = 0, 0
	d.lf, d.cr = unknown, unknown
	if d.rerr != nil {
		return d.rerr
	}
	// Start small so short streams stay cheap, and double up to bufSize
	// while reads keep filling the whole buffer.
	if d.buf == nil {
		d.buf = make([]byte, minBufSize)
	} else if d.full && len(d.buf) < bufSize {
		d.buf = make([]byte, min(2*len(d.buf), bufSize))
	}
	for range maxEmptyReads {
		n, err := d.rd.Read(d.buf)
		if n < 0 || n > len(d.buf) {
			d.rerr = errInvalidRead
			return d.rerr
		}
		d.w = n
		d.full = n == len(d.buf)
		if err != nil {
			if err == io.EOF {
				d.rerr = io.EOF
			} else {
				d.rerr = fmt.Errorf("sse: reading event stream: %w", err)
			}
		}
		if n > 0 {
			return nil
		}
		if d.rerr != nil {
			return d.rerr
		}
	}
	d.rerr = io.ErrNoProgress
	return d.rerr
}
