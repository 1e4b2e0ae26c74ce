package assistants

import (
	"context"
	"encoding/json"
	"io"
	"iter"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// These tests drive every service method (except the streaming and polling
// helpers, tested elsewhere) against the resources_*.json fixtures, sending
// every documented request parameter at least once. The fixture checks the
// requests; the tests check the decoded responses field by field.

// fxCollect drains a ListAll iterator, failing the test on an error.
func fxCollect[T any](t *testing.T, seq iter.Seq2[*T, error], id func(*T) string) []string {
	t.Helper()
	var ids []string
	for item, err := range seq {
		require.NoError(t, err)
		ids = append(ids, id(item))
	}
	return ids
}

const fxInclude = "step_details.tool_calls[*].file_search.results[*].content"

func TestFixtureResourcesAssistants(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_assistants")

	chartFn := FunctionDefinition{
		Name:        "plot_chart",
		Description: "Plot a chart of a column",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"column":{"type":"string"},"kind":{"type":"string","enum":["bar","line"]}},"required":["column","kind"],"additionalProperties":false}`),
		Strict:      Ptr(true),
	}
	analysis := JSONSchema{
		Name:        "analysis",
		Description: "A short analysis",
		Schema:      json.RawMessage(`{"type":"object","properties":{"summary":{"type":"string"},"figures":{"type":"array","items":{"type":"number"}}},"required":["summary","figures"],"additionalProperties":false}`),
		Strict:      Ptr(true),
	}
	fileSearch := Tool{Type: ToolTypeFileSearch, FileSearch: &FileSearchSettings{
		MaxNumResults:  8,
		RankingOptions: &RankingOptions{Ranker: "auto", ScoreThreshold: 0.25},
	}}
	a, err := c.Assistants.Create(ctx, AssistantCreateParams{
		Model:        "gpt-4o",
		Name:         "Data analyst",
		Description:  "Answers questions about uploaded CSV files.",
		Instructions: "You analyse data files. Cite the files you use.",
		Tools:        []Tool{CodeInterpreterTool(), fileSearch, FunctionTool(chartFn)},
		ToolResources: &ToolResources{
			CodeInterpreter: &CodeInterpreterResources{FileIDs: []string{"file-Csv1AbCdEfGh"}},
			FileSearch: &FileSearchResources{VectorStores: []NewVectorStoreSpec{{
				FileIDs:          []string{"file-Doc1AbCdEfGh", "file-Doc2AbCdEfGh"},
				ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 512, ChunkOverlapTokens: 128}},
				Metadata:         Metadata{"source": "handbook"},
			}}},
		},
		Metadata:       Metadata{"team": "analytics", "env": "test"},
		Temperature:    Ptr(0.2),
		TopP:           Ptr(0.9),
		ResponseFormat: ResponseFormatJSONSchema(analysis),
	})
	require.NoError(t, err)
	assert.Equal(t, "asst_abc123DataAnalyst0001", a.ID)
	assert.Equal(t, "assistant", a.Object)
	assert.EqualValues(t, 1736500000, a.CreatedAt)
	assert.Equal(t, "Data analyst", a.Name)
	assert.Equal(t, "Answers questions about uploaded CSV files.", a.Description)
	assert.Equal(t, "gpt-4o", a.Model)
	assert.Equal(t, "You analyse data files. Cite the files you use.", a.Instructions)
	require.Len(t, a.Tools, 3)
	assert.Equal(t, CodeInterpreterTool(), a.Tools[0])
	assert.Equal(t, fileSearch, a.Tools[1])
	require.NotNil(t, a.Tools[2].Function)
	assert.Equal(t, ToolTypeFunction, a.Tools[2].Type)
	assert.Equal(t, "plot_chart", a.Tools[2].Function.Name)
	assert.Equal(t, Ptr(true), a.Tools[2].Function.Strict)
	assert.JSONEq(t, string(chartFn.Parameters), string(a.Tools[2].Function.Parameters))
	require.NotNil(t, a.ToolResources)
	assert.Equal(t, &CodeInterpreterResources{FileIDs: []string{"file-Csv1AbCdEfGh"}}, a.ToolResources.CodeInterpreter)
	assert.Equal(t, &FileSearchResources{VectorStoreIDs: []string{"vs_AsstStore0001"}}, a.ToolResources.FileSearch)
	assert.Equal(t, Metadata{"team": "analytics", "env": "test"}, a.Metadata)
	assert.Equal(t, Ptr(0.2), a.Temperature)
	assert.Equal(t, Ptr(0.9), a.TopP)
	require.NotNil(t, a.ResponseFormat)
	assert.Equal(t, "json_schema", a.ResponseFormat.Type)
	require.NotNil(t, a.ResponseFormat.JSONSchema)
	assert.Equal(t, "analysis", a.ResponseFormat.JSONSchema.Name)
	assert.Equal(t, "A short analysis", a.ResponseFormat.JSONSchema.Description)
	assert.Equal(t, Ptr(true), a.ResponseFormat.JSONSchema.Strict)
	assert.JSONEq(t, string(analysis.Schema), string(a.ResponseFormat.JSONSchema.Schema))
	assert.Empty(t, a.ReasoningEffort)

	r, err := c.Assistants.Create(ctx, AssistantCreateParams{Model: "o3-mini", Name: "Reasoner", ReasoningEffort: "high"})
	require.NoError(t, err)
	assert.Equal(t, "asst_abc123Reasoner000002", r.ID)
	assert.Equal(t, "high", r.ReasoningEffort)
	assert.Empty(t, r.Instructions) // null
	assert.Empty(t, r.Tools)
	require.NotNil(t, r.ToolResources)
	assert.Equal(t, ToolResources{}, *r.ToolResources)

	got, err := c.Assistants.Get(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, a.ID, got.ID)
	assert.Equal(t, a.Tools, got.Tools)
	assert.JSONEq(t, string(a.Raw()), string(got.Raw()))

	u, err := c.Assistants.Update(ctx, a.ID, AssistantUpdateParams{
		Model:        "gpt-4o-mini",
		Name:         Ptr("Data analyst v2"),
		Description:  Ptr(""), // clears it: an explicit empty string is sent
		Instructions: Ptr("Be brief."),
		Tools: []Tool{{Type: ToolTypeFileSearch, FileSearch: &FileSearchSettings{
			MaxNumResults:  20,
			RankingOptions: &RankingOptions{Ranker: "default_2024_08_21"},
		}}},
		ToolResources: &ToolResources{
			CodeInterpreter: &CodeInterpreterResources{FileIDs: []string{}},
			FileSearch:      &FileSearchResources{VectorStoreIDs: []string{"vs_AsstStore0002"}},
		},
		Metadata:       Metadata{"team": "analytics", "env": "prod"},
		Temperature:    Ptr(0.0),
		TopP:           Ptr(1.0),
		ResponseFormat: ResponseFormatJSONObject,
	})
	require.NoError(t, err)
	assert.Equal(t, "Data analyst v2", u.Name)
	assert.Empty(t, u.Description)
	assert.Equal(t, "gpt-4o-mini", u.Model)
	assert.Equal(t, "Be brief.", u.Instructions)
	assert.Equal(t, Ptr(0.0), u.Temperature)
	assert.Equal(t, Ptr(1.0), u.TopP)
	assert.Equal(t, &ResponseFormat{Type: "json_object"}, u.ResponseFormat)
	assert.Equal(t, Metadata{"team": "analytics", "env": "prod"}, u.Metadata)
	require.Len(t, u.Tools, 1)
	assert.Equal(t, &FileSearchSettings{MaxNumResults: 20, RankingOptions: &RankingOptions{Ranker: "default_2024_08_21"}}, u.Tools[0].FileSearch)
	assert.Equal(t, &CodeInterpreterResources{FileIDs: []string{}}, u.ToolResources.CodeInterpreter)
	assert.Equal(t, []string{"vs_AsstStore0002"}, u.ToolResources.FileSearch.VectorStoreIDs)

	page, err := c.Assistants.List(ctx, ListParams{Limit: 2, Order: OrderDesc, Before: "asst_abc123Helper00000003"})
	require.NoError(t, err)
	assert.Equal(t, "list", page.Object)
	assert.True(t, page.HasMore)
	assert.Equal(t, "asst_abc123Reasoner000002", page.FirstID)
	assert.Equal(t, "asst_abc123DataAnalyst0001", page.LastID)
	require.Len(t, page.Data, 2)
	assert.Equal(t, "Reasoner", page.Data[0].Name)
	assert.Equal(t, "Data analyst v2", page.Data[1].Name)

	ids := fxCollect(t, c.Assistants.ListAll(ctx, ListParams{Limit: 2, Order: OrderAsc}), func(a *Assistant) string { return a.ID })
	assert.Equal(t, []string{"asst_abc123Helper00000003", "asst_abc123Helper00000004", "asst_abc123Helper00000005"}, ids)

	del, err := c.Assistants.Delete(ctx, a.ID)
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: a.ID, Object: "assistant.deleted", Deleted: true}, *del)

	fxCheckWire(t, f)
}

func TestFixtureResourcesThreads(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_threads")

	th, err := c.Threads.Create(ctx, ThreadCreateParams{
		Messages: []MessageCreateParams{
			{
				Role: RoleUser,
				Parts: []ContentPart{
					TextPart("What do these charts show?"),
					ImageFilePart("file-Img1AbCdEfGh"),
					{Type: ContentTypeImageURL, ImageURL: &ImageURL{URL: "https://example.com/chart.png", Detail: "high"}},
				},
				Attachments: []Attachment{
					{FileID: "file-Csv1AbCdEfGh", Tools: []Tool{CodeInterpreterTool()}},
					{FileID: "file-Doc1AbCdEfGh", Tools: []Tool{FileSearchTool()}},
				},
				Metadata: Metadata{"turn": "1"},
			},
			{Role: RoleAssistant, Content: "A bar chart of sales and a line chart of costs."},
		},
		ToolResources: &ToolResources{
			CodeInterpreter: &CodeInterpreterResources{FileIDs: []string{"file-Csv1AbCdEfGh"}},
			FileSearch: &FileSearchResources{VectorStores: []NewVectorStoreSpec{{
				FileIDs:          []string{"file-Doc1AbCdEfGh"},
				ChunkingStrategy: &ChunkingStrategy{Type: ChunkingAuto},
				Metadata:         Metadata{"source": "upload"},
			}}},
		},
		Metadata: Metadata{"user": "u_123"},
	})
	require.NoError(t, err)
	assert.Equal(t, "thread_Res0urceThread00001", th.ID)
	assert.Equal(t, "thread", th.Object)
	assert.EqualValues(t, 1736510000, th.CreatedAt)
	assert.Equal(t, Metadata{"user": "u_123"}, th.Metadata)
	require.NotNil(t, th.ToolResources)
	assert.Equal(t, &CodeInterpreterResources{FileIDs: []string{"file-Csv1AbCdEfGh"}}, th.ToolResources.CodeInterpreter)
	assert.Equal(t, &FileSearchResources{VectorStoreIDs: []string{"vs_ThreadStore001"}}, th.ToolResources.FileSearch)

	got, err := c.Threads.Get(ctx, th.ID)
	require.NoError(t, err)
	assert.Equal(t, th.ID, got.ID)
	assert.Equal(t, th.ToolResources, got.ToolResources)
	assert.Equal(t, "vs_ThreadStore001", got.Get("tool_resources.file_search.vector_store_ids.0").String())

	u, err := c.Threads.Update(ctx, th.ID, ThreadUpdateParams{
		ToolResources: &ToolResources{FileSearch: &FileSearchResources{VectorStoreIDs: []string{"vs_ThreadStore002"}}},
		Metadata:      Metadata{"user": "u_123", "topic": "charts"},
	})
	require.NoError(t, err)
	assert.Equal(t, Metadata{"user": "u_123", "topic": "charts"}, u.Metadata)
	assert.Equal(t, []string{"vs_ThreadStore002"}, u.ToolResources.FileSearch.VectorStoreIDs)
	assert.Equal(t, []string{"file-Csv1AbCdEfGh"}, u.ToolResources.CodeInterpreter.FileIDs)

	del, err := c.Threads.Delete(ctx, th.ID)
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: th.ID, Object: "thread.deleted", Deleted: true}, *del)

	saveSummary := FunctionDefinition{
		Name:        "save_summary",
		Description: "Save the summary of a report",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"body":{"type":"string"}},"required":["title","body"],"additionalProperties":false}`),
		Strict:      Ptr(true),
	}
	summary := JSONSchema{
		Name:   "summary",
		Schema: json.RawMessage(`{"type":"object","properties":{"title":{"type":"string"},"bullets":{"type":"array","items":{"type":"string"}}},"required":["title","bullets"],"additionalProperties":false}`),
		Strict: Ptr(true),
	}
	run, err := c.Threads.CreateAndRun(ctx, CreateAndRunParams{
		AssistantID: "asst_abc123DataAnalyst0001",
		Thread: &ThreadCreateParams{
			Messages: []MessageCreateParams{{Role: RoleUser, Content: "Summarise the attached report."}},
			Metadata: Metadata{"source": "api"},
		},
		ToolResources: &ToolResources{
			CodeInterpreter: &CodeInterpreterResources{FileIDs: []string{"file-Csv1AbCdEfGh"}},
			FileSearch:      &FileSearchResources{VectorStoreIDs: []string{"vs_ThreadStore002"}},
		},
		Model:               "gpt-4o-mini",
		Instructions:        "Summarise reports in three bullets.",
		Tools:               []Tool{CodeInterpreterTool(), FileSearchTool(), FunctionTool(saveSummary)},
		Metadata:            Metadata{"job": "summary-42"},
		Temperature:         Ptr(0.3),
		TopP:                Ptr(0.8),
		MaxPromptTokens:     Ptr(2048),
		MaxCompletionTokens: Ptr(512),
		TruncationStrategy:  &TruncationStrategy{Type: "last_messages", LastMessages: Ptr(10)},
		ToolChoice:          ToolChoiceFunction("save_summary"),
		ParallelToolCalls:   Ptr(false),
		ResponseFormat:      ResponseFormatJSONSchema(summary),
	})
	require.NoError(t, err)
	assert.Equal(t, "run_Res0urceCreateAndRun01", run.ID)
	assert.Equal(t, "thread_Res0urceThread00002", run.ThreadID)
	assert.Equal(t, "asst_abc123DataAnalyst0001", run.AssistantID)
	assert.Equal(t, RunStatusQueued, run.Status)
	assert.Equal(t, "gpt-4o-mini", run.Model)
	assert.Equal(t, "Summarise reports in three bullets.", run.Instructions)
	require.Len(t, run.Tools, 3)
	assert.Equal(t, &RankingOptions{Ranker: "default_2024_08_21"}, run.Tools[1].FileSearch.RankingOptions)
	assert.Equal(t, "save_summary", run.Tools[2].Function.Name)
	assert.Equal(t, Metadata{"job": "summary-42"}, run.Metadata)
	assert.Equal(t, Ptr(0.3), run.Temperature)
	assert.Equal(t, Ptr(0.8), run.TopP)
	assert.Equal(t, Ptr(2048), run.MaxPromptTokens)
	assert.Equal(t, Ptr(512), run.MaxCompletionTokens)
	assert.Equal(t, &TruncationStrategy{Type: "last_messages", LastMessages: Ptr(10)}, run.TruncationStrategy)
	assert.Equal(t, ToolChoiceFunction("save_summary"), run.ToolChoice)
	assert.False(t, run.ParallelToolCalls)
	require.NotNil(t, run.ResponseFormat)
	assert.Equal(t, "json_schema", run.ResponseFormat.Type)
	assert.Equal(t, "summary", run.ResponseFormat.JSONSchema.Name)
	assert.JSONEq(t, string(summary.Schema), string(run.ResponseFormat.JSONSchema.Schema))
	assert.Equal(t, "vs_ThreadStore002", run.Get("tool_resources.file_search.vector_store_ids.0").String())

	fxCheckWire(t, f)
}

