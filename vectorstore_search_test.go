package assistants

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A content page as the API returns it, plus a field this SDK does not model.
const fsFileContentJSON = `{
  "object": "vector_store.file_content.page",
  "data": [
    {"type": "text", "text": "# Return policy"},
    {"type": "text", "text": "Returns are accepted within 30 days."}
  ],
  "has_more": false,
  "next_page": null,
  "x_server": {"pages": 1}
}`

// A search page as the API returns it, plus a field this SDK does not model.
const fsSearchPageJSON = `{
  "object": "vector_store.search_results.page",
  "search_query": ["What is the return policy?"],
  "data": [
    {
      "file_id": "file_123",
      "filename": "document.pdf",
      "score": 0.95,
      "attributes": {"author": "John Doe", "date": "2023-01-01", "year": 2023, "draft": false},
      "content": [{"type": "text", "text": "Relevant chunk"}, {"type": "text", "text": "Next chunk"}]
    },
    {
      "file_id": "file_456",
      "filename": "notes.txt",
      "score": 0.89,
      "attributes": null,
      "content": [{"type": "text", "text": "Sample text content from the vector store."}]
    }
  ],
  "has_more": true,
  "next_page": "cGFnZTI",
  "x_server": {"shard": 7}
}`

func TestVectorStoreFilesContent(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileContentJSON))
	c, err := fake.client.VectorStores.Files.Content(context.Background(), "vs_abc123", "file-abc123")
	require.NoError(t, err)

	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores/vs_abc123/files/file-abc123/content", "")
	fsTestBeta(t, hit, true)
	fsTestBody(t, hit, "")
	assert.Empty(t, hit.Header.Get("Idempotency-Key"), "a GET has no idempotency key")

	assert.Equal(t, "vector_store.file_content.page", c.Object)
	assert.Equal(t, []VectorStoreContentPart{
		{Type: VectorStoreContentTypeText, Text: "# Return policy"},
		{Type: VectorStoreContentTypeText, Text: "Returns are accepted within 30 days."},
	}, c.Data)
	assert.False(t, c.HasMore)
	assert.Empty(t, c.NextPage, "next_page null")
	assert.Equal(t, "# Return policy\nReturns are accepted within 30 days.", c.Text())
	assert.EqualValues(t, 1, c.Get("x_server.pages").Int(), "unknown fields stay readable")
	assert.JSONEq(t, fsFileContentJSON, string(c.Raw()))
}

func TestVectorStoreFileContentText(t *testing.T) {
	for _, tc := range []struct {
		name  string
		parts []VectorStoreContentPart
		want  string
	}{
		{"none", nil, ""},
		{"one", []VectorStoreContentPart{{Type: "text", Text: "a"}}, "a"},
		{"untyped counts as text", []VectorStoreContentPart{{Text: "a"}, {Type: "text", Text: "b"}}, "a\nb"},
		{"other types skipped", []VectorStoreContentPart{{Type: "image", Text: "x"}, {Type: "text", Text: "a"}, {Type: "table", Text: "y"}, {Type: "text", Text: "b"}}, "a\nb"},
		{"empty parts kept", []VectorStoreContentPart{{Type: "text", Text: "a"}, {Type: "text"}, {Type: "text", Text: "b"}}, "a\n\nb"},
	} {
		c := VectorStoreFileContent{Data: tc.parts}
		assert.Equal(t, tc.want, c.Text(), tc.name)
		r := VectorStoreSearchResult{Content: tc.parts}
		assert.Equal(t, tc.want, r.Text(), tc.name)
	}
}

