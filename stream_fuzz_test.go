package assistants

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// stNewTestStream reads an event stream from r, as if a server had sent it.
func stNewTestStream(r io.Reader) *Stream {
	ctx, cancel := context.WithCancel(context.Background())
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(r)}
	return newStream(ctx, cancel, resp, DefaultMaxEventSize)
}

// stFuzzHandler sets every callback, each reading what it is given, so that
// every snapshot path runs.
func stFuzzHandler() *Handler {
	readMsg := func(m *Message) {
		_ = m.Text()
		for _, c := range m.Content {
			if c.Text != nil {
				_ = len(c.Text.Annotations)
			}
		}
	}
	readStep := func(s *RunStep) {
		for _, c := range s.StepDetails.ToolCalls {
			if c.CodeInterpreter != nil {
				_ = len(c.CodeInterpreter.Outputs)
			}
		}
	}
	return &Handler{
		OnEvent:          func(_ context.Context, ev Event) error { _ = ev.Get("id"); return nil },
		OnRunUpdate:      func(_ context.Context, r *Run) error { _ = r.Status; return nil },
		OnEnd:            func(_ context.Context, r *Run) error { return nil },
		OnError:          func(_ context.Context, err error) { _ = err.Error() },
		OnMessageCreated: func(_ context.Context, m *Message) error { readMsg(m); return nil },
		OnMessageDelta: func(_ context.Context, d *MessageDelta, m *Message) error {
			readMsg(m)
			return nil
		},
		OnMessageDone:    func(_ context.Context, m *Message) error { readMsg(m); return nil },
		OnTextCreated:    func(_ context.Context, t *Text) error { _ = t.Value; return nil },
		OnTextDelta:      func(_ context.Context, d *TextDelta, t *Text) error { _ = d.Value + t.Value; return nil },
		OnTextDone:       func(_ context.Context, t *Text) error { _ = t.Value; return nil },
		OnImageFileDone:  func(_ context.Context, f *ImageFile) error { _ = f.FileID; return nil },
		OnRunStepCreated: func(_ context.Context, s *RunStep) error { readStep(s); return nil },
		OnRunStepDelta: func(_ context.Context, d *RunStepDelta, s *RunStep) error {
			readStep(s)
			return nil
		},
		OnRunStepDone:     func(_ context.Context, s *RunStep) error { readStep(s); return nil },
		OnToolCallCreated: func(_ context.Context, c *ToolCall) error { _ = c.ID; return nil },
		OnToolCallDelta:   func(_ context.Context, d, c *ToolCall) error { _ = c.ID; return nil },
		OnToolCallDone:    func(_ context.Context, c *ToolCall) error { _ = c.ID; return nil },
	}
}

// FuzzEventDecoding feeds an arbitrary event (name and data) to the typed
// accessors, to a Handler (twice, after a prelude of real events, so that
// merging into existing snapshots runs) and to a Stream reading it from the
// wire. Nothing may panic; a Stream must end with an error or cleanly.
func FuzzEventDecoding(f *testing.F) {
	f.Add(EventThreadMessageDelta, []byte(`{"id":"msg_1","object":"thread.message.delta","delta":{"content":[{"index":0,"type":"text","text":{"value":"Hi \u00e9"}}]}}`))
	f.Add(EventThreadRunStepDelta, []byte(`{"id":"step_1","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"id":"c","type":"code_interpreter","code_interpreter":{"input":"x","outputs":[{"index":2,"type":"logs","logs":"1"}]}}]}}}`))
	f.Add(EventThreadMessageCompleted, []byte(`{"id":"msg_1","status":"completed","content":[{"type":"text","text":{"value":"v","annotations":[]}}]}`))
	f.Add(EventError, []byte(`{"error":{"message":"m","type":"t"}}`))
	f.Add("thread.run.something", []byte(`[]`))
	ctx := context.Background()
	prelude := []stAccEvent{
		stRunEvent(EventThreadRunInProgress, "in_progress"),
		stMessageEvent(EventThreadMessageCreated, "msg_1", "in_progress", "[]"),
		stTextDeltaEvent("msg_1", 0, "start"),
		stStepDeltaEvent("step_1", `[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{"}}]`),
	}
	f.Fuzz(func(t *testing.T, typ string, data []byte) {
		ev := Event{Type: typ, Data: data}
		_, _ = ev.Run()
		_, _ = ev.RunStep()
		_, _ = ev.RunStepDelta()
		_, _ = ev.Message()
		_, _ = ev.MessageDelta()
		_, _ = ev.Thread()
		_ = ev.Error()
		_ = ev.Get("delta.content.0.text.value")
		_ = ev.IsRunEvent() || ev.IsRunStepEvent() || ev.IsMessageEvent() || ev.IsDelta()

		h := stFuzzHandler()
		for _, p := range prelude {
			if err := h.HandleEvent(ctx, Event{Type: p.typ, Data: []byte(p.data)}); err != nil {
				t.Fatalf("prelude: %v", err)
			}
		}
		for range 2 {
			_ = h.HandleEvent(ctx, ev)
		}
		for _, p := range prelude[2:] {
			_ = h.HandleEvent(ctx, Event{Type: p.typ, Data: []byte(p.data)})
		}
		_ = h.HandleEvent(ctx, Event{Type: EventThreadRunCompleted, Data: []byte(stRunEvent(EventThreadRunCompleted, "completed").data)})
		_ = h.acc.messages()
		_ = h.acc.runSteps()

		// The same event on the wire. A type with line breaks cannot be
		// framed, so it is cut at the first one.
		if i := strings.IndexAny(typ, "\r\n"); i >= 0 {
			typ = typ[:i]
		}
		var wire strings.Builder
		frame := func(typ string, data []byte) {
			wire.WriteString("event: " + typ + "\n")
			for _, line := range strings.Split(strings.ReplaceAll(string(data), "\r", ""), "\n") {
				wire.WriteString("data: " + line + "\n")
			}
			wire.WriteString("\n")
		}
		for _, p := range prelude {
			frame(p.typ, []byte(p.data))
		}
		frame(typ, data)
		frame(typ, data)
		s := stNewTestStream(strings.NewReader(wire.String()))
		n := 0
		for s.Next() {
			n++
			_ = s.TextDelta()
			_ = s.Event().Get("id")
		}
		if n > len(prelude)+2 {
			t.Fatalf("%d events from %d frames", n, len(prelude)+2)
		}
		_ = s.Err()
		_ = s.FinalMessages()
		_ = s.FinalRunSteps()
		_, _ = s.FinalRun()
		_ = s.Close()
	})
}