func TestFixtureResourcesMessages(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_messages")
	const thread = "thread_Res0urceMessages001"
	const runID = "run_Res0urceMessagesRun01"

	m, err := c.Messages.Create(ctx, thread, MessageCreateParams{
		Role:        RoleUser,
		Parts:       []ContentPart{TextPart("Plot the attached sales data."), ImageURLPart("https://example.com/sales.png")},
		Attachments: []Attachment{{FileID: "file-Csv1AbCdEfGh", Tools: []Tool{CodeInterpreterTool(), FileSearchTool()}}},
		Metadata:    Metadata{"turn": "1"},
	})
	require.NoError(t, err)
	assert.Equal(t, "msg_Res0urceMessage000001", m.ID)
	assert.Equal(t, thread, m.ThreadID)
	assert.Equal(t, RoleUser, m.Role)
	require.Len(t, m.Content, 2)
	assert.Equal(t, ContentTypeText, m.Content[0].Type)
	assert.Equal(t, ContentTypeImageURL, m.Content[1].Type)
	assert.Equal(t, &ImageURL{URL: "https://example.com/sales.png", Detail: "auto"}, m.Content[1].ImageURL)
	assert.Equal(t, "Plot the attached sales data.", m.Text())
	assert.Equal(t, []Attachment{{FileID: "file-Csv1AbCdEfGh", Tools: []Tool{CodeInterpreterTool(), FileSearchTool()}}}, m.Attachments)
	assert.Equal(t, Metadata{"turn": "1"}, m.Metadata)

	got, err := c.Messages.Get(ctx, thread, m.ID)
	require.NoError(t, err)
	assert.Equal(t, m.Content, got.Content)

	u, err := c.Messages.Update(ctx, thread, m.ID, MessageUpdateParams{Metadata: Metadata{"turn": "1", "reviewed": "yes"}})
	require.NoError(t, err)
	assert.Equal(t, Metadata{"turn": "1", "reviewed": "yes"}, u.Metadata)

	// The messages of one run: every kind of content part.
	page, err := c.Messages.List(ctx, thread, MessageListParams{ListParams: ListParams{Limit: 10, Order: OrderDesc}, RunID: runID})
	require.NoError(t, err)
	require.Len(t, page.Data, 3)
	for i := range page.Data {
		assert.Equal(t, runID, page.Data[i].RunID)
		assert.Equal(t, RoleAssistant, page.Data[i].Role)
		assert.Equal(t, "asst_abc123DataAnalyst0001", page.Data[i].AssistantID)
	}

	incomplete := page.Data[0]
	assert.Equal(t, MessageStatusIncomplete, incomplete.Status)
	assert.Equal(t, &IncompleteDetails{Reason: "max_tokens"}, incomplete.IncompleteDetails)
	assert.EqualValues(t, 1736520016, incomplete.IncompleteAt)
	assert.Zero(t, incomplete.CompletedAt)
	assert.Equal(t, "The quarterly figures were", incomplete.Text())

	refusal := page.Data[1]
	assert.Equal(t, MessageStatusCompleted, refusal.Status)
	require.Len(t, refusal.Content, 1)
	assert.Equal(t, ContentTypeRefusal, refusal.Content[0].Type)
	assert.Equal(t, "I can't help with that.", refusal.Content[0].Refusal)
	assert.Empty(t, refusal.Text())

	plot := page.Data[2]
	assert.Equal(t, MessageStatusCompleted, plot.Status)
	assert.EqualValues(t, 1736520012, plot.CompletedAt)
	require.Len(t, plot.Content, 3)
	assert.Equal(t, ContentTypeImageFile, plot.Content[0].Type)
	assert.Equal(t, &ImageFile{FileID: "file-Png1AbCdEfGh", Detail: "auto"}, plot.Content[0].ImageFile)
	const plotText = "Here is the chart: sandbox:/mnt/data/sales.png. Sales peaked in March【4:0†sales.csv】."
	assert.Equal(t, plotText+"\nAnything else?", plot.Text())
	anns := plot.Content[1].Text.Annotations
	require.Len(t, anns, 2)
	runes := []rune(plotText)
	assert.Equal(t, AnnotationTypeFilePath, anns[0].Type)
	assert.Equal(t, &FilePath{FileID: "file-Png1AbCdEfGh"}, anns[0].FilePath)
	assert.Nil(t, anns[0].FileCitation)
	assert.Equal(t, AnnotationTypeFileCitation, anns[1].Type)
	assert.Equal(t, &FileCitation{FileID: "file-Csv1AbCdEfGh"}, anns[1].FileCitation)
	assert.Nil(t, anns[1].FilePath)
	for i, a := range anns {
		assert.Equal(t, a.Text, string(runes[a.StartIndex:a.EndIndex]), "annotation %d", i)
	}
	assert.Empty(t, plot.Content[2].Text.Annotations)

	ids := fxCollect(t, c.Messages.ListAll(ctx, thread, MessageListParams{ListParams: ListParams{Limit: 3, Order: OrderAsc}}),
		func(m *Message) string { return m.ID })
	assert.Equal(t, []string{
		"msg_Res0urceMessage000001", "msg_Res0urceMessage000002", "msg_Res0urceMessage000003",
		"msg_Res0urceMessage000004", "msg_Res0urceMessage000005",
	}, ids)

	del, err := c.Messages.Delete(ctx, thread, "msg_Res0urceMessage000005")
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: "msg_Res0urceMessage000005", Object: "thread.message.deleted", Deleted: true}, *del)

	fxCheckWire(t, f)
}

