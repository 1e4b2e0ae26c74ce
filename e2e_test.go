package assistants_test

// End-to-end tests: the SDK's whole surface driven against the in-process
// server of package assistantstest, over real HTTP on loopback.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

// e2eSetup starts a server with opts and returns it with a client for it.
// The server is closed when the test ends.
func e2eSetup(t *testing.T, opts ...assistantstest.Option) (*assistantstest.Server, *assistants.Client) {
	t.Helper()
	s := assistantstest.NewServer(opts...)
	t.Cleanup(s.Close)
	return s, s.Client()
}

// e2eCtx returns a context that ends with the test (or after 30 s, so that a
// hang fails instead of blocking the whole run).
func e2eCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// e2eAPIError asserts that err is an *APIError with this status and returns it.
func e2eAPIError(t *testing.T, err error, status int) *assistants.APIError {
	t.Helper()
	require.Error(t, err)
	var apiErr *assistants.APIError
	require.ErrorAs(t, err, &apiErr, "error %v is not an *APIError", err)
	require.Equal(t, status, apiErr.StatusCode, "error: %v", err)
	assert.NotEmpty(t, apiErr.Message)
	assert.NotEmpty(t, apiErr.RequestID, "x-request-id is kept")
	return apiErr
}

// e2eThread creates a thread holding one user message.
func e2eThread(t *testing.T, ctx context.Context, c *assistants.Client, text string) *assistants.Thread {
	t.Helper()
	th, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
	require.NoError(t, err)
	_, err = c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: text})
	require.NoError(t, err)
	return th
}

// e2eAssistantReplies lists the assistant messages of a thread, oldest first.
func e2eAssistantReplies(t *testing.T, ctx context.Context, c *assistants.Client, threadID string) []assistants.Message {
	t.Helper()
	page, err := c.Messages.List(ctx, threadID, assistants.MessageListParams{ListParams: assistants.ListParams{Order: assistants.OrderAsc, Limit: 100}})
	require.NoError(t, err)
	var out []assistants.Message
	for _, m := range page.Data {
		if m.Role == assistants.RoleAssistant {
			out = append(out, m)
		}
	}
	return out
}

// e2eRequests returns the recorded requests matching method and a path suffix.
func e2eRequests(s *assistantstest.Server, method, suffix string) []assistantstest.Request {
	var out []assistantstest.Request
	for _, r := range s.Requests() {
		if r.Method == method && strings.HasSuffix(r.Path, suffix) {
			out = append(out, r)
		}
	}
	return out
}

var e2eWeatherTools = []assistants.Tool{
	assistants.FunctionTool(assistants.FunctionDefinition{
		Name:        "get_current_temperature",
		Description: "Get the current temperature for a specific location",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"location":{"type":"string","description":"The city and state, e.g., San Francisco, CA"},
			"unit":{"type":"string","enum":["Celsius","Fahrenheit"],"description":"The temperature unit to use."}},
			"required":["location","unit"]}`),
	}),
	assistants.FunctionTool(assistants.FunctionDefinition{
		Name:        "get_rain_probability",
		Description: "Get the probability of rain for a specific location",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"location":{"type":"string","description":"The city and state, e.g., San Francisco, CA"}},
			"required":["location"]}`),
	}),
}

// e2eWeatherScript calls both weather functions in parallel, then answers.
func e2eWeatherScript(answer string) *assistantstest.Script {
	return assistantstest.NewScript(
		*assistantstest.CallReply(
			assistantstest.FunctionCall{Name: "get_current_temperature", Arguments: `{"location":"Paris, France","unit":"Celsius"}`},
			assistantstest.FunctionCall{Name: "get_rain_probability", Arguments: `{"location":"Paris, France"}`},
		),
		*assistantstest.TextReply(answer),
	)
}

// e2eWeatherOutput answers a weather call the way the tests expect.
func e2eWeatherOutput(name string) string {
	switch name {
	case "get_current_temperature":
		return `{"celsius":21}`
	case "get_rain_probability":
		return `{"probability":0.1}`
	}
	return `{"error":"unknown function"}`
}

// e2eSubmitted decodes the tool outputs of a recorded submit_tool_outputs request.
func e2eSubmitted(t *testing.T, r assistantstest.Request) (outputs map[string]string, stream bool) {
	t.Helper()
	var body struct {
		ToolOutputs []assistants.ToolOutput `json:"tool_outputs"`
		Stream      bool                    `json:"stream"`
	}
	require.NoError(t, json.Unmarshal(r.Body, &body), "body %s", r.Body)
	outputs = map[string]string{}
	for _, o := range body.ToolOutputs {
		outputs[o.ToolCallID] = o.Output
	}
	return outputs, body.Stream
}

func TestE2EConversationPolling(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)

	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{
		Model:        "gpt-4o",
		Name:         "Math Tutor",
		Instructions: "You are a personal math tutor. Answer questions briefly, in a sentence or less.",
	})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(a.ID, "asst_"), a.ID)
	assert.Equal(t, "Math Tutor", a.Name)
	assert.Equal(t, "gpt-4o", a.Model)

	th, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
	require.NoError(t, err)
	userMsg, err := c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{
		Role: assistants.RoleUser, Content: "I need to solve the equation `3x + 11 = 14`. Can you help me?",
	})
	require.NoError(t, err)
	assert.Equal(t, th.ID, userMsg.ThreadID)
	assert.Equal(t, "I need to solve the equation `3x + 11 = 14`. Can you help me?", userMsg.Text())

	run, err := c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	assert.Equal(t, th.ID, run.ThreadID)
	assert.Equal(t, a.ID, run.AssistantID)
	require.NotNil(t, run.Usage)
	assert.Positive(t, run.Usage.TotalTokens)
	// queued (creation) -> in_progress (1st GET) -> completed (2nd GET).
	assert.Equal(t, 2, s.RequestCount("GET", "/threads/*/runs/*"), "one state per poll")
	for _, r := range e2eRequests(s, "GET", "/runs/"+run.ID) {
		assert.Equal(t, "true", r.Header.Get("X-Stainless-Poll-Helper"))
	}

	// Newest first by default.
	page, err := c.Messages.List(ctx, th.ID, assistants.MessageListParams{})
	require.NoError(t, err)
	require.Len(t, page.Data, 2)
	answer := page.Data[0]
	assert.Equal(t, assistants.RoleAssistant, answer.Role)
	assert.Equal(t, run.ID, answer.RunID)
	assert.Contains(t, answer.Text(), "x = 1")
	assert.Equal(t, userMsg.ID, page.Data[1].ID)
	assert.False(t, page.HasMore)
	assert.Equal(t, answer.ID, page.FirstID)
	assert.Equal(t, userMsg.ID, page.LastID)

	// asc, then after the first message.
	asc, err := c.Messages.List(ctx, th.ID, assistants.MessageListParams{ListParams: assistants.ListParams{Order: assistants.OrderAsc}})
	require.NoError(t, err)
	require.Len(t, asc.Data, 2)
	assert.Equal(t, []string{userMsg.ID, answer.ID}, []string{asc.Data[0].ID, asc.Data[1].ID})
	after, err := c.Messages.List(ctx, th.ID, assistants.MessageListParams{ListParams: assistants.ListParams{Order: assistants.OrderAsc, After: userMsg.ID}})
	require.NoError(t, err)
	require.Len(t, after.Data, 1)
	assert.Equal(t, answer.ID, after.Data[0].ID)

	// Only the run's messages.
	byRun, err := c.Messages.List(ctx, th.ID, assistants.MessageListParams{RunID: run.ID})
	require.NoError(t, err)
	require.Len(t, byRun.Data, 1)
	assert.Equal(t, answer.ID, byRun.Data[0].ID)

	got, err := c.Messages.Get(ctx, th.ID, answer.ID)
	require.NoError(t, err)
	assert.Equal(t, answer.Text(), got.Text())

	var all []string
	for m, err := range c.Messages.ListAll(ctx, th.ID, assistants.MessageListParams{ListParams: assistants.ListParams{Limit: 1, Order: assistants.OrderAsc}}) {
		require.NoError(t, err)
		all = append(all, m.ID)
	}
	assert.Equal(t, []string{userMsg.ID, answer.ID}, all)

	// A follow-up on the same thread.
	_, err = c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "Can you explain it?"})
	require.NoError(t, err)
	run2, err := c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID}, assistants.WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run2.Status)
	replies := e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 2)
	assert.Contains(t, replies[1].Text(), "3x + 11 = 14")

	runs, err := c.Runs.List(ctx, th.ID, assistants.ListParams{Order: assistants.OrderAsc})
	require.NoError(t, err)
	require.Len(t, runs.Data, 2)
	assert.Equal(t, []string{run.ID, run2.ID}, []string{runs.Data[0].ID, runs.Data[1].ID})

	// Every request carried the SDK's headers.
	for _, r := range s.Requests() {
		assert.Equal(t, "Bearer test-key", r.Header.Get("Authorization"), r.Path)
		assert.Equal(t, "assistants=v2", r.Header.Get("OpenAI-Beta"), r.Path)
		assert.True(t, strings.HasPrefix(r.Header.Get("User-Agent"), "assistants-go/"), r.Header.Get("User-Agent"))
		if r.Method == http.MethodPost {
			assert.NotEmpty(t, r.Header.Get("Idempotency-Key"), r.Path)
		}
	}
}