func TestVectorStoreFilesContentNextPage(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{"object":"vector_store.file_content.page","data":[],"has_more":true,"next_page":"tok_2"}`))
	c, err := fake.client.VectorStores.Files.Content(context.Background(), "vs_1", "file-1")
	require.NoError(t, err)
	assert.True(t, c.HasMore)
	assert.Equal(t, "tok_2", c.NextPage)
	assert.Empty(t, c.Data)
	assert.Empty(t, c.Text())
}

func TestVectorStoresSearch(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsSearchPageJSON))
	page, err := fake.client.VectorStores.Search(context.Background(), "vs_abc123", VectorStoreSearchParams{
		Query:          "What is the return policy?",
		Filters:        json.RawMessage(`{"type": "and", "filters": [{"type": "eq", "key": "author", "value": "John Doe"}, {"type": "gte", "key": "year", "value": 2023}]}`),
		MaxNumResults:  5,
		RankingOptions: &SearchRankingOptions{Ranker: SearchRankerDefault20241115, ScoreThreshold: 0.5},
		RewriteQuery:   Ptr(true),
	})
	require.NoError(t, err)

	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_abc123/search", "")
	fsTestBeta(t, hit, true)
	assert.NotEmpty(t, hit.Header.Get("Idempotency-Key"))
	fsTestBody(t, hit, `{
	  "query": "What is the return policy?",
	  "filters": {"type": "and", "filters": [{"type": "eq", "key": "author", "value": "John Doe"}, {"type": "gte", "key": "year", "value": 2023}]},
	  "max_num_results": 5,
	  "ranking_options": {"ranker": "default-2024-11-15", "score_threshold": 0.5},
	  "rewrite_query": true
	}`)

	assert.Equal(t, "vector_store.search_results.page", page.Object)
	assert.Equal(t, []string{"What is the return policy?"}, page.SearchQuery)
	assert.True(t, page.HasMore)
	assert.Equal(t, "cGFnZTI", page.NextPage)
	require.Len(t, page.Data, 2)
	assert.Equal(t, VectorStoreSearchResult{
		FileID:     "file_123",
		Filename:   "document.pdf",
		Score:      0.95,
		Attributes: map[string]any{"author": "John Doe", "date": "2023-01-01", "year": 2023.0, "draft": false},
		Content:    []VectorStoreContentPart{{Type: "text", Text: "Relevant chunk"}, {Type: "text", Text: "Next chunk"}},
	}, page.Data[0])
	assert.Equal(t, "Relevant chunk\nNext chunk", page.Data[0].Text())
	assert.Equal(t, "file_456", page.Data[1].FileID)
	assert.Equal(t, "notes.txt", page.Data[1].Filename)
	assert.InDelta(t, 0.89, page.Data[1].Score, 1e-12)
	assert.Nil(t, page.Data[1].Attributes, "attributes null")
	assert.Equal(t, "Sample text content from the vector store.", page.Data[1].Text())
	assert.EqualValues(t, 7, page.Get("x_server.shard").Int(), "unknown fields stay readable")
	assert.JSONEq(t, fsSearchPageJSON, string(page.Raw()))
}

func TestVectorStoresSearchBodies(t *testing.T) {
	tests := []struct {
		name   string
		params VectorStoreSearchParams
		want   string
	}{
		{"query only", VectorStoreSearchParams{Query: "refunds"}, `{"query":"refunds"}`},
		{"queries", VectorStoreSearchParams{Queries: []string{"refunds", "returns"}}, `{"query":["refunds","returns"]}`},
		{"one of queries", VectorStoreSearchParams{Queries: []string{"refunds"}}, `{"query":["refunds"]}`},
		{"rewrite false is sent", VectorStoreSearchParams{Query: "q", RewriteQuery: Ptr(false)}, `{"query":"q","rewrite_query":false}`},
		{"ranker only", VectorStoreSearchParams{Query: "q", RankingOptions: &SearchRankingOptions{Ranker: SearchRankerNone}}, `{"query":"q","ranking_options":{"ranker":"none","score_threshold":0}}`},
		{"threshold only", VectorStoreSearchParams{Query: "q", RankingOptions: &SearchRankingOptions{ScoreThreshold: 1}}, `{"query":"q","ranking_options":{"score_threshold":1}}`},
		{"limits", VectorStoreSearchParams{Query: "q", MaxNumResults: 50}, `{"query":"q","max_num_results":50}`},
		{"comparison filter", VectorStoreSearchParams{Query: "q", Filters: json.RawMessage(` {"type":"in", "key":"lang", "value":["en","fr"]} `)},
			`{"query":"q","filters":{"type":"in","key":"lang","value":["en","fr"]}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := fsNew(t, fsJSON(200, `{"object":"vector_store.search_results.page","search_query":["q"],"data":[],"has_more":false,"next_page":null}`))
			page, err := fake.client.VectorStores.Search(context.Background(), "vs_1", tt.params)
			require.NoError(t, err)
			assert.Empty(t, page.Data)
			hit := fake.fsOnly(t)
			fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_1/search", "")
			fsTestBody(t, hit, tt.want)

			// The same wire form through json.Marshal, and back.
			data, err := json.Marshal(tt.params)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(data))
			var back VectorStoreSearchParams
			require.NoError(t, json.Unmarshal(data, &back))
			again, err := json.Marshal(back)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(again))
		})
	}
}

func TestVectorStoresSearchValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsSearchPageJSON))
	q := func(p VectorStoreSearchParams) VectorStoreSearchParams {
		if p.Query == "" && p.Queries == nil {
			p.Query = "q"
		}
		return p
	}
	filter := func(s string) VectorStoreSearchParams { return q(VectorStoreSearchParams{Filters: json.RawMessage(s)}) }
	tests := []struct {
		name   string
		params VectorStoreSearchParams
		want   string
	}{
		{"no query", VectorStoreSearchParams{}, "VectorStoreSearchParams.Query must not be empty"},
		{"blank query", VectorStoreSearchParams{Query: " \t"}, "VectorStoreSearchParams.Query must not be empty"},
		{"both", VectorStoreSearchParams{Query: "a", Queries: []string{"b"}}, "set Query or Queries, not both"},
		{"empty queries", VectorStoreSearchParams{Queries: []string{}}, "VectorStoreSearchParams.Queries must hold at least one query"},
		{"blank query in queries", VectorStoreSearchParams{Queries: []string{"a", ""}}, "VectorStoreSearchParams.Queries[1] must not be empty"},
		{"negative max", q(VectorStoreSearchParams{MaxNumResults: -1}), "VectorStoreSearchParams.MaxNumResults must be between 1 and 50"},
		{"max too big", q(VectorStoreSearchParams{MaxNumResults: 51}), "VectorStoreSearchParams.MaxNumResults must be between 1 and 50"},
		{"ranker", q(VectorStoreSearchParams{RankingOptions: &SearchRankingOptions{Ranker: "default_2024_08_21"}}), "VectorStoreSearchParams.RankingOptions.Ranker"},
		{"threshold low", q(VectorStoreSearchParams{RankingOptions: &SearchRankingOptions{ScoreThreshold: -0.1}}), "VectorStoreSearchParams.RankingOptions.ScoreThreshold"},
		{"threshold high", q(VectorStoreSearchParams{RankingOptions: &SearchRankingOptions{ScoreThreshold: 1.01}}), "VectorStoreSearchParams.RankingOptions.ScoreThreshold"},
		{"threshold NaN", q(VectorStoreSearchParams{RankingOptions: &SearchRankingOptions{ScoreThreshold: math.NaN()}}), "VectorStoreSearchParams.RankingOptions.ScoreThreshold"},
		{"threshold Inf", q(VectorStoreSearchParams{RankingOptions: &SearchRankingOptions{ScoreThreshold: math.Inf(1)}}), "VectorStoreSearchParams.RankingOptions.ScoreThreshold"},
		{"filter not JSON", filter(`{"type":"eq",`), "VectorStoreSearchParams.Filters is not valid JSON"},
		{"filter null", filter(`null`), "VectorStoreSearchParams.Filters must be a JSON object"},
		{"filter string", filter(`"author=Ada"`), "VectorStoreSearchParams.Filters must be a JSON object"},
		{"filter without type", filter(`{"key":"a","value":1}`), "VectorStoreSearchParams.Filters.type must be a string"},
		{"filter unknown type", filter(`{"type":"like","key":"a","value":"b"}`), `VectorStoreSearchParams.Filters.type must be one of eq, ne, gt, gte, lt, lte, in, nin, and, or, got "like"`},
		{"comparison without key", filter(`{"type":"eq","value":"b"}`), `VectorStoreSearchParams.Filters: a "eq" filter needs a non-empty string key`},
		{"comparison without value", filter(`{"type":"gt","key":"a"}`), `VectorStoreSearchParams.Filters: a "gt" filter needs a value`},
		{"comparison null value", filter(`{"type":"eq","key":"a","value":null}`), `a "eq" filter needs a value`},
		{"compound without filters", filter(`{"type":"and"}`), `VectorStoreSearchParams.Filters: an "and" filter needs an array of filters`},
		{"nested", filter(`{"type":"or","filters":[{"type":"eq","key":"a","value":1},{"type":"and","filters":[{"type":"lt","value":2}]}]}`),
			`VectorStoreSearchParams.Filters.filters[1].filters[0]: a "lt" filter needs a non-empty string key`},
		{"nested not object", filter(`{"type":"or","filters":[1]}`), `VectorStoreSearchParams.Filters.filters[0] must be a JSON object`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fake.client.VectorStores.Search(context.Background(), "vs_1", tt.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "assistants: "), err.Error())
		})
	}
	assert.Empty(t, fake.fsHits(), "invalid params send no request")
}