func TestFixtureResourcesRuns(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_runs")
	const thread = "thread_Res0urceRuns000001"
	const asst = "asst_abc123DataAnalyst0001"

	lookupOrder := FunctionDefinition{
		Name:        "lookup_order",
		Description: "Look up an order by its number",
		Parameters:  json.RawMessage(`{"type":"object","properties":{"order_number":{"type":"string"}},"required":["order_number"],"additionalProperties":false}`),
		Strict:      Ptr(true),
	}
	answer := JSONSchema{
		Name:        "answer",
		Description: "The answer and how sure the model is",
		Schema:      json.RawMessage(`{"type":"object","properties":{"answer":{"type":"string"},"confidence":{"type":"number"}},"required":["answer","confidence"],"additionalProperties":false}`),
		Strict:      Ptr(true),
	}
	fileSearch := Tool{Type: ToolTypeFileSearch, FileSearch: &FileSearchSettings{
		MaxNumResults:  5,
		RankingOptions: &RankingOptions{Ranker: "default_2024_08_21", ScoreThreshold: 0.5},
	}}

	cases := []struct {
		name   string
		params RunCreateParams
		check  func(t *testing.T, run *Run)
	}{
		{
			name: "every parameter",
			params: RunCreateParams{
				AssistantID:            asst,
				Model:                  "gpt-4o",
				Instructions:           "You are a support agent.",
				AdditionalInstructions: "Always answer in French.",
				AdditionalMessages: []MessageCreateParams{
					{Role: RoleUser, Content: "Where is my order A-17?", Attachments: []Attachment{{FileID: "file-Inv1AbCdEfGh", Tools: []Tool{FileSearchTool()}}}},
					{Role: RoleAssistant, Parts: []ContentPart{TextPart("Let me check.")}, Metadata: Metadata{"canned": "true"}},
				},
				Tools:               []Tool{CodeInterpreterTool(), fileSearch, FunctionTool(lookupOrder)},
				Metadata:            Metadata{"ticket": "T-1001"},
				Temperature:         Ptr(0.0),
				TopP:                Ptr(0.5),
				MaxPromptTokens:     Ptr(4000),
				MaxCompletionTokens: Ptr(1000),
				TruncationStrategy:  &TruncationStrategy{Type: "last_messages", LastMessages: Ptr(6)},
				ToolChoice:          ToolChoiceFunction("lookup_order"),
				ParallelToolCalls:   Ptr(false),
				ResponseFormat:      ResponseFormatJSONSchema(answer),
				Include:             []string{fxInclude},
			},
			check: func(t *testing.T, run *Run) {
				assert.Equal(t, "run_Res0urceRun000000001", run.ID)
				assert.Equal(t, "gpt-4o", run.Model)
				assert.Equal(t, "You are a support agent.\nAlways answer in French.", run.Instructions)
				require.Len(t, run.Tools, 3)
				assert.Equal(t, fileSearch, run.Tools[1])
				assert.Equal(t, Ptr(true), run.Tools[2].Function.Strict)
				assert.Equal(t, Metadata{"ticket": "T-1001"}, run.Metadata)
				assert.Equal(t, Ptr(0.0), run.Temperature)
				assert.Equal(t, Ptr(0.5), run.TopP)
				assert.Equal(t, Ptr(4000), run.MaxPromptTokens)
				assert.Equal(t, Ptr(1000), run.MaxCompletionTokens)
				assert.Equal(t, &TruncationStrategy{Type: "last_messages", LastMessages: Ptr(6)}, run.TruncationStrategy)
				assert.Equal(t, &ToolChoice{Type: ToolTypeFunction, FunctionName: "lookup_order"}, run.ToolChoice)
				assert.False(t, run.ParallelToolCalls)
				require.NotNil(t, run.ResponseFormat)
				require.NotNil(t, run.ResponseFormat.JSONSchema)
				assert.Equal(t, "answer", run.ResponseFormat.JSONSchema.Name)
				assert.Equal(t, Ptr(true), run.ResponseFormat.JSONSchema.Strict)
			},
		},
		{
			name: "string tool choice, auto response format, reasoning effort",
			params: RunCreateParams{
				AssistantID:        asst,
				Model:              "o3-mini",
				ReasoningEffort:    "low",
				Tools:              []Tool{FileSearchTool()},
				TruncationStrategy: &TruncationStrategy{Type: "auto"},
				ToolChoice:         ToolChoiceRequired,
				ParallelToolCalls:  Ptr(true),
				ResponseFormat:     ResponseFormatAuto,
			},
			check: func(t *testing.T, run *Run) {
				assert.Equal(t, "run_Res0urceRun000000002", run.ID)
				assert.Equal(t, "o3-mini", run.Model)
				assert.Equal(t, &ToolChoice{Mode: "required"}, run.ToolChoice)
				assert.Equal(t, &ResponseFormat{Type: "auto"}, run.ResponseFormat)
				assert.True(t, run.ParallelToolCalls)
				assert.Equal(t, "low", run.Get("reasoning_effort").String())
			},
		},
		{
			name: "named file_search tool choice, text response format",
			params: RunCreateParams{
				AssistantID:    asst,
				ToolChoice:     &ToolChoice{Type: ToolTypeFileSearch},
				ResponseFormat: ResponseFormatText,
			},
			check: func(t *testing.T, run *Run) {
				assert.Equal(t, "run_Res0urceRun000000003", run.ID)
				assert.Equal(t, &ToolChoice{Type: ToolTypeFileSearch}, run.ToolChoice)
				assert.Equal(t, &ResponseFormat{Type: "text"}, run.ResponseFormat)
			},
		},
		{
			name: "tool choice none, json_object response format",
			params: RunCreateParams{
				AssistantID:    asst,
				ToolChoice:     ToolChoiceNone,
				ResponseFormat: ResponseFormatJSONObject,
			},
			check: func(t *testing.T, run *Run) {
				assert.Equal(t, "run_Res0urceRun000000004", run.ID)
				assert.Equal(t, &ToolChoice{Mode: "none"}, run.ToolChoice)
				assert.Equal(t, &ResponseFormat{Type: "json_object"}, run.ResponseFormat)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			run, err := c.Runs.Create(ctx, thread, tc.params)
			require.NoError(t, err)
			assert.Equal(t, "thread.run", run.Object)
			assert.Equal(t, thread, run.ThreadID)
			assert.Equal(t, asst, run.AssistantID)
			assert.Equal(t, RunStatusQueued, run.Status)
			assert.Nil(t, run.Usage)
			assert.Equal(t, run.CreatedAt+600, run.ExpiresAt)
			tc.check(t, run)
		})
	}

	run, err := c.Runs.Get(ctx, thread, "run_Res0urceRun000000001")
	require.NoError(t, err)
	assert.Equal(t, RunStatusCompleted, run.Status)
	assert.EqualValues(t, 1736530001, run.StartedAt)
	assert.EqualValues(t, 1736530009, run.CompletedAt)
	assert.Zero(t, run.ExpiresAt)
	assert.Equal(t, &Usage{PromptTokens: 812, CompletionTokens: 96, TotalTokens: 908, PromptTokenDetails: &PromptTokenDetails{CachedTokens: 512}, CompletionTokensDetails: &CompletionTokensDetails{}}, run.Usage)
	assert.EqualValues(t, 512, run.Get("usage.prompt_token_details.cached_tokens").Int())
	assert.False(t, run.Get("tool_resources").Exists())

	run, err = c.Runs.Update(ctx, thread, run.ID, RunUpdateParams{Metadata: Metadata{"ticket": "T-1001", "resolved": "true"}})
	require.NoError(t, err)
	assert.Equal(t, Metadata{"ticket": "T-1001", "resolved": "true"}, run.Metadata)
	assert.Equal(t, RunStatusCompleted, run.Status)

	// One page of older runs, in every final status.
	page, err := c.Runs.List(ctx, thread, ListParams{Limit: 4, Order: OrderDesc, Before: "run_Res0urceRun000000001"})
	require.NoError(t, err)
	assert.False(t, page.HasMore)
	require.Len(t, page.Data, 4)
	statuses := make([]RunStatus, len(page.Data))
	for i := range page.Data {
		statuses[i] = page.Data[i].Status
		assert.True(t, page.Data[i].Status.Terminal(), page.Data[i].Status)
	}
	assert.Equal(t, []RunStatus{RunStatusFailed, RunStatusIncomplete, RunStatusCancelled, RunStatusExpired}, statuses)
	failed := page.Data[0]
	assert.Equal(t, &RunError{Code: "rate_limit_exceeded", Message: "You exceeded your current quota."}, failed.LastError)
	assert.EqualValues(t, 1736529003, failed.FailedAt)
	incomplete := page.Data[1]
	assert.Equal(t, &IncompleteDetails{Reason: "max_completion_tokens"}, incomplete.IncompleteDetails)
	assert.Equal(t, Ptr(256), incomplete.MaxCompletionTokens)
	assert.Equal(t, &Usage{PromptTokens: 300, CompletionTokens: 256, TotalTokens: 556}, incomplete.Usage)
	assert.EqualValues(t, 1736527002, page.Data[2].CancelledAt)
	assert.EqualValues(t, 1736526600, page.Data[3].ExpiresAt)

	ids := fxCollect(t, c.Runs.ListAll(ctx, thread, ListParams{Order: OrderAsc, Limit: 2}), func(r *Run) string { return r.ID })
	assert.Equal(t, []string{"run_Res0urceRun000000008", "run_Res0urceRun000000007", "run_Res0urceRun000000006"}, ids)

	cancelling, err := c.Runs.Cancel(ctx, thread, "run_Res0urceRun000000002")
	require.NoError(t, err)
	assert.Equal(t, RunStatusCancelling, cancelling.Status)
	assert.Equal(t, "run_Res0urceRun000000002", cancelling.ID)
	assert.False(t, cancelling.Status.Terminal())

	submitted, err := c.Runs.SubmitToolOutputs(ctx, thread, "run_Res0urceRun000000003", []ToolOutput{
		{ToolCallID: "call_Res0urceCall0000001", Output: `{"status":"shipped"}`},
		{ToolCallID: "call_Res0urceCall0000002", Output: ""}, // an empty output is still sent
	})
	require.NoError(t, err)
	assert.Equal(t, RunStatusQueued, submitted.Status)
	assert.Nil(t, submitted.RequiredAction)
	assert.EqualValues(t, 1736530021, submitted.StartedAt)

	fxCheckWire(t, f)
}

