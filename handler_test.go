package assistants

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// stRequiresActionRun is a run in requires_action asking for two outputs.
const stRequiresActionRun = `{"id":"run_1","object":"thread.run","thread_id":"thread_1","assistant_id":"asst_1","status":"requires_action",` +
	`"required_action":{"type":"submit_tool_outputs","submit_tool_outputs":{"tool_calls":[` +
	`{"id":"call_a","type":"function","function":{"name":"get_rain_probability","arguments":"{\"location\":\"SF\"}"}},` +
	`{"id":"call_b","type":"function","function":{"name":"get_current_temperature","arguments":"{\"location\":\"SF\"}"}}]}}}`

func stToolCallsStream() []string {
	return []string{
		stSseFrame(EventThreadRunCreated, stRunJSON("queued")),
		stSseFrame(EventThreadRunInProgress, stRunJSON("in_progress")),
		stSseFrame(EventThreadRunStepCreated, `{"id":"step_1","object":"thread.run.step","type":"tool_calls","status":"in_progress","step_details":{"type":"tool_calls","tool_calls":[]}}`),
		stSseFrame(EventThreadRunStepDelta, `{"id":"step_1","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"get_rain_probability","arguments":"{\"location\":\"SF\"}"}}]}}}`),
		stSseFrame(EventThreadRunStepDelta, `{"id":"step_1","delta":{"step_details":{"type":"tool_calls","tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"get_current_temperature","arguments":"{\"location\":\"SF\"}"}}]}}}`),
		stSseFrame(EventThreadRunRequiresAction, stRequiresActionRun),
		stSseDone,
	}
}

func stAnswerStream(text string) []string {
	return []string{
		stSseFrame(EventThreadRunQueued, stRunJSON("queued")),
		stSseFrame(EventThreadRunStepCompleted, `{"id":"step_1","object":"thread.run.step","type":"tool_calls","status":"completed","step_details":{"type":"tool_calls","tool_calls":[{"id":"call_a","type":"function","function":{"name":"get_rain_probability","arguments":"{\"location\":\"SF\"}","output":"0.06"}},{"id":"call_b","type":"function","function":{"name":"get_current_temperature","arguments":"{\"location\":\"SF\"}","output":"57"}}]}}`),
		stSseFrame(EventThreadMessageCreated, `{"id":"msg_2","object":"thread.message","role":"assistant","status":"in_progress","content":[]}`),
		stSseFrame(EventThreadMessageDelta, fmt.Sprintf(`{"id":"msg_2","delta":{"content":[{"index":0,"type":"text","text":{"value":%q}}]}}`, text)),
		stSseFrame(EventThreadRunCompleted, stRunJSON("completed")),
		stSseDone,
	}
}

// stWeatherOutputs answers the calls of a run like the seed's handler.
func stWeatherOutputs(run *Run) []ToolOutput {
	var outs []ToolOutput
	for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
		switch call.Function.Name {
		case "get_current_temperature":
			outs = append(outs, ToolOutput{ToolCallID: call.ID, Output: "57"})
		case "get_rain_probability":
			outs = append(outs, ToolOutput{ToolCallID: call.ID, Output: "0.06"})
		}
	}
	return outs
}

func TestHandlerRequiresActionSubmitsAllOutputsOnce(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stToolCallsStream()...)
	})
	var submissions atomic.Int32
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		submissions.Add(1)
		assert.Equal(t, "text/event-stream", r.Header.Get("Accept"))
		testBody(t, r, `{"tool_outputs":[{"tool_call_id":"call_a","output":"0.06"},{"tool_call_id":"call_b","output":"57"}],"stream":true}`)
		stServeSSE(w, stAnswerStream("It is 57°F with a 6% chance of rain.")...)
	})

	var events []string
	var text strings.Builder
	var done []string
	asked := 0
	h := &Handler{
		OnEvent: func(_ context.Context, ev Event) error { events = append(events, ev.Type); return nil },
		OnRequiresAction: func(_ context.Context, run *Run) ([]ToolOutput, error) {
			asked++
			return stWeatherOutputs(run), nil
		},
		OnTextDelta: func(_ context.Context, d *TextDelta, _ *Text) error { text.WriteString(d.Value); return nil },
		OnToolCallDone: func(_ context.Context, call *ToolCall) error {
			done = append(done, call.ID+" "+call.Function.Arguments)
			return nil
		},
	}
	run, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, h)
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Equal(t, int32(1), submissions.Load(), "exactly one submission")
	assert.Equal(t, 1, asked)
	assert.Equal(t, "It is 57°F with a 6% chance of rain.", text.String(), "the same handler got the second stream")
	assert.Equal(t, []string{`call_a {"location":"SF"}`, `call_b {"location":"SF"}`}, done, "each call is done once, across both streams")
	assert.Equal(t, []string{
		EventThreadRunCreated, EventThreadRunInProgress, EventThreadRunStepCreated, EventThreadRunStepDelta, EventThreadRunStepDelta, EventThreadRunRequiresAction,
		EventThreadRunQueued, EventThreadRunStepCompleted, EventThreadMessageCreated, EventThreadMessageDelta, EventThreadRunCompleted,
	}, events)
}

