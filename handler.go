package assistants

import (
	"context"
	"encoding/json"
)

// Event is one server-sent event of a run stream: its name (such as
// "thread.message.delta") and its JSON data.
type Event struct {
	Type string
	Data json.RawMessage
}

// EventHandler receives every event of a stream. Returning an error stops
// the stream; the error is returned, wrapped, by the call that drove it.
type EventHandler interface {
	HandleEvent(ctx context.Context, ev Event) error
}

// RequiresActionHandler answers a run that waits for tool outputs. It returns
// an output for every call in run.RequiredAction.SubmitToolOutputs.ToolCalls;
// they are submitted together. Returning no outputs and no error leaves the
// run in requires_action and hands it back to the caller.
type RequiresActionHandler interface {
	HandleRequiresAction(ctx context.Context, run *Run) ([]ToolOutput, error)
}