func TestFixtureResourcesSteps(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_steps")
	const thread, run = "thread_Res0urceSteps00001", "run_Res0urceStepsRun00001"

	step, err := c.Steps.Get(ctx, thread, run, "step_Res0urceStep0000001", StepGetParams{Include: []string{fxInclude}})
	require.NoError(t, err)
	assert.Equal(t, "step_Res0urceStep0000001", step.ID)
	assert.Equal(t, "thread.run.step", step.Object)
	assert.Equal(t, thread, step.ThreadID)
	assert.Equal(t, run, step.RunID)
	assert.Equal(t, "asst_abc123DataAnalyst0001", step.AssistantID)
	assert.Equal(t, StepTypeToolCalls, step.Type)
	assert.Equal(t, StepStatusCompleted, step.Status)
	assert.EqualValues(t, 1736540002, step.CompletedAt)
	assert.Equal(t, &Usage{PromptTokens: 100, CompletionTokens: 20, TotalTokens: 120}, step.Usage)
	require.Len(t, step.StepDetails.ToolCalls, 1)
	fs := step.StepDetails.ToolCalls[0]
	assert.Equal(t, "call_Res0urceFileSearch01", fs.ID)
	assert.Equal(t, ToolTypeFileSearch, fs.Type)
	require.NotNil(t, fs.FileSearch)
	assert.Equal(t, &RankingOptions{Ranker: "default_2024_08_21", ScoreThreshold: 0.4}, fs.FileSearch.RankingOptions)
	assert.Equal(t, []FileSearchResult{
		{FileID: "file-Doc1AbCdEfGh", FileName: "handbook.pdf", Score: 0.92, Content: []FileSearchContent{{Type: "text", Text: "Refunds are processed within 14 days."}}},
		{FileID: "file-Doc2AbCdEfGh", FileName: "faq.md", Score: 0.61, Content: []FileSearchContent{{Type: "text", Text: "Contact support for late refunds."}}},
	}, fs.FileSearch.Results)

	page, err := c.Steps.List(ctx, thread, run, StepListParams{ListParams: ListParams{Limit: 3, Order: OrderAsc, After: step.ID}})
	require.NoError(t, err)
	require.Len(t, page.Data, 3)
	assert.False(t, page.HasMore)

	code := page.Data[0]
	require.Len(t, code.StepDetails.ToolCalls, 1)
	ci := code.StepDetails.ToolCalls[0]
	assert.Equal(t, ToolTypeCodeInterpreter, ci.Type)
	require.NotNil(t, ci.CodeInterpreter)
	assert.Equal(t, "import pandas as pd\ndf = pd.read_csv('/mnt/data/sales.csv')\nprint(df.sum())\ndf.plot()", ci.CodeInterpreter.Input)
	assert.Equal(t, []CodeOutput{
		{Type: "logs", Logs: "units    1234\nrevenue  5678\n"},
		{Type: "image", Image: &CodeImage{FileID: "file-Png1AbCdEfGh"}},
	}, ci.CodeInterpreter.Outputs)

	fn := page.Data[1]
	assert.Equal(t, StepStatusInProgress, fn.Status)
	assert.Zero(t, fn.CompletedAt)
	assert.Nil(t, fn.Usage)
	require.Len(t, fn.StepDetails.ToolCalls, 2)
	assert.Equal(t, &FunctionToolCall{Name: "lookup_order", Arguments: `{"order_number":"A-17"}`, Output: `{"status":"shipped"}`}, fn.StepDetails.ToolCalls[0].Function)
	assert.Equal(t, &FunctionToolCall{Name: "lookup_order", Arguments: `{"order_number":"B-42"}`}, fn.StepDetails.ToolCalls[1].Function)
	assert.Equal(t, "call_Res0urceFunction0002", fn.StepDetails.ToolCalls[1].ID)

	failed := page.Data[2]
	assert.Equal(t, StepTypeMessageCreation, failed.Type)
	assert.Equal(t, StepStatusFailed, failed.Status)
	assert.EqualValues(t, 1736540031, failed.FailedAt)
	assert.Equal(t, &RunError{Code: "server_error", Message: "The server had an error."}, failed.LastError)
	require.NotNil(t, failed.StepDetails.MessageCreation)
	assert.Equal(t, "msg_Res0urceMessage000002", failed.StepDetails.MessageCreation.MessageID)

	ids := fxCollect(t, c.Steps.ListAll(ctx, thread, run, StepListParams{ListParams: ListParams{Limit: 2, Order: OrderDesc}, Include: []string{fxInclude}}),
		func(s *RunStep) string { return s.ID })
	assert.Equal(t, []string{"step_Res0urceStep0000004", "step_Res0urceStep0000003", "step_Res0urceStep0000002", "step_Res0urceStep0000001"}, ids)

	fxCheckWire(t, f)
}

