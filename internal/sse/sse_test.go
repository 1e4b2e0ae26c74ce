package sse

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math"
	"strings"
	"testing"
	"testing/iotest"
)

// ev builds an expected event.
func ev(typ, data, id string, retry int) Event {
	return Event{Type: typ, Data: []byte(data), ID: id, Retry: retry}
}

// msg builds an expected event with only data.
func msg(data string) Event { return ev("", data, "", -1) }

type decodeCase struct {
	name    string
	in      string
	limit   int // 0 means the default
	want    []Event
	wantErr error
}

var longLine = strings.Repeat("0123456789abcdef", 200<<10/16) // 200 KiB, longer than the read buffer

var decodeCases = []decodeCase{
	// Line endings.
	{name: "lf", in: "event: a\ndata: 1\n\n", want: []Event{ev("a", "1", "", -1)}},
	{name: "cr", in: "event: a\rdata: 1\r\r", want: []Event{ev("a", "1", "", -1)}},
	{name: "crlf", in: "event: a\r\ndata: 1\r\n\r\n", want: []Event{ev("a", "1", "", -1)}},
	{name: "mixed", in: "data: 1\r\ndata: 2\rdata: 3\n\r\ndata: 4\r\r\n", want: []Event{msg("1\n2\n3"), msg("4")}},
	{name: "crlf then lf", in: "data: x\r\n\n", want: []Event{msg("x")}},
	{name: "lf then cr is two endings", in: "data: a\n\rdata: b\n\n", want: []Event{msg("a"), msg("b")}},
	{name: "cr cr lf", in: "data: a\r\r\ndata: b\r\r", want: []Event{msg("a"), msg("b")}},
	{name: "crlf crlf sequence", in: "data: a\r\n\r\ndata: b\r\n\r\n", want: []Event{msg("a"), msg("b")}},
	{name: "leading blank lines", in: "\n\r\n\r\ndata: a\n\n", want: []Event{msg("a")}},
	{name: "only blank lines", in: "\n\n\r\n\r\r"},
	{name: "empty stream", in: ""},

	// Comments.
	{name: "comments", in: ": hello\ndata: x\n: mid\n\n", want: []Event{msg("x")}},
	{name: "comment only block", in: ":\n\n: ping\n\n"},
	{name: "comment looks like field", in: ":data: x\n\n"},

	// Data.
	{name: "multi-line data", in: "data: a\ndata: b\ndata: c\n\n", want: []Event{msg("a\nb\nc")}},
	{name: "data without colon", in: "data\n\n", want: []Event{msg("")}},
	{name: "data with empty value", in: "data:\n\n", want: []Event{msg("")}},
	{name: "two empty data lines", in: "data\ndata:\n\n", want: []Event{msg("\n")}},
	{name: "empty then value", in: "data:\ndata: a\n\n", want: []Event{msg("\na")}},
	{name: "trailing empty data line", in: "data: a\ndata\n\n", want: []Event{msg("a\n")}},
	{name: "one leading space stripped", in: "data:  two\n\n", want: []Event{msg(" two")}},
	{name: "no space", in: "data:x\n\n", want: []Event{msg("x")}},
	{name: "tab not stripped", in: "data:\tx\n\n", want: []Event{msg("\tx")}},
	{name: "trailing spaces kept", in: "data: x  \n\n", want: []Event{msg("x  ")}},
	{name: "only a space", in: "data: \n\n", want: []Event{msg("")}},
	{name: "colons in value", in: "data: a:b: c\n\n", want: []Event{msg("a:b: c")}},
	{name: "nul in data", in: "data: a\x00b\n\n", want: []Event{msg("a\x00b")}},
	{name: "done frame", in: "data: {\"a\":1}\n\ndata: [DONE]\n\n", want: []Event{msg(`{"a":1}`), msg("[DONE]")}},
	{name: "long line over buffer", in: "data: " + longLine + "\n\n", want: []Event{msg(longLine)}},
	{name: "long multi-line", in: "data: " + longLine + "\r\ndata: " + longLine + "\r\n\r\n", want: []Event{msg(longLine + "\n" + longLine)}},

	// BOM.
	{name: "bom", in: "\xEF\xBB\xBFdata: x\n\n", want: []Event{msg("x")}},
	{name: "bom then blank", in: "\xEF\xBB\xBF\ndata: x\n\n", want: []Event{msg("x")}},
	{name: "bom only", in: "\xEF\xBB\xBF"},
	{name: "double bom", in: "\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\n"},
	{name: "bom not at start", in: "data: a\n\ndata: \xEF\xBB\xBFx\n\n\xEF\xBB\xBFdata: y\n\n", want: []Event{msg("a"), msg("\xEF\xBB\xBFx")}},
	{name: "partial bom", in: "\xEF\xBBdata: x\n\ndata: y\n\n", want: []Event{msg("y")}},
	{name: "partial bom then lf", in: "\xEF\xBB\ndata: y\n\n", want: []Event{msg("y")}},
	{name: "bom prefix as data", in: "\xEFdata: x\n\n"},

	// End of stream.
	{name: "missing final blank line", in: "data: a\n\ndata: b\n", want: []Event{msg("a")}},
	{name: "missing final newline", in: "data: a\n\ndata: b", want: []Event{msg("a")}},
	{name: "missing final cr", in: "data: a\r\rdata: b\r", want: []Event{msg("a")}},
	{name: "ends with crlf not blank", in: "data: a\r\n\r\ndata: b\r\n", want: []Event{msg("a")}},

	// Event type.
	{name: "type without data not dispatched", in: "event: foo\n\ndata: x\n\n", want: []Event{msg("x")}},
	{name: "type reset after dispatch", in: "event: foo\ndata: 1\n\ndata: 2\n\n", want: []Event{ev("foo", "1", "", -1), msg("2")}},
	{name: "last type wins", in: "event: a\nevent: b\ndata: 1\n\n", want: []Event{ev("b", "1", "", -1)}},
	{name: "event without colon", in: "event: a\nevent\ndata: 1\n\n", want: []Event{msg("1")}},
	{name: "type after data", in: "data: 1\nevent: late\n\n", want: []Event{ev("late", "1", "", -1)}},
	{name: "many types", in: "event: a\ndata: 1\n\nevent: b\ndata: 2\n\nevent: a\ndata: 3\n\n",
		want: []Event{ev("a", "1", "", -1), ev("b", "2", "", -1), ev("a", "3", "", -1)}},

	// ID.
	{name: "id persists", in: "id: 1\ndata: a\n\ndata: b\n\nid\ndata: c\n\n",
		want: []Event{ev("", "a", "1", -1), ev("", "b", "1", -1), ev("", "c", "", -1)}},
	{name: "id in undispatched block persists", in: "id: 7\n\ndata: a\n\n", want: []Event{ev("", "a", "7", -1)}},
	{name: "id with nul ignored", in: "id: 1\n\nid: 2\x003\ndata: x\n\n", want: []Event{ev("", "x", "1", -1)}},
	{name: "id empty resets", in: "id: 1\ndata: a\n\nid:\ndata: b\n\n", want: []Event{ev("", "a", "1", -1), ev("", "b", "", -1)}},
	{name: "id changes", in: "id: 1\ndata: a\n\nid: 2\ndata: b\n\nid: 2\ndata: c\n\n",
		want: []Event{ev("", "a", "1", -1), ev("", "b", "2", -1), ev("", "c", "2", -1)}},
	{name: "id after data in same block", in: "data: a\nid: 9\n\n", want: []Event{ev("", "a", "9", -1)}},

	// Retry.
	{name: "retry valid", in: "retry: 1500\ndata: x\n\ndata: y\n\n", want: []Event{ev("", "x", "", 1500), msg("y")}},
	{name: "retry zero", in: "retry:0\ndata: x\n\n", want: []Event{ev("", "x", "", 0)}},
	{name: "retry invalid letters", in: "retry: 15a\ndata: x\n\n", want: []Event{msg("x")}},
	{name: "retry invalid negative", in: "retry: -1\ndata: x\n\n", want: []Event{msg("x")}},
	{name: "retry invalid empty", in: "retry:\ndata: x\n\nretry\ndata: y\n\n", want: []Event{msg("x"), msg("y")}},
	{name: "retry invalid two spaces", in: "retry:  15\ndata: x\n\n", want: []Event{msg("x")}},
	{name: "retry invalid keeps previous", in: "retry: 10\nretry: x\ndata: x\n\n", want: []Event{ev("", "x", "", 10)}},
	{name: "retry huge saturates", in: "retry: 99999999999999999999999999\ndata: x\n\n", want: []Event{ev("", "x", "", math.MaxInt)}},
	{name: "retry in undispatched block", in: "retry: 10\n\ndata: x\n\n", want: []Event{msg("x")}},

	// Unknown fields.
	{name: "unknown fields ignored", in: "foo: bar\nDATA: x\nData: y\ndata : z\n data: w\nfoo\n\n"},
	{name: "unknown mixed with data", in: "foo: bar\ndata: x\nbaz\n\n", want: []Event{msg("x")}},

	// UTF-8 passthrough.
	{name: "u2028 u2029 not line breaks", in: "data: a\u2028b\u2029c\u0085d\n\n", want: []Event{msg("a\u2028b\u2029c\u0085d")}},
	{name: "multi-byte runes", in: "event: héllo\ndata: héllo 世界 🎉\n\n", want: []Event{ev("héllo", "héllo 世界 🎉", "", -1)}},
	{name: "invalid utf-8 passes through", in: "data: \xff\xfe\xc3\n\n", want: []Event{msg("\xff\xfe\xc3")}},

	// Size limit.
	{name: "line exactly at limit", in: "data: 01234567890123\n\n", limit: 20, want: []Event{msg("01234567890123")}},
	{name: "line over limit", in: "data: 012345678901234\n\n", limit: 20, wantErr: &SizeError{Limit: 20}},
	{name: "event exactly at limit", in: "event: abc\ndata: 1234567890\n\n", limit: 26, want: []Event{ev("abc", "1234567890", "", -1)}},
	{name: "event over limit", in: "event: abc\ndata: 1234567890\n\n", limit: 25, wantErr: &SizeError{Limit: 25}},
	{name: "crlf not counted", in: "data: 1234\r\ndata: 5678\r\n\r\n", limit: 20, want: []Event{msg("1234\n5678")}},
	{name: "earlier events delivered", in: "data: a\n\ndata: 0123456789\n\n", limit: 10, want: []Event{msg("a")}, wantErr: &SizeError{Limit: 10}},
	{name: "comments count", in: ": 123456\ndata: x\n\n", limit: 14, wantErr: &SizeError{Limit: 14}},
	{name: "blank line resets size", in: "data: 1234\n\ndata: 5678\n\n: 1234567\n\ndata: 9\n\n", limit: 10,
		want: []Event{msg("1234"), msg("5678"), msg("9")}},
	{name: "unterminated line over limit", in: "data: a\n\ndata: 0123456789", limit: 10, want: []Event{msg("a")}, wantErr: &SizeError{Limit: 10}},
	{name: "long line over limit", in: "data: " + longLine + "\n\n", limit: 100 << 10, wantErr: &SizeError{Limit: 100 << 10}},
	{name: "long line at limit", in: "data: " + longLine + "\n\n", limit: len(longLine) + 6, want: []Event{msg(longLine)}},

	// A realistic Assistants API run stream excerpt.
	{name: "assistants run stream", in: assistantsStream, want: []Event{
		ev("thread.created", `{"id":"thread_1","object":"thread"}`, "", -1),
		ev("thread.run.created", `{"id":"run_1","object":"thread.run","status":"queued"}`, "", -1),
		ev("thread.message.delta", `{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hel"}}]}}`, "", -1),
		ev("thread.message.delta", `{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"lo ✓"}}]}}`, "", -1),
		ev("thread.run.completed", `{"id":"run_1","object":"thread.run","status":"completed"}`, "", -1),
		ev("done", "[DONE]", "", -1),
	}},
}

