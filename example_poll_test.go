package assistants_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"time"

	"github.com/assistants-go/assistants"
)

// A run is polled until it ends. The stand-in server reports it queued, in
// progress, then completed, and asks for 10 ms between polls with its
// openai-poll-after-ms header, which Poll honours because no
// WithPollInterval was given.
func ExampleRunsService_Poll() {
	var polls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		statuses := []string{"queued", "in_progress", "completed"}
		status := statuses[min(int(polls.Add(1))-1, len(statuses)-1)]
		w.Header().Set("openai-poll-after-ms", "10")
		fmt.Fprintf(w, `{"id":"run_1","object":"thread.run","thread_id":"thread_1","assistant_id":"asst_1","status":%q}`, status)
	}))
	defer srv.Close()

	c, err := assistants.NewClient(assistants.WithBaseURL(srv.URL+"/v1"), assistants.WithAPIKey("sk-example"))
	if err != nil {
		log.Fatal(err)
	}
	// The context bounds the whole poll.
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	run, err := c.Runs.Poll(ctx, "thread_1", "run_1")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(run.Status, "after", polls.Load(), "polls")
	// Output: completed after 3 polls
}

// A ToolRunner answers the model's function calls while the run is polled:
// both calls of the requires_action run at once, and their outputs go back
// in one submission. The stand-in server plays the model.
func ExampleToolRunner() {
	srv := newPollWeatherServer()
	defer srv.Close()
	c, err := assistants.NewClient(assistants.WithBaseURL(srv.URL+"/v1"), assistants.WithAPIKey("sk-example"))
	if err != nil {
		log.Fatal(err)
	}

	type weatherArgs struct {
		City string `json:"city"`
	}
	runner := assistants.NewToolRunner(map[string]assistants.ToolFunc{
		"get_weather": assistants.ToolFuncOf(func(ctx context.Context, a weatherArgs) (map[string]any, error) {
			if a.City == "Atlantis" {
				return nil, fmt.Errorf("no weather station in %s", a.City)
			}
			return map[string]any{"city": a.City, "celsius": 21}, nil
		}),
	})

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	run, err := c.Runs.CreateAndPoll(ctx, "thread_1", assistants.RunCreateParams{AssistantID: "asst_1"},
		assistants.WithRequiresActionHandler(runner), assistants.WithPollInterval(5*time.Millisecond))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("run:", run.Status)
	for _, o := range srv.submitted() {
		fmt.Println(o.ToolCallID, o.Output)
	}
	// Output:
	// run: completed
	// call_1 {"celsius":21,"city":"Paris"}
	// call_2 {"error":"function \"get_weather\" failed: no weather station in Atlantis"}
}

// pollWeatherServer plays a run that calls get_weather twice, then completes.
type pollWeatherServer struct {
	*httptest.Server
	mu      sync.Mutex
	outputs []assistants.ToolOutput
}

func (s *pollWeatherServer) submitted() []assistants.ToolOutput {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.outputs
}

func newPollWeatherServer() *pollWeatherServer {
	s := new(pollWeatherServer)
	const requiresAction = `{"id":"run_1","object":"thread.run","thread_id":"thread_1","assistant_id":"asst_1","status":"requires_action",
		"required_action":{"type":"submit_tool_outputs","submit_tool_outputs":{"tool_calls":[
			{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
			{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Atlantis\"}"}}]}}}`
	run := func(status string) string {
		return fmt.Sprintf(`{"id":"run_1","object":"thread.run","thread_id":"thread_1","assistant_id":"asst_1","status":%q}`, status)
	}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/v1/threads/thread_1/runs":
			io.WriteString(w, run("queued"))
		case r.Method == http.MethodPost && r.URL.Path == "/v1/threads/thread_1/runs/run_1/submit_tool_outputs":
			var body struct {
				ToolOutputs []assistants.ToolOutput `json:"tool_outputs"`
			}
			_ = json.NewDecoder(r.Body).Decode(&body)
			s.outputs = body.ToolOutputs
			io.WriteString(w, run("queued"))
		case r.Method == http.MethodGet && s.outputs == nil:
			io.WriteString(w, requiresAction)
		case r.Method == http.MethodGet:
			io.WriteString(w, run("completed"))
		default:
			http.NotFound(w, r)
		}
	}))
	return s
}