func TestFixtureResourcesFiles(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_files")
	const notes = "Meeting notes\n- ship v1\n- write docs\n"
	const jsonl = `{"custom_id":"1","method":"POST","url":"/v1/chat/completions","body":{}}` + "\n"

	up, err := c.Files.Upload(ctx, FileUploadParams{Reader: strings.NewReader(notes), Filename: "notes.txt", Purpose: FilePurposeAssistants})
	require.NoError(t, err)
	assert.Equal(t, "file-Res0urceFile000001", up.ID)
	assert.Equal(t, "file", up.Object)
	assert.EqualValues(t, len(notes), up.Bytes)
	assert.EqualValues(t, 1736550000, up.CreatedAt)
	assert.Zero(t, up.ExpiresAt)
	assert.Equal(t, "notes.txt", up.Filename)
	assert.Equal(t, FilePurposeAssistants, up.Purpose)
	assert.Equal(t, FileStatusProcessed, up.Status)
	assert.Empty(t, up.StatusDetails)

	batch, err := c.Files.Upload(ctx, FileUploadParams{
		Reader: strings.NewReader(jsonl), Filename: "requests.jsonl", Purpose: FilePurposeBatch,
		ExpiresAfter: &FileExpiresAfter{Seconds: 86400},
	})
	require.NoError(t, err)
	assert.Equal(t, FilePurposeBatch, batch.Purpose)
	assert.Equal(t, batch.CreatedAt+86400, batch.ExpiresAt)

	got, err := c.Files.Get(ctx, up.ID)
	require.NoError(t, err)
	assert.Equal(t, up.ID, got.ID)
	assert.Equal(t, up.Filename, got.Filename)

	ids := fxCollect(t, c.Files.ListAll(ctx, FileListParams{ListParams: ListParams{Limit: 2, Order: OrderDesc}, Purpose: FilePurposeAssistants}),
		func(f *File) string { return f.ID })
	assert.Equal(t, []string{"file-Res0urceFile000001", "file-Res0urceFile000003", "file-Res0urceFile000004"}, ids)

	page, err := c.Files.List(ctx, FileListParams{})
	require.NoError(t, err)
	require.Len(t, page.Data, 4)
	assert.Equal(t, "file-Res0urceFile000002", page.FirstID)
	assert.Equal(t, "file-Res0urceFile000004", page.LastID)
	assert.Equal(t, "report.pdf", page.Data[2].Filename)
	assert.EqualValues(t, 48213, page.Data[2].Bytes)

	body, err := c.Files.Content(ctx, up.ID)
	require.NoError(t, err)
	data, err := io.ReadAll(body)
	require.NoError(t, err)
	require.NoError(t, body.Close())
	assert.Equal(t, notes, string(data))

	del, err := c.Files.Delete(ctx, up.ID)
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: up.ID, Object: "file", Deleted: true}, *del)

	fxCheckWire(t, f)
	reqs := f.Requests()
	require.Len(t, reqs, 8)
	assert.Equal(t, "/files/file-Res0urceFile000001/content", reqs[6].Path)
	assert.Contains(t, reqs[6].Header.Get("Accept"), "application/octet-stream")
}