func TestE2EStreamHandlerParallelFunctionCalls(t *testing.T) {
	const answer = "It is 21 degrees in Paris, with a 10% chance of rain. Enjoy the walk along the Seine!"
	script := e2eWeatherScript(answer)
	s, c := e2eSetup(t, assistantstest.WithModel(script))
	ctx := e2eCtx(t)

	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Name: "Weather Bot", Tools: e2eWeatherTools})
	require.NoError(t, err)
	th := e2eThread(t, ctx, c, "What's the weather in Paris today and the likelihood it'll rain?")

	var (
		events    []string
		deltas    strings.Builder
		actions   int
		callIDs   []string
		ended     []assistants.RunStatus
		doneTexts []string
		callsDone int
	)
	h := &assistants.Handler{
		OnEvent: func(_ context.Context, ev assistants.Event) error {
			events = append(events, ev.Type)
			return nil
		},
		OnTextDelta: func(_ context.Context, d *assistants.TextDelta, _ *assistants.Text) error {
			deltas.WriteString(d.Value)
			return nil
		},
		OnTextDone: func(_ context.Context, text *assistants.Text) error {
			doneTexts = append(doneTexts, text.Value)
			return nil
		},
		OnToolCallDone: func(_ context.Context, call *assistants.ToolCall) error {
			callsDone++
			return nil
		},
		OnRequiresAction: func(_ context.Context, run *assistants.Run) ([]assistants.ToolOutput, error) {
			actions++
			require.NotNil(t, run.RequiredAction)
			assert.Equal(t, "submit_tool_outputs", run.RequiredAction.Type)
			var outs []assistants.ToolOutput
			for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
				assert.Equal(t, "function", call.Type)
				assert.True(t, json.Valid([]byte(call.Function.Arguments)), call.Function.Arguments)
				callIDs = append(callIDs, call.ID)
				outs = append(outs, assistants.ToolOutput{ToolCallID: call.ID, Output: e2eWeatherOutput(call.Function.Name)})
			}
			return outs, nil
		},
		OnEnd: func(_ context.Context, run *assistants.Run) error {
			ended = append(ended, run.Status)
			return nil
		},
	}
	run, err := c.Runs.CreateAndStream(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID}, h)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	assert.Equal(t, 1, actions, "requires_action is answered once")
	require.Len(t, callIDs, 2, "two parallel calls")
	assert.Equal(t, 2, callsDone, "each tool call is done exactly once")
	assert.Equal(t, []assistants.RunStatus{assistants.RunStatusCompleted}, ended)
	assert.Equal(t, answer, deltas.String(), "the second stream's deltas reached the same handler")
	assert.Equal(t, []string{answer}, doneTexts)

	// Exactly one submission carrying both outputs, streamed.
	require.Equal(t, 1, s.RequestCount("POST", "/threads/*/runs/*/submit_tool_outputs"))
	subs := e2eRequests(s, "POST", "/submit_tool_outputs")
	require.Len(t, subs, 1)
	outs, stream := e2eSubmitted(t, subs[0])
	assert.True(t, stream)
	assert.Equal(t, map[string]string{callIDs[0]: `{"celsius":21}`, callIDs[1]: `{"probability":0.1}`}, outs)
	assert.Equal(t, "text/event-stream", subs[0].Header.Get("Accept"))
	assert.Zero(t, s.RequestCount("GET", "/threads/*/runs/*"), "streaming needs no polling")

	// The event order: the action, then the answer's deltas, then completion.
	ra := slices.Index(events, assistants.EventThreadRunRequiresAction)
	delta := slices.Index(events, assistants.EventThreadMessageDelta)
	require.GreaterOrEqual(t, ra, 0, "events %v", events)
	require.Greater(t, delta, ra, "events %v", events)
	assert.Equal(t, assistants.EventThreadRunCreated, events[0])
	assert.Equal(t, assistants.EventThreadRunCompleted, events[len(events)-1])
	completed := 0
	for _, ev := range events {
		if ev == assistants.EventThreadRunCompleted {
			completed++
		}
	}
	assert.Equal(t, 1, completed, "events %v", events)

	// The model saw both outputs.
	turns := script.Turns()
	require.Len(t, turns, 2)
	require.Len(t, turns[1].Results, 2)
	assert.Equal(t, `{"celsius":21}`, turns[1].Results[0].Output)
	assert.Equal(t, `{"probability":0.1}`, turns[1].Results[1].Output)

	replies := e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 1)
	assert.Equal(t, answer, replies[0].Text())

	// The steps: the function calls with their outputs, then the message.
	steps, err := c.Steps.List(ctx, th.ID, run.ID, assistants.StepListParams{ListParams: assistants.ListParams{Order: assistants.OrderAsc}})
	require.NoError(t, err)
	require.Len(t, steps.Data, 2)
	require.Equal(t, assistants.StepTypeToolCalls, steps.Data[0].Type)
	require.Len(t, steps.Data[0].StepDetails.ToolCalls, 2)
	for _, tc := range steps.Data[0].StepDetails.ToolCalls {
		require.NotNil(t, tc.Function)
		assert.Equal(t, e2eWeatherOutput(tc.Function.Name), tc.Function.Output)
	}
	assert.Equal(t, assistants.StepTypeMessageCreation, steps.Data[1].Type)

	// A pull stream on the same thread: FinalMessages gathers the deltas.
	script.Add(*assistantstest.TextReply("You're welcome! Take an umbrella just in case."))
	_, err = c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "Thanks!"})
	require.NoError(t, err)
	st, err := c.Runs.CreateStream(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	defer st.Close()
	msgs := st.FinalMessages()
	require.NoError(t, st.Err())
	require.Len(t, msgs, 1)
	assert.Equal(t, "You're welcome! Take an umbrella just in case.", msgs[0].Text())
	assert.Equal(t, assistants.MessageStatusCompleted, msgs[0].Status)
	final, err := st.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, final.Status)
	stepsSeen := st.FinalRunSteps()
	require.Len(t, stepsSeen, 1)
	assert.Equal(t, msgs[0].ID, stepsSeen[0].StepDetails.MessageCreation.MessageID)
	require.NoError(t, st.Close())
}

func TestE2EToolRunnerPolling(t *testing.T) {
	script := e2eWeatherScript("Warm and mostly dry.")
	s, c := e2eSetup(t, assistantstest.WithModel(script))
	ctx := e2eCtx(t)

	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Tools: e2eWeatherTools})
	require.NoError(t, err)
	th := e2eThread(t, ctx, c, "Weather in Paris?")

	type loc struct {
		Location string `json:"location"`
		Unit     string `json:"unit"`
	}
	var mu sync.Mutex
	var seen []string
	runner := assistants.NewToolRunner(map[string]assistants.ToolFunc{
		"get_current_temperature": assistants.ToolFuncOf(func(_ context.Context, l loc) (map[string]any, error) {
			mu.Lock()
			seen = append(seen, "temperature "+l.Location+" "+l.Unit)
			mu.Unlock()
			return map[string]any{"celsius": 21}, nil
		}),
		"get_rain_probability": assistants.ToolFuncOf(func(_ context.Context, l loc) (string, error) {
			mu.Lock()
			seen = append(seen, "rain "+l.Location)
			mu.Unlock()
			return "0.1", nil
		}),
	})
	run, err := c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID},
		assistants.WithRequiresActionHandler(runner))
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	slices.Sort(seen)
	assert.Equal(t, []string{"rain Paris, France", "temperature Paris, France Celsius"}, seen)

	subs := e2eRequests(s, "POST", "/submit_tool_outputs")
	require.Len(t, subs, 1)
	outs, stream := e2eSubmitted(t, subs[0])
	assert.False(t, stream)
	require.Len(t, outs, 2)
	turns := script.Turns()
	require.Len(t, turns, 2)
	got := map[string]string{}
	for _, r := range turns[1].Results {
		got[r.Function.Name] = r.Output
	}
	assert.Equal(t, map[string]string{"get_current_temperature": `{"celsius":21}`, "get_rain_probability": "0.1"}, got)
	replies := e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 1)
	assert.Equal(t, "Warm and mostly dry.", replies[0].Text())

	// Without a handler the poll stops at requires_action, and the outputs
	// can be submitted by hand.
	script.Add(*assistantstest.CallReply(assistantstest.FunctionCall{Name: "get_rain_probability", Arguments: `{"location":"Lyon"}`}),
		*assistantstest.TextReply("Dry in Lyon."))
	_, err = c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "And Lyon?"})
	require.NoError(t, err)
	run, err = c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusRequiresAction, run.Status)
	outputs, err := runner.HandleRequiresAction(ctx, run)
	require.NoError(t, err)
	run, err = c.Runs.SubmitToolOutputsAndPoll(ctx, th.ID, run.ID, outputs)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
}

