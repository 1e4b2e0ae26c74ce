package assistants

import (
	"context"
	"encoding/json"
)

// Event is one server-sent event of a run stream: its name (such as
// "thread.message.delta", see the Event* constants) and its JSON data.
//
// The Data of an event read from a Stream points into the stream's buffer
// and is only valid until the next call to Stream.Next (or until the event
// handler returns); use Clone to keep it.
type Event struct {
	// Type is the event's name, such as EventThreadMessageDelta; unknown
	// names are delivered as they are.
	Type string
	// Data is the event's JSON payload (for an unnamed event, whatever the
	// server sent).
	Data json.RawMessage
}

// EventHandler receives every event of a stream. Returning an error stops
// the stream; the error is returned, wrapped, by the call that drove it.
type EventHandler interface {
	HandleEvent(ctx context.Context, ev Event) error
}

// EventHandlerFunc adapts a function to an EventHandler.
type EventHandlerFunc func(ctx context.Context, ev Event) error

// HandleEvent calls f(ctx, ev).
func (f EventHandlerFunc) HandleEvent(ctx context.Context, ev Event) error { return f(ctx, ev) }

// RequiresActionHandler answers a run that waits for tool outputs. It returns
// an output for every call in run.RequiredAction.SubmitToolOutputs.ToolCalls;
// they are submitted together. Returning no outputs and no error leaves the
// run in requires_action and hands it back to the caller.
type RequiresActionHandler interface {
	HandleRequiresAction(ctx context.Context, run *Run) ([]ToolOutput, error)
}

// Handler is a ready-made EventHandler and RequiresActionHandler made of
// optional callbacks: set the ones you need. Give it to Runs.CreateAndStream,
// Runs.SubmitToolOutputsAndStream or Threads.CreateAndRunAndStream:
//
//	h := &assistants.Handler{
//		OnTextDelta: func(ctx context.Context, d *assistants.TextDelta, _ *assistants.Text) error {
//			fmt.Print(d.Value)
//			return nil
//		},
//		OnRequiresAction: func(ctx context.Context, run *assistants.Run) ([]assistants.ToolOutput, error) {
//			var outs []assistants.ToolOutput
//			for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
//				outs = append(outs, assistants.ToolOutput{ToolCallID: call.ID, Output: callTool(call.Function)})
//			}
//			return outs, nil
//		},
//	}
//	run, err := c.Runs.CreateAndStream(ctx, threadID, params, h)
//
// For each event, OnEvent is called first, then the callbacks of the event's
// object, then those of its content parts and tool calls. Any callback
// returning an error stops the stream and the error is returned, wrapped,
// by the driver.
//
// Snapshots are the stream's accumulated state: deltas merged into the
// message, text part, step or tool call so far. Each text part and tool call
// gets exactly one Created and one Done callback (an image file part one
// Done), even when it arrives whole in a completed object rather than in
// deltas, and even across the streams of one driver call. Done comes when a
// later part or call of the same message or step starts, when its message
// or step ends, when the run asks for tool outputs (tool calls: their
// arguments are complete), or when the run ends, whichever is first.
//
// The pointers passed to callbacks are only valid during the call and must
// not be modified: the *TextDelta and the *Text of the text callbacks are
// reused for the next events of the same part. Copy what you keep
// (strings inside them are immutable and safe to keep).
//
// When the drivers are given a *Handler, it reads the snapshots of the
// stream it is fed, so it may serve several streams at once if its
// callbacks allow. A Handler fed with HandleEvent directly (by your own
// loop, or by the drivers through a type of yours that embeds *Handler and
// defines its own HandleEvent) accumulates snapshots itself; it must then be
// fed the events of one driver call or stream only.
type Handler struct {
	// OnEvent receives every event, before any other callback.
	OnEvent func(ctx context.Context, ev Event) error

	// OnRunUpdate receives the run of every thread.run.<status> event.
	OnRunUpdate func(ctx context.Context, run *Run) error
	// OnEnd receives the run when it ends: completed, incomplete, failed,
	// cancelled or expired (not when it waits in requires_action).
	OnEnd func(ctx context.Context, run *Run) error
	// OnRequiresAction answers a run waiting for tool outputs (see
	// RequiresActionHandler); the drivers submit its outputs in one
	// streaming request and keep feeding this handler. Returning no outputs
	// makes the driver return the run in requires_action.
	OnRequiresAction func(ctx context.Context, run *Run) ([]ToolOutput, error)
	// OnError receives the error that stops a driver (a stream error, an
	// "error" event, a failed submission), just before the driver returns
	// it; not the errors callbacks return. Handler.HandleEvent calls it for
	// "error" events.
	OnError func(ctx context.Context, err error)

	// OnMessageCreated receives a message when it is created.
	OnMessageCreated func(ctx context.Context, msg *Message) error
	// OnMessageDelta receives each message delta and the message snapshot.
	OnMessageDelta func(ctx context.Context, delta *MessageDelta, snapshot *Message) error
	// OnMessageDone receives a message when it is completed or incomplete.
	OnMessageDone func(ctx context.Context, msg *Message) error

	// OnTextCreated receives a text part when it first appears (usually
	// with its first delta).
	OnTextCreated func(ctx context.Context, text *Text) error
	// OnTextDelta receives each piece of a text part and the part so far.
	OnTextDelta func(ctx context.Context, delta *TextDelta, snapshot *Text) error
	// OnTextDone receives a text part when it is complete.
	OnTextDone func(ctx context.Context, text *Text) error
	// OnImageFileDone receives an image file part of a message.
	OnImageFileDone func(ctx context.Context, image *ImageFile) error

	// OnRunStepCreated receives a run step when it is created.
	OnRunStepCreated func(ctx context.Context, step *RunStep) error
	// OnRunStepDelta receives each step delta and the step snapshot.
	OnRunStepDelta func(ctx context.Context, delta *RunStepDelta, snapshot *RunStep) error
	// OnRunStepDone receives a step when it is completed, failed,
	// cancelled or expired.
	OnRunStepDone func(ctx context.Context, step *RunStep) error

	// OnToolCallCreated receives a tool call when it first appears (usually
	// with its first delta).
	OnToolCallCreated func(ctx context.Context, call *ToolCall) error
	// OnToolCallDelta receives each piece of a tool call (with Index set)
	// and the call so far.
	OnToolCallDelta func(ctx context.Context, delta *ToolCall, snapshot *ToolCall) error
	// OnToolCallDone receives a tool call once, when it is complete (see
	// above; a function call's Output is only in OnRunStepDone's step).
	OnToolCallDone func(ctx context.Context, call *ToolCall) error

	// acc holds the snapshots when HandleEvent is called directly.
	acc *accumulator
}