func TestFixtureResourcesVectorStores(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_vector_stores")

	vs, err := c.VectorStores.Create(ctx, VectorStoreCreateParams{
		FileIDs:          []string{"file-Doc1AbCdEfGh", "file-Doc2AbCdEfGh"},
		Name:             "Support docs",
		Description:      "Manuals and FAQs for the support assistant",
		ExpiresAfter:     &ExpiresAfter{Days: 7}, // the anchor defaults to last_active_at
		ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 400, ChunkOverlapTokens: 100}},
		Metadata:         Metadata{"owner": "support"},
	})
	require.NoError(t, err)
	assert.Equal(t, "vs_Res0urceStore00000001", vs.ID)
	assert.Equal(t, "vector_store", vs.Object)
	assert.Equal(t, "Support docs", vs.Name)
	assert.Equal(t, VectorStoreStatusInProgress, vs.Status)
	assert.Equal(t, FileCounts{InProgress: 2, Total: 2}, vs.FileCounts)
	assert.Equal(t, &ExpiresAfter{Anchor: ExpiresAfterAnchorLastActiveAt, Days: 7}, vs.ExpiresAfter)
	assert.EqualValues(t, 1736560000+7*86400, vs.ExpiresAt)
	assert.EqualValues(t, 1736560000, vs.LastActiveAt)
	assert.Equal(t, Metadata{"owner": "support"}, vs.Metadata)

	vs, err = c.VectorStores.Get(ctx, vs.ID)
	require.NoError(t, err)
	assert.Equal(t, VectorStoreStatusCompleted, vs.Status)
	assert.EqualValues(t, 204800, vs.UsageBytes)
	assert.Equal(t, FileCounts{Completed: 1, Failed: 1, Total: 2}, vs.FileCounts)

	vs, err = c.VectorStores.Update(ctx, vs.ID, VectorStoreUpdateParams{
		Name:         Ptr("Support docs (2025)"),
		ExpiresAfter: &ExpiresAfter{Anchor: ExpiresAfterAnchorLastActiveAt, Days: 30},
		Metadata:     Metadata{"owner": "support", "year": "2025"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Support docs (2025)", vs.Name)
	assert.Equal(t, &ExpiresAfter{Anchor: ExpiresAfterAnchorLastActiveAt, Days: 30}, vs.ExpiresAfter)
	assert.Equal(t, Metadata{"owner": "support", "year": "2025"}, vs.Metadata)

	page, err := c.VectorStores.List(ctx, ListParams{Limit: 2, Order: OrderDesc})
	require.NoError(t, err)
	assert.True(t, page.HasMore)
	require.Len(t, page.Data, 2)
	assert.Equal(t, VectorStoreStatusExpired, page.Data[1].Status)

	ids := fxCollect(t, c.VectorStores.ListAll(ctx, ListParams{Limit: 2}), func(v *VectorStore) string { return v.ID })
	assert.Equal(t, []string{"vs_Res0urceStore00000001", "vs_Res0urceStore00000002", "vs_Res0urceStore00000003", "vs_Res0urceStore00000004"}, ids)

	del, err := c.VectorStores.Delete(ctx, vs.ID)
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: vs.ID, Object: "vector_store.deleted", Deleted: true}, *del)

	fxCheckWire(t, f)
}