const assistantsStream = "event: thread.created\n" +
	`data: {"id":"thread_1","object":"thread"}` + "\n\n" +
	"event: thread.run.created\n" +
	`data: {"id":"run_1","object":"thread.run","status":"queued"}` + "\n\n" +
	": keep-alive\n\n" +
	"event: thread.message.delta\n" +
	`data: {"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hel"}}]}}` + "\n\n" +
	"event: thread.message.delta\n" +
	`data: {"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"lo ✓"}}]}}` + "\n\n" +
	"event: thread.run.completed\n" +
	`data: {"id":"run_1","object":"thread.run","status":"completed"}` + "\n\n" +
	"event: done\n" +
	"data: [DONE]\n\n"

func TestDecode(t *testing.T) {
	for _, tc := range decodeCases {
		t.Run(tc.name, func(t *testing.T) {
			// The reference implementation must agree with the table...
			refEvs, refErr := refDecode([]byte(tc.in), tc.limit)
			if diff := sameResult(refEvs, refErr, tc.want, tc.wantErr); diff != "" {
				t.Errorf("reference: %s", diff)
			}
			// ...and so must the decoder, however the input is chunked.
			checkAllFeeds(t, []byte(tc.in), tc.limit, tc.want, tc.wantErr)
		})
	}
}

