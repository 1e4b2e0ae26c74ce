package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assistants-go/assistants/internal/sse"
)

// DefaultMaxEventSize is the largest stream event (its field lines, in
// bytes) a Stream accepts unless WithMaxEventSize or Stream.SetMaxEventSize
// say otherwise. A larger event ends the stream with an error that says so.
const DefaultMaxEventSize = sse.DefaultMaxEventSize

const (
	// maxStreamDrain bounds what is read after the end of a stream so that
	// its connection can be reused.
	maxStreamDrain = 64 << 10
	// streamDrainTimeout bounds how long that read may take.
	streamDrainTimeout = 250 * time.Millisecond
)

// WithMaxEventSize sets the largest stream event, in bytes, that streams of
// this client accept (default DefaultMaxEventSize, 64 MiB). Streams fail with
// an error naming the limit when an event is larger; they never truncate.
func WithMaxEventSize(n int) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("assistants: WithMaxEventSize: size must be positive, got %d", n)
		}
		c.streamMaxEventSize = n
		return nil
	}
}

func (c *Client) maxStreamEventSize() int {
	if c.streamMaxEventSize > 0 {
		return c.streamMaxEventSize
	}
	return DefaultMaxEventSize
}

// Stream reads the events of a run as the server sends them: a
// thread.run.created event, run step and message events with their deltas,
// and a final run event. Use it like bufio.Scanner:
//
//	s, err := c.Runs.CreateStream(ctx, threadID, params)
//	if err != nil { ... }
//	defer s.Close()
//	for s.Next() {
//		if ev := s.Event(); ev.Type == assistants.EventThreadMessageDelta {
//			fmt.Print(s.TextDelta())
//		}
//	}
//	if err := s.Err(); err != nil { ... }
//	run, err := s.FinalRun()
//
// The stream ends cleanly at the server's "done" event (data [DONE]), or at
// the end of the body once the run has reached a terminal status or
// requires_action. An "error" event ends it with an *APIError from Err; the
// end of the body in the middle of a run, with an error wrapping
// io.ErrUnexpectedEOF. Events with names this SDK does not know are
// delivered as they are; a known event whose data cannot be decoded ends the
// stream with an error.
//
// While reading, the stream merges deltas into snapshots of the run's
// messages and steps (see CurrentMessage, FinalMessages, FinalRunSteps,
// MessageSnapshot and RunStepSnapshot).
//
// A Stream is not safe for concurrent use, with one exception: Close may be
// called from another goroutine to interrupt a Next blocked on the network
// (Next then returns false, and Err nil). Cancelling the context the stream
// was opened with also interrupts it, with the context's error.
type Stream struct {
	ctx    context.Context
	cancel context.CancelFunc
	body   io.ReadCloser // never changes; closed once by closeBody
	status int
	header http.Header
	dec    *sse.Decoder
	acc    *accumulator
	cur    Event
	err    error
	ended  bool

	// closed is set by Close, which may run concurrently with Next.
	closed    atomic.Bool
	closeOnce sync.Once
}

// newStream wraps an open event-stream response. cancel cancels the
// request's context, which aborts the body's reads.
func newStream(ctx context.Context, cancel context.CancelFunc, resp *http.Response, maxEventSize int) *Stream {
	dec := sse.NewDecoder(resp.Body)
	dec.SetMaxEventSize(maxEventSize)
	return &Stream{
		ctx:    ctx,
		cancel: cancel,
		body:   resp.Body,
		status: resp.StatusCode,
		header: resp.Header,
		dec:    dec,
		acc:    newAccumulator(),
	}
}

// openStream sends the request build makes (with Accept: text/event-stream)
// and returns its response as a Stream.
func (c *Client) openStream(ctx context.Context, build func(context.Context) (*request, error)) (*Stream, error) {
	if ctx == nil {
		return nil, errors.New("assistants: nil context")
	}
	sctx, cancel := context.WithCancel(ctx)
	r, err := build(sctx)
	if err != nil {
		cancel()
		return nil, err
	}
	r.header.Set("Accept", "text/event-stream")
	resp, err := c.send(r)
	if err != nil {
		cancel()
		return nil, err
	}
	if err := checkEventStream(r, resp); err != nil {
		cancel()
		return nil, err
	}
	return newStream(sctx, cancel, resp, c.maxStreamEventSize()), nil
}

