package assistants

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/tidwall/gjson"
)

// The names of the events of an Assistants run stream (Event.Type).
const (
	// EventThreadCreated carries the Thread created by Threads.CreateAndRunStream.
	EventThreadCreated = "thread.created"

	// EventThreadRunCreated and the other EventThreadRun* events carry the Run
	// in its new status.
	EventThreadRunCreated = "thread.run.created"
	// EventThreadRunQueued: the run moved to queued.
	EventThreadRunQueued = "thread.run.queued"
	// EventThreadRunInProgress: the run moved to in_progress.
	EventThreadRunInProgress = "thread.run.in_progress"
	// EventThreadRunRequiresAction: the run waits for tool outputs.
	EventThreadRunRequiresAction = "thread.run.requires_action"
	// EventThreadRunCompleted: the run completed.
	EventThreadRunCompleted = "thread.run.completed"
	// EventThreadRunIncomplete: the run ended early (see Run.IncompleteDetails).
	EventThreadRunIncomplete = "thread.run.incomplete"
	// EventThreadRunFailed: the run failed (see Run.LastError).
	EventThreadRunFailed = "thread.run.failed"
	// EventThreadRunCancelling: the run is being cancelled.
	EventThreadRunCancelling = "thread.run.cancelling"
	// EventThreadRunCancelled: the run was cancelled.
	EventThreadRunCancelled = "thread.run.cancelled"
	// EventThreadRunExpired: the run expired.
	EventThreadRunExpired = "thread.run.expired"

	// EventThreadRunStepCreated and the other EventThreadRunStep* events but
	// the delta carry the RunStep in its new status.
	EventThreadRunStepCreated = "thread.run.step.created"
	// EventThreadRunStepInProgress: the step moved to in_progress.
	EventThreadRunStepInProgress = "thread.run.step.in_progress"
	// EventThreadRunStepDelta carries a RunStepDelta: a piece of a step's tool calls.
	EventThreadRunStepDelta = "thread.run.step.delta"
	// EventThreadRunStepCompleted: the step completed.
	EventThreadRunStepCompleted = "thread.run.step.completed"
	// EventThreadRunStepFailed: the step failed.
	EventThreadRunStepFailed = "thread.run.step.failed"
	// EventThreadRunStepCancelled: the step was cancelled.
	EventThreadRunStepCancelled = "thread.run.step.cancelled"
	// EventThreadRunStepExpired: the step expired.
	EventThreadRunStepExpired = "thread.run.step.expired"

	// EventThreadMessageCreated and the other EventThreadMessage* events but
	// the delta carry the Message in its new status.
	EventThreadMessageCreated = "thread.message.created"
	// EventThreadMessageInProgress: the message moved to in_progress.
	EventThreadMessageInProgress = "thread.message.in_progress"
	// EventThreadMessageDelta carries a MessageDelta: a piece of a message's content.
	EventThreadMessageDelta = "thread.message.delta"
	// EventThreadMessageCompleted: the message is complete.
	EventThreadMessageCompleted = "thread.message.completed"
	// EventThreadMessageIncomplete: the message ended before it was complete.
	EventThreadMessageIncomplete = "thread.message.incomplete"

	// EventError carries an error object; a Stream ends with it as an
	// *APIError from Err instead of delivering it.
	EventError = "error"
	// EventDone ends the stream (its data is "[DONE]"); a Stream does not
	// deliver it: Next returns false and Err nil.
	EventDone = "done"
)

const (
	runEventPrefix     = "thread.run."
	stepEventPrefix    = "thread.run.step."
	messageEventPrefix = "thread.message."
)

// IsRunEvent reports whether the event carries a Run (thread.run.*, not the
// step events).
func (e Event) IsRunEvent() bool {
	return strings.HasPrefix(e.Type, runEventPrefix) && !strings.HasPrefix(e.Type, stepEventPrefix)
}

// IsRunStepEvent reports whether the event is about a run step
// (thread.run.step.*, the delta included).
func (e Event) IsRunStepEvent() bool { return strings.HasPrefix(e.Type, stepEventPrefix) }