func TestSizeError(t *testing.T) {
	d := NewDecoder(strings.NewReader("data: " + strings.Repeat("x", 100) + "\n\n"))
	d.SetMaxEventSize(50)
	if d.Next() {
		t.Fatal("Next returned true for an oversized event")
	}
	err := d.Err()
	if !errors.Is(err, ErrEventTooLarge) {
		t.Fatalf("errors.Is(%v, ErrEventTooLarge) = false", err)
	}
	var se *SizeError
	if !errors.As(err, &se) || se.Limit != 50 {
		t.Fatalf("errors.As: got %#v", err)
	}
	if !strings.Contains(err.Error(), "50 bytes") || !strings.Contains(err.Error(), "SetMaxEventSize") {
		t.Errorf("message %q does not name the limit and how to raise it", err)
	}
	want := "sse: event exceeds the maximum size of 67108864 bytes (raise it with Decoder.SetMaxEventSize)"
	if got := (&SizeError{Limit: DefaultMaxEventSize}).Error(); got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if errors.Is(err, io.EOF) {
		t.Error("SizeError matches io.EOF")
	}
	if d.Next() {
		t.Error("Next returned true after an error")
	}
}

func TestSetMaxEventSizeDefault(t *testing.T) {
	if DefaultMaxEventSize < 32<<20 {
		t.Fatalf("DefaultMaxEventSize = %d, want at least 32 MiB", DefaultMaxEventSize)
	}
	for _, n := range []int{0, -1} {
		d := NewDecoder(strings.NewReader("data: x\n\n"))
		d.SetMaxEventSize(n)
		if d.limit() != DefaultMaxEventSize {
			t.Errorf("SetMaxEventSize(%d): limit %d", n, d.limit())
		}
	}
}