func TestE2EToolRunnerStreaming(t *testing.T) {
	// The default model calls both weather functions in parallel for this
	// question and answers from their outputs.
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)

	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Tools: e2eWeatherTools})
	require.NoError(t, err)
	th := e2eThread(t, ctx, c, "What's the weather in San Francisco today and the likelihood it'll rain?")

	runner := assistants.NewToolRunner(map[string]assistants.ToolFunc{
		"get_current_temperature": func(_ context.Context, args json.RawMessage) (string, error) { return "57", nil },
		"get_rain_probability":    func(_ context.Context, args json.RawMessage) (string, error) { return "0.06", nil },
	})
	var text strings.Builder
	h := &assistants.Handler{
		OnRequiresAction: runner.HandleRequiresAction,
		OnTextDelta: func(_ context.Context, d *assistants.TextDelta, _ *assistants.Text) error {
			text.WriteString(d.Value)
			return nil
		},
	}
	run, err := c.Runs.CreateAndStream(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID}, h)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	require.Equal(t, 1, s.RequestCount("POST", "/threads/*/runs/*/submit_tool_outputs"))
	outs, stream := e2eSubmitted(t, e2eRequests(s, "POST", "/submit_tool_outputs")[0])
	assert.True(t, stream)
	assert.ElementsMatch(t, []string{"57", "0.06"}, slices.Collect(maps.Values(outs)))
	assert.Contains(t, text.String(), "get_current_temperature returned 57")
	assert.Contains(t, text.String(), "get_rain_probability returned 0.06")
	replies := e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 1)
	assert.Equal(t, text.String(), replies[0].Text())
}

func TestE2EThreadsCreateAndRun(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)
	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
	require.NoError(t, err)
	params := func(text string) assistants.CreateAndRunParams {
		return assistants.CreateAndRunParams{AssistantID: a.ID, Thread: &assistants.ThreadCreateParams{
			Messages: []assistants.MessageCreateParams{{Role: assistants.RoleUser, Content: text}},
		}}
	}
	const hello = "Hello! How can I help you today?"

	// CreateAndRun, then Poll.
	run, err := c.Threads.CreateAndRun(ctx, params("Hello!"))
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusQueued, run.Status)
	require.NotEmpty(t, run.ThreadID)
	run, err = c.Runs.Poll(ctx, run.ThreadID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	replies := e2eAssistantReplies(t, ctx, c, run.ThreadID)
	require.Len(t, replies, 1)
	assert.Equal(t, hello, replies[0].Text())

	// CreateAndRunPoll.
	run2, err := c.Threads.CreateAndRunPoll(ctx, params("Thanks a lot"))
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run2.Status)
	assert.NotEqual(t, run.ThreadID, run2.ThreadID)
	replies = e2eAssistantReplies(t, ctx, c, run2.ThreadID)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Text(), "welcome")

	// CreateAndRunStream: thread.created comes first.
	st, err := c.Threads.CreateAndRunStream(ctx, params("Hi there"))
	require.NoError(t, err)
	defer st.Close()
	require.True(t, st.Next(), "err %v", st.Err())
	require.Equal(t, assistants.EventThreadCreated, st.Event().Type)
	thread, err := st.Event().Thread()
	require.NoError(t, err)
	var deltas strings.Builder
	for st.Next() {
		deltas.WriteString(st.TextDelta())
	}
	require.NoError(t, st.Err())
	run3, err := st.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run3.Status)
	assert.Equal(t, thread.ID, run3.ThreadID)
	assert.Equal(t, hello, deltas.String())

	// CreateAndRunAndStream with a handler.
	var text strings.Builder
	var first string
	run4, err := c.Threads.CreateAndRunAndStream(ctx, params("Hey"), &assistants.Handler{
		OnEvent: func(_ context.Context, ev assistants.Event) error {
			if first == "" {
				first = ev.Type
			}
			return nil
		},
		OnTextDelta: func(_ context.Context, d *assistants.TextDelta, _ *assistants.Text) error {
			text.WriteString(d.Value)
			return nil
		},
	})
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run4.Status)
	assert.Equal(t, assistants.EventThreadCreated, first)
	assert.Equal(t, hello, text.String())

	assert.Equal(t, 4, s.RequestCount("POST", "/threads/runs"))
	th, err := c.Threads.Get(ctx, run4.ThreadID)
	require.NoError(t, err)
	assert.Equal(t, run4.ThreadID, th.ID)
}

func TestE2EPagination(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)
	var ids []string
	for i := range 7 {
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Name: "assistant " + string(rune('A'+i))})
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	rev := slices.Clone(ids)
	slices.Reverse(rev)
	pageIDs := func(p *assistants.Page[assistants.Assistant]) []string {
		var out []string
		for _, a := range p.Data {
			out = append(out, a.ID)
		}
		return out
	}

	// Page through with Limit 3, oldest first.
	p, err := c.Assistants.List(ctx, assistants.ListParams{Limit: 3, Order: assistants.OrderAsc})
	require.NoError(t, err)
	assert.Equal(t, ids[0:3], pageIDs(p))
	assert.Equal(t, ids[0], p.FirstID)
	assert.Equal(t, ids[2], p.LastID)
	assert.True(t, p.HasMore)
	p, err = c.Assistants.List(ctx, assistants.ListParams{Limit: 3, Order: assistants.OrderAsc, After: p.LastID})
	require.NoError(t, err)
	assert.Equal(t, ids[3:6], pageIDs(p))
	assert.Equal(t, ids[3], p.FirstID)
	assert.Equal(t, ids[5], p.LastID)
	assert.True(t, p.HasMore)
	p, err = c.Assistants.List(ctx, assistants.ListParams{Limit: 3, Order: assistants.OrderAsc, After: p.LastID})
	require.NoError(t, err)
	assert.Equal(t, ids[6:], pageIDs(p))
	assert.Equal(t, ids[6], p.FirstID)
	assert.Equal(t, ids[6], p.LastID)
	assert.False(t, p.HasMore)

	// The default order is newest first.
	p, err = c.Assistants.List(ctx, assistants.ListParams{Limit: 3})
	require.NoError(t, err)
	assert.Equal(t, rev[0:3], pageIDs(p))
	assert.True(t, p.HasMore)

	// Before: the page just before the cursor, in the list's order.
	p, err = c.Assistants.List(ctx, assistants.ListParams{Order: assistants.OrderAsc, Before: ids[4]})
	require.NoError(t, err)
	assert.Equal(t, ids[0:4], pageIDs(p))
	assert.False(t, p.HasMore)
	p, err = c.Assistants.List(ctx, assistants.ListParams{Order: assistants.OrderAsc, Before: ids[4], Limit: 2})
	require.NoError(t, err)
	assert.Equal(t, ids[2:4], pageIDs(p))
	assert.True(t, p.HasMore)
	p, err = c.Assistants.List(ctx, assistants.ListParams{Order: assistants.OrderDesc, Before: ids[2]})
	require.NoError(t, err)
	assert.Equal(t, rev[0:4], pageIDs(p), "newest first, down to the cursor")

	// ListAll follows the pages, in both orders.
	for _, tc := range []struct {
		order assistants.Order
		want  []string
	}{{assistants.OrderAsc, ids}, {assistants.OrderDesc, rev}} {
		s.ResetRequests()
		var got []string
		for a, err := range c.Assistants.ListAll(ctx, assistants.ListParams{Limit: 3, Order: tc.order}) {
			require.NoError(t, err)
			got = append(got, a.ID)
		}
		assert.Equal(t, tc.want, got, "order %s", tc.order)
		reqs := e2eRequests(s, "GET", "/assistants")
		require.Len(t, reqs, 3, "7 items in pages of 3")
		assert.Equal(t, "", reqs[0].Query.Get("after"))
		assert.Equal(t, tc.want[2], reqs[1].Query.Get("after"))
		assert.Equal(t, tc.want[5], reqs[2].Query.Get("after"))
	}

	// ListAll from a cursor, and stopping early fetches no more pages.
	var got []string
	for a, err := range c.Assistants.ListAll(ctx, assistants.ListParams{Limit: 2, Order: assistants.OrderAsc, After: ids[2]}) {
		require.NoError(t, err)
		got = append(got, a.ID)
	}
	assert.Equal(t, ids[3:], got)
	s.ResetRequests()
	got = nil
	for a, err := range c.Assistants.ListAll(ctx, assistants.ListParams{Limit: 3}) {
		require.NoError(t, err)
		got = append(got, a.ID)
		if len(got) == 4 {
			break
		}
	}
	assert.Equal(t, rev[:4], got)
	assert.Equal(t, 2, s.RequestCount("GET", "/assistants"))

	// A bad cursor is the server's 400.
	_, err = c.Assistants.List(ctx, assistants.ListParams{After: "asst_nope"})
	apiErr := e2eAPIError(t, err, http.StatusBadRequest)
	assert.Equal(t, "after", apiErr.Param)
}

