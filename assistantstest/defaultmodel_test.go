package assistantstest_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

func respond(t *testing.T, turn *assistantstest.Turn) *assistantstest.Reply {
	t.Helper()
	if turn.Now.IsZero() {
		turn.Now = time.Date(2025, 1, 8, 12, 0, 0, 0, time.UTC)
	}
	r, err := assistantstest.DefaultModel().Respond(context.Background(), turn)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func user(text string) []assistantstest.Message {
	return []assistantstest.Message{{Role: "user", Text: text}}
}

func TestDefaultModelReplies(t *testing.T) {
	cases := []struct {
		q, want string
	}{
		{"I need to solve the equation `3x + 11 = 14`. Can you help me?", "Sure! Subtract 11 from both sides to get 3x = 3, then divide by 3 to find x = 1."},
		{"Solve 2y - 4 = 10", "Sure! Add 4 to both sides to get 2y = 14, then divide by 2 to find y = 7."},
		{"x + 5 = 7", "Sure! Subtract 5 from both sides to find x = 2."},
		{"Thank you!", "You're welcome! If you have any more questions, feel free to ask!"},
		{"Hello there", "Hello! How can I help you today?"},
		{"Could you explain linear algebra to me?", "Linear algebra is the branch of mathematics concerning vector spaces, linear transformations, and systems of linear equations, often represented with matrices."},
		{"Tell me about topology.", `Thanks for your message! I'm an offline test assistant, so here is a short reply to "Tell me about topology.".`},
	}
	for _, c := range cases {
		if got := respond(t, &assistantstest.Turn{Messages: user(c.q)}).Text; got != c.want {
			t.Errorf("%q:\n got %q\nwant %q", c.q, got, c.want)
		}
	}
}

func TestDefaultModelSchemaArguments(t *testing.T) {
	params := json.RawMessage(`{"type":"object","$defs":{"unit":{"type":"string","enum":["celsius","fahrenheit"]}},
		"properties":{"city":{"type":"string"},"unit":{"$ref":"#/$defs/unit"},"date":{"type":"string","format":"date"},
		"days":{"type":["integer","null"],"minimum":1,"maximum":14},"verbose":{"type":"boolean"},
		"tags":{"type":"array","items":{"type":"string"},"minItems":2},
		"filter":{"anyOf":[{"type":"null"},{"type":"object","properties":{"kind":{"const":"forecast"}}}]}},
		"required":["city","unit","date"],"additionalProperties":false}`)
	turn := &assistantstest.Turn{
		Messages: user("Give me the weather forecast in Paris, France for 5 days in celsius"),
		Tools: []assistantstest.Tool{
			{Type: "function", Name: "get_weather_forecast", Description: "Weather forecast for a city", Parameters: params},
			{Type: "function", Name: "send_email", Description: "Send an email"},
		},
	}
	r := respond(t, turn)
	if len(r.ToolCalls) != 1 || r.ToolCalls[0].Name != "get_weather_forecast" {
		t.Fatalf("calls: %+v", r.ToolCalls)
	}
	want := `{"city":"Paris, France","unit":"celsius","date":"2025-01-08","days":5,"verbose":false,"tags":["example","example"],"filter":{"kind":"forecast"}}`
	if r.ToolCalls[0].Arguments != want {
		t.Errorf("arguments:\n got %s\nwant %s", r.ToolCalls[0].Arguments, want)
	}

	// tool_choice: none answers in text; a named function is called even
	// without a keyword match; required picks a function.
	turn.Messages = user("Tell me a joke")
	turn.ToolChoice = assistantstest.ToolChoice{Type: "none"}
	if r := respond(t, turn); len(r.ToolCalls) != 0 || r.Text == "" {
		t.Errorf("none: %+v", r)
	}
	turn.ToolChoice = assistantstest.ToolChoice{Type: "function", Function: "send_email"}
	if r := respond(t, turn); len(r.ToolCalls) != 1 || r.ToolCalls[0].Name != "send_email" || r.ToolCalls[0].Arguments != "{}" {
		t.Errorf("named: %+v", r)
	}
	turn.ToolChoice = assistantstest.ToolChoice{Type: "required"}
	if r := respond(t, turn); len(r.ToolCalls) != 1 {
		t.Errorf("required: %+v", r)
	}
	turn.ToolChoice = assistantstest.ToolChoice{Type: "auto"}
	if r := respond(t, turn); len(r.ToolCalls) != 0 {
		t.Errorf("auto without a match should not call: %+v", r)
	}
}

func TestDefaultModelCodeAndSearch(t *testing.T) {
	code := []assistantstest.Tool{{Type: "code_interpreter"}}
	for q, logs := range map[string]string{
		"Compute 7 / 2 in python":                "3.5\n",
		"calculate 2^10 with code":               "1024\n",
		"write code to print something":          "Hello from the code interpreter!\n",
		"Generate the first 5 fibonacci numbers": "[0, 1, 1, 2, 3]\n",
	} {
		r := respond(t, &assistantstest.Turn{Messages: user(q), Tools: code})
		if r.CodeInterpreter == nil || r.CodeInterpreter.Logs != logs {
			t.Errorf("%q: %+v", q, r.CodeInterpreter)
		}
	}
	// Without the tool, no code step.
	if r := respond(t, &assistantstest.Turn{Messages: user("Compute 7 / 2 in python")}); r.CodeInterpreter != nil {
		t.Errorf("code without the tool: %+v", r)
	}
	docs := []assistantstest.Document{{FileID: "file-1", Filename: "a.txt", Text: "Cats sleep sixteen hours a day."}}
	search := []assistantstest.Tool{{Type: "file_search"}}
	r := respond(t, &assistantstest.Turn{Messages: user("How long do cats sleep?"), Tools: search, Documents: docs})
	if r.FileSearch == nil || r.FileSearch.Query != "How long do cats sleep?" {
		t.Fatalf("search: %+v", r)
	}
	r = respond(t, &assistantstest.Turn{Messages: user("How long do cats sleep?"), Tools: search, Documents: docs,
		Results: []assistantstest.ToolResult{{Type: "file_search", FileSearch: r.FileSearch,
			Hits: []assistantstest.SearchResult{{Index: 3, FileID: "file-1", Filename: "a.txt", Score: 1, Text: docs[0].Text}}}}})
	if r.Text != "According to a.txt, cats sleep sixteen hours a day【4:3†source】." {
		t.Errorf("search answer: %q", r.Text)
	}
	// Unrelated questions do not search.
	if r := respond(t, &assistantstest.Turn{Messages: user("Thank you!"), Tools: search, Documents: docs}); r.FileSearch != nil {
		t.Errorf("unrelated search: %+v", r)
	}
}

func TestRunOptions(t *testing.T) {
	script := assistantstest.NewScript(assistantstest.Reply{Text: "a"}, assistantstest.Reply{Text: "b"})
	a := newAPI(t, assistantstest.WithModel(script))
	fid := str(a.upload("k.txt", "assistants", []byte("knowledge")), "id")
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "file_search",
		"file_search": map[string]any{"max_num_results": 5, "ranking_options": map[string]any{"score_threshold": 0.2}}}},
		"tool_resources": map[string]any{"file_search": map[string]any{"vector_stores": []any{map[string]any{"file_ids": []string{fid}}}}}})
	vids := list(as, "tool_resources", "file_search", "vector_store_ids")
	if len(vids) != 1 || num(as, "tools", 0, "file_search", "max_num_results") != 5 {
		t.Fatalf("vector_stores helper: %v", as)
	}
	a.ok("GET", "/vector_stores/"+vids[0].(string), nil)

	tid := str(a.ok("POST", "/threads", map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": "one"}, map[string]any{"role": "user", "content": "two"},
		map[string]any{"role": "user", "content": "three"}}}), "id")
	run := a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id"), "model": "gpt-4o-mini",
		"instructions": "override", "temperature": 0.5, "top_p": 0.9, "metadata": map[string]string{"m": "1"},
		"truncation_strategy": map[string]any{"type": "last_messages", "last_messages": 2},
		"tool_choice":         map[string]any{"type": "file_search"}, "response_format": "auto",
		"tools": []any{map[string]any{"type": "code_interpreter"}}})
	if run["model"] != "gpt-4o-mini" || run["instructions"] != "override" || num(run, "temperature") != 0.5 ||
		num(run, "top_p") != 0.9 || str(run, "tool_choice", "type") != "file_search" || num(run, "truncation_strategy", "last_messages") != 2 ||
		str(run, "tools", 0, "type") != "code_interpreter" || str(run, "metadata", "m") != "1" {
		t.Errorf("run options: %v", run)
	}
	a.poll(tid, str(run, "id"), "completed")
	turn := script.Turns()[0]
	if len(turn.Messages) != 2 || turn.Messages[0].Text != "two" || turn.ToolChoice.Type != "file_search" ||
		len(turn.Documents) != 1 || turn.Documents[0].Text != "knowledge" || turn.Model != "gpt-4o-mini" {
		t.Errorf("turn: %+v", turn)
	}
	// Thread tool_resources and the named function choice round-trip.
	th := a.ok("POST", "/threads/"+tid, map[string]any{"tool_resources": map[string]any{"code_interpreter": map[string]any{"file_ids": []string{fid}}}})
	if str(th, "tool_resources", "code_interpreter", "file_ids", 0) != fid {
		t.Errorf("thread tool_resources: %v", th)
	}
	run = a.ok("POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": str(as, "id"),
		"tool_choice": map[string]any{"type": "function", "function": map[string]any{"name": "f"}}})
	if str(run, "tool_choice", "function", "name") != "f" {
		t.Errorf("named tool_choice: %v", run["tool_choice"])
	}
	a.poll(tid, str(run, "id"), "completed")
	for _, bad := range []map[string]any{
		{"tool_choice": "sometimes"},
		{"tool_choice": map[string]any{"type": "function"}},
		{"truncation_strategy": map[string]any{"type": "last_messages", "last_messages": 0}},
		{"response_format": "json"},
		{"stream": "yes"},
	} {
		bad["assistant_id"] = str(as, "id")
		a.fail(400, "POST", "/threads/"+tid+"/runs", bad)
	}
	if !strings.HasPrefix(fid, "file-") {
		t.Fatal(fid)
	}
}