// IsMessageEvent reports whether the event is about a message
// (thread.message.*, the delta included).
func (e Event) IsMessageEvent() bool { return strings.HasPrefix(e.Type, messageEventPrefix) }

// IsDelta reports whether the event is a message or run step delta.
func (e Event) IsDelta() bool {
	return e.Type == EventThreadMessageDelta || e.Type == EventThreadRunStepDelta
}

// Clone returns a copy of the event whose Data does not share memory with
// the stream, for keeping an event past the next call to Stream.Next.
func (e Event) Clone() Event {
	if e.Data != nil {
		e.Data = append(json.RawMessage(nil), e.Data...)
	}
	return e
}

// Get reads one field of the event's data with a gjson path, such as
// "delta.content.0.text.value" or "status". The result is a copy: it stays
// valid after the stream moves on.
func (e Event) Get(path string) gjson.Result { return gjson.GetBytes(e.Data, path) }

// Run decodes the Run carried by a thread.run.* event.
func (e Event) Run() (*Run, error) {
	if !e.IsRunEvent() {
		return nil, e.wrongType("a run")
	}
	run := new(Run)
	if err := e.decode(run); err != nil {
		return nil, err
	}
	return run, nil
}

// RunStep decodes the RunStep carried by a thread.run.step.* event other
// than the delta.
func (e Event) RunStep() (*RunStep, error) {
	if !e.IsRunStepEvent() || e.Type == EventThreadRunStepDelta {
		return nil, e.wrongType("a run step")
	}
	step := new(RunStep)
	if err := e.decode(step); err != nil {
		return nil, err
	}
	return step, nil
}

// RunStepDelta decodes the delta carried by a thread.run.step.delta event.
func (e Event) RunStepDelta() (*RunStepDelta, error) {
	if e.Type != EventThreadRunStepDelta {
		return nil, e.wrongType("a run step delta")
	}
	d := new(RunStepDelta)
	if err := e.decode(d); err != nil {
		return nil, err
	}
	return d, nil
}

// Message decodes the Message carried by a thread.message.* event other
// than the delta.
func (e Event) Message() (*Message, error) {
	if !e.IsMessageEvent() || e.Type == EventThreadMessageDelta {
		return nil, e.wrongType("a message")
	}
	m := new(Message)
	if err := e.decode(m); err != nil {
		return nil, err
	}
	return m, nil
}

// MessageDelta decodes the delta carried by a thread.message.delta event.
func (e Event) MessageDelta() (*MessageDelta, error) {
	if e.Type != EventThreadMessageDelta {
		return nil, e.wrongType("a message delta")
	}
	d := new(MessageDelta)
	if err := e.decode(d); err != nil {
		return nil, err
	}
	return d, nil
}

// Thread decodes the Thread carried by a thread.created event.
func (e Event) Thread() (*Thread, error) {
	if e.Type != EventThreadCreated {
		return nil, e.wrongType("a thread")
	}
	t := new(Thread)
	if err := e.decode(t); err != nil {
		return nil, err
	}
	return t, nil
}

// Error returns the error carried by an "error" event (its data may be the
// error object itself or {"error": {...}}; other data becomes the Message),
// or nil for any other event.
func (e Event) Error() *APIError {
	if e.Type != EventError {
		return nil
	}
	return streamAPIError(e.Data)
}

// streamAPIError turns the data of an error event into an *APIError.
func streamAPIError(data []byte) *APIError {
	apiErr, ok := apiErrorFromObject(data)
	if !ok {
		apiErr = &APIError{Message: plainMessage(data)}
		if apiErr.Message == "" {
			apiErr.Message = "the stream sent an error event without details"
		}
	}
	apiErr.Body = append([]byte(nil), data...)
	return apiErr
}

func (e Event) wrongType(what string) error {
	return fmt.Errorf("assistants: event %q does not carry %s", e.Type, what)
}

func (e Event) decode(v any) error {
	if err := json.Unmarshal(e.Data, v); err != nil {
		return fmt.Errorf("assistants: decoding %s event: %w", e.Type, err)
	}
	return nil
}