func TestHandlerSeveralRequiresActionRounds(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stToolCallsStream()...)
	})
	var submissions atomic.Int32
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		if submissions.Add(1) == 1 {
			stServeSSE(w, stSseFrame(EventThreadRunQueued, stRunJSON("queued")), stSseFrame(EventThreadRunRequiresAction, stRequiresActionRun), stSseDone)
			return
		}
		stServeSSE(w, stAnswerStream("ok")...)
	})
	rounds := 0
	run, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, &Handler{
		OnRequiresAction: func(_ context.Context, run *Run) ([]ToolOutput, error) { rounds++; return stWeatherOutputs(run), nil },
	})
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Equal(t, 2, rounds)
	assert.Equal(t, int32(2), submissions.Load())
}

func TestHandlerNilOutputsReturnsRunInRequiresAction(t *testing.T) {
	c, mux, hits := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stToolCallsStream()...)
	})
	for name, h := range map[string]EventHandler{
		"Handler returning nil":            &Handler{OnRequiresAction: func(context.Context, *Run) ([]ToolOutput, error) { return nil, nil }},
		"Handler without OnRequiresAction": &Handler{},
		"plain EventHandler":               EventHandlerFunc(func(context.Context, Event) error { return nil }),
	} {
		t.Run(name, func(t *testing.T) {
			before := hits.Load()
			run, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, h)
			require.NoError(t, err)
			assert.Equal(t, RunStatusRequiresAction, run.Status)
			assert.Len(t, run.RequiredAction.SubmitToolOutputs.ToolCalls, 2)
			assert.Equal(t, before+1, hits.Load(), "nothing was submitted")
		})
	}
}

var errStStop = errors.New("stop here")

func TestHandlerErrorStopsStream(t *testing.T) {
	c, mux, _ := setup(t)
	gone := stBlockingServer(t, mux, "POST /threads/thread_1/runs", stSimpleRun()[:4]...)
	var deltas int
	var after []string
	h := &Handler{
		OnTextDelta: func(context.Context, *TextDelta, *Text) error { deltas++; return errStStop },
		OnEvent: func(_ context.Context, ev Event) error {
			if deltas > 0 {
				after = append(after, ev.Type)
			}
			return nil
		},
	}
	_, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, h)
	require.ErrorIs(t, err, errStStop)
	assert.True(t, strings.HasPrefix(err.Error(), "assistants: event handler: "), err.Error())
	assert.Equal(t, 1, deltas)
	assert.Empty(t, after, "no event after the error")
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the stream was not closed")
	}

	// The same for a plain EventHandler and for OnRequiresAction.
	c2, mux2, _ := setup(t)
	mux2.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) { stServeSSE(w, stToolCallsStream()...) })
	_, err = c2.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"},
		EventHandlerFunc(func(_ context.Context, ev Event) error {
			if ev.Type == EventThreadRunStepDelta {
				return errStStop
			}
			return nil
		}))
	assert.ErrorIs(t, err, errStStop)
	assert.ErrorContains(t, err, "assistants: event handler: stop here")
	_, err = c2.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"},
		&Handler{OnRequiresAction: func(context.Context, *Run) ([]ToolOutput, error) { return nil, errStStop }})
	assert.ErrorIs(t, err, errStStop)
	assert.ErrorContains(t, err, "assistants: event handler: stop here")
}

func TestHandlerOnErrorSeesStreamErrors(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stSseFrame(EventThreadRunCreated, stRunJSON("queued")), stSseFrame(EventError, `{"message":"boom","type":"server_error"}`))
	})
	var seen []error
	_, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"},
		&Handler{OnError: func(_ context.Context, err error) { seen = append(seen, err) }})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, "boom", apiErr.Message)
	require.Len(t, seen, 1)
	assert.Equal(t, err, seen[0])

	// HandleEvent fed an error event directly passes it to OnError too.
	seen = nil
	h := &Handler{OnError: func(_ context.Context, err error) { seen = append(seen, err) }}
	require.NoError(t, h.HandleEvent(context.Background(), Event{Type: EventError, Data: []byte(`{"error":{"message":"m"}}`)}))
	require.Len(t, seen, 1)
	assert.ErrorAs(t, seen[0], &apiErr)
}

