package assistantstest_test

import (
	"github.com/assistants-go/assistants/assistantstest"
	"net/http"
	"regexp"
	"strings"
	"testing"
)

var idRE = map[string]*regexp.Regexp{
	"asst":   regexp.MustCompile(`^asst_[A-Za-z0-9]{24}$`),
	"thread": regexp.MustCompile(`^thread_[A-Za-z0-9]{24}$`),
	"msg":    regexp.MustCompile(`^msg_[A-Za-z0-9]{24}$`),
	"run":    regexp.MustCompile(`^run_[A-Za-z0-9]{24}$`),
	"step":   regexp.MustCompile(`^step_[A-Za-z0-9]{24}$`),
	"call":   regexp.MustCompile(`^call_[A-Za-z0-9]{24}$`),
	"file":   regexp.MustCompile(`^file-[A-Za-z0-9]{22}$`),
	"vs":     regexp.MustCompile(`^vs_[A-Za-z0-9]{24}$`),
	"vsfb":   regexp.MustCompile(`^vsfb_[A-Za-z0-9]{24}$`),
}

func checkID(t *testing.T, kind, id string) {
	t.Helper()
	if !idRE[kind].MatchString(id) {
		t.Errorf("id %q is not a %s id", id, kind)
	}
}

func TestAssistantCRUD(t *testing.T) {
	a := newAPI(t)
	as := a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o", "name": "Math Tutor",
		"instructions": "You are a personal math tutor. Answer questions briefly, in a sentence or less."})
	checkID(t, "asst", str(as, "id"))
	if err := hasKey(as, "id", "object", "created_at", "name", "description", "model", "instructions", "tools",
		"tool_resources", "metadata", "temperature", "top_p", "response_format"); err != nil {
		t.Fatal(err)
	}
	if as["object"] != "assistant" || as["description"] != nil || num(as, "temperature") != 1 || num(as, "top_p") != 1 ||
		as["response_format"] != "auto" || len(list(as, "tools")) != 0 || num(as, "created_at") < 1e9 {
		t.Errorf("unexpected assistant: %v", as)
	}
	if _, ok := as["metadata"].(map[string]any); !ok {
		t.Errorf("metadata should be {}: %v", as["metadata"])
	}
	id := str(as, "id")
	if got := a.ok("GET", "/assistants/"+id, nil); str(got, "name") != "Math Tutor" {
		t.Errorf("get: %v", got)
	}
	up := a.ok("POST", "/assistants/"+id, map[string]any{"tools": []any{map[string]any{"type": "code_interpreter"},
		map[string]any{"type": "file_search"}}, "metadata": map[string]string{"k": "v"}, "description": "d"})
	if str(up, "tools", 0, "type") != "code_interpreter" || get(up, "tool_resources", "code_interpreter", "file_ids") == nil ||
		str(up, "tools", 1, "file_search", "ranking_options", "ranker") != "default_2024_08_21" ||
		str(up, "metadata", "k") != "v" || str(up, "description") != "d" || str(up, "name") != "Math Tutor" {
		t.Errorf("update: %v", up)
	}
	l := a.ok("GET", "/assistants", nil)
	if l["object"] != "list" || len(list(l, "data")) != 1 || str(l, "first_id") != id || str(l, "last_id") != id || l["has_more"] != false {
		t.Errorf("list: %v", l)
	}
	del := a.ok("DELETE", "/assistants/"+id, nil)
	if del["object"] != "assistant.deleted" || del["deleted"] != true || del["id"] != id {
		t.Errorf("delete: %v", del)
	}
	e := a.fail(404, "GET", "/assistants/"+id, nil)
	if str(e, "message") != "No assistant found with id '"+id+"'." || str(e, "type") != "invalid_request_error" {
		t.Errorf("404: %v", e)
	}
	if l := a.ok("GET", "/assistants", nil); l["first_id"] != nil || l["last_id"] != nil || len(list(l, "data")) != 0 {
		t.Errorf("empty list: %v", l)
	}
}