func TestVectorStoresSearchAndContentEmptyIDs(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{}`))
	ctx := context.Background()
	vs := fake.client.VectorStores
	_, err := vs.Search(ctx, "", VectorStoreSearchParams{Query: "q"})
	require.ErrorContains(t, err, "vectorStoreID must not be empty")
	_, err = vs.Search(ctx, "..", VectorStoreSearchParams{Query: "q"})
	require.ErrorContains(t, err, "vectorStoreID may not be")
	_, err = vs.Files.Content(ctx, " ", "file-1")
	require.ErrorContains(t, err, "vectorStoreID must not be empty")
	_, err = vs.Files.Content(ctx, "vs_1", "")
	require.ErrorContains(t, err, "fileID must not be empty")
	assert.Empty(t, fake.fsHits())
}

func TestVectorStoresSearchAndContentEscapeIDs(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{"object":"x","data":[],"has_more":false,"next_page":null}`))
	ctx := context.Background()
	_, err := fake.client.VectorStores.Search(ctx, "vs/1 x", VectorStoreSearchParams{Query: "q"})
	require.NoError(t, err)
	_, err = fake.client.VectorStores.Files.Content(ctx, "vs?1", "file#2")
	require.NoError(t, err)
	hits := fake.fsHits()
	require.Len(t, hits, 2)
	fsTestMethod(t, hits[0], "POST", "/v1/vector_stores/vs%2F1%20x/search", "")
	fsTestMethod(t, hits[1], "GET", "/v1/vector_stores/vs%3F1/files/file%232/content", "")
}

func TestVectorStoreSearchPageSearchQueryForms(t *testing.T) {
	for _, tc := range []struct {
		raw  string
		want []string
	}{
		{`["a","b"]`, []string{"a", "b"}},
		{`"What is the return policy?"`, []string{"What is the return policy?"}}, // the spec's example
		{`null`, nil},
		{`[]`, []string{}},
	} {
		var p VectorStoreSearchPage
		require.NoError(t, json.Unmarshal([]byte(`{"object":"vector_store.search_results.page","search_query":`+tc.raw+`,"data":[],"has_more":false,"next_page":null}`), &p), tc.raw)
		assert.Equal(t, tc.want, p.SearchQuery, tc.raw)
		assert.Equal(t, "vector_store.search_results.page", p.Object)
	}
	var p VectorStoreSearchPage
	require.NoError(t, json.Unmarshal([]byte(`{"data":[]}`), &p))
	assert.Nil(t, p.SearchQuery, "absent")
	err := json.Unmarshal([]byte(`{"search_query":3}`), &p)
	require.ErrorContains(t, err, "search_query: want a string or an array of strings")
	require.Error(t, json.Unmarshal([]byte(`{"search_query":[1]}`), &p))
	require.Error(t, json.Unmarshal([]byte(`{"data":"x"}`), &p))
}

func TestVectorStoresSearchAPIError(t *testing.T) {
	fake := fsNew(t, func(w http.ResponseWriter, _ fsHit, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_404")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"error":{"message":"No vector store found with id 'vs_x'.","type":"invalid_request_error","param":null,"code":null}}`))
	})
	_, err := fake.client.VectorStores.Search(context.Background(), "vs_x", VectorStoreSearchParams{Query: "q"})
	var apiErr *APIError
	require.True(t, errors.As(err, &apiErr), "%v", err)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "req_404", apiErr.RequestID)
	assert.Contains(t, apiErr.Message, "vs_x")
	assert.Len(t, fake.fsHits(), 1, "a 404 is not retried")
}

