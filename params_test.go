package assistants

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssistantUpdateParamsClearsTools(t *testing.T) {
	b, err := json.Marshal(AssistantUpdateParams{Tools: []Tool{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"tools":[]}`, string(b))

	b, err = json.Marshal(AssistantUpdateParams{Name: Ptr("n")})
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"n"}`, string(b), "nil Tools leaves the tools alone")

	b, err = json.Marshal(AssistantUpdateParams{Tools: []Tool{CodeInterpreterTool()}, Temperature: Ptr(0.0)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"tools":[{"type":"code_interpreter"}],"temperature":0}`, string(b))
}

func TestCodeInterpreterResourcesNilFileIDs(t *testing.T) {
	b, err := json.Marshal(ToolResources{CodeInterpreter: &CodeInterpreterResources{}})
	require.NoError(t, err)
	assert.JSONEq(t, `{"code_interpreter":{"file_ids":[]}}`, string(b))
}

func TestRequestValidation(t *testing.T) {
	c, _, hits := setup(t)
	ctx := context.Background()
	vsSpec := &ToolResources{FileSearch: &FileSearchResources{VectorStores: []NewVectorStoreSpec{{FileIDs: []string{"f"}}}}}
	cases := map[string]func() error{
		"Attachments[0].Tools": func() error {
			_, err := c.Messages.Create(ctx, "t", MessageCreateParams{Role: RoleUser, Content: "x", Attachments: []Attachment{{FileID: "f"}}})
			return err
		},
		"Content or Parts": func() error {
			_, err := c.Messages.Create(ctx, "t", MessageCreateParams{Role: RoleUser})
			return err
		},
		"not both": func() error {
			_, err := c.Messages.Create(ctx, "t", MessageCreateParams{Role: RoleUser, Content: "x", Parts: []ContentPart{TextPart("y")}})
			return err
		},
		"AssistantUpdateParams.ToolResources.FileSearch.VectorStores": func() error {
			_, err := c.Assistants.Update(ctx, "a", AssistantUpdateParams{ToolResources: vsSpec})
			return err
		},
		"ThreadUpdateParams.ToolResources": func() error {
			_, err := c.Threads.Update(ctx, "t", ThreadUpdateParams{ToolResources: vsSpec})
			return err
		},
		"CreateAndRunParams.ToolResources": func() error {
			_, err := c.Threads.CreateAndRun(ctx, CreateAndRunParams{AssistantID: "a", ToolResources: vsSpec})
			return err
		},
		"Tools[0]: a function tool needs Function": func() error {
			_, err := c.Assistants.Create(ctx, AssistantCreateParams{Model: "m", Tools: []Tool{{Type: ToolTypeFunction}}})
			return err
		},
		"Parameters": func() error {
			_, err := c.Runs.Create(ctx, "t", RunCreateParams{AssistantID: "a", Tools: []Tool{FunctionTool(FunctionDefinition{Name: "f", Parameters: json.RawMessage(`{bad`)})}})
			return err
		},
		"tool outputs must not be empty": func() error {
			_, err := c.Runs.SubmitToolOutputs(ctx, "t", "r", nil)
			return err
		},
		"AdditionalMessages[0].Role": func() error {
			_, err := c.Runs.Create(ctx, "t", RunCreateParams{AssistantID: "a", AdditionalMessages: []MessageCreateParams{{Content: "x"}}})
			return err
		},
	}
	for want, call := range cases {
		err := call()
		require.Error(t, err, want)
		assert.Contains(t, err.Error(), want)
	}
	assert.EqualValues(t, 0, hits.Load())
}

func TestUnionRoundTrips(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   any
		out  any
		wire string
	}{
		{"tool choice mode", ToolChoiceRequired, new(ToolChoice), `"required"`},
		{"tool choice function", ToolChoiceFunction("get_weather"), new(ToolChoice), `{"type":"function","function":{"name":"get_weather"}}`},
		{"tool choice file_search", &ToolChoice{Type: ToolTypeFileSearch}, new(ToolChoice), `{"type":"file_search"}`},
		{"response format auto", ResponseFormatAuto, new(ResponseFormat), `"auto"`},
		{"response format json_object", ResponseFormatJSONObject, new(ResponseFormat), `{"type":"json_object"}`},
		{"response format json_schema", ResponseFormatJSONSchema(JSONSchema{Name: "answer", Schema: json.RawMessage(`{"type":"object"}`), Strict: Ptr(true)}), new(ResponseFormat),
			`{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object"},"strict":true}}`},
		{"message params text", MessageCreateParams{Role: RoleUser, Content: "hi"}, new(MessageCreateParams), `{"role":"user","content":"hi"}`},
		{"message params parts", MessageCreateParams{Role: RoleUser, Parts: []ContentPart{TextPart("look"), ImageURLPart("https://x/y.png"), ImageFilePart("file-1")}}, new(MessageCreateParams),
			`{"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"https://x/y.png"}},{"type":"image_file","image_file":{"file_id":"file-1"}}]}`},
		{"file search tool", Tool{Type: ToolTypeFileSearch, FileSearch: &FileSearchSettings{MaxNumResults: 5, RankingOptions: &RankingOptions{Ranker: "default_2024_08_21", ScoreThreshold: 0.5}}}, new(Tool),
			`{"type":"file_search","file_search":{"max_num_results":5,"ranking_options":{"ranker":"default_2024_08_21","score_threshold":0.5}}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b, err := json.Marshal(tc.in)
			require.NoError(t, err)
			assert.JSONEq(t, tc.wire, string(b))
			require.NoError(t, json.Unmarshal(b, tc.out))
			again, err := json.Marshal(tc.out)
			require.NoError(t, err)
			assert.JSONEq(t, tc.wire, string(again))
		})
	}
	_, err := json.Marshal(ToolChoice{})
	assert.ErrorContains(t, err, "Mode or a Type")
	_, err = json.Marshal(ResponseFormat{Type: "json_schema"})
	assert.ErrorContains(t, err, "JSONSchema")
}

func TestUnknownFieldsAndEnumsDecode(t *testing.T) {
	var run Run
	require.NoError(t, json.Unmarshal([]byte(`{"id":"run_1","status":"thinking_hard","future_field":{"x":[1,2]},
		"tools":[{"type":"web_browser","web_browser":{"depth":3}}],"required_action":null,"tool_choice":null}`), &run))
	assert.Equal(t, RunStatus("thinking_hard"), run.Status)
	assert.False(t, run.Status.Known())
	assert.Equal(t, int64(2), run.Get("future_field.x.1").Int())
	assert.Equal(t, ToolType("web_browser"), run.Tools[0].Type)
	assert.Equal(t, int64(3), run.Get("tools.0.web_browser.depth").Int())

	var msg Message
	require.NoError(t, json.Unmarshal([]byte(`{"id":"m","content":[{"type":"audio","audio":{"id":"a"}},{"type":"text","text":{"value":"hi","annotations":[{"type":"url_citation","url":"u"}]}}]}`), &msg))
	assert.Equal(t, ContentType("audio"), msg.Content[0].Type)
	assert.Equal(t, "hi", msg.Text())
	assert.Equal(t, "u", msg.Get("content.1.text.annotations.0.url").String())
}
