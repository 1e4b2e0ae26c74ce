package assistants

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants/internal/fixture"
)

// The stream fixtures replay a streamed run as the API sends it:
//   - stream_weather: seed 002's parallel function calls. The run asks for
//     get_rain_probability and get_current_temperature, both outputs go in
//     one streaming submission, and the answer streams back.
//   - stream_code_interpreter: Threads.CreateAndRunStream of the math tutor;
//     the code streams in pieces, a logs output follows, then the answer.

const (
	stWeatherThread = "thread_LRkJ8bMeXcIH6zqOXUW7VIjM"
	stWeatherRun    = "run_qJL1kI9xxWlfE0z1yfL0fGg9"
	stCallRain      = "call_FthC9qRpsL5kBpwwyw6c7j4k"
	stCallTemp      = "call_RpEDoB8O0FTL9JoKTuCVFOyR"
	stWeatherAnswer = "The current temperature in San Francisco, CA is 57°F, and there is a 6% chance of rain today."

	stMathAnswer = "The solution to the equation \\(3x + 11 = 14\\) is \\(x = 1\\).\n\nLet me know if you need \"more\" help!"
	stMathCode   = "from sympy import symbols, Eq, solve\n\nx = symbols('x')\nsolution = solve(Eq(3*x + 11, 14), x)\nsolution"
)

func stFixtureClient(t *testing.T, name string) *Client {
	t.Helper()
	f := fixture.New(t, name)
	c, err := NewClient(WithBaseURL(f.BaseURL()), WithAPIKey(f.APIKey()), WithHTTPClient(f.HTTPClient()), WithMaxRetries(0))
	require.NoError(t, err)
	return c
}

func TestStreamWeatherFixtureHandler(t *testing.T) {
	c := stFixtureClient(t, "stream_weather")
	var text strings.Builder
	var created, done []string
	var required []string
	h := &Handler{
		OnRequiresAction: func(_ context.Context, run *Run) ([]ToolOutput, error) {
			for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
				required = append(required, call.ID)
			}
			return stWeatherOutputs(run), nil
		},
		OnToolCallCreated: func(_ context.Context, call *ToolCall) error {
			created = append(created, call.ID+" "+call.Function.Name)
			return nil
		},
		OnToolCallDone: func(_ context.Context, call *ToolCall) error {
			done = append(done, call.ID+" "+call.Function.Arguments)
			return nil
		},
		OnTextDelta: func(_ context.Context, d *TextDelta, snap *Text) error {
			text.WriteString(d.Value)
			assert.True(t, strings.HasSuffix(snap.Value, d.Value))
			return nil
		},
		OnTextDone: func(_ context.Context, txt *Text) error {
			assert.Equal(t, stWeatherAnswer, txt.Value)
			return nil
		},
	}
	run, err := c.Runs.CreateAndStream(context.Background(), stWeatherThread, RunCreateParams{AssistantID: "asst_Sx2y3WAJgYt2qDl6E0QdQ1Zq"}, h)
	require.NoError(t, err)
	assert.Equal(t, stWeatherRun, run.ID)
	assert.Equal(t, RunStatusCompleted, run.Status)
	require.NotNil(t, run.Usage)
	assert.Equal(t, 789, run.Usage.TotalTokens)
	assert.Equal(t, []string{stCallRain, stCallTemp}, required)
	assert.Equal(t, []string{stCallRain + " get_rain_probability", stCallTemp + " get_current_temperature"}, created)
	assert.Equal(t, []string{
		stCallRain + ` {"location": "San Francisco, CA"}`,
		stCallTemp + ` {"location": "San Francisco, CA", "unit": "Fahrenheit"}`,
	}, done)
	assert.Equal(t, stWeatherAnswer, text.String())
}

func TestStreamWeatherFixturePull(t *testing.T) {
	c := stFixtureClient(t, "stream_weather")
	ctx := context.Background()
	s, err := c.Runs.CreateStream(ctx, stWeatherThread, RunCreateParams{AssistantID: "asst_Sx2y3WAJgYt2qDl6E0QdQ1Zq"})
	require.NoError(t, err)
	defer s.Close()
	run, err := s.FinalRun()
	require.NoError(t, err)
	require.Equal(t, RunStatusRequiresAction, run.Status)
	steps := s.FinalRunSteps()
	require.Len(t, steps, 1)
	calls := steps[0].StepDetails.ToolCalls
	require.Len(t, calls, 2)
	// The accumulated arguments equal the ones the run asks about.
	for i, rc := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
		assert.Equal(t, rc.ID, calls[i].ID)
		assert.Equal(t, rc.Function.Name, calls[i].Function.Name)
		assert.Equal(t, rc.Function.Arguments, calls[i].Function.Arguments)
	}

	s2, err := c.Runs.SubmitToolOutputsStream(ctx, run.ThreadID, run.ID, stWeatherOutputs(run))
	require.NoError(t, err)
	defer s2.Close()
	var text strings.Builder
	for s2.Next() {
		text.WriteString(s2.TextDelta())
	}
	require.NoError(t, s2.Err())
	assert.Equal(t, stWeatherAnswer, text.String())
	final, err := s2.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, final.Status)
	msgs := s2.FinalMessages()
	require.Len(t, msgs, 1)
	assert.Equal(t, "msg_0ZmvcvGhH4TXeEgCyMSVQe3u", msgs[0].ID)
	assert.Equal(t, MessageStatusCompleted, msgs[0].Status)
	assert.Equal(t, stWeatherAnswer, msgs[0].Text())
	steps = s2.FinalRunSteps()
	require.Len(t, steps, 2)
	assert.Equal(t, StepStatusCompleted, steps[0].Status)
	assert.Equal(t, "0.06", steps[0].StepDetails.ToolCalls[0].Function.Output)
	assert.Equal(t, "57", steps[0].StepDetails.ToolCalls[1].Function.Output)
	assert.Equal(t, StepTypeMessageCreation, steps[1].Type)
	assert.Equal(t, "msg_0ZmvcvGhH4TXeEgCyMSVQe3u", steps[1].StepDetails.MessageCreation.MessageID)
}