// checkEventStream rejects a JSON answer to a stream request: a server that
// ignored "stream": true, or an error object sent with a 2xx status. It
// closes the body when it fails.
func checkEventStream(r *request, resp *http.Response) error {
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt != "application/json" {
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	drainAndClose(resp.Body)
	if e, ok := apiErrorFromObject(body); ok {
		e.StatusCode, e.RequestID, e.Header, e.Body = resp.StatusCode, resp.Header.Get("X-Request-Id"), resp.Header, body
		return e
	}
	return fmt.Errorf("assistants: %s %s: expected an event stream (text/event-stream), got %s: %s",
		r.method, r.url, mt, plainMessage(body))
}

// SetMaxEventSize changes the largest event, in bytes, this stream accepts
// (n <= 0 restores DefaultMaxEventSize). It takes effect from the next event.
func (s *Stream) SetMaxEventSize(n int) {
	if n <= 0 {
		n = DefaultMaxEventSize
	}
	s.dec.SetMaxEventSize(n)
}

// Next reads the next event, merging it into the snapshots, and reports
// whether there is one. It returns false at the end of the stream or on an
// error; Err tells which.
func (s *Stream) Next() bool {
	s.cur = Event{}
	s.acc.textDelta = ""
	if s.ended {
		return false
	}
	if s.closed.Load() {
		s.finish(nil, false)
		return false
	}
	if s.dec.Next() {
		e := s.dec.Event()
		switch {
		case e.Type == EventDone || isDoneData(e.Data):
			s.finish(nil, true)
			return false
		case e.Type == EventError:
			apiErr := streamAPIError(e.Data)
			apiErr.StatusCode, apiErr.RequestID, apiErr.Header = s.status, s.header.Get("X-Request-Id"), s.header
			s.finish(apiErr, false)
			return false
		}
		if err := s.acc.apply(e.Type, e.Data); err != nil {
			s.finish(err, false)
			return false
		}
		s.cur = Event{Type: e.Type, Data: json.RawMessage(e.Data)}
		return true
	}
	if s.closed.Load() {
		// Close interrupted the read: that is not an error.
		s.finish(nil, false)
		return false
	}
	err := s.endError()
	s.finish(err, err == nil)
	return false
}

var doneData = []byte("[DONE]")

func isDoneData(data []byte) bool {
	return len(data) >= len(doneData) && bytes.Equal(bytes.TrimSpace(data), doneData)
}

// endError explains why the decoder stopped: nil for a clean end.
func (s *Stream) endError() error {
	if err := s.dec.Err(); err != nil {
		var se *sse.SizeError
		if errors.As(err, &se) {
			return fmt.Errorf("assistants: stream event larger than the maximum event size of %d bytes (raise it with assistants.WithMaxEventSize or Stream.SetMaxEventSize): %w", se.Limit, err)
		}
		if ctxErr := s.ctx.Err(); ctxErr != nil && !errors.Is(err, ctxErr) {
			return fmt.Errorf("assistants: reading stream: %w (%w)", ctxErr, err)
		}
		return fmt.Errorf("assistants: reading stream: %w", err)
	}
	run := s.acc.run
	switch {
	case run == nil:
		return fmt.Errorf("assistants: the stream ended without a [DONE] event before any run event: %w", io.ErrUnexpectedEOF)
	case !run.Status.Terminal():
		return fmt.Errorf("assistants: the stream ended without a [DONE] event while run %s was %s: %w", run.ID, run.Status, io.ErrUnexpectedEOF)
	}
	return nil
}

// finish ends the stream with err and releases the connection; clean says
// the server ended it properly, so the rest of the body is worth draining.
func (s *Stream) finish(err error, clean bool) {
	s.ended = true
	s.err = err
	s.release(clean)
}

// release closes the body, first reading what is left of it (bounded) when
// drain is set. Only the goroutine that reads the stream may drain.
func (s *Stream) release(drain bool) {
	if drain && !s.closed.Load() {
		t := time.AfterFunc(streamDrainTimeout, s.cancel)
		_, _ = io.Copy(io.Discard, io.LimitReader(s.body, maxStreamDrain))
		t.Stop()
	}
	s.closeBody()
}

// closeBody closes the body and cancels the request, once; it is safe to
// call from any goroutine.
func (s *Stream) closeBody() {
	s.closeOnce.Do(func() {
		_ = s.body.Close()
		s.cancel()
	})
}

// Event returns the event Next read. Its Data is only valid until the next
// call to Next (it points into the stream's read buffer); use Event.Clone
// to keep it longer.
func (s *Stream) Event() Event { return s.cur }

// Err returns the error that ended the stream, or nil if it ended cleanly
// or was closed. An "error" event gives an *APIError.
func (s *Stream) Err() error { return s.err }

// Close stops reading and releases the connection. It is safe to call more
// than once, after the end of the stream, and from another goroutine while
// Next is blocked (Next then returns false, with Err nil).
func (s *Stream) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return nil
	}
	// Cancelling first aborts a read in progress in another goroutine.
	s.cancel()
	s.closeBody()
	return nil
}

