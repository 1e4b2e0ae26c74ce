package assistants

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Close from another goroutine interrupts a Next blocked on the network,
// without a data race (run with -race) and without an error.
func TestStreamCloseFromAnotherGoroutine(t *testing.T) {
	c, mux, _ := setup(t)
	gone := stBlockingServer(t, mux, "POST /threads/thread_1/runs", stSimpleRun()[:2]...)
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	read := make(chan int)
	go func() {
		n := 0
		for s.Next() {
			n++
		}
		read <- n
	}()
	time.Sleep(50 * time.Millisecond) // let Next block after the two events
	require.NoError(t, s.Close())
	select {
	case n := <-read:
		assert.Equal(t, 2, n)
	case <-time.After(5 * time.Second):
		t.Fatal("Next is still blocked after Close")
	}
	assert.NoError(t, s.Err(), "closing is not an error")
	assert.NoError(t, s.Close())
	select {
	case <-gone:
	case <-time.After(5 * time.Second):
		t.Fatal("the server did not see the client disconnect")
	}
	run, err := s.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, RunStatusInProgress, run.Status, "the last run seen")
}

// A type embedding *Handler that defines its own HandleEvent is fed through
// it: the drivers must not bypass the override.
type stWrappedHandler struct {
	*Handler
	seen []string
}

func (w *stWrappedHandler) HandleEvent(ctx context.Context, ev Event) error {
	w.seen = append(w.seen, ev.Type)
	return w.Handler.HandleEvent(ctx, ev)
}

func TestHandlerEmbeddedHandleEventIsCalled(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stToolCallsStream()...)
	})
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stAnswerStream("ok")...)
	})
	var text string
	var done []string
	h := &stWrappedHandler{Handler: &Handler{
		OnRequiresAction: func(_ context.Context, run *Run) ([]ToolOutput, error) { return stWeatherOutputs(run), nil },
		OnTextDone:       func(_ context.Context, t *Text) error { text = t.Value; return nil },
		OnToolCallDone:   func(_ context.Context, c *ToolCall) error { done = append(done, c.ID); return nil },
	}}
	run, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, h)
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Len(t, h.seen, 11, "every event of both streams went through the override")
	assert.Equal(t, "ok", text, "the embedded Handler's callbacks still run")
	assert.Equal(t, []string{"call_a", "call_b"}, done)
}

// A failed submission (an HTTP error) ends the driver with the *APIError,
// which OnError sees too.
func TestHandlerSubmissionFailure(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, stToolCallsStream()...)
	})
	mux.HandleFunc("POST /threads/thread_1/runs/run_1/submit_tool_outputs", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"error":{"message":"Runs in status \"expired\" do not accept tool outputs.","type":"invalid_request_error"}}`))
	})
	var seen []error
	run, err := c.Runs.CreateAndStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"}, &Handler{
		OnRequiresAction: func(_ context.Context, run *Run) ([]ToolOutput, error) { return stWeatherOutputs(run), nil },
		OnError:          func(_ context.Context, err error) { seen = append(seen, err) },
	})
	assert.Nil(t, run)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusBadRequest, apiErr.StatusCode)
	assert.Equal(t, "invalid_request_error", apiErr.Type)
	assert.Equal(t, []error{err}, seen)
}

// CurrentMessage and CurrentRunStep give the latest message and step as
// accumulated so far, as copies.
func TestStreamCurrentMessageAndRunStep(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		frames := stToolCallsStream()
		stServeSSE(w, append(frames[:5:5], stSimpleRun()[2:]...)...)
	})
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	defer s.Close()
	assert.Nil(t, s.CurrentMessage())
	assert.Nil(t, s.CurrentRunStep())
	var texts []string
	for s.Next() {
		if s.Event().Type == EventThreadMessageDelta {
			texts = append(texts, s.CurrentMessage().Text())
		}
		if s.Event().Type == EventThreadRunStepDelta {
			step := s.CurrentRunStep()
			require.NotNil(t, step)
			assert.Equal(t, "step_1", step.ID)
			assert.Nil(t, s.CurrentMessage())
		}
	}
	require.NoError(t, s.Err())
	assert.Equal(t, []string{"Hel", "Hello"}, texts)
	m := s.CurrentMessage()
	m.Content[0].Text.Value = "changed"
	assert.Equal(t, "Hello", s.CurrentMessage().Text())
	assert.Len(t, s.CurrentRunStep().StepDetails.ToolCalls, 2)
}

// TextDelta is "" once Next has returned false, like Event is zero.
func TestStreamTextDeltaClearedAtEnd(t *testing.T) {
	c, mux, _ := setup(t)
	mux.HandleFunc("POST /threads/thread_1/runs", func(w http.ResponseWriter, r *http.Request) {
		stServeSSE(w, append(stSimpleRun()[:4], stSseDone)...)
	})
	s, err := c.Runs.CreateStream(context.Background(), "thread_1", RunCreateParams{AssistantID: "asst_1"})
	require.NoError(t, err)
	defer s.Close()
	for s.Next() {
	}
	require.NoError(t, s.Err())
	assert.Equal(t, Event{}, s.Event())
	assert.Equal(t, "", s.TextDelta())
}