// driveErrorHandler is implemented by handlers that want to see the error
// that stops a driver.
type driveErrorHandler interface {
	handleDriveError(ctx context.Context, err error)
}

var (
	_ EventHandler          = (*Handler)(nil)
	_ RequiresActionHandler = (*Handler)(nil)
	_ driveErrorHandler     = (*Handler)(nil)
)

// HandleEvent calls the callbacks for ev, keeping its own snapshots (the
// drivers use the stream's instead). An "error" event goes to OnError.
func (h *Handler) HandleEvent(ctx context.Context, ev Event) error {
	if ev.Type == EventError {
		if h.OnEvent != nil {
			if err := h.OnEvent(ctx, ev); err != nil {
				return err
			}
		}
		if h.OnError != nil {
			h.OnError(ctx, ev.Error())
		}
		return nil
	}
	if h.acc == nil {
		h.acc = newAccumulator()
	}
	if err := h.acc.apply(ev.Type, ev.Data); err != nil {
		return err
	}
	return h.dispatch(ctx, h.acc, ev)
}

// HandleRequiresAction calls OnRequiresAction; without it, it returns no
// outputs, so the run is handed back in requires_action.
func (h *Handler) HandleRequiresAction(ctx context.Context, run *Run) ([]ToolOutput, error) {
	if h.OnRequiresAction == nil {
		return nil, nil
	}
	return h.OnRequiresAction(ctx, run)
}

func (h *Handler) handleDriveError(ctx context.Context, err error) {
	if h.OnError != nil {
		h.OnError(ctx, err)
	}
}