func TestThreadAndMessageCRUD(t *testing.T) {
	a := newAPI(t)
	th := a.ok("POST", "/threads", nil)
	checkID(t, "thread", str(th, "id"))
	if th["object"] != "thread" || hasKey(th, "tool_resources", "metadata", "created_at") != nil {
		t.Errorf("thread: %v", th)
	}
	tid := str(th, "id")
	m := a.ok("POST", "/threads/"+tid+"/messages", map[string]any{"role": "user",
		"content": "I need to solve the equation `3x + 11 = 14`. Can you help me?"})
	checkID(t, "msg", str(m, "id"))
	if err := hasKey(m, "id", "object", "created_at", "thread_id", "status", "incomplete_details", "completed_at",
		"incomplete_at", "role", "content", "assistant_id", "run_id", "attachments", "metadata"); err != nil {
		t.Fatal(err)
	}
	if m["object"] != "thread.message" || m["assistant_id"] != nil || m["run_id"] != nil || str(m, "thread_id") != tid ||
		str(m, "content", 0, "type") != "text" || !strings.Contains(str(m, "content", 0, "text", "value"), "3x + 11") ||
		list(m, "content", 0, "text", "annotations") == nil {
		t.Errorf("message: %v", m)
	}
	parts := a.ok("POST", "/threads/"+tid+"/messages", map[string]any{"role": "user", "content": []any{
		map[string]any{"type": "text", "text": "hello"},
		map[string]any{"type": "image_url", "image_url": map[string]any{"url": "https://example.com/x.png"}}}})
	if str(parts, "content", 1, "image_url", "detail") != "auto" {
		t.Errorf("parts: %v", parts)
	}
	mid := str(m, "id")
	if got := a.ok("POST", "/threads/"+tid+"/messages/"+mid, map[string]any{"metadata": map[string]string{"a": "b"}}); str(got, "metadata", "a") != "b" {
		t.Errorf("modify message: %v", got)
	}
	if got := a.ok("GET", "/threads/"+tid+"/messages/"+mid, nil); str(got, "metadata", "a") != "b" {
		t.Errorf("get message: %v", got)
	}
	l := a.ok("GET", "/threads/"+tid+"/messages", nil)
	if len(list(l, "data")) != 2 || str(l, "first_id") != str(parts, "id") {
		t.Errorf("messages are newest first: %v", l)
	}
	if d := a.ok("DELETE", "/threads/"+tid+"/messages/"+mid, nil); d["object"] != "thread.message.deleted" || d["deleted"] != true {
		t.Errorf("delete message: %v", d)
	}
	a.fail(404, "GET", "/threads/"+tid+"/messages/"+mid, nil)
	if got := a.ok("POST", "/threads/"+tid, map[string]any{"metadata": map[string]string{"user": "u1"}}); str(got, "metadata", "user") != "u1" {
		t.Errorf("modify thread: %v", got)
	}
	if d := a.ok("DELETE", "/threads/"+tid, nil); d["object"] != "thread.deleted" {
		t.Errorf("delete thread: %v", d)
	}
	a.fail(404, "GET", "/threads/"+tid, nil)
	a.fail(404, "GET", "/threads/"+tid+"/messages", nil)

	// A thread created with messages.
	th2 := a.ok("POST", "/threads", map[string]any{"messages": []any{
		map[string]any{"role": "user", "content": "one"}, map[string]any{"role": "assistant", "content": "two"}}})
	l = a.ok("GET", "/threads/"+str(th2, "id")+"/messages?order=asc", nil)
	if str(l, "data", 0, "content", 0, "text", "value") != "one" || str(l, "data", 1, "role") != "assistant" {
		t.Errorf("initial messages: %v", l)
	}
}

