package assistants_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"

	"github.com/assistants-go/assistants"
)

// stExampleServer serves the recorded event streams of a fixture file,
// answering each request with the next recorded stream for its path.
func stExampleServer(fixture string) *httptest.Server {
	data, err := os.ReadFile("testdata/fixtures/" + fixture + ".json")
	if err != nil {
		log.Fatal(err)
	}
	var rec struct {
		Interactions []struct {
			Request  struct{ Path string }
			Response struct{ SSE string }
		}
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		log.Fatal(err)
	}
	var mu sync.Mutex
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		mu.Lock()
		defer mu.Unlock()
		for i, in := range rec.Interactions {
			if "/v1"+in.Request.Path == r.URL.Path {
				rec.Interactions = append(rec.Interactions[:i], rec.Interactions[i+1:]...)
				w.Header().Set("Content-Type", "text/event-stream")
				_, _ = io.WriteString(w, in.Response.SSE)
				return
			}
		}
		http.NotFound(w, r)
	}))
}

// Seed 002's weather assistant, streamed with an event handler: the run
// calls two functions in parallel, the handler answers both (they are
// submitted together, in one streaming request), and the same handler then
// prints the answer as it streams.
func ExampleRunsService_CreateAndStream() {
	srv := stExampleServer("stream_weather") // a recorded run
	defer srv.Close()
	c, err := assistants.NewClient(assistants.WithBaseURL(srv.URL+"/v1"), assistants.WithAPIKey("sk-example"))
	if err != nil {
		log.Fatal(err)
	}

	h := &assistants.Handler{
		OnRequiresAction: func(ctx context.Context, run *assistants.Run) ([]assistants.ToolOutput, error) {
			var outputs []assistants.ToolOutput
			for _, call := range run.RequiredAction.SubmitToolOutputs.ToolCalls {
				switch call.Function.Name {
				case "get_current_temperature":
					outputs = append(outputs, assistants.ToolOutput{ToolCallID: call.ID, Output: "57"})
				case "get_rain_probability":
					outputs = append(outputs, assistants.ToolOutput{ToolCallID: call.ID, Output: "0.06"})
				}
			}
			return outputs, nil
		},
		OnToolCallDone: func(ctx context.Context, call *assistants.ToolCall) error {
			fmt.Printf("%s(%s)\n", call.Function.Name, call.Function.Arguments)
			return nil
		},
		OnTextDelta: func(ctx context.Context, delta *assistants.TextDelta, _ *assistants.Text) error {
			fmt.Print(delta.Value)
			return nil
		},
	}
	run, err := c.Runs.CreateAndStream(context.Background(), "thread_LRkJ8bMeXcIH6zqOXUW7VIjM",
		assistants.RunCreateParams{AssistantID: "asst_Sx2y3WAJgYt2qDl6E0QdQ1Zq"}, h)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	fmt.Println(run.Status)
	// Output:
	// get_rain_probability({"location": "San Francisco, CA"})
	// get_current_temperature({"location": "San Francisco, CA", "unit": "Fahrenheit"})
	// The current temperature in San Francisco, CA is 57°F, and there is a 6% chance of rain today.
	// completed
}

// A thread and a run created in one call, read as a pull stream: the text
// deltas as they come, then the code the run's code_interpreter step ran.
func ExampleThreadsService_CreateAndRunStream() {
	srv := stExampleServer("stream_code_interpreter") // a recorded run
	defer srv.Close()
	c, err := assistants.NewClient(assistants.WithBaseURL(srv.URL+"/v1"), assistants.WithAPIKey("sk-example"))
	if err != nil {
		log.Fatal(err)
	}

	s, err := c.Threads.CreateAndRunStream(context.Background(), assistants.CreateAndRunParams{
		AssistantID: "asst_Qm3bVdY6rN8wKp2sTz4LxGfA",
		Thread: &assistants.ThreadCreateParams{Messages: []assistants.MessageCreateParams{
			{Role: assistants.RoleUser, Content: "I need to solve the equation `3x + 11 = 14`. Can you help me?"},
		}},
	})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	for s.Next() {
		fmt.Print(s.TextDelta()) // "" for events other than text deltas
	}
	if err := s.Err(); err != nil {
		log.Fatal(err)
	}
	fmt.Println()
	for _, step := range s.FinalRunSteps() {
		for _, call := range step.StepDetails.ToolCalls {
			if call.CodeInterpreter != nil {
				fmt.Printf("ran %d lines of code, output %q\n", strings.Count(call.CodeInterpreter.Input, "\n")+1, call.CodeInterpreter.Outputs[0].Logs)
			}
		}
	}
	// Output:
	// The solution to the equation \(3x + 11 = 14\) is \(x = 1\).
	//
	// Let me know if you need "more" help!
	// ran 5 lines of code, output "[1]"
}