// repeatReader yields prefix, then body repeated n times, then suffix.
type repeatReader struct {
	prefix, body, suffix []byte
	n                    int64
	cur                  []byte
	stage                int
}

func (r *repeatReader) Read(p []byte) (int, error) {
	for len(r.cur) == 0 {
		switch {
		case r.stage == 0:
			r.cur, r.stage = r.prefix, 1
		case r.stage == 1 && r.n > 0:
			r.cur = r.body
			r.n--
		case r.stage == 1:
			r.cur, r.stage = r.suffix, 2
		default:
			return 0, io.EOF
		}
	}
	n := copy(p, r.cur)
	r.cur = r.cur[n:]
	return n, nil
}

func TestDefaultLimitExceeded(t *testing.T) {
	if testing.Short() {
		t.Skip("reads 64 MiB")
	}
	body := bytes.Repeat([]byte("x"), 1<<20)
	r := &repeatReader{prefix: []byte("data: a\n\ndata: "), body: body, n: DefaultMaxEventSize>>20 + 1, suffix: []byte("\n\n")}
	evs, err := decodeAll(r, 0)
	if len(evs) != 1 || string(evs[0].Data) != "a" {
		t.Errorf("events before the oversized one: %s", fmtEvents(evs))
	}
	var se *SizeError
	if !errors.As(err, &se) || se.Limit != DefaultMaxEventSize || !errors.Is(err, ErrEventTooLarge) {
		t.Fatalf("got %v, want *SizeError{Limit: %d}", err, DefaultMaxEventSize)
	}
	if !strings.Contains(err.Error(), "67108864") {
		t.Errorf("message %q does not name the limit", err)
	}
}