func TestPagination(t *testing.T) {
	a := newAPI(t)
	var ids []string
	for i := 0; i < 7; i++ {
		ids = append(ids, str(a.ok("POST", "/assistants", map[string]any{"model": "gpt-4o"}), "id"))
	}
	// desc (default): newest first, pages of 3 following last_id.
	var got []string
	after := ""
	pages := 0
	for {
		path := "/assistants?limit=3"
		if after != "" {
			path += "&after=" + after
		}
		p := a.ok("GET", path, nil)
		pages++
		data := list(p, "data")
		for _, d := range data {
			got = append(got, str(d, "id"))
		}
		if str(p, "first_id") != str(data[0], "id") || str(p, "last_id") != str(data[len(data)-1], "id") {
			t.Fatalf("first/last ids: %v", p)
		}
		if p["has_more"] != true {
			break
		}
		after = str(p, "last_id")
	}
	if pages != 3 || len(got) != 7 {
		t.Fatalf("pages %d, items %d", pages, len(got))
	}
	for i := range ids {
		if got[i] != ids[len(ids)-1-i] {
			t.Fatalf("desc order wrong: %v vs %v", got, ids)
		}
	}
	// asc
	p := a.ok("GET", "/assistants?order=asc&limit=4", nil)
	if str(p, "data", 0, "id") != ids[0] || str(p, "last_id") != ids[3] || p["has_more"] != true {
		t.Errorf("asc: %v", p)
	}
	p = a.ok("GET", "/assistants?order=asc&after="+ids[3], nil)
	if len(list(p, "data")) != 3 || p["has_more"] != false {
		t.Errorf("asc after: %v", p)
	}
	// before: the page just before the cursor.
	p = a.ok("GET", "/assistants?order=asc&limit=2&before="+ids[5], nil)
	if str(p, "first_id") != ids[3] || str(p, "last_id") != ids[4] || p["has_more"] != true {
		t.Errorf("before: %v", p)
	}
	p = a.ok("GET", "/assistants?order=asc&after="+ids[1]+"&before="+ids[4], nil)
	if len(list(p, "data")) != 2 || str(p, "first_id") != ids[2] {
		t.Errorf("after+before: %v", p)
	}
	for _, bad := range []string{"limit=0", "limit=101", "limit=x", "order=up", "after=asst_nope"} {
		e := a.fail(400, "GET", "/assistants?"+bad, nil)
		if str(e, "param") == "" {
			t.Errorf("%s: error without param: %v", bad, e)
		}
	}
	if p := a.ok("GET", "/assistants?limit=100", nil); len(list(p, "data")) != 7 {
		t.Errorf("limit=100: %v", p)
	}
}