// dispatch calls the callbacks for ev, which acc has just merged.
func (h *Handler) dispatch(ctx context.Context, acc *accumulator, ev Event) error {
	if h.OnEvent != nil {
		if err := h.OnEvent(ctx, ev); err != nil {
			return err
		}
	}
	switch ev.Type {
	case EventThreadMessageCreated:
		if h.OnMessageCreated != nil && acc.curMsg != nil {
			if err := h.OnMessageCreated(ctx, acc.curMsg.snapshot()); err != nil {
				return err
			}
		}
		return h.notes(ctx, acc)
	case EventThreadMessageDelta:
		if h.OnMessageDelta != nil && acc.curMsg != nil {
			d, err := ev.MessageDelta()
			if err != nil {
				return err
			}
			if err := h.OnMessageDelta(ctx, d, acc.curMsg.snapshot()); err != nil {
				return err
			}
		}
		return h.notes(ctx, acc)
	case EventThreadMessageCompleted, EventThreadMessageIncomplete:
		if err := h.notes(ctx, acc); err != nil {
			return err
		}
		if h.OnMessageDone != nil && acc.curMsg != nil {
			return h.OnMessageDone(ctx, acc.curMsg.snapshot())
		}
		return nil
	case EventThreadRunStepCreated:
		if h.OnRunStepCreated != nil && acc.curStep != nil {
			if err := h.OnRunStepCreated(ctx, acc.curStep.snapshot()); err != nil {
				return err
			}
		}
		return h.notes(ctx, acc)
	case EventThreadRunStepDelta:
		if h.OnRunStepDelta != nil && acc.curStep != nil && acc.stepDelta != nil {
			if err := h.OnRunStepDelta(ctx, acc.stepDelta, acc.curStep.snapshot()); err != nil {
				return err
			}
		}
		return h.notes(ctx, acc)
	case EventThreadRunStepCompleted, EventThreadRunStepFailed, EventThreadRunStepCancelled, EventThreadRunStepExpired:
		if err := h.notes(ctx, acc); err != nil {
			return err
		}
		if h.OnRunStepDone != nil && acc.curStep != nil {
			return h.OnRunStepDone(ctx, acc.curStep.snapshot())
		}
		return nil
	}
	if !isRunStatusEvent(ev.Type) || acc.run == nil {
		return h.notes(ctx, acc)
	}
	if err := h.notes(ctx, acc); err != nil {
		return err
	}
	if h.OnRunUpdate != nil {
		if err := h.OnRunUpdate(ctx, acc.run); err != nil {
			return err
		}
	}
	if h.OnEnd != nil && runEnded(acc.run.Status) {
		return h.OnEnd(ctx, acc.run)
	}
	return nil
}

// notes calls the part and tool call callbacks for what the event changed.
func (h *Handler) notes(ctx context.Context, acc *accumulator) error {
	for i := range acc.notes {
		n := &acc.notes[i]
		var err error
		switch n.kind {
		case notePartCreated, notePartDelta, notePartDone:
			err = h.partNote(ctx, acc, n)
		case noteCallCreated:
			if h.OnToolCallCreated != nil {
				err = h.OnToolCallCreated(ctx, n.step.calls[n.index].snapshot())
			}
		case noteCallDelta:
			if h.OnToolCallDelta != nil {
				err = h.OnToolCallDelta(ctx, n.delta, n.step.calls[n.index].snapshot())
			}
		case noteCallDone:
			if h.OnToolCallDone != nil {
				err = h.OnToolCallDone(ctx, n.step.calls[n.index].snapshot())
			}
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (h *Handler) partNote(ctx context.Context, acc *accumulator, n *note) error {
	p := n.msg.parts[n.index]
	isText := p.typ == ContentTypeText || (p.typ == "" && p.hasText)
	switch {
	case n.kind == notePartCreated && isText && h.OnTextCreated != nil:
		return h.OnTextCreated(ctx, p.textSnapshot())
	case n.kind == notePartDelta && isText && h.OnTextDelta != nil:
		acc.scratch = TextDelta{Value: n.text, Annotations: n.anns}
		return h.OnTextDelta(ctx, &acc.scratch, p.textSnapshot())
	case n.kind == notePartDone && isText && h.OnTextDone != nil:
		return h.OnTextDone(ctx, p.textSnapshot())
	case n.kind == notePartDone && p.typ == ContentTypeImageFile && h.OnImageFileDone != nil && p.imageFile != nil:
		f := *p.imageFile
		return h.OnImageFileDone(ctx, &f)
	}
	return nil
}