func TestFixtureResourcesVectorStoreFiles(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_vector_store_files")
	const vsID = "vs_Res0urceStore00000001"
	static300 := &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 300, ChunkOverlapTokens: 50}}

	vf, err := c.VectorStores.Files.Create(ctx, vsID, VectorStoreFileCreateParams{
		FileID:           "file-Res0urceVsFile00001",
		ChunkingStrategy: static300,
		Attributes:       map[string]any{"author": "Ada", "year": 2024, "draft": false},
	})
	require.NoError(t, err)
	assert.Equal(t, "file-Res0urceVsFile00001", vf.ID)
	assert.Equal(t, "vector_store.file", vf.Object)
	assert.Equal(t, vsID, vf.VectorStoreID)
	assert.Equal(t, VectorStoreFileStatusInProgress, vf.Status)
	assert.Equal(t, static300, vf.ChunkingStrategy)
	assert.Equal(t, map[string]any{"author": "Ada", "year": 2024.0, "draft": false}, vf.Attributes)

	vf, err = c.VectorStores.Files.Get(ctx, vsID, vf.ID)
	require.NoError(t, err)
	assert.Equal(t, VectorStoreFileStatusCompleted, vf.Status)
	assert.EqualValues(t, 9182, vf.UsageBytes)
	assert.Nil(t, vf.LastError)

	vf, err = c.VectorStores.Files.Update(ctx, vsID, vf.ID, VectorStoreFileUpdateParams{Attributes: map[string]any{"year": 2025, "reviewed": true}})
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"year": 2025.0, "reviewed": true}, vf.Attributes)

	failed, err := c.VectorStores.Files.List(ctx, vsID, VectorStoreFileListParams{ListParams: ListParams{Limit: 5}, Filter: VectorStoreFileStatusFailed})
	require.NoError(t, err)
	require.Len(t, failed.Data, 1)
	assert.Equal(t, VectorStoreFileStatusFailed, failed.Data[0].Status)
	assert.Equal(t, &VectorStoreFileError{Code: VectorStoreFileErrorInvalidFile, Message: "The file could not be parsed."}, failed.Data[0].LastError)

	var seen []*VectorStoreFile
	for vf, err := range c.VectorStores.Files.ListAll(ctx, vsID, VectorStoreFileListParams{ListParams: ListParams{Limit: 2, Order: OrderDesc}, Filter: VectorStoreFileStatusCompleted}) {
		require.NoError(t, err)
		seen = append(seen, vf)
	}
	require.Len(t, seen, 3)
	assert.Equal(t, []string{"file-Res0urceVsFile00001", "file-Res0urceVsFile00003", "file-Res0urceVsFile00004"},
		[]string{seen[0].ID, seen[1].ID, seen[2].ID})
	assert.Equal(t, &ChunkingStrategy{Type: ChunkingOther}, seen[1].ChunkingStrategy)
	assert.Equal(t, map[string]any{"lang": "en"}, seen[2].Attributes)

	del, err := c.VectorStores.Files.Delete(ctx, vsID, "file-Res0urceVsFile00002")
	require.NoError(t, err)
	assert.Equal(t, Deleted{ID: "file-Res0urceVsFile00002", Object: "vector_store.file.deleted", Deleted: true}, *del)

	fxCheckWire(t, f)
}

