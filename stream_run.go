package assistants

import (
	"context"
	"errors"
	"fmt"
)

// Streaming calls come in two forms:
//
//   - CreateStream, SubmitToolOutputsStream and Threads.CreateAndRunStream
//     return a *Stream to read yourself (pull).
//   - CreateAndStream, SubmitToolOutputsAndStream and
//     Threads.CreateAndRunAndStream ("X and stream": do X, then stream the
//     run to its end) feed every event to an EventHandler, answer
//     requires_action through it, and return the final run.

// CreateStream starts a run like Create, with "stream": true, and returns
// its events as a Stream. The caller must Close it.
func (s *RunsService) CreateStream(ctx context.Context, threadID string, params RunCreateParams) (*Stream, error) {
	return s.client.openStream(ctx, func(ctx context.Context) (*request, error) {
		return s.newCreate(ctx, threadID, params, true)
	})
}

// SubmitToolOutputsStream answers the tool calls of a run in requires_action,
// like SubmitToolOutputs, and returns the events of the resumed run as a
// Stream. All outputs of one required action must be sent together. The
// caller must Close the stream.
func (s *RunsService) SubmitToolOutputsStream(ctx context.Context, threadID, runID string, outputs []ToolOutput) (*Stream, error) {
	return s.client.openStream(ctx, func(ctx context.Context) (*request, error) {
		return s.newSubmit(ctx, threadID, runID, outputs, true)
	})
}

// CreateAndRunStream creates a thread and starts a run on it, like
// CreateAndRun, and returns the events (thread.created first) as a Stream.
// The caller must Close it.
func (s *ThreadsService) CreateAndRunStream(ctx context.Context, params CreateAndRunParams) (*Stream, error) {
	return s.client.openStream(ctx, func(ctx context.Context) (*request, error) {
		return s.newCreateAndRun(ctx, params, true)
	})
}

// CreateAndStream starts a streaming run and drives it to its end: every
// event goes to h; when the run requires action and h is also a
// RequiresActionHandler (a *Handler is), its outputs are submitted in one
// streaming request and the events of the resumed run go to the same h. It
// returns the last run: ended, or in requires_action if h gave no outputs.
//
// An error returned by h stops the stream and is returned wrapped as
// "assistants: event handler: ...". Cancelling ctx stops the stream.
func (s *RunsService) CreateAndStream(ctx context.Context, threadID string, params RunCreateParams, h EventHandler) (*Run, error) {
	if h == nil {
		return nil, errors.New("assistants: CreateAndStream: nil EventHandler")
	}
	st, err := s.CreateStream(ctx, threadID, params)
	if err != nil {
		notifyDriveError(ctx, h, err)
		return nil, err
	}
	return s.client.drive(ctx, st, h)
}

// SubmitToolOutputsAndStream submits tool outputs with SubmitToolOutputsStream
// and drives the resumed run to its end like CreateAndStream.
func (s *RunsService) SubmitToolOutputsAndStream(ctx context.Context, threadID, runID string, outputs []ToolOutput, h EventHandler) (*Run, error) {
	if h == nil {
		return nil, errors.New("assistants: SubmitToolOutputsAndStream: nil EventHandler")
	}
	st, err := s.SubmitToolOutputsStream(ctx, threadID, runID, outputs)
	if err != nil {
		notifyDriveError(ctx, h, err)
		return nil, err
	}
	return s.client.drive(ctx, st, h)
}

// CreateAndRunAndStream creates a thread and starts a streaming run on it
// (CreateAndRunStream), then drives the run to its end like
// Runs.CreateAndStream: every event goes to h, requires_action is answered
// through h, and the last run is returned.
func (s *ThreadsService) CreateAndRunAndStream(ctx context.Context, params CreateAndRunParams, h EventHandler) (*Run, error) {
	if h == nil {
		return nil, errors.New("assistants: CreateAndRunAndStream: nil EventHandler")
	}
	st, err := s.CreateAndRunStream(ctx, params)
	if err != nil {
		notifyDriveError(ctx, h, err)
		return nil, err
	}
	return s.client.drive(ctx, st, h)
}

// drive feeds st to h to its end, answers requires_action through h with
// one streaming submission per round, and returns the last run.
func (c *Client) drive(ctx context.Context, st *Stream, h EventHandler) (*Run, error) {
	for {
		if err := feed(ctx, st, h); err != nil {
			return nil, err
		}
		run := st.acc.run
		if run == nil {
			err := errors.New("assistants: the stream carried no run")
			notifyDriveError(ctx, h, err)
			return nil, err
		}
		if run.Status != RunStatusRequiresAction {
			return run, nil
		}
		ra, ok := h.(RequiresActionHandler)
		if !ok {
			return run, nil
		}
		outputs, err := ra.HandleRequiresAction(ctx, run)
		if err != nil {
			return nil, fmt.Errorf("assistants: event handler: %w", err)
		}
		if len(outputs) == 0 {
			return run, nil
		}
		if err := ctx.Err(); err != nil {
			notifyDriveError(ctx, h, err)
			return nil, err
		}
		next, err := c.Runs.SubmitToolOutputsStream(ctx, run.ThreadID, run.ID, outputs)
		if err != nil {
			notifyDriveError(ctx, h, err)
			return nil, err
		}
		// The resumed run continues the same snapshots: steps whose calls
		// were answered complete in the new stream, and "done" callbacks
		// already made are not repeated.
		next.acc = st.acc
		next.acc.run = nil
		st = next
	}
}

// feed passes every event of st to h and closes st.
func feed(ctx context.Context, st *Stream, h EventHandler) error {
	defer st.Close()
	// A *Handler reads the stream's snapshots instead of keeping its own.
	// Only an exact *Handler: a type embedding one may override HandleEvent.
	hh, _ := h.(*Handler)
	for st.Next() {
		var err error
		if hh != nil {
			err = hh.dispatch(ctx, st.acc, st.cur)
		} else {
			err = h.HandleEvent(ctx, st.cur)
		}
		if err != nil {
			return fmt.Errorf("assistants: event handler: %w", err)
		}
	}
	if err := st.Err(); err != nil {
		notifyDriveError(ctx, h, err)
		return err
	}
	return nil
}

func notifyDriveError(ctx context.Context, h EventHandler, err error) {
	if eh, ok := h.(driveErrorHandler); ok {
		eh.handleDriveError(ctx, err)
	}
}
