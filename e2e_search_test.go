package assistants_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/assistants-go/assistants"
)

// TestE2EVectorStoreSearchAndContent drives Files.Content and Search of
// vector stores through the SDK against the in-process server: the parsed
// content of a file, plain and multi-query searches, max_num_results, the
// score threshold, rewrite_query, attribute filters, and the errors of a
// missing store and file.
func TestE2EVectorStoreSearchAndContent(t *testing.T) {
	s, c := e2eSetup(t)
	ctx := e2eCtx(t)

	vs, err := c.VectorStores.Create(ctx, assistants.VectorStoreCreateParams{Name: "Handbook"})
	require.NoError(t, err)
	docs := []struct {
		name, text string
		attrs      map[string]any
	}{
		{"returns.md", "Refund policy\n\nRefunds are granted within 30 days of delivery, back to the original payment method.\n",
			map[string]any{"team": "support", "year": 2025, "public": true}},
		{"shipping.md", "Shipping\n\nParcels ship within two days of payment. Damaged parcels are refunded after delivery.\n",
			map[string]any{"team": "logistics", "year": 2023, "public": true}},
		{"salaries.md", "Salaries are reviewed each spring. Pension statements arrive by delivery each year.\n",
			map[string]any{"team": "hr", "year": 2025, "public": false}},
	}
	ids := map[string]string{}
	for _, d := range docs {
		f, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: strings.NewReader(d.text), Filename: d.name, Purpose: assistants.FilePurposeAssistants})
		require.NoError(t, err)
		vf, err := c.VectorStores.Files.CreateAndPoll(ctx, vs.ID, assistants.VectorStoreFileCreateParams{FileID: f.ID, Attributes: d.attrs})
		require.NoError(t, err)
		require.Equal(t, assistants.VectorStoreFileStatusCompleted, vf.Status)
		ids[d.name] = f.ID
	}

	// The parsed content of a file is its text.
	content, err := c.VectorStores.Files.Content(ctx, vs.ID, ids["returns.md"])
	require.NoError(t, err)
	assert.Equal(t, "vector_store.file_content.page", content.Object)
	require.Len(t, content.Data, 1)
	assert.Equal(t, assistants.VectorStoreContentTypeText, content.Data[0].Type)
	assert.Equal(t, docs[0].text, content.Text())
	assert.False(t, content.HasMore)
	assert.Empty(t, content.NextPage)

	names := func(p *assistants.VectorStoreSearchPage) []string {
		out := []string{}
		for _, r := range p.Data {
			out = append(out, r.Filename)
		}
		return out
	}

	// A plain query: best first, each hit one passage (a paragraph) with
	// its file's attributes.
	page, err := c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "refunds on delivery"})
	require.NoError(t, err)
	assert.Equal(t, "vector_store.search_results.page", page.Object)
	assert.Equal(t, []string{"refunds on delivery"}, page.SearchQuery)
	assert.Equal(t, []string{"returns.md", "returns.md", "shipping.md", "salaries.md"}, names(page))
	top := page.Data[0]
	assert.Equal(t, ids["returns.md"], top.FileID)
	assert.Equal(t, 1.0, top.Score, "both words")
	assert.Equal(t, map[string]any{"team": "support", "year": 2025.0, "public": true}, top.Attributes)
	assert.Equal(t, "Refunds are granted within 30 days of delivery, back to the original payment method.", top.Text())
	for _, r := range page.Data[1:] {
		assert.Equal(t, 0.5, r.Score, "%s: one word of two", r.Filename)
	}
	assert.Equal(t, "Refund policy", page.Data[1].Text())
	assert.False(t, page.HasMore)
	assert.Empty(t, page.NextPage)

	// max_num_results and has_more; the score threshold.
	page, err = c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "delivery", MaxNumResults: 1})
	require.NoError(t, err)
	require.Len(t, page.Data, 1)
	assert.True(t, page.HasMore, "the other files mention delivery too")
	all, err := c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "refunds delivery"})
	require.NoError(t, err)
	strict, err := c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "refunds delivery",
		RankingOptions: &assistants.SearchRankingOptions{Ranker: assistants.SearchRankerAuto, ScoreThreshold: 0.75}})
	require.NoError(t, err)
	assert.Greater(t, len(all.Data), len(strict.Data))
	assert.Equal(t, []string{"returns.md"}, names(strict))

	// Attribute filters: a comparison, and a compound.
	page, err = c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "delivery",
		Filters: json.RawMessage(`{"type":"eq","key":"public","value":false}`)})
	require.NoError(t, err)
	assert.Equal(t, []string{"salaries.md"}, names(page))
	page, err = c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "delivery",
		Filters: json.RawMessage(`{"type":"and","filters":[{"type":"eq","key":"public","value":true},{"type":"in","key":"team","value":["logistics","sales"]}]}`)})
	require.NoError(t, err)
	assert.Equal(t, []string{"shipping.md"}, names(page))

	// Several queries, rewritten.
	page, err = c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{
		Queries: []string{"When do parcels ship?", "Are salaries reviewed?"}, RewriteQuery: assistants.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, []string{"parcels ship", "salaries reviewed"}, page.SearchQuery)
	assert.ElementsMatch(t, []string{"shipping.md", "salaries.md"}, names(page))

	// The requests went out as the spec has them.
	reqs := e2eRequests(s, http.MethodPost, "/search")
	require.NotEmpty(t, reqs)
	assert.JSONEq(t, `{"query":["When do parcels ship?","Are salaries reviewed?"],"rewrite_query":true}`, string(reqs[len(reqs)-1].Body))

	// Errors: a missing store, a file not in the store, bad input caught
	// before any request.
	_, err = c.VectorStores.Search(ctx, "vs_missing", assistants.VectorStoreSearchParams{Query: "x"})
	e2eAPIError(t, err, http.StatusNotFound)
	other, err := c.Files.Upload(ctx, assistants.FileUploadParams{Reader: strings.NewReader("elsewhere"), Filename: "other.txt", Purpose: assistants.FilePurposeAssistants})
	require.NoError(t, err)
	_, err = c.VectorStores.Files.Content(ctx, vs.ID, other.ID)
	e2eAPIError(t, err, http.StatusNotFound)
	before := len(e2eRequests(s, http.MethodPost, "/search"))
	_, err = c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "x", MaxNumResults: 51})
	require.ErrorContains(t, err, "MaxNumResults")
	assert.Len(t, e2eRequests(s, http.MethodPost, "/search"), before)

	// A file removed from the store is no longer searched.
	_, err = c.VectorStores.Files.Delete(ctx, vs.ID, ids["salaries.md"])
	require.NoError(t, err)
	page, err = c.VectorStores.Search(ctx, vs.ID, assistants.VectorStoreSearchParams{Query: "salaries"})
	require.NoError(t, err)
	assert.Empty(t, page.Data)
}