func TestE2EFiles(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)
	content := []byte("line one\nline two\x00\xff binary bytes survive\n")

	f, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: bytes.NewReader(content), Filename: "notes.txt", Purpose: assistants.FilePurposeAssistants})
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(f.ID, "file-"), f.ID)
	assert.Equal(t, int64(len(content)), f.Bytes)
	assert.Equal(t, "notes.txt", f.Filename)
	assert.Equal(t, assistants.FilePurposeAssistants, f.Purpose)
	up := e2eRequests(s, "POST", "/files")
	require.Len(t, up, 1)
	assert.True(t, strings.HasPrefix(up[0].Header.Get("Content-Type"), "multipart/form-data"))
	assert.Empty(t, up[0].Header.Get("OpenAI-Beta"), "files are not a beta API")

	got, err := c.Files.Get(ctx, f.ID)
	require.NoError(t, err)
	assert.Equal(t, f.ID, got.ID)
	assert.Equal(t, f.Bytes, got.Bytes)

	other, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: strings.NewReader("{}"), Filename: "data.jsonl", Purpose: assistants.FilePurposeUserData})
	require.NoError(t, err)
	list, err := c.Files.List(ctx, assistants.FileListParams{Purpose: assistants.FilePurposeAssistants})
	require.NoError(t, err)
	require.Len(t, list.Data, 1)
	assert.Equal(t, f.ID, list.Data[0].ID)
	var allIDs []string
	for file, err := range c.Files.ListAll(ctx, assistants.FileListParams{ListParams: assistants.ListParams{Limit: 1, Order: assistants.OrderAsc}}) {
		require.NoError(t, err)
		allIDs = append(allIDs, file.ID)
	}
	assert.Equal(t, []string{f.ID, other.ID}, allIDs)

	rc, err := c.Files.Content(ctx, f.ID)
	require.NoError(t, err)
	data, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, content, data, "content round-trips byte for byte")

	del, err := c.Files.Delete(ctx, f.ID)
	require.NoError(t, err)
	assert.True(t, del.Deleted)
	assert.Equal(t, f.ID, del.ID)
	_, err = c.Files.Get(ctx, f.ID)
	e2eAPIError(t, err, http.StatusNotFound)
	_, err = c.Files.Content(ctx, f.ID)
	e2eAPIError(t, err, http.StatusNotFound)

	// Vector stores: one file, then a batch of three.
	vs, err := c.VectorStores.Create(ctx, assistants.VectorStoreCreateParams{Name: "Docs"})
	require.NoError(t, err)
	vf, err := c.VectorStores.Files.UploadAndPoll(ctx, vs.ID, assistants.FileUploadParams{
		Reader: strings.NewReader("The first document."), Filename: "first.txt"})
	require.NoError(t, err)
	assert.Equal(t, assistants.VectorStoreFileStatusCompleted, vf.Status)
	assert.Equal(t, vs.ID, vf.VectorStoreID)
	uploaded, err := c.Files.Get(ctx, vf.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.FilePurposeAssistants, uploaded.Purpose, "UploadAndPoll uploads for assistants")

	var batchFiles []assistants.FileUploadParams
	for _, name := range []string{"a.md", "b.md", "c.md"} {
		batchFiles = append(batchFiles, assistants.FileUploadParams{Reader: strings.NewReader("# " + name + "\n\nSome text about " + name), Filename: name})
	}
	batch, err := c.VectorStores.FileBatches.UploadAndPoll(ctx, vs.ID, batchFiles, assistants.FileBatchUploadOptions{Concurrency: 2})
	require.NoError(t, err)
	assert.Equal(t, assistants.FileBatchStatusCompleted, batch.Status)
	assert.Equal(t, assistants.FileCounts{Completed: 3, Total: 3}, batch.FileCounts)
	assert.Equal(t, vs.ID, batch.VectorStoreID)
	bf, err := c.VectorStores.FileBatches.ListFiles(ctx, vs.ID, batch.ID, assistants.VectorStoreFileListParams{})
	require.NoError(t, err)
	require.Len(t, bf.Data, 3)
	var names []string
	for _, vf := range bf.Data {
		assert.Equal(t, assistants.VectorStoreFileStatusCompleted, vf.Status)
		file, err := c.Files.Get(ctx, vf.ID)
		require.NoError(t, err)
		names = append(names, file.Filename)
	}
	assert.ElementsMatch(t, []string{"a.md", "b.md", "c.md"}, names)
	got2, err := c.VectorStores.FileBatches.Get(ctx, vs.ID, batch.ID)
	require.NoError(t, err)
	assert.Equal(t, batch.FileCounts, got2.FileCounts)

	vs, err = c.VectorStores.Get(ctx, vs.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.VectorStoreStatusCompleted, vs.Status)
	assert.Equal(t, assistants.FileCounts{Completed: 4, Total: 4}, vs.FileCounts)
	vsFiles, err := c.VectorStores.Files.List(ctx, vs.ID, assistants.VectorStoreFileListParams{Filter: assistants.VectorStoreFileStatusCompleted})
	require.NoError(t, err)
	assert.Len(t, vsFiles.Data, 4)

	d, err := c.VectorStores.Files.Delete(ctx, vs.ID, vf.ID)
	require.NoError(t, err)
	assert.True(t, d.Deleted)
	vs, err = c.VectorStores.Update(ctx, vs.ID, assistants.VectorStoreUpdateParams{Name: assistants.Ptr("Renamed")})
	require.NoError(t, err)
	assert.Equal(t, "Renamed", vs.Name)
	assert.Equal(t, 3, vs.FileCounts.Total)
	d, err = c.VectorStores.Delete(ctx, vs.ID)
	require.NoError(t, err)
	assert.True(t, d.Deleted)
	_, err = c.VectorStores.Get(ctx, vs.ID)
	e2eAPIError(t, err, http.StatusNotFound)
}

func TestE2EFileSearchCitations(t *testing.T) {
	_, c := e2eSetup(t)
	ctx := e2eCtx(t)
	doc := "Lunar Greenhouse Report\n\n" +
		"The lunar greenhouse grows basil and dwarf tomatoes under red LED light. Its water is recycled from the humidity of the crew cabin.\n\n" +
		"The airlock of the station was repaired in March after a seal failure. Engineers fitted a silicone gasket rated for very low temperatures.\n"
	f, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: strings.NewReader(doc), Filename: "greenhouse.txt", Purpose: assistants.FilePurposeAssistants})
	require.NoError(t, err)
	vs, err := c.VectorStores.Create(ctx, assistants.VectorStoreCreateParams{Name: "Station docs", FileIDs: []string{f.ID}})
	require.NoError(t, err)
	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{
		Model:         "gpt-4o",
		Instructions:  "Answer from the files.",
		Tools:         []assistants.Tool{assistants.FileSearchTool()},
		ToolResources: &assistants.ToolResources{FileSearch: &assistants.FileSearchResources{VectorStoreIDs: []string{vs.ID}}},
	})
	require.NoError(t, err)
	require.NotNil(t, a.ToolResources)
	require.NotNil(t, a.ToolResources.FileSearch)
	assert.Equal(t, []string{vs.ID}, a.ToolResources.FileSearch.VectorStoreIDs)
	const question = "According to the uploaded file, what does the lunar greenhouse grow?"

	checkCited := func(msg assistants.Message) []assistants.Annotation {
		t.Helper()
		require.Len(t, msg.Content, 1)
		require.NotNil(t, msg.Content[0].Text)
		text := msg.Content[0].Text
		assert.Contains(t, text.Value, "basil")
		require.NotEmpty(t, text.Annotations, "text %q", text.Value)
		runes := []rune(text.Value)
		for _, ann := range text.Annotations {
			assert.Equal(t, assistants.AnnotationTypeFileCitation, ann.Type)
			require.NotNil(t, ann.FileCitation)
			assert.Equal(t, f.ID, ann.FileCitation.FileID)
			require.True(t, 0 <= ann.StartIndex && ann.StartIndex < ann.EndIndex && ann.EndIndex <= len(runes),
				"annotation %+v out of %d characters", ann, len(runes))
			assert.Equal(t, ann.Text, string(runes[ann.StartIndex:ann.EndIndex]), "indexes slice the text (in characters) to the annotation")
			assert.Contains(t, ann.Text, "source")
		}
		return text.Annotations
	}

	// Polling.
	th := e2eThread(t, ctx, c, question)
	run, err := c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusCompleted, run.Status)
	replies := e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 1)
	polled := checkCited(replies[0])

	steps, err := c.Steps.List(ctx, th.ID, run.ID, assistants.StepListParams{
		ListParams: assistants.ListParams{Order: assistants.OrderAsc},
		Include:    []string{"step_details.tool_calls[*].file_search.results[*].content"},
	})
	require.NoError(t, err)
	require.Len(t, steps.Data, 2)
	require.Len(t, steps.Data[0].StepDetails.ToolCalls, 1)
	call := steps.Data[0].StepDetails.ToolCalls[0]
	assert.Equal(t, assistants.ToolTypeFileSearch, call.Type)
	require.NotNil(t, call.FileSearch)
	require.NotEmpty(t, call.FileSearch.Results)
	assert.Equal(t, f.ID, call.FileSearch.Results[0].FileID)
	assert.Equal(t, "greenhouse.txt", call.FileSearch.Results[0].FileName)
	require.NotEmpty(t, call.FileSearch.Results[0].Content)
	assert.Contains(t, call.FileSearch.Results[0].Content[0].Text, "basil")

	// Streaming: the annotations arrive in deltas and accumulate to the same.
	th2 := e2eThread(t, ctx, c, question)
	st, err := c.Runs.CreateStream(ctx, th2.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	defer st.Close()
	msgs := st.FinalMessages()
	require.NoError(t, st.Err())
	require.Len(t, msgs, 1)
	streamed := checkCited(msgs[0])
	assert.Equal(t, polled, streamed)
	assert.Equal(t, replies[0].Text(), msgs[0].Text())
}