func TestFixtureResourcesFileBatches(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_file_batches")
	const vsID = "vs_Res0urceStore00000001"
	const batchID = "vsfb_Res0urceBatch000001"

	b, err := c.VectorStores.FileBatches.Create(ctx, vsID, FileBatchCreateParams{
		FileIDs:          []string{"file-Res0urceBatchFile01", "file-Res0urceBatchFile02", "file-Res0urceBatchFile03"},
		ChunkingStrategy: &ChunkingStrategy{Type: ChunkingAuto},
		Attributes:       map[string]any{"batch": "nightly"},
	})
	require.NoError(t, err)
	assert.Equal(t, batchID, b.ID)
	assert.Equal(t, "vector_store.files_batch", b.Object)
	assert.Equal(t, vsID, b.VectorStoreID)
	assert.Equal(t, FileBatchStatusInProgress, b.Status)
	assert.EqualValues(t, 1736580000, b.CreatedAt)
	assert.Equal(t, FileCounts{InProgress: 3, Total: 3}, b.FileCounts)

	b2, err := c.VectorStores.FileBatches.Create(ctx, vsID, FileBatchCreateParams{Files: []VectorStoreFileCreateParams{
		{FileID: "file-Res0urceVsFile00001", ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 300, ChunkOverlapTokens: 50}}, Attributes: map[string]any{"author": "Ada"}},
		{FileID: "file-Res0urceVsFile00004"},
	}})
	require.NoError(t, err)
	assert.Equal(t, "vsfb_Res0urceBatch000002", b2.ID)
	assert.Equal(t, FileCounts{InProgress: 2, Total: 2}, b2.FileCounts)

	b, err = c.VectorStores.FileBatches.Get(ctx, vsID, batchID)
	require.NoError(t, err)
	assert.Equal(t, FileBatchStatusInProgress, b.Status)
	assert.Equal(t, FileCounts{InProgress: 1, Completed: 2, Total: 3}, b.FileCounts)

	b, err = c.VectorStores.FileBatches.Cancel(ctx, vsID, batchID)
	require.NoError(t, err)
	assert.Equal(t, FileBatchStatusCancelled, b.Status)
	assert.Equal(t, FileCounts{Completed: 2, Cancelled: 1, Total: 3}, b.FileCounts)

	ids := fxCollect(t, c.VectorStores.FileBatches.ListFilesAll(ctx, vsID, batchID,
		VectorStoreFileListParams{ListParams: ListParams{Limit: 2, Order: OrderAsc}, Filter: VectorStoreFileStatusInProgress}),
		func(f *VectorStoreFile) string { return f.ID })
	assert.Equal(t, []string{"file-Res0urceBatchFile01", "file-Res0urceBatchFile02", "file-Res0urceBatchFile03"}, ids)

	page, err := c.VectorStores.FileBatches.ListFiles(ctx, vsID, batchID, VectorStoreFileListParams{ListParams: ListParams{Before: "file-Res0urceBatchFile03"}})
	require.NoError(t, err)
	require.Len(t, page.Data, 2)
	for _, vf := range page.Data {
		assert.Equal(t, vsID, vf.VectorStoreID)
		assert.Equal(t, VectorStoreFileStatusInProgress, vf.Status)
		assert.Equal(t, map[string]any{"batch": "nightly"}, vf.Attributes)
	}

	fxCheckWire(t, f)
}