func TestErrors(t *testing.T) {
	a := newAPI(t)
	// Authentication.
	a.key = ""
	e := a.fail(401, "GET", "/assistants", nil)
	if str(e, "code") != "invalid_api_key" || str(e, "type") != "invalid_request_error" {
		t.Errorf("401: %v", e)
	}
	a.fail(401, "GET", "/assistants", nil, "Authorization", "Bearer ")
	a.fail(401, "GET", "/assistants", nil, "Authorization", "Basic abc")
	a.key = "test-key"

	strict := newAPI(t, assistantstest.WithAPIKey("sk-right"))
	strict.key = "sk-wrong"
	if e := strict.fail(401, "GET", "/assistants", nil); !strings.Contains(str(e, "message"), "Incorrect API key") {
		t.Errorf("wrong key: %v", e)
	}
	strict.key = "sk-right"
	strict.ok("GET", "/assistants", nil)

	// 404s.
	for path, kind := range map[string]string{
		"/assistants/asst_x":                   "assistant",
		"/threads/thread_x":                    "thread",
		"/files/file-x":                        "file",
		"/vector_stores/vs_x":                  "vector store",
		"/vector_stores/vs_x/file_batches/b_x": "vector store",
	} {
		e := a.fail(404, "GET", path, nil)
		if !strings.HasPrefix(str(e, "message"), "No "+kind+" found with id") {
			t.Errorf("%s: %v", path, e)
		}
	}
	th := a.ok("POST", "/threads", nil)
	tid := str(th, "id")
	if e := a.fail(404, "GET", "/threads/"+tid+"/runs/run_x", nil); str(e, "message") != "No run found with id 'run_x'." {
		t.Errorf("run 404: %v", e)
	}
	a.fail(404, "POST", "/threads/"+tid+"/runs", map[string]any{"assistant_id": "asst_missing"})
	if e := a.fail(404, "GET", "/nope", nil); !strings.Contains(str(e, "message"), "Invalid URL") {
		t.Errorf("bad url: %v", e)
	}
	a.fail(404, "DELETE", "/threads/"+tid+"/runs", nil)

	// 400s with the offending parameter named.
	cases := []struct {
		path  string
		body  any
		param string
		code  string
	}{
		{"/assistants", map[string]any{}, "model", "missing_required_parameter"},
		{"/assistants", map[string]any{"model": "gpt-4o", "bogus": 1}, "bogus", "unknown_parameter"},
		{"/assistants", map[string]any{"model": 5}, "model", "invalid_type"},
		{"/assistants", map[string]any{"model": "gpt-4o", "temperature": 3}, "temperature", "decimal_above_max_value"},
		{"/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "browser"}}}, "tools[0].type", "invalid_value"},
		{"/assistants", map[string]any{"model": "gpt-4o", "tools": []any{map[string]any{"type": "function", "function": map[string]any{}}}}, "tools[0].function.name", "missing_required_parameter"},
		{"/assistants", map[string]any{"model": "gpt-4o", "metadata": map[string]any{"k": 1}}, "metadata.k", "invalid_type"},
		{"/threads", map[string]any{"messages": []any{map[string]any{"role": "robot", "content": "x"}}}, "messages[0].role", "invalid_value"},
		{"/threads/" + tid + "/messages", map[string]any{"role": "user"}, "content", "missing_required_parameter"},
		{"/threads/" + tid + "/messages", map[string]any{"role": "user", "content": "x", "extra": true}, "extra", "unknown_parameter"},
		{"/threads/" + tid + "/runs", map[string]any{}, "assistant_id", "missing_required_parameter"},
		{"/threads/" + tid + "/runs", map[string]any{"assistant_id": "a", "max_prompt_tokens": 10}, "max_prompt_tokens", "integer_below_min_value"},
		{"/vector_stores", map[string]any{"expires_after": map[string]any{"anchor": "now", "days": 1}}, "expires_after.anchor", "invalid_value"},
		{"/vector_stores", map[string]any{"chunking_strategy": map[string]any{"type": "static"}}, "chunking_strategy.static", "missing_required_parameter"},
	}
	for _, c := range cases {
		e := a.fail(400, "POST", c.path, c.body)
		if str(e, "param") != c.param || str(e, "code") != c.code {
			t.Errorf("POST %s %v: got param %v code %v (%s)", c.path, c.body, e["param"], e["code"], e["message"])
		}
	}
	if e := a.fail(400, "POST", "/assistants", "{not json"); !strings.Contains(str(e, "message"), "parse the JSON body") {
		t.Errorf("bad json: %v", e)
	}
}

func TestRequireBetaHeader(t *testing.T) {
	a := newAPI(t, assistantstest.WithRequireBetaHeader())
	r := a.request("GET", "/assistants", nil, "OpenAI-Beta", "")
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "OpenAI-Beta") {
		t.Errorf("missing beta header: %d %s", r.status, r.body)
	}
	a.ok("GET", "/assistants", nil) // the helper sends assistants=v2
	// Files are not an Assistants (beta) endpoint.
	a.ok("GET", "/files", nil, "OpenAI-Beta", "")
}