func TestE2ECodeInterpreter(t *testing.T) {
	_, c := e2eSetup(t)
	ctx := e2eCtx(t)
	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Tools: []assistants.Tool{assistants.CodeInterpreterTool()}})
	require.NoError(t, err)
	th := e2eThread(t, ctx, c, "Generate the first 10 Fibonacci numbers with code.")
	run, err := c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusCompleted, run.Status)

	steps, err := c.Steps.List(ctx, th.ID, run.ID, assistants.StepListParams{ListParams: assistants.ListParams{Order: assistants.OrderAsc}})
	require.NoError(t, err)
	require.Len(t, steps.Data, 2)
	code := steps.Data[0]
	assert.Equal(t, assistants.StepTypeToolCalls, code.Type)
	assert.Equal(t, assistants.StepStatusCompleted, code.Status)
	require.Len(t, code.StepDetails.ToolCalls, 1)
	ci := code.StepDetails.ToolCalls[0].CodeInterpreter
	require.NotNil(t, ci)
	assert.Equal(t, assistants.ToolTypeCodeInterpreter, code.StepDetails.ToolCalls[0].Type)
	assert.Contains(t, ci.Input, "fibonacci")
	require.Len(t, ci.Outputs, 1)
	assert.Equal(t, "logs", ci.Outputs[0].Type)
	assert.Equal(t, "[0, 1, 1, 2, 3, 5, 8, 13, 21, 34]\n", ci.Outputs[0].Logs)

	msgStep := steps.Data[1]
	assert.Equal(t, assistants.StepTypeMessageCreation, msgStep.Type)
	require.NotNil(t, msgStep.StepDetails.MessageCreation)
	msg, err := c.Messages.Get(ctx, th.ID, msgStep.StepDetails.MessageCreation.MessageID)
	require.NoError(t, err)
	assert.Contains(t, msg.Text(), "0, 1, 1, 2, 3, 5, 8, 13, 21, 34")

	one, err := c.Steps.Get(ctx, th.ID, run.ID, code.ID, assistants.StepGetParams{})
	require.NoError(t, err)
	assert.Equal(t, code.ID, one.ID)
	assert.Equal(t, run.ID, one.RunID)
	require.Len(t, one.StepDetails.ToolCalls, 1)
	assert.Equal(t, ci.Input, one.StepDetails.ToolCalls[0].CodeInterpreter.Input)

	var ids []string
	for st, err := range c.Steps.ListAll(ctx, th.ID, run.ID, assistants.StepListParams{ListParams: assistants.ListParams{Limit: 1, Order: assistants.OrderAsc}}) {
		require.NoError(t, err)
		ids = append(ids, st.ID)
	}
	assert.Equal(t, []string{code.ID, msgStep.ID}, ids)

	// The same run streamed: the code input and the logs arrive in deltas.
	th2 := e2eThread(t, ctx, c, "Generate the first 10 Fibonacci numbers with code.")
	st, err := c.Runs.CreateStream(ctx, th2.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	defer st.Close()
	streamed := st.FinalRunSteps()
	require.NoError(t, st.Err())
	require.Len(t, streamed, 2)
	require.Len(t, streamed[0].StepDetails.ToolCalls, 1)
	sci := streamed[0].StepDetails.ToolCalls[0].CodeInterpreter
	require.NotNil(t, sci)
	assert.Equal(t, ci.Input, sci.Input)
	require.Len(t, sci.Outputs, 1)
	assert.Equal(t, ci.Outputs[0].Logs, sci.Outputs[0].Logs)
}

func TestE2ECancelAndCRUD(t *testing.T) {
	_, c := e2eSetup(t)
	ctx := e2eCtx(t)

	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Name: "Before", Metadata: assistants.Metadata{"k": "v"}})
	require.NoError(t, err)
	th := e2eThread(t, ctx, c, "Hello!")

	// Cancel a queued run: cancelling, then cancelled on the next poll.
	run, err := c.Runs.Create(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusQueued, run.Status)
	run, err = c.Runs.Cancel(ctx, th.ID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCancelling, run.Status)
	run, err = c.Runs.Poll(ctx, th.ID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCancelled, run.Status)
	assert.NotZero(t, run.CancelledAt)
	_, err = c.Runs.Cancel(ctx, th.ID, run.ID)
	e2eAPIError(t, err, http.StatusBadRequest)
	assert.Empty(t, e2eAssistantReplies(t, ctx, c, th.ID), "a cancelled run wrote nothing")

	run, err = c.Runs.Update(ctx, th.ID, run.ID, assistants.RunUpdateParams{Metadata: assistants.Metadata{"why": "test"}})
	require.NoError(t, err)
	assert.Equal(t, "test", run.Metadata["why"])
	got, err := c.Runs.Get(ctx, th.ID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCancelled, got.Status)
	assert.Equal(t, "test", got.Metadata["why"])
	var runIDs []string
	for r, err := range c.Runs.ListAll(ctx, th.ID, assistants.ListParams{}) {
		require.NoError(t, err)
		runIDs = append(runIDs, r.ID)
	}
	assert.Equal(t, []string{run.ID}, runIDs)

	// Assistant update / delete.
	a, err = c.Assistants.Update(ctx, a.ID, assistants.AssistantUpdateParams{Name: assistants.Ptr("After"), Instructions: assistants.Ptr("Be brief.")})
	require.NoError(t, err)
	assert.Equal(t, "After", a.Name)
	assert.Equal(t, "Be brief.", a.Instructions)
	assert.Equal(t, "v", a.Metadata["k"], "fields not sent are kept")
	a, err = c.Assistants.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, "After", a.Name)

	// Message update / delete.
	page, err := c.Messages.List(ctx, th.ID, assistants.MessageListParams{})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	msg := page.Data[0]
	upd, err := c.Messages.Update(ctx, th.ID, msg.ID, assistants.MessageUpdateParams{Metadata: assistants.Metadata{"seen": "yes"}})
	require.NoError(t, err)
	assert.Equal(t, "yes", upd.Metadata["seen"])
	assert.Equal(t, msg.Text(), upd.Text())
	d, err := c.Messages.Delete(ctx, th.ID, msg.ID)
	require.NoError(t, err)
	assert.True(t, d.Deleted)
	assert.Equal(t, msg.ID, d.ID)
	_, err = c.Messages.Get(ctx, th.ID, msg.ID)
	e2eAPIError(t, err, http.StatusNotFound)
	page, err = c.Messages.List(ctx, th.ID, assistants.MessageListParams{})
	require.NoError(t, err)
	assert.Empty(t, page.Data)

	// Thread update / delete.
	th, err = c.Threads.Update(ctx, th.ID, assistants.ThreadUpdateParams{Metadata: assistants.Metadata{"user": "42"}})
	require.NoError(t, err)
	assert.Equal(t, "42", th.Metadata["user"])
	th, err = c.Threads.Get(ctx, th.ID)
	require.NoError(t, err)
	assert.Equal(t, "42", th.Metadata["user"])
	d, err = c.Threads.Delete(ctx, th.ID)
	require.NoError(t, err)
	assert.True(t, d.Deleted)
	_, err = c.Threads.Get(ctx, th.ID)
	e2eAPIError(t, err, http.StatusNotFound)
	_, err = c.Runs.Get(ctx, th.ID, run.ID)
	e2eAPIError(t, err, http.StatusNotFound)

	d, err = c.Assistants.Delete(ctx, a.ID)
	require.NoError(t, err)
	assert.True(t, d.Deleted)
	assert.Equal(t, a.ID, d.ID)
	_, err = c.Assistants.Get(ctx, a.ID)
	e2eAPIError(t, err, http.StatusNotFound)
}