// TestFixtureResourcesVectorStoreSearch replays resources_vector_store_search:
// file content (one page, then one with more to come) and searches with the
// plain query, with every parameter, and on a missing store.
func TestFixtureResourcesVectorStoreSearch(t *testing.T) {
	ctx := context.Background()
	c, f := fxNewClient(t, "resources_vector_store_search")
	const vsID = "vs_Res0urceStore00000001"
	const policy = "Returns are accepted within 30 days of delivery. Items must be unused and in their original packaging. " +
		"Refunds are issued to the original payment method within 5 business days."

	content, err := c.VectorStores.Files.Content(ctx, vsID, "file-Res0urceVsFile00001")
	require.NoError(t, err)
	assert.Equal(t, "vector_store.file_content.page", content.Object)
	assert.Equal(t, []VectorStoreContentPart{{Type: "text", Text: "# Return policy"}, {Type: "text", Text: policy}}, content.Data)
	assert.Equal(t, "# Return policy\n"+policy, content.Text())
	assert.False(t, content.HasMore)
	assert.Empty(t, content.NextPage)

	content, err = c.VectorStores.Files.Content(ctx, vsID, "file-Res0urceVsFile00003")
	require.NoError(t, err)
	assert.Equal(t, "Shipping takes 3 to 5 business days within the EU.", content.Text())
	assert.True(t, content.HasMore)
	assert.Equal(t, "cGFnZTI", content.NextPage)

	page, err := c.VectorStores.Search(ctx, vsID, VectorStoreSearchParams{Query: "What is the return policy?"})
	require.NoError(t, err)
	assert.Equal(t, "vector_store.search_results.page", page.Object)
	assert.Equal(t, []string{"What is the return policy?"}, page.SearchQuery)
	assert.False(t, page.HasMore)
	assert.Empty(t, page.NextPage)
	require.Len(t, page.Data, 2)
	assert.Equal(t, "file-Res0urceVsFile00001", page.Data[0].FileID)
	assert.Equal(t, "returns.md", page.Data[0].Filename)
	assert.Equal(t, 0.95, page.Data[0].Score)
	assert.Equal(t, map[string]any{"author": "Ada", "year": 2025.0, "reviewed": true}, page.Data[0].Attributes)
	assert.Equal(t, "# Return policy\n"+policy, page.Data[0].Text())
	assert.Equal(t, "file-Res0urceVsFile00003", page.Data[1].FileID)
	assert.Equal(t, "shipping.md", page.Data[1].Filename)
	assert.Equal(t, 0.41, page.Data[1].Score)
	assert.Nil(t, page.Data[1].Attributes)
	assert.Equal(t, []VectorStoreContentPart{{Type: "text", Text: "Items damaged in transit can be returned at no cost."}}, page.Data[1].Content)

	page, err = c.VectorStores.Search(ctx, vsID, VectorStoreSearchParams{
		Queries: []string{"return window", "refund timing"},
		Filters: json.RawMessage(`{"type":"and","filters":[{"type":"eq","key":"author","value":"Ada"},` +
			`{"type":"or","filters":[{"type":"gte","key":"year","value":2024},{"type":"in","key":"lang","value":["en","fr"]}]}]}`),
		MaxNumResults:  5,
		RankingOptions: &SearchRankingOptions{Ranker: SearchRankerDefault20241115, ScoreThreshold: 0.5},
		RewriteQuery:   Ptr(true),
	})
	require.NoError(t, err)
	assert.Equal(t, []string{"return window days", "refund timing payment method"}, page.SearchQuery)
	assert.True(t, page.HasMore)
	require.Len(t, page.Data, 1)
	assert.Equal(t, 0.87, page.Data[0].Score)
	assert.Equal(t, policy, page.Data[0].Text())

	_, err = c.VectorStores.Search(ctx, "vs_Res0urceMissing0001", VectorStoreSearchParams{Query: "anything"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, http.StatusNotFound, apiErr.StatusCode)
	assert.Equal(t, "invalid_request_error", apiErr.Type)
	assert.Equal(t, "req_fxsearch0404", apiErr.RequestID)
	assert.Equal(t, "No vector store found with id 'vs_Res0urceMissing0001'.", apiErr.Message)

	fxCheckWire(t, f)
}