func TestHandlerDriversValidate(t *testing.T) {
	c, _, hits := setup(t)
	ctx := context.Background()
	_, err := c.Runs.CreateAndStream(ctx, "thread_1", RunCreateParams{AssistantID: "asst_1"}, nil)
	assert.ErrorContains(t, err, "nil EventHandler")
	_, err = c.Runs.SubmitToolOutputsAndStream(ctx, "thread_1", "run_1", []ToolOutput{{ToolCallID: "c"}}, nil)
	assert.ErrorContains(t, err, "nil EventHandler")
	_, err = c.Threads.CreateAndRunAndStream(ctx, CreateAndRunParams{AssistantID: "asst_1"}, nil)
	assert.ErrorContains(t, err, "nil EventHandler")
	_, err = c.Runs.CreateAndStream(ctx, "thread_1", RunCreateParams{}, &Handler{})
	assert.ErrorContains(t, err, "AssistantID")
	assert.Equal(t, int64(0), hits.Load())
}

func TestHandlerSubmitToolOutputsAndStream(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		testBody(t, r, `{"tool_outputs":[{"tool_call_id":"call_a","output":"1"}],"stream":true}`)
		stServeSSE(w, stAnswerStream("fine")...)
	})
	var msgs []string
	run, err := c.Runs.SubmitToolOutputsAndStream(context.Background(), "thread_1", "run_1", []ToolOutput{{ToolCallID: "call_a", Output: "1"}}, &Handler{
		OnMessageDone: func(_ context.Context, m *Message) error { msgs = append(msgs, m.Text()); return nil },
		OnRunStepDone: func(_ context.Context, s *RunStep) error {
			msgs = append(msgs, s.StepDetails.ToolCalls[1].Function.Output)
			return nil
		},
	})
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Equal(t, []string{"57"}, msgs, "the message never completed, the step did")
}

func TestHandlerCallbacksSeeSnapshots(t *testing.T) {
	var mu sync.Mutex
	var log []string
	add := func(s string) { mu.Lock(); log = append(log, s); mu.Unlock() }
	h := &Handler{
		OnRunUpdate:      func(_ context.Context, r *Run) error { add("run " + string(r.Status)); return nil },
		OnMessageCreated: func(_ context.Context, m *Message) error { add("msg created " + m.ID); return nil },
		OnMessageDelta: func(_ context.Context, d *MessageDelta, s *Message) error {
			add(fmt.Sprintf("msg delta %q -> %q", d.Delta.Content[0].Text.Value, s.Text()))
			return nil
		},
		OnRunStepCreated: func(_ context.Context, s *RunStep) error { add("step created " + s.ID); return nil },
		OnRunStepDelta: func(_ context.Context, d *RunStepDelta, s *RunStep) error {
			add(fmt.Sprintf("step delta %d -> %d calls", *d.Delta.StepDetails.ToolCalls[0].Index, len(s.StepDetails.ToolCalls)))
			return nil
		},
		OnToolCallCreated: func(_ context.Context, c *ToolCall) error { add("call created " + c.ID); return nil },
		OnToolCallDelta: func(_ context.Context, d *ToolCall, s *ToolCall) error {
			add(fmt.Sprintf("call delta %d %s", *d.Index, s.Function.Arguments))
			return nil
		},
		OnEnd: func(_ context.Context, r *Run) error { add("end " + string(r.Status)); return nil },
	}
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stToolCallsStream()...)
	})
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		stServeSSE(w, stAnswerStream("Sunny")...)
	})
	h.OnRequiresAction = func(_ context.Context, run *Run) ([]ToolOutput, error) { return stWeatherOutputs(run), nil }
	_, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, h)
	require.NoError(t, err)
	assert.Equal(t, []string{
		"run queued", "run in_progress",
		"step created step_1",
		"step delta 0 -> 1 calls", "call created call_a", `call delta 0 {"location":"SF"}`,
		"step delta 1 -> 2 calls", "call created call_b", `call delta 1 {"location":"SF"}`,
		"run requires_action",
		"run queued",
		"msg created msg_2",
		`msg delta "Sunny" -> "Sunny"`,
		"run completed", "end completed",
	}, log)
}