// All returns an iterator over the remaining events. At the end it yields
// the stream's error, if any, with a zero Event. The stream is closed when
// the loop ends, early or not.
func (s *Stream) All() iter.Seq2[Event, error] {
	return func(yield func(Event, error) bool) {
		defer s.Close()
		for s.Next() {
			if !yield(s.cur, nil) {
				return
			}
		}
		if s.err != nil {
			yield(Event{}, s.err)
		}
	}
}

// TextDelta returns the text the current event added to a text part of a
// message, or "" for other events. Unlike reading it from the event's data,
// it does not allocate, and the string stays valid.
func (s *Stream) TextDelta() string { return s.acc.textDelta }

// CurrentRun returns the latest run the stream has seen (the run of the
// last thread.run.* event), or nil. Unlike FinalRun it does not read on.
func (s *Stream) CurrentRun() *Run { return s.acc.run }

// CurrentMessage returns the message the stream mentioned last (usually the
// one being written), as accumulated so far, or nil if there is none yet.
// Its Text() is the text received so far:
//
//	for s.Next() {
//		if s.Event().Type == assistants.EventThreadMessageDelta {
//			fmt.Printf("\r%s", s.CurrentMessage().Text())
//		}
//	}
//
// Each call returns a new copy, which the stream does not change.
func (s *Stream) CurrentMessage() *Message {
	if m := s.acc.lastMsg; m != nil {
		return m.snapshot()
	}
	return nil
}

// CurrentRunStep returns the run step the stream mentioned last, as
// accumulated so far, or nil if there is none yet. Each call returns a new
// copy, which the stream does not change.
func (s *Stream) CurrentRunStep() *RunStep {
	if st := s.acc.lastStep; st != nil {
		return st.snapshot()
	}
	return nil
}

// MessageSnapshot returns the message with this id as accumulated so far,
// or nil if the stream has not mentioned it. Each call returns a new copy,
// which the stream does not change.
func (s *Stream) MessageSnapshot(id string) *Message {
	if m := s.acc.msgByID[id]; m != nil {
		return m.snapshot()
	}
	return nil
}

// RunStepSnapshot returns the run step with this id as accumulated so far,
// or nil if the stream has not mentioned it. Each call returns a new copy,
// which the stream does not change.
func (s *Stream) RunStepSnapshot(id string) *RunStep {
	if st := s.acc.stepByID[id]; st != nil {
		return st.snapshot()
	}
	return nil
}

// readToEnd consumes the rest of the stream.
func (s *Stream) readToEnd() {
	for s.Next() {
	}
}

// FinalRun reads the stream to its end, if it was not read yet, and returns
// the last run it carried. It fails if the stream failed or carried no run.
// After an early Close it returns the last run seen.
func (s *Stream) FinalRun() (*Run, error) {
	s.readToEnd()
	if s.err != nil {
		return nil, s.err
	}
	if s.acc.run == nil {
		return nil, errors.New("assistants: the stream carried no run")
	}
	return s.acc.run, nil
}

// FinalMessages reads the stream to its end, if it was not read yet, and
// returns every message it carried, with all deltas merged, in the order
// they first appeared. Check Err for a failed stream. The messages are
// copies: changing them changes neither the stream nor other snapshots.
func (s *Stream) FinalMessages() []Message {
	s.readToEnd()
	return s.acc.messages()
}

// FinalRunSteps reads the stream to its end, if it was not read yet, and
// returns every run step it carried, with all deltas merged, in the order
// they first appeared. Check Err for a failed stream. The steps are
// copies, like FinalMessages'.
func (s *Stream) FinalRunSteps() []RunStep {
	s.readToEnd()
	return s.acc.runSteps()
}
