package assistants

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzUnions decodes arbitrary JSON into every union type. Whatever decodes
// must encode again (or fail to encode with an error, never a panic), and
// what it encodes to must decode to the same value: no union loses or
// invents data on a round trip.
func FuzzUnions(f *testing.F) {
	for _, seed := range []string{
		`"auto"`, `"required"`, `{"type":"function","function":{"name":"f"}}`, `{"type":"file_search"}`,
		`{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object"},"strict":true}}`,
		`{"type":"function","function":{"name":"get_weather","parameters":{"type":"object"},"strict":false}}`,
		`{"type":"file_search","file_search":{"max_num_results":5,"ranking_options":{"ranker":"auto","score_threshold":0.2}}}`,
		`{"type":"text","text":{"value":"hi","annotations":[{"type":"file_citation","text":"【4:0†source】","start_index":1,"end_index":2,"file_citation":{"file_id":"file-1"}}]}}`,
		`{"type":"tool_calls","tool_calls":[{"id":"c","type":"code_interpreter","code_interpreter":{"input":"1+1","outputs":[{"type":"logs","logs":"2"},{"type":"image","image":{"file_id":"f"}}]}}]}`,
		`{"role":"user","content":"hi"}`, `{"role":"user","content":[{"type":"text","text":"a"},{"type":"image_url","image_url":{"url":"u"}}]}`,
		`null`, `[]`, `{}`, `1`, `"`, `{"type":5}`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, newValue := range []func() any{
			func() any { return new(ToolChoice) },
			func() any { return new(ResponseFormat) },
			func() any { return new(Tool) },
			func() any { return new(MessageContent) },
			func() any { return new(Annotation) },
			func() any { return new(StepDetails) },
			func() any { return new(MessageCreateParams) },
			func() any { return new(MessageContentDelta) },
		} {
			v := newValue()
			if json.Unmarshal(data, v) != nil {
				continue
			}
			enc, err := json.Marshal(v)
			if err != nil {
				continue // e.g. a ToolChoice with neither mode nor type: refused, not sent
			}
			again := newValue()
			if err := json.Unmarshal(enc, again); err != nil {
				t.Fatalf("%T: %s encodes to %s, which does not decode: %v", v, data, enc, err)
			}
			enc2, err := json.Marshal(again)
			if err != nil {
				t.Fatalf("%T: re-encoding %s: %v", v, enc, err)
			}
			if !reflect.DeepEqual(normalise(t, enc), normalise(t, enc2)) {
				t.Fatalf("%T: round trip changed the value:\n input  %s\n first  %s\n second %s", v, data, enc, enc2)
			}
		}
	})
}

func normalise(t *testing.T, b []byte) any {
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("invalid JSON %s: %v", b, err)
	}
	return v
}