func TestE2EErrorStatuses(t *testing.T) {
	t.Run("404", func(t *testing.T) {
		s, c := e2eSetup(t)
		ctx := e2eCtx(t)
		_, err := c.Assistants.Get(ctx, "asst_doesnotexist")
		apiErr := e2eAPIError(t, err, http.StatusNotFound)
		assert.Equal(t, "invalid_request_error", apiErr.Type)
		assert.Contains(t, apiErr.Message, "asst_doesnotexist")
		assert.Contains(t, apiErr.Error(), "404")
		assert.Equal(t, 1, s.RequestCount("GET", "/assistants/*"), "a 404 is not retried")

		_, err = c.Runs.Get(ctx, "thread_nope", "run_nope")
		e2eAPIError(t, err, http.StatusNotFound)
		_, err = c.Messages.List(ctx, "thread_nope", assistants.MessageListParams{})
		e2eAPIError(t, err, http.StatusNotFound)
		_, err = c.VectorStores.Files.Get(ctx, "vs_nope", "file-nope")
		e2eAPIError(t, err, http.StatusNotFound)
	})

	t.Run("400", func(t *testing.T) {
		s, c := e2eSetup(t)
		ctx := e2eCtx(t)
		// A value the SDK does not check itself.
		_, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Temperature: assistants.Ptr(5.0)})
		apiErr := e2eAPIError(t, err, http.StatusBadRequest)
		assert.Equal(t, "invalid_request_error", apiErr.Type)
		assert.Equal(t, "temperature", apiErr.Param)
		assert.Equal(t, 1, s.RequestCount("POST", "/assistants"), "a 400 is not retried")

		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
		require.NoError(t, err)
		th := e2eThread(t, ctx, c, "Hello!")

		// A run is active: no new message, no second run.
		run, err := c.Runs.Create(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
		require.NoError(t, err)
		_, err = c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "more"})
		apiErr = e2eAPIError(t, err, http.StatusBadRequest)
		assert.Contains(t, apiErr.Message, run.ID)
		_, err = c.Runs.Create(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
		e2eAPIError(t, err, http.StatusBadRequest)

		// Tool outputs for a completed run.
		run, err = c.Runs.Poll(ctx, th.ID, run.ID)
		require.NoError(t, err)
		require.Equal(t, assistants.RunStatusCompleted, run.Status)
		_, err = c.Runs.SubmitToolOutputs(ctx, th.ID, run.ID, []assistants.ToolOutput{{ToolCallID: "call_x", Output: "1"}})
		apiErr = e2eAPIError(t, err, http.StatusBadRequest)
		assert.Contains(t, apiErr.Message, "completed")

		// The same through the streaming variant: the error comes before any event.
		_, err = c.Runs.SubmitToolOutputsStream(ctx, th.ID, run.ID, []assistants.ToolOutput{{ToolCallID: "call_x", Output: "1"}})
		e2eAPIError(t, err, http.StatusBadRequest)
	})

	t.Run("401", func(t *testing.T) {
		s, _ := e2eSetup(t, assistantstest.WithAPIKey("sk-right-key"))
		ctx := e2eCtx(t)
		_, err := s.Client(assistants.WithAPIKey("sk-wrong-key")).Assistants.List(ctx, assistants.ListParams{})
		apiErr := e2eAPIError(t, err, http.StatusUnauthorized)
		assert.Equal(t, "invalid_api_key", apiErr.Code)
		assert.Equal(t, "invalid_request_error", apiErr.Type)
		assert.NotContains(t, apiErr.Message, "sk-wrong-key", "the key is masked")
		assert.Equal(t, 1, s.RequestCount("", ""), "a 401 is not retried")

		_, err = s.Client(assistants.WithAPIKey("sk-right-key")).Assistants.List(ctx, assistants.ListParams{})
		require.NoError(t, err)
	})

	t.Run("429 retried after retry-after", func(t *testing.T) {
		s, c := e2eSetup(t, assistantstest.WithFault(assistantstest.Fault{
			Method: "POST", Path: "/assistants", Status: http.StatusTooManyRequests, RetryAfter: 20 * time.Millisecond, Times: 1,
		}))
		ctx := e2eCtx(t)
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
		require.NoError(t, err)
		reqs := e2eRequests(s, "POST", "/assistants")
		require.Len(t, reqs, 2)
		assert.True(t, reqs[0].Faulted)
		assert.Equal(t, http.StatusTooManyRequests, reqs[0].Status)
		assert.Equal(t, http.StatusOK, reqs[1].Status)
		assert.GreaterOrEqual(t, reqs[1].Time.Sub(reqs[0].Time), 20*time.Millisecond, "retry-after-ms was waited for")
		assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key"))
		assert.Equal(t, "1", reqs[1].Header.Get("X-Retry-Count"))
		list, err := c.Assistants.List(ctx, assistants.ListParams{})
		require.NoError(t, err)
		require.Len(t, list.Data, 1)
		assert.Equal(t, a.ID, list.Data[0].ID)
	})

	t.Run("500 exhausts retries", func(t *testing.T) {
		s, _ := e2eSetup(t, assistantstest.WithFault(assistantstest.Fault{
			Method: "GET", Path: "/assistants/*", Status: http.StatusInternalServerError, RetryAfter: time.Millisecond,
		}))
		ctx := e2eCtx(t)
		const maxRetries = 3
		c := s.Client(assistants.WithMaxRetries(maxRetries))
		_, err := c.Assistants.Get(ctx, "asst_any")
		apiErr := e2eAPIError(t, err, http.StatusInternalServerError)
		assert.Equal(t, "server_error", apiErr.Type)
		assert.Equal(t, 1+maxRetries, s.RequestCount("GET", "/assistants/*"))

		// x-should-retry: false is obeyed.
		s.ClearFaults()
		s.ResetRequests()
		s.AddFault(assistantstest.Fault{Method: "GET", Path: "/assistants/*", Status: http.StatusServiceUnavailable,
			Header: http.Header{"X-Should-Retry": {"false"}}})
		_, err = c.Assistants.Get(ctx, "asst_any")
		e2eAPIError(t, err, http.StatusServiceUnavailable)
		assert.Equal(t, 1, s.RequestCount("GET", "/assistants/*"))

		// No retries at all.
		s.ResetRequests()
		_, err = s.Client(assistants.WithMaxRetries(0)).Assistants.Get(ctx, "asst_any")
		e2eAPIError(t, err, http.StatusServiceUnavailable)
		assert.Equal(t, 1, s.RequestCount("GET", "/assistants/*"))
	})

	t.Run("POST retried after a fault is created once", func(t *testing.T) {
		s, c := e2eSetup(t, assistantstest.WithFault(assistantstest.Fault{
			Method: "POST", Path: "/threads/*/messages", Status: http.StatusBadGateway, RetryAfter: time.Millisecond, Times: 1,
		}))
		ctx := e2eCtx(t)
		th, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
		require.NoError(t, err)
		m, err := c.Messages.Create(ctx, th.ID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "once"})
		require.NoError(t, err)
		reqs := e2eRequests(s, "POST", "/messages")
		require.Len(t, reqs, 2)
		assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key"))
		page, err := c.Messages.List(ctx, th.ID, assistants.MessageListParams{})
		require.NoError(t, err)
		require.Len(t, page.Data, 1)
		assert.Equal(t, m.ID, page.Data[0].ID)
	})

	t.Run("Idempotency-Key replays a POST whose answer was lost", func(t *testing.T) {
		s := assistantstest.NewServer()
		t.Cleanup(s.Close)
		ctx := e2eCtx(t)
		tr := &http.Transport{}
		t.Cleanup(tr.CloseIdleConnections)
		lossy := &e2eLossyTransport{base: tr, method: "POST", suffix: "/v1/assistants"}
		c := s.Client(assistants.WithHTTPClient(&http.Client{Transport: lossy}))
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Name: "Only once"})
		require.NoError(t, err)

		reqs := e2eRequests(s, "POST", "/assistants")
		require.Len(t, reqs, 2, "the lost answer was retried")
		assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key"))
		assert.Equal(t, []string{"", "true"}, lossy.replayed, "the second answer is the server's replay")
		list, err := c.Assistants.List(ctx, assistants.ListParams{})
		require.NoError(t, err)
		require.Len(t, list.Data, 1, "created once")
		assert.Equal(t, a.ID, list.Data[0].ID)
		assert.Equal(t, "Only once", list.Data[0].Name)
	})
}

// e2eLossyTransport loses the response of the first request matching method
// and path suffix after the server has handled it, as a connection reset
// would, and records the Idempotent-Replayed header of every matching
// response.
type e2eLossyTransport struct {
	base           http.RoundTripper
	method, suffix string

	mu       sync.Mutex
	lost     bool
	replayed []string
}