// errAfterReader returns data, then err (optionally together with the last
// chunk of data).
type errAfterReader struct {
	data     []byte
	err      error
	together bool
}

func (r *errAfterReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	n := copy(p, r.data)
	r.data = r.data[n:]
	if r.together && len(r.data) == 0 {
		return n, r.err
	}
	return n, nil
}

func TestReadErrors(t *testing.T) {
	in := "data: a\n\ndata: b\n\ndata: partial\n"
	for _, together := range []bool{false, true} {
		d := NewDecoder(&errAfterReader{data: []byte(in), err: context.Canceled, together: together})
		var got []string
		for d.Next() {
			got = append(got, string(d.Event().Data))
		}
		if strings.Join(got, ",") != "a,b" {
			t.Errorf("together=%v: events %q, want a,b", together, got)
		}
		if !errors.Is(d.Err(), context.Canceled) {
			t.Errorf("together=%v: Err() = %v, want context.Canceled", together, d.Err())
		}
		if d.Next() || !errors.Is(d.Err(), context.Canceled) {
			t.Errorf("together=%v: decoder not stuck in the error state", together)
		}
	}

	d := NewDecoder(iotest.TimeoutReader(strings.NewReader("data: a\n\n")))
	if !d.Next() || string(d.Event().Data) != "a" {
		t.Fatal("first event missing")
	}
	if d.Next() || !errors.Is(d.Err(), iotest.ErrTimeout) {
		t.Errorf("Err() = %v, want iotest.ErrTimeout", d.Err())
	}

	d = NewDecoder(iotest.ErrReader(io.ErrUnexpectedEOF))
	if d.Next() || !errors.Is(d.Err(), io.ErrUnexpectedEOF) {
		t.Errorf("Err() = %v, want io.ErrUnexpectedEOF", d.Err())
	}
}

type emptyReader struct{}

func (emptyReader) Read([]byte) (int, error) { return 0, nil }

type badReader struct{}

func (badReader) Read(p []byte) (int, error) { return len(p) + 1, nil }

func TestMisbehavingReaders(t *testing.T) {
	d := NewDecoder(emptyReader{})
	if d.Next() || !errors.Is(d.Err(), io.ErrNoProgress) {
		t.Errorf("Err() = %v, want io.ErrNoProgress", d.Err())
	}
	d = NewDecoder(badReader{})
	if d.Next() || d.Err() == nil {
		t.Errorf("Err() = %v, want an error", d.Err())
	}
}

func TestCleanEOF(t *testing.T) {
	d := NewDecoder(strings.NewReader("data: a\n\n"))
	if !d.Next() {
		t.Fatal("no event")
	}
	if d.Next() {
		t.Fatal("extra event")
	}
	if d.Err() != nil {
		t.Fatalf("Err() = %v, want nil", d.Err())
	}
	if e := d.Event(); e.Data != nil || e.Type != "" || e.Retry != -1 {
		t.Errorf("Event() after end = %s, want the zero event", fmtEvent(e))
	}
}

func TestEventDataOwnership(t *testing.T) {
	d := NewDecoder(strings.NewReader("data: abc\n\ndata: xyz\n\n"))
	if !d.Next() {
		t.Fatal("no event")
	}
	data := d.Event().Data
	if cap(data) != len(data) {
		t.Errorf("cap(Data) = %d, want %d so appends cannot clobber the buffer", cap(data), len(data))
	}
	_ = append(data, "!!!"...)
	if !d.Next() || string(d.Event().Data) != "xyz" {
		t.Fatalf("second event = %q", d.Event().Data)
	}
}