func TestStreamCodeInterpreterFixtureHandler(t *testing.T) {
	c := stFixtureClient(t, "stream_code_interpreter")
	var input strings.Builder
	var logs []string
	var doneCalls []*ToolCall
	var threadID string
	var text strings.Builder
	var messages []string
	h := &Handler{
		OnEvent: func(_ context.Context, ev Event) error {
			if ev.Type == EventThreadCreated {
				th, err := ev.Thread()
				if err != nil {
					return err
				}
				threadID = th.ID
			}
			return nil
		},
		OnToolCallDelta: func(_ context.Context, d *ToolCall, _ *ToolCall) error {
			if ci := d.CodeInterpreter; ci != nil {
				input.WriteString(ci.Input)
				for _, o := range ci.Outputs {
					logs = append(logs, o.Logs)
				}
			}
			return nil
		},
		OnToolCallDone: func(_ context.Context, call *ToolCall) error { doneCalls = append(doneCalls, call); return nil },
		OnTextDelta:    func(_ context.Context, d *TextDelta, _ *Text) error { text.WriteString(d.Value); return nil },
		OnMessageDone:  func(_ context.Context, m *Message) error { messages = append(messages, m.Text()); return nil },
	}
	run, err := c.Threads.CreateAndRunAndStream(context.Background(), CreateAndRunParams{
		AssistantID: "asst_Qm3bVdY6rN8wKp2sTz4LxGfA",
		Thread:      &ThreadCreateParams{Messages: []MessageCreateParams{{Role: RoleUser, Content: "I need to solve the equation `3x + 11 = 14`. Can you help me?"}}},
	}, h)
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Equal(t, "thread_hQ0qnBzY7sB3pW1rXoIu5dEk", threadID)
	assert.Equal(t, stMathCode, input.String())
	assert.Equal(t, []string{"[1]"}, logs)
	require.Len(t, doneCalls, 1)
	assert.Equal(t, stMathCode, doneCalls[0].CodeInterpreter.Input)
	assert.Equal(t, []CodeOutput{{Type: "logs", Logs: "[1]"}}, doneCalls[0].CodeInterpreter.Outputs)
	assert.Equal(t, stMathAnswer, text.String())
	assert.Equal(t, []string{stMathAnswer}, messages)
}

func TestStreamCodeInterpreterFixturePull(t *testing.T) {
	c := stFixtureClient(t, "stream_code_interpreter")
	s, err := c.Threads.CreateAndRunStream(context.Background(), CreateAndRunParams{
		AssistantID: "asst_Qm3bVdY6rN8wKp2sTz4LxGfA",
		Thread:      &ThreadCreateParams{Messages: []MessageCreateParams{{Role: RoleUser, Content: "I need to solve the equation `3x + 11 = 14`. Can you help me?"}}},
	})
	require.NoError(t, err)
	defer s.Close()
	var sawInput bool
	for s.Next() {
		ev := s.Event()
		if ev.Type != EventThreadRunStepDelta || ev.Get("delta.step_details.tool_calls.0.code_interpreter.input").String() == "" {
			continue
		}
		// Mid-stream, the step snapshot holds the code so far.
		snap := s.RunStepSnapshot(ev.Get("id").String())
		require.NotNil(t, snap)
		assert.True(t, strings.HasPrefix(stMathCode, snap.StepDetails.ToolCalls[0].CodeInterpreter.Input))
		sawInput = true
	}
	require.NoError(t, s.Err())
	assert.True(t, sawInput)
	run, err := s.FinalRun()
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.Equal(t, 514, run.Usage.TotalTokens)
	steps := s.FinalRunSteps()
	require.Len(t, steps, 2)
	ci := steps[0].StepDetails.ToolCalls[0].CodeInterpreter
	assert.Equal(t, stMathCode, ci.Input)
	assert.Equal(t, []CodeOutput{{Type: "logs", Logs: "[1]"}}, ci.Outputs)
	assert.Equal(t, StepStatusCompleted, steps[1].Status)
	msgs := s.FinalMessages()
	require.Len(t, msgs, 1)
	assert.Equal(t, RoleAssistant, msgs[0].Role)
	assert.Equal(t, stMathAnswer, msgs[0].Text())
}