func (l *e2eLossyTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := l.base.RoundTrip(req)
	if err != nil || req.Method != l.method || !strings.HasSuffix(req.URL.Path, l.suffix) {
		return resp, err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.replayed = append(l.replayed, resp.Header.Get("Idempotent-Replayed"))
	if l.lost {
		return resp, nil
	}
	l.lost = true
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return nil, errors.New("e2e: connection reset after the server answered")
}

func TestE2EStreamFaults(t *testing.T) {
	setup := func(t *testing.T) (*assistantstest.Server, *assistants.Client, context.Context, string, string) {
		s, c := e2eSetup(t)
		ctx := e2eCtx(t)
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
		require.NoError(t, err)
		th := e2eThread(t, ctx, c, "Hello!")
		return s, c, ctx, a.ID, th.ID
	}

	t.Run("cut", func(t *testing.T) {
		s, c, ctx, aID, thID := setup(t)
		s.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/*/runs", CutStreamAfter: 2, Times: 1})
		st, err := c.Runs.CreateStream(ctx, thID, assistants.RunCreateParams{AssistantID: aID})
		require.NoError(t, err)
		defer st.Close()
		var events []string
		for st.Next() {
			events = append(events, st.Event().Type)
		}
		assert.Equal(t, []string{assistants.EventThreadRunCreated, assistants.EventThreadRunQueued}, events)
		require.ErrorIs(t, st.Err(), io.ErrUnexpectedEOF, "a stream ending mid-run is an error")
		run := st.CurrentRun()
		require.NotNil(t, run)
		_, err = st.FinalRun()
		require.Error(t, err)

		run, err = c.Runs.Poll(ctx, thID, run.ID)
		require.NoError(t, err)
		assert.Equal(t, assistants.RunStatusCompleted, run.Status)
		replies := e2eAssistantReplies(t, ctx, c, thID)
		require.Len(t, replies, 1)
		assert.Equal(t, "Hello! How can I help you today?", replies[0].Text())
	})

	t.Run("abort", func(t *testing.T) {
		s, c, ctx, aID, thID := setup(t)
		s.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/*/runs", CutStreamAfter: 3, Abort: true, Times: 1})
		var runID string
		var onErr error
		_, err := c.Runs.CreateAndStream(ctx, thID, assistants.RunCreateParams{AssistantID: aID}, &assistants.Handler{
			OnRunUpdate: func(_ context.Context, run *assistants.Run) error {
				runID = run.ID
				return nil
			},
			OnError: func(_ context.Context, err error) { onErr = err },
		})
		require.Error(t, err)
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, err, onErr, "OnError saw the error that stopped the driver")
		require.NotEmpty(t, runID)

		run, err := c.Runs.Poll(ctx, thID, runID)
		require.NoError(t, err)
		assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	})

	t.Run("error event", func(t *testing.T) {
		s, c, ctx, aID, thID := setup(t)
		s.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/*/runs", ErrorEventAfter: 3, Status: http.StatusInternalServerError, Times: 1})
		st, err := c.Runs.CreateStream(ctx, thID, assistants.RunCreateParams{AssistantID: aID})
		require.NoError(t, err)
		defer st.Close()
		n := 0
		for st.Next() {
			n++
		}
		assert.Equal(t, 3, n)
		var apiErr *assistants.APIError
		require.ErrorAs(t, st.Err(), &apiErr)
		assert.Equal(t, "server_error", apiErr.Type)
		assert.NotEmpty(t, apiErr.Message)
		run := st.CurrentRun()
		require.NotNil(t, run)
		run, err = c.Runs.Poll(ctx, thID, run.ID)
		require.NoError(t, err)
		assert.Equal(t, assistants.RunStatusCompleted, run.Status)

		// Through the driver, too.
		s.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/*/runs", ErrorEventAfter: 1, Status: http.StatusInternalServerError, Times: 1})
		_, err = c.Messages.Create(ctx, thID, assistants.MessageCreateParams{Role: assistants.RoleUser, Content: "Again"})
		require.NoError(t, err)
		_, err = c.Runs.CreateAndStream(ctx, thID, assistants.RunCreateParams{AssistantID: aID}, &assistants.Handler{})
		require.ErrorAs(t, err, &apiErr)
		assert.Equal(t, "server_error", apiErr.Type)
	})

	t.Run("error status before the stream", func(t *testing.T) {
		s, c, ctx, aID, thID := setup(t)
		s.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/*/runs", Status: http.StatusServiceUnavailable, RetryAfter: time.Millisecond, Times: 1})
		st, err := c.Runs.CreateStream(ctx, thID, assistants.RunCreateParams{AssistantID: aID})
		require.NoError(t, err, "a failed attempt before any byte of the stream is retried")
		run, err := st.FinalRun()
		require.NoError(t, err)
		assert.Equal(t, assistants.RunStatusCompleted, run.Status)
		assert.Equal(t, 2, s.RequestCount("POST", "/threads/*/runs"))
	})
}

func TestE2EPollContextCancel(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)
	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
	require.NoError(t, err)
	th := e2eThread(t, ctx, c, "Hello!")
	run, err := c.Runs.Create(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	require.NoError(t, err)

	// Cancel once the first poll has been answered; the poll then waits an
	// hour, so only a prompt reaction to the cancellation lets it return.
	pollCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go func() {
		for s.RequestCount("GET", "/threads/*/runs/*") == 0 && pollCtx.Err() == nil {
			time.Sleep(time.Millisecond)
		}
		cancel()
	}()
	last, err := c.Runs.Poll(pollCtx, th.ID, run.ID, assistants.WithPollInterval(time.Hour))
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	require.NotNil(t, last, "the last run seen comes with the error")
	assert.Equal(t, assistants.RunStatusInProgress, last.Status)
	assert.Equal(t, 1, s.RequestCount("GET", "/threads/*/runs/*"), "no poll after the cancellation")

	// An already-cancelled context sends nothing.
	s.ResetRequests()
	_, err = c.Runs.CreateAndPoll(pollCtx, th.ID, assistants.RunCreateParams{AssistantID: a.ID})
	assert.ErrorIs(t, err, context.Canceled)
	assert.Zero(t, s.RequestCount("", ""))

	// The run is unaffected and can still be polled to its end.
	run, err = c.Runs.Poll(ctx, th.ID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)
}

func TestE2EStreamEdgeCases(t *testing.T) {
	t.Run("no outputs, then SubmitToolOutputsAndStream with a cut stream", func(t *testing.T) {
		s, c := e2eSetup(t, assistantstest.WithModel(e2eWeatherScript("Mild and dry.")))
		ctx := e2eCtx(t)
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Tools: e2eWeatherTools})
		require.NoError(t, err)
		th := e2eThread(t, ctx, c, "Weather?")

		// A handler without OnRequiresAction hands the run back.
		run, err := c.Runs.CreateAndStream(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID}, &assistants.Handler{})
		require.NoError(t, err)
		require.Equal(t, assistants.RunStatusRequiresAction, run.Status)
		require.Len(t, run.RequiredAction.SubmitToolOutputs.ToolCalls, 2)
		assert.Zero(t, s.RequestCount("POST", "/threads/*/runs/*/submit_tool_outputs"))

		// The resumed stream breaks; polling finishes the run.
		s.AddFault(assistantstest.Fault{Method: "POST", Path: "/threads/*/runs/*/submit_tool_outputs", CutStreamAfter: 1, Abort: true, Times: 1})
		var outs []assistants.ToolOutput
		for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
			outs = append(outs, assistants.ToolOutput{ToolCallID: call.ID, Output: e2eWeatherOutput(call.Function.Name)})
		}
		_, err = c.Runs.SubmitToolOutputsAndStream(ctx, th.ID, run.ID, outs, &assistants.Handler{})
		require.ErrorIs(t, err, io.ErrUnexpectedEOF)
		assert.Equal(t, 1, s.RequestCount("POST", "/threads/*/runs/*/submit_tool_outputs"), "a stream is not retried once read")
		run, err = c.Runs.Poll(ctx, th.ID, run.ID)
		require.NoError(t, err)
		assert.Equal(t, assistants.RunStatusCompleted, run.Status)
		replies := e2eAssistantReplies(t, ctx, c, th.ID)
		require.Len(t, replies, 1)
		assert.Equal(t, "Mild and dry.", replies[0].Text())
	})

	t.Run("context cancelled mid-stream", func(t *testing.T) {
		_, c := e2eSetup(t, assistantstest.WithStepDelay(20*time.Millisecond))
		ctx := e2eCtx(t)
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
		require.NoError(t, err)

		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		st, err := c.Runs.CreateStream(sctx, e2eThread(t, ctx, c, "Hello!").ID, assistants.RunCreateParams{AssistantID: a.ID})
		require.NoError(t, err)
		defer st.Close()
		require.True(t, st.Next(), "err %v", st.Err())
		cancel()
		for st.Next() {
		}
		assert.ErrorIs(t, st.Err(), context.Canceled)

		dctx, dcancel := context.WithCancel(ctx)
		defer dcancel()
		_, err = c.Runs.CreateAndStream(dctx, e2eThread(t, ctx, c, "Hello!").ID, assistants.RunCreateParams{AssistantID: a.ID},
			assistants.EventHandlerFunc(func(context.Context, assistants.Event) error {
				dcancel()
				return nil
			}))
		assert.ErrorIs(t, err, context.Canceled)
	})

	t.Run("handler error stops the stream", func(t *testing.T) {
		_, c := e2eSetup(t)
		ctx := e2eCtx(t)
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
		require.NoError(t, err)
		th := e2eThread(t, ctx, c, "Hello!")
		stop := errors.New("enough")
		var runID string
		_, err = c.Runs.CreateAndStream(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID}, &assistants.Handler{
			OnRunUpdate: func(_ context.Context, run *assistants.Run) error {
				runID = run.ID
				return stop
			},
		})
		require.ErrorIs(t, err, stop)
		run, err := c.Runs.Poll(ctx, th.ID, runID)
		require.NoError(t, err)
		assert.Equal(t, assistants.RunStatusCompleted, run.Status)
	})
}