func TestLastEventIDAndRetry(t *testing.T) {
	d := NewDecoder(strings.NewReader("retry: 300\nid: 7\n\ndata: a\n\nid: 8\nretry: 500\n\n"))
	if d.LastEventID() != "" || d.Retry() != -1 {
		t.Errorf("initial LastEventID/Retry = %q/%d", d.LastEventID(), d.Retry())
	}
	if !d.Next() {
		t.Fatal("no event")
	}
	if e := d.Event(); e.ID != "7" || e.Retry != -1 {
		t.Errorf("event = %s, want ID 7 and Retry -1", fmtEvent(e))
	}
	if d.LastEventID() != "7" || d.Retry() != 300 {
		t.Errorf("LastEventID/Retry = %q/%d, want 7/300", d.LastEventID(), d.Retry())
	}
	if d.Next() {
		t.Fatal("extra event")
	}
	if d.LastEventID() != "8" || d.Retry() != 500 {
		t.Errorf("final LastEventID/Retry = %q/%d, want 8/500", d.LastEventID(), d.Retry())
	}
}

func TestLargeBuffersReleased(t *testing.T) {
	big := strings.Repeat("x", keepCap+1)
	d := NewDecoder(strings.NewReader("data: " + big + "\n\ndata: small\n\n"))
	if !d.Next() || len(d.Event().Data) != len(big) {
		t.Fatal("big event missing")
	}
	if !d.Next() || string(d.Event().Data) != "small" {
		t.Fatal("small event missing")
	}
	if cap(d.data) > keepCap || cap(d.line) > keepCap {
		t.Errorf("buffers kept after a big event: data %d, line %d", cap(d.data), cap(d.line))
	}
}

// loopReader repeats body forever.
type loopReader struct {
	body []byte
	off  int
}

func (r *loopReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		c := copy(p[n:], r.body[r.off:])
		n += c
		r.off = (r.off + c) % len(r.body)
	}
	return n, nil
}

func TestZeroAllocsSteadyState(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	for _, body := range []string{
		"event: thread.message.delta\ndata: " + deltaJSON(1) + "\n\n",
		"event: thread.message.delta\r\ndata: " + deltaJSON(2) + "\r\n\r\n",
		"event: thread.run.step.delta\nid: 5\ndata: {}\n\n: ping\n\nevent: thread.message.delta\ndata: a\ndata: b\n\n",
		"event: a\ndata: " + longLine + "\n\nevent: b\rretry: 10\rdata: x\r\r",
	} {
		d := NewDecoder(&loopReader{body: []byte(body)})
		for range 1000 {
			if !d.Next() {
				t.Fatal(d.Err())
			}
		}
		if n := testing.AllocsPerRun(2000, func() {
			if !d.Next() {
				t.Fatal(d.Err())
			}
		}); n != 0 {
			t.Errorf("%.40q: %v allocations per event, want 0", body, n)
		}
	}
}

// countingReader yields an endless line of 'x' bytes, failing after max
// bytes so that a decoder which does not enforce its limit cannot hang.
type countingReader struct{ n, max int }

func (r *countingReader) Read(p []byte) (int, error) {
	if r.n >= r.max {
		return 0, errors.New("read too much")
	}
	for i := range p {
		p[i] = 'x'
	}
	r.n += len(p)
	return len(p), nil
}

func TestEndlessLineBounded(t *testing.T) {
	const limit = 1 << 20
	r := &countingReader{max: 8 * limit}
	d := NewDecoder(r)
	d.SetMaxEventSize(limit)
	if d.Next() {
		t.Fatal("Next returned true")
	}
	if !errors.Is(d.Err(), ErrEventTooLarge) {
		t.Fatalf("Err() = %v, want ErrEventTooLarge", d.Err())
	}
	if r.n > limit+bufSize {
		t.Errorf("read %d bytes before failing, want at most %d", r.n, limit+bufSize)
	}
	if cap(d.line) > limit {
		t.Errorf("line buffer grew to %d bytes, beyond the %d limit", cap(d.line), limit)
	}
}
