package assistantstest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/assistants-go/assistants/assistantstest"
)

// The cookbook's math tutor against the in-memory server, in raw HTTP: the
// run is polled (each GET advances it one state) until it completes.
func Example() {
	srv := assistantstest.NewServer()
	defer srv.Close()

	call := func(method, path, body string) map[string]any {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer test-key")
		req.Header.Set("OpenAI-Beta", "assistants=v2")
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		var out map[string]any
		_ = json.NewDecoder(resp.Body).Decode(&out)
		return out
	}

	asst := call("POST", "/assistants", `{"model":"gpt-4o","name":"Math Tutor",
		"instructions":"You are a personal math tutor. Answer questions briefly, in a sentence or less."}`)
	run := call("POST", "/threads/runs", `{"assistant_id":"`+asst["id"].(string)+`","thread":{"messages":[
		{"role":"user","content":"I need to solve the equation `+"`3x + 11 = 14`"+`. Can you help me?"}]}}`)
	threadID, runID := run["thread_id"].(string), run["id"].(string)
	fmt.Println(run["status"])
	for run["status"] == "queued" || run["status"] == "in_progress" {
		run = call("GET", "/threads/"+threadID+"/runs/"+runID, "")
		fmt.Println(run["status"])
	}
	msgs := call("GET", "/threads/"+threadID+"/messages?limit=1", "")
	reply := msgs["data"].([]any)[0].(map[string]any)
	text := reply["content"].([]any)[0].(map[string]any)["text"].(map[string]any)["value"]
	fmt.Printf("%s: %s\n", reply["role"], text)
	// Output:
	// queued
	// in_progress
	// completed
	// assistant: Sure! Subtract 11 from both sides to get 3x = 3, then divide by 3 to find x = 1.
}
