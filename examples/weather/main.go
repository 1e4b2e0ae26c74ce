// Command weather is the function calling walkthrough of the Assistants API
// in Go, with streaming: a weather assistant with two strict function tools,
// get_current_temperature and get_rain_probability. Asked about the weather
// in San Francisco, the model calls both functions in parallel; the event
// handler prints each call as it completes, answers both calls together in
// one submission, and prints the answer as its text streams in.
//
// Run it offline, against the in-process Assistants server of package
// assistantstest:
//
//	go run ./examples/weather
//
// or against any server that speaks the Assistants API v2:
//
//	OPENAI_BASE_URL=http://127.0.0.1:8089/v1 OPENAI_API_KEY=sk-... go run ./examples/weather
//
// (cmd/assistants-emulator serves the in-process server as a process, which
// accepts any key.)
package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

// offlineNotice is the line printed when the example uses the in-process server.
const offlineNotice = "No OPENAI_API_KEY set: using the in-process Assistants server (assistantstest)."

const question = "What's the weather in San Francisco today and the likelihood it'll rain?"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	c, closeClient, err := newClient(os.Stderr)
	if err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "weather:", err)
		os.Exit(1)
	}
	err = run(ctx, os.Stdout, c)
	closeClient()
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "weather:", err)
		os.Exit(1)
	}
}

// newClient returns a client for the server named by OPENAI_BASE_URL and
// OPENAI_API_KEY when a key is set. Otherwise it starts the in-process
// server, says so on notice, and returns a client talking to it. The
// returned func releases what newClient started.
func newClient(notice io.Writer) (*assistants.Client, func(), error) {
	if os.Getenv("OPENAI_API_KEY") != "" {
		c, err := assistants.NewClient()
		if err != nil {
			return nil, nil, err
		}
		return c, func() {}, nil
	}
	srv := assistantstest.NewServer()
	fmt.Fprintln(notice, offlineNotice)
	return srv.Client(), srv.Close, nil
}

// The two functions, with strict schemas (Structured Outputs): every
// property required, no other property allowed.
var tools = []assistants.Tool{
	assistants.FunctionTool(assistants.FunctionDefinition{
		Name:        "get_current_temperature",
		Description: "Get the current temperature for a specific location",
		Parameters: json.RawMessage(`{
			"type": "object",
			"properties": {
				"location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"},
				"unit": {
					"type": "string",
					"enum": ["Celsius", "Fahrenheit"],
					"description": "The temperature unit to use. Infer this from the user's location."
				}
			},
			"required": ["location", "unit"],
			"additionalProperties": false
		}`),
		Strict: assistants.Ptr(true),
	}),
	assistants.FunctionTool(assistants.FunctionDefinition{
		Name:        "get_rain_probability",
		Description: "Get the probability of rain for a specific location",
		Parameters: json.RawMessage(`{
			"type": "object",
			"properties": {
				"location": {"type": "string", "description": "The city and state, e.g., San Francisco, CA"}
			},
			"required": ["location"],
			"additionalProperties": false
		}`),
		Strict: assistants.Ptr(true),
	}),
}

// callFunction is the implementation of the tools: fixed answers, as in the
// walkthrough.
func callFunction(name string) (string, bool) {
	switch name {
	case "get_current_temperature":
		return "57", true
	case "get_rain_probability":
		return "0.06", true
	}
	return "", false
}

// run creates the assistant and a thread, streams a run to its end and
// deletes what it created.
func run(ctx context.Context, out io.Writer, c *assistants.Client) (err error) {
	asst, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{
		Instructions: "You are a weather bot. Use the provided functions to answer questions.",
		Model:        "gpt-4o-2024-08-06",
		Tools:        tools,
	})
	if err != nil {
		return err
	}
	defer cleanup(ctx, out, "assistant", asst.ID, func(ctx context.Context) error {
		_, err := c.Assistants.Delete(ctx, asst.ID)
		return err
	})
	fmt.Fprintf(out, "Created the weather assistant %s with the tools get_current_temperature and get_rain_probability (strict)\n", asst.ID)

	thread, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
	if err != nil {
		return err
	}
	defer cleanup(ctx, out, "thread", thread.ID, func(ctx context.Context) error {
		_, err := c.Threads.Delete(ctx, thread.ID)
		return err
	})
	if _, err := c.Messages.Create(ctx, thread.ID, assistants.MessageCreateParams{
		Role:    assistants.RoleUser,
		Content: question,
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "Created thread %s\n\nuser: %s\n\n", thread.ID, question)

	h := &assistants.Handler{
		// Each function call, once its arguments are complete.
		OnToolCallDone: func(_ context.Context, call *assistants.ToolCall) error {
			if call.Function != nil {
				fmt.Fprintf(out, "tool call %s: %s(%s)\n", call.ID, call.Function.Name, call.Function.Arguments)
			}
			return nil
		},
		// The run waits for the outputs of all its calls: answer them
		// together, in one submission (the driver submits them and goes
		// on streaming into this handler).
		OnRequiresAction: func(_ context.Context, run *assistants.Run) ([]assistants.ToolOutput, error) {
			calls := run.RequiredAction.SubmitToolOutputs.ToolCalls
			fmt.Fprintf(out, "\nrun %s requires action: %d parallel tool call(s), answered together:\n", run.ID, len(calls))
			outputs := make([]assistants.ToolOutput, 0, len(calls))
			for _, call := range calls {
				output, ok := callFunction(call.Function.Name)
				if !ok {
					output = `{"error":"unknown function ` + call.Function.Name + `"}`
				}
				fmt.Fprintf(out, "  %s -> %s\n", call.Function.Name, output)
				outputs = append(outputs, assistants.ToolOutput{ToolCallID: call.ID, Output: output})
			}
			fmt.Fprintln(out)
			return outputs, nil
		},
		// The answer, as it streams.
		OnTextCreated: func(context.Context, *assistants.Text) error {
			fmt.Fprint(out, "assistant: ")
			return nil
		},
		OnTextDelta: func(_ context.Context, delta *assistants.TextDelta, _ *assistants.Text) error {
			fmt.Fprint(out, delta.Value)
			return nil
		},
		OnTextDone: func(context.Context, *assistants.Text) error {
			fmt.Fprintln(out)
			return nil
		},
	}
	r, err := c.Runs.CreateAndStream(ctx, thread.ID, assistants.RunCreateParams{AssistantID: asst.ID}, h)
	if err != nil {
		return err
	}
	if r.Status != assistants.RunStatusCompleted {
		msg := ""
		if r.LastError != nil {
			msg = fmt.Sprintf(": %s: %s", r.LastError.Code, r.LastError.Message)
		}
		return fmt.Errorf("run %s ended %s%s", r.ID, r.Status, msg)
	}
	fmt.Fprintf(out, "\nrun %s: %s\n", r.ID, r.Status)
	return nil
}

// cleanup deletes one object, reporting (not returning) a failure.
func cleanup(ctx context.Context, out io.Writer, what, id string, del func(context.Context) error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	if err := del(ctx); err != nil {
		fmt.Fprintf(out, "cleanup: could not delete %s %s: %s\n", what, id, strings.TrimSpace(err.Error()))
		return
	}
	fmt.Fprintf(out, "Deleted %s %s\n", what, id)
}