func TestE2EFileEdgeCases(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)
	vs, err := c.VectorStores.Create(ctx, assistants.VectorStoreCreateParams{})
	require.NoError(t, err)

	// An empty file fails in the vector store: a result, not an error.
	vf, err := c.VectorStores.Files.UploadAndPoll(ctx, vs.ID, assistants.FileUploadParams{Reader: strings.NewReader(""), Filename: "empty.txt"})
	require.NoError(t, err)
	assert.Equal(t, assistants.VectorStoreFileStatusFailed, vf.Status)
	require.NotNil(t, vf.LastError)
	assert.Equal(t, assistants.VectorStoreFileErrorInvalidFile, vf.LastError.Code)

	// A retried upload sends the same body and creates one file.
	s.ResetRequests()
	s.AddFault(assistantstest.Fault{Method: "POST", Path: "/files", Status: http.StatusInternalServerError, RetryAfter: time.Millisecond, Times: 1})
	f, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: strings.NewReader("hello"), Filename: "hello.txt", Purpose: assistants.FilePurposeAssistants})
	require.NoError(t, err)
	assert.Equal(t, int64(5), f.Bytes)
	reqs := e2eRequests(s, "POST", "/files")
	require.Len(t, reqs, 2)
	assert.Equal(t, reqs[0].Header.Get("Idempotency-Key"), reqs[1].Header.Get("Idempotency-Key"))
	list, err := c.Files.List(ctx, assistants.FileListParams{})
	require.NoError(t, err)
	assert.Len(t, list.Data, 2, "empty.txt and hello.txt")

	// A failed upload in a batch is an *UploadError and creates no batch.
	s.AddFault(assistantstest.Fault{Method: "POST", Path: "/files", Status: http.StatusBadRequest, Times: 1})
	_, err = c.VectorStores.FileBatches.UploadAndPoll(ctx, vs.ID, []assistants.FileUploadParams{
		{Reader: strings.NewReader("a"), Filename: "a.txt"}, {Reader: strings.NewReader("b"), Filename: "b.txt"},
	}, assistants.FileBatchUploadOptions{Concurrency: 1})
	var ue *assistants.UploadError
	require.ErrorAs(t, err, &ue)
	assert.Equal(t, "a.txt", ue.Filename)
	e2eAPIError(t, err, http.StatusBadRequest)
	assert.Zero(t, s.RequestCount("POST", "/vector_stores/*/file_batches"))
}

// TestE2EListAllBefore documents a bug: ListAll drops Before after the first
// page and continues with after=<last id>, so it yields the cursor itself and
// everything after it (with 7 items in asc order, Limit 2 and Before item 5
// it yields items 3, 4, 5, 6 instead of 0..4). See the report for the fix in
// params.go listAll.
func TestE2EListAllBefore(t *testing.T) {
	_, c := e2eSetup(t)
	ctx := e2eCtx(t)
	var ids []string
	for range 7 {
		a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o"})
		require.NoError(t, err)
		ids = append(ids, a.ID)
	}
	var got []string
	for a, err := range c.Assistants.ListAll(ctx, assistants.ListParams{Limit: 2, Order: assistants.OrderAsc, Before: ids[5]}) {
		require.NoError(t, err)
		got = append(got, a.ID)
	}
	assert.ElementsMatch(t, ids[:5], got, "every item before the cursor, once")

	got = nil
	for a, err := range c.Assistants.ListAll(ctx, assistants.ListParams{Limit: 2, Order: assistants.OrderAsc, After: ids[0], Before: ids[5]}) {
		require.NoError(t, err)
		got = append(got, a.ID)
	}
	assert.Equal(t, ids[1:5], got, "the window between the cursors, in order")
}

func TestE2ERunOptions(t *testing.T) {
	// A clock the test moves, for the run expiry.
	var clockMu sync.Mutex
	now := time.Now()
	clock := func() time.Time {
		clockMu.Lock()
		defer clockMu.Unlock()
		return now
	}
	s, c := e2eSetup(t, assistantstest.WithClock(clock), assistantstest.WithRunExpiry(time.Minute))
	ctx := e2eCtx(t)
	const weather = "What's the weather in San Francisco today and the likelihood it'll rain?"
	a, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Tools: e2eWeatherTools})
	require.NoError(t, err)

	// CreateAndRunPoll with a tool runner answers requires_action itself.
	runner := assistants.NewToolRunner(map[string]assistants.ToolFunc{
		"get_current_temperature": func(context.Context, json.RawMessage) (string, error) { return "57", nil },
		"get_rain_probability":    func(context.Context, json.RawMessage) (string, error) { return "0.06", nil },
	})
	run, err := c.Threads.CreateAndRunPoll(ctx, assistants.CreateAndRunParams{AssistantID: a.ID, Thread: &assistants.ThreadCreateParams{
		Messages: []assistants.MessageCreateParams{{Role: assistants.RoleUser, Content: weather}},
	}}, assistants.WithRequiresActionHandler(runner))
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCompleted, run.Status)

	// parallel_tool_calls false: one call at a time.
	th := e2eThread(t, ctx, c, weather)
	run, err = c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID, ParallelToolCalls: assistants.Ptr(false)})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusRequiresAction, run.Status)
	assert.Len(t, run.RequiredAction.SubmitToolOutputs.ToolCalls, 1)

	// Left in requires_action past the run expiry, the run expires: a
	// result, not an error.
	clockMu.Lock()
	now = now.Add(2 * time.Minute)
	clockMu.Unlock()
	run, err = c.Runs.Poll(ctx, th.ID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusExpired, run.Status)

	// A named tool_choice.
	th = e2eThread(t, ctx, c, "Hi")
	run, err = c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: a.ID, ToolChoice: assistants.ToolChoiceFunction("get_rain_probability")})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusRequiresAction, run.Status)
	require.Len(t, run.RequiredAction.SubmitToolOutputs.ToolCalls, 1)
	assert.Equal(t, "get_rain_probability", run.RequiredAction.SubmitToolOutputs.ToolCalls[0].Function.Name)
	run, err = c.Runs.Cancel(ctx, th.ID, run.ID)
	require.NoError(t, err)
	assert.Equal(t, assistants.RunStatusCancelling, run.Status)

	// An empty non-nil Tools clears the assistant's tools.
	a, err = c.Assistants.Update(ctx, a.ID, assistants.AssistantUpdateParams{Tools: []assistants.Tool{}})
	require.NoError(t, err)
	assert.Empty(t, a.Tools)

	// A json_schema response format.
	js, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", ResponseFormat: assistants.ResponseFormatJSONSchema(assistants.JSONSchema{
		Name: "answer", Schema: json.RawMessage(`{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}`),
	})})
	require.NoError(t, err)
	th = e2eThread(t, ctx, c, "Hi")
	run, err = c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: js.ID})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusCompleted, run.Status)
	replies := e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 1)
	var obj struct {
		Answer *string `json:"answer"`
	}
	require.NoError(t, json.Unmarshal([]byte(replies[0].Text()), &obj), replies[0].Text())
	assert.NotNil(t, obj.Answer)

	// A message attachment for file_search is searched and cited.
	f, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: strings.NewReader("The secret ingredient of the soup is smoked paprika.\n"), Filename: "soup.txt", Purpose: assistants.FilePurposeAssistants})
	require.NoError(t, err)
	fs, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{Model: "gpt-4o", Tools: []assistants.Tool{assistants.FileSearchTool()}})
	require.NoError(t, err)
	th, err = c.Threads.Create(ctx, assistants.ThreadCreateParams{Messages: []assistants.MessageCreateParams{{
		Role: assistants.RoleUser, Content: "What is the secret ingredient of the soup in the attached file?",
		Attachments: []assistants.Attachment{{FileID: f.ID, Tools: []assistants.Tool{assistants.FileSearchTool()}}},
	}}})
	require.NoError(t, err)
	run, err = c.Runs.CreateAndPoll(ctx, th.ID, assistants.RunCreateParams{AssistantID: fs.ID})
	require.NoError(t, err)
	require.Equal(t, assistants.RunStatusCompleted, run.Status)
	replies = e2eAssistantReplies(t, ctx, c, th.ID)
	require.Len(t, replies, 1)
	assert.Contains(t, replies[0].Text(), "smoked paprika")
	require.NotEmpty(t, replies[0].Content[0].Text.Annotations)
	assert.Equal(t, f.ID, replies[0].Content[0].Text.Annotations[0].FileCitation.FileID)

	// An event larger than the client's limit fails the stream and says so.
	small := s.Client(assistants.WithMaxEventSize(100))
	st, err := small.Runs.CreateStream(ctx, e2eThread(t, ctx, c, "Hi").ID, assistants.RunCreateParams{AssistantID: js.ID})
	require.NoError(t, err)
	defer st.Close()
	st.FinalMessages()
	require.Error(t, st.Err())
	assert.Contains(t, st.Err().Error(), "WithMaxEventSize")
}
