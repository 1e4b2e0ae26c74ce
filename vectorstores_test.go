package assistants

import (
	"context"
	"errors"
	"math"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A vector store as the API returns it, plus a field this SDK does not model.
const fsVectorStoreJSON = `{
  "id": "vs_abc123",
  "object": "vector_store",
  "created_at": 1699061776,
  "name": "Support FAQ",
  "description": "Contains commonly asked questions and answers, organized by topic.",
  "usage_bytes": 139920,
  "file_counts": {"in_progress": 1, "completed": 3, "failed": 2, "cancelled": 4, "total": 10},
  "status": "completed",
  "expires_after": {"anchor": "last_active_at", "days": 7},
  "expires_at": 1699666576,
  "last_active_at": 1699061776,
  "metadata": {"team": "support"},
  "x_server": {"shard": 3}
}`

func fsCheckVectorStore(t *testing.T, v *VectorStore) {
	t.Helper()
	require.NotNil(t, v)
	assert.Equal(t, "vs_abc123", v.ID)
	assert.Equal(t, "vector_store", v.Object)
	assert.EqualValues(t, 1699061776, v.CreatedAt)
	assert.Equal(t, "Support FAQ", v.Name)
	assert.Equal(t, "Contains commonly asked questions and answers, organized by topic.", v.Description)
	assert.EqualValues(t, 139920, v.UsageBytes)
	assert.Equal(t, FileCounts{InProgress: 1, Completed: 3, Failed: 2, Cancelled: 4, Total: 10}, v.FileCounts)
	assert.Equal(t, VectorStoreStatusCompleted, v.Status)
	assert.Equal(t, &ExpiresAfter{Anchor: "last_active_at", Days: 7}, v.ExpiresAfter)
	assert.EqualValues(t, 1699666576, v.ExpiresAt)
	assert.EqualValues(t, 1699061776, v.LastActiveAt)
	assert.Equal(t, Metadata{"team": "support"}, v.Metadata)
	assert.EqualValues(t, 3, v.Get("x_server.shard").Int(), "unknown fields stay readable")
}

func TestVectorStoresCreate(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreJSON))
	v, err := fake.client.VectorStores.Create(context.Background(), VectorStoreCreateParams{
		FileIDs:          []string{"file-1", "file-2"},
		Name:             "Support FAQ",
		Description:      "FAQ",
		ExpiresAfter:     &ExpiresAfter{Days: 7},
		ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 800, ChunkOverlapTokens: 400}},
		Metadata:         Metadata{"team": "support"},
	})
	require.NoError(t, err)
	fsCheckVectorStore(t, v)

	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores", "")
	fsTestBeta(t, hit, true)
	assert.NotEmpty(t, hit.Header.Get("Idempotency-Key"))
	fsTestBody(t, hit, `{
	  "file_ids": ["file-1", "file-2"],
	  "name": "Support FAQ",
	  "description": "FAQ",
	  "expires_after": {"anchor": "last_active_at", "days": 7},
	  "chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}},
	  "metadata": {"team": "support"}
	}`)
}

func TestVectorStoresCreateMinimal(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreJSON))
	_, err := fake.client.VectorStores.Create(context.Background(), VectorStoreCreateParams{})
	require.NoError(t, err)
	fsTestBody(t, fake.fsOnly(t), `{}`)

	fake = fsNew(t, fsJSON(200, fsVectorStoreJSON))
	_, err = fake.client.VectorStores.Create(context.Background(), VectorStoreCreateParams{
		Name: "x", FileIDs: []string{"file-1"}, ChunkingStrategy: &ChunkingStrategy{Type: ChunkingAuto},
	})
	require.NoError(t, err)
	fsTestBody(t, fake.fsOnly(t), `{"name":"x","file_ids":["file-1"],"chunking_strategy":{"type":"auto"}}`)
}

func TestVectorStoresCreateValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreJSON))
	static := func(max, overlap int) *ChunkingStrategy {
		return &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: max, ChunkOverlapTokens: overlap}}
	}
	tests := []struct {
		name   string
		params VectorStoreCreateParams
		want   string
	}{
		{"empty file id", VectorStoreCreateParams{FileIDs: []string{"file-1", ""}}, "VectorStoreCreateParams.FileIDs[1]"},
		{"too many files", VectorStoreCreateParams{FileIDs: strings.Split(strings.Repeat("f,", 500)+"f", ",")}, "at most 500"},
		{"empty chunking type", VectorStoreCreateParams{ChunkingStrategy: &ChunkingStrategy{}}, "VectorStoreCreateParams.ChunkingStrategy.Type"},
		{"other chunking", VectorStoreCreateParams{ChunkingStrategy: &ChunkingStrategy{Type: ChunkingOther}}, "VectorStoreCreateParams.ChunkingStrategy.Type"},
		{"auto with static", VectorStoreCreateParams{ChunkingStrategy: &ChunkingStrategy{Type: ChunkingAuto, Static: &StaticChunking{}}}, "ChunkingStrategy.Static"},
		{"static without sizes", VectorStoreCreateParams{ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic}}, "ChunkingStrategy.Static"},
		{"chunk too small", VectorStoreCreateParams{ChunkingStrategy: static(99, 0)}, "MaxChunkSizeTokens"},
		{"chunk too big", VectorStoreCreateParams{ChunkingStrategy: static(4097, 0)}, "MaxChunkSizeTokens"},
		{"overlap too big", VectorStoreCreateParams{ChunkingStrategy: static(800, 401)}, "ChunkOverlapTokens"},
		{"negative overlap", VectorStoreCreateParams{ChunkingStrategy: static(800, -1)}, "ChunkOverlapTokens"},
		{"bad anchor", VectorStoreCreateParams{ExpiresAfter: &ExpiresAfter{Anchor: "created_at", Days: 1}}, "VectorStoreCreateParams.ExpiresAfter.Anchor"},
		{"zero days", VectorStoreCreateParams{ExpiresAfter: &ExpiresAfter{}}, "VectorStoreCreateParams.ExpiresAfter.Days"},
		{"too many days", VectorStoreCreateParams{ExpiresAfter: &ExpiresAfter{Days: 366}}, "VectorStoreCreateParams.ExpiresAfter.Days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fake.client.VectorStores.Create(context.Background(), tt.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Empty(t, fake.fsHits())
}

func TestVectorStoresGet(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreJSON))
	v, err := fake.client.VectorStores.Get(context.Background(), "vs_abc123")
	require.NoError(t, err)
	fsCheckVectorStore(t, v)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores/vs_abc123", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
}

func TestVectorStoresUpdate(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreJSON))
	exp := &ExpiresAfter{Days: 30}
	v, err := fake.client.VectorStores.Update(context.Background(), "vs_abc123", VectorStoreUpdateParams{
		Name: Ptr("Support FAQ v2"), ExpiresAfter: exp, Metadata: Metadata{"v": "2"},
	})
	require.NoError(t, err)
	fsCheckVectorStore(t, v)
	assert.Empty(t, exp.Anchor, "the caller's params are not modified")
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_abc123", "")
	fsTestBeta(t, hit, true)
	fsTestBody(t, hit, `{"name":"Support FAQ v2","expires_after":{"anchor":"last_active_at","days":30},"metadata":{"v":"2"}}`)

	fake = fsNew(t, fsJSON(200, fsVectorStoreJSON))
	_, err = fake.client.VectorStores.Update(context.Background(), "vs_abc123", VectorStoreUpdateParams{Name: Ptr("")})
	require.NoError(t, err)
	fsTestBody(t, fake.fsOnly(t), `{"name":""}`)

	_, err = fake.client.VectorStores.Update(context.Background(), "vs_abc123", VectorStoreUpdateParams{ExpiresAfter: &ExpiresAfter{Days: 0}})
	require.ErrorContains(t, err, "VectorStoreUpdateParams.ExpiresAfter.Days")
	assert.Len(t, fake.fsHits(), 1)
}

func TestVectorStoresDelete(t *testing.T) {
	// The response recorded in the cookbook walkthrough (seed 000).
	fake := fsNew(t, fsJSON(200, `{"id":"vs_dEArILZSJh7J799QACi3QhuU","deleted":true,"object":"vector_store.deleted"}`))
	d, err := fake.client.VectorStores.Delete(context.Background(), "vs_dEArILZSJh7J799QACi3QhuU")
	require.NoError(t, err)
	assert.Equal(t, &Deleted{ID: "vs_dEArILZSJh7J799QACi3QhuU", Object: "vector_store.deleted", Deleted: true}, d)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "DELETE", "/v1/vector_stores/vs_dEArILZSJh7J799QACi3QhuU", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
}

func TestVectorStoresList(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{"object":"list","data":[`+fsVectorStoreJSON+`,{"id":"vs_abc456","object":"vector_store","created_at":1699061776,"name":"Support FAQ v2","description":null,"usage_bytes":0,"file_counts":{"in_progress":0,"completed":3,"failed":0,"cancelled":0,"total":3},"status":"in_progress","last_active_at":null,"expires_at":null,"metadata":{}}],"first_id":"vs_abc123","last_id":"vs_abc456","has_more":false}`))
	page, err := fake.client.VectorStores.List(context.Background(), ListParams{Limit: 2, Order: OrderDesc, Before: "vs_z"})
	require.NoError(t, err)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores", "before=vs_z&limit=2&order=desc")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
	require.Len(t, page.Data, 2)
	fsCheckVectorStore(t, &page.Data[0])
	second := page.Data[1]
	assert.Equal(t, "vs_abc456", second.ID)
	assert.Equal(t, VectorStoreStatusInProgress, second.Status)
	assert.Empty(t, second.Description)
	assert.Zero(t, second.LastActiveAt)
	assert.Nil(t, second.ExpiresAfter)
	assert.Equal(t, 3, second.FileCounts.Total)
	assert.Equal(t, "vs_abc456", page.LastID)
}

func TestVectorStoresListAll(t *testing.T) {
	pages := []string{
		`{"object":"list","data":[{"id":"vs_1"},{"id":"vs_2"}],"first_id":"vs_1","last_id":"vs_2","has_more":true}`,
		`{"object":"list","data":[{"id":"vs_3"}],"first_id":"vs_3","last_id":"vs_3","has_more":false}`,
	}
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) { fsJSON(200, pages[n])(w, hit, n) })
	var ids []string
	for v, err := range fake.client.VectorStores.ListAll(context.Background(), ListParams{Order: OrderAsc}) {
		require.NoError(t, err)
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []string{"vs_1", "vs_2", "vs_3"}, ids)
	hits := fake.fsHits()
	require.Len(t, hits, 2)
	fsTestMethod(t, hits[0], "GET", "/v1/vector_stores", "order=asc")
	fsTestMethod(t, hits[1], "GET", "/v1/vector_stores", "after=vs_2&order=asc")
}

func TestVectorStoresListAllStopsAtError(t *testing.T) {
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) {
		if n == 0 {
			fsJSON(200, `{"object":"list","data":[{"id":"vs_1"}],"first_id":"vs_1","last_id":"vs_1","has_more":true}`)(w, hit, n)
			return
		}
		fsJSON(400, `{"error":{"message":"bad cursor","type":"invalid_request_error"}}`)(w, hit, n)
	})
	var ids []string
	var gotErr error
	for v, err := range fake.client.VectorStores.ListAll(context.Background(), ListParams{}) {
		if err != nil {
			gotErr = err
			continue
		}
		ids = append(ids, v.ID)
	}
	assert.Equal(t, []string{"vs_1"}, ids)
	var apiErr *APIError
	require.True(t, errors.As(gotErr, &apiErr))
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Len(t, fake.fsHits(), 2)
}

// A vector store file as the API returns it.
const fsVectorStoreFileJSON = `{
  "id": "file-abc123",
  "object": "vector_store.file",
  "usage_bytes": 1234,
  "created_at": 1699061776,
  "vector_store_id": "vs_abcd",
  "status": "failed",
  "last_error": {"code": "unsupported_file", "message": "The file type is not supported."},
  "chunking_strategy": {"type": "static", "static": {"max_chunk_size_tokens": 800, "chunk_overlap_tokens": 400}},
  "attributes": {"author": "Ada", "year": 1843, "draft": false},
  "x_extra": "kept"
}`

func fsCheckVectorStoreFile(t *testing.T, f *VectorStoreFile) {
	t.Helper()
	require.NotNil(t, f)
	assert.Equal(t, "file-abc123", f.ID)
	assert.Equal(t, "vector_store.file", f.Object)
	assert.EqualValues(t, 1234, f.UsageBytes)
	assert.EqualValues(t, 1699061776, f.CreatedAt)
	assert.Equal(t, "vs_abcd", f.VectorStoreID)
	assert.Equal(t, VectorStoreFileStatusFailed, f.Status)
	assert.Equal(t, &VectorStoreFileError{Code: VectorStoreFileErrorUnsupportedFile, Message: "The file type is not supported."}, f.LastError)
	assert.Equal(t, &ChunkingStrategy{Type: "static", Static: &StaticChunking{MaxChunkSizeTokens: 800, ChunkOverlapTokens: 400}}, f.ChunkingStrategy)
	assert.Equal(t, map[string]any{"author": "Ada", "year": 1843.0, "draft": false}, f.Attributes)
	assert.Equal(t, "kept", f.Get("x_extra").String())
}

func TestVectorStoreFilesCreate(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreFileJSON))
	f, err := fake.client.VectorStores.Files.Create(context.Background(), "vs_abcd", VectorStoreFileCreateParams{
		FileID:           "file-abc123",
		ChunkingStrategy: &ChunkingStrategy{Type: ChunkingAuto},
		Attributes:       map[string]any{"author": "Ada", "year": 1843, "draft": false},
	})
	require.NoError(t, err)
	fsCheckVectorStoreFile(t, f)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_abcd/files", "")
	fsTestBeta(t, hit, true)
	fsTestBody(t, hit, `{"file_id":"file-abc123","chunking_strategy":{"type":"auto"},"attributes":{"author":"Ada","year":1843,"draft":false}}`)

	fake = fsNew(t, fsJSON(200, `{"id":"file-abc123","object":"vector_store.file","created_at":1699061776,"usage_bytes":1234,"vector_store_id":"vs_abcd","status":"completed","last_error":null}`))
	f, err = fake.client.VectorStores.Files.Create(context.Background(), "vs_abcd", VectorStoreFileCreateParams{FileID: "file-abc123"})
	require.NoError(t, err)
	fsTestBody(t, fake.fsOnly(t), `{"file_id":"file-abc123"}`)
	assert.Equal(t, VectorStoreFileStatusCompleted, f.Status)
	assert.Nil(t, f.LastError)
	assert.Nil(t, f.ChunkingStrategy)
}

func TestVectorStoreFilesCreateValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreFileJSON))
	many := map[string]any{}
	for i := range 17 {
		many[strings.Repeat("k", i+1)] = i
	}
	tests := []struct {
		name   string
		params VectorStoreFileCreateParams
		want   string
	}{
		{"no file id", VectorStoreFileCreateParams{}, "VectorStoreFileCreateParams.FileID"},
		{"bad chunking", VectorStoreFileCreateParams{FileID: "f", ChunkingStrategy: &ChunkingStrategy{Type: "semantic"}}, "VectorStoreFileCreateParams.ChunkingStrategy.Type"},
		{"nested attribute", VectorStoreFileCreateParams{FileID: "f", Attributes: map[string]any{"tags": []string{"a"}}}, `VectorStoreFileCreateParams.Attributes["tags"]`},
		{"long attribute", VectorStoreFileCreateParams{FileID: "f", Attributes: map[string]any{"s": strings.Repeat("x", 513)}}, `Attributes["s"]`},
		{"long key", VectorStoreFileCreateParams{FileID: "f", Attributes: map[string]any{strings.Repeat("k", 65): 1}}, "1 to 64 characters"},
		{"too many attributes", VectorStoreFileCreateParams{FileID: "f", Attributes: many}, "at most 16"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fake.client.VectorStores.Files.Create(context.Background(), "vs_1", tt.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Empty(t, fake.fsHits())
}

func TestVectorStoreFilesGetUpdateDelete(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreFileJSON))
	f, err := fake.client.VectorStores.Files.Get(context.Background(), "vs_abcd", "file-abc123")
	require.NoError(t, err)
	fsCheckVectorStoreFile(t, f)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores/vs_abcd/files/file-abc123", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)

	fake = fsNew(t, fsJSON(200, fsVectorStoreFileJSON))
	_, err = fake.client.VectorStores.Files.Update(context.Background(), "vs_abcd", "file-abc123", VectorStoreFileUpdateParams{Attributes: map[string]any{"year": 1843.5}})
	require.NoError(t, err)
	hit = fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_abcd/files/file-abc123", "")
	fsTestBody(t, hit, `{"attributes":{"year":1843.5}}`)
	fsTestBeta(t, hit, true)

	fake = fsNew(t, fsJSON(200, fsVectorStoreFileJSON))
	_, err = fake.client.VectorStores.Files.Update(context.Background(), "vs_abcd", "file-abc123", VectorStoreFileUpdateParams{})
	require.NoError(t, err)
	fsTestBody(t, fake.fsOnly(t), `{"attributes":null}`)

	fake = fsNew(t, fsJSON(200, `{"id":"file-abc123","object":"vector_store.file.deleted","deleted":true}`))
	d, err := fake.client.VectorStores.Files.Delete(context.Background(), "vs_abcd", "file-abc123")
	require.NoError(t, err)
	assert.Equal(t, &Deleted{ID: "file-abc123", Object: "vector_store.file.deleted", Deleted: true}, d)
	hit = fake.fsOnly(t)
	fsTestMethod(t, hit, "DELETE", "/v1/vector_stores/vs_abcd/files/file-abc123", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
}

const fsVectorStoreFileListJSON = `{
  "object": "list",
  "data": [
    {"id": "file-abc123", "object": "vector_store.file", "created_at": 1699061776, "vector_store_id": "vs_abc123"},
    {"id": "file-abc456", "object": "vector_store.file", "created_at": 1699061776, "vector_store_id": "vs_abc123"}
  ],
  "first_id": "file-abc123",
  "last_id": "file-abc456",
  "has_more": false
}`

func TestVectorStoreFilesList(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreFileListJSON))
	page, err := fake.client.VectorStores.Files.List(context.Background(), "vs_abc123", VectorStoreFileListParams{
		ListParams: ListParams{Limit: 100, After: "file-0"}, Filter: VectorStoreFileStatusCompleted,
	})
	require.NoError(t, err)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores/vs_abc123/files", "after=file-0&filter=completed&limit=100")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
	require.Len(t, page.Data, 2)
	assert.Equal(t, "file-abc456", page.Data[1].ID)
	assert.Equal(t, "vs_abc123", page.Data[1].VectorStoreID)

	_, err = fake.client.VectorStores.Files.List(context.Background(), "vs_abc123", VectorStoreFileListParams{Filter: "done"})
	require.ErrorContains(t, err, "VectorStoreFileListParams.Filter")
	_, err = fake.client.VectorStores.Files.List(context.Background(), "vs_abc123", VectorStoreFileListParams{ListParams: ListParams{Limit: 101}})
	require.Error(t, err)
	assert.Len(t, fake.fsHits(), 1)
}

func TestVectorStoreFilesListAll(t *testing.T) {
	pages := []string{
		`{"object":"list","data":[{"id":"file-1"}],"first_id":"file-1","last_id":"file-1","has_more":true}`,
		`{"object":"list","data":[{"id":"file-2"}],"first_id":"file-2","last_id":"file-2","has_more":true}`,
		`{"object":"list","data":[{"id":"file-3"}],"first_id":"file-3","last_id":"file-3","has_more":false}`,
	}
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) { fsJSON(200, pages[n])(w, hit, n) })
	var ids []string
	for f, err := range fake.client.VectorStores.Files.ListAll(context.Background(), "vs_1", VectorStoreFileListParams{Filter: "failed"}) {
		require.NoError(t, err)
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"file-1", "file-2", "file-3"}, ids)
	hits := fake.fsHits()
	require.Len(t, hits, 3)
	fsTestMethod(t, hits[0], "GET", "/v1/vector_stores/vs_1/files", "filter=failed")
	fsTestMethod(t, hits[1], "GET", "/v1/vector_stores/vs_1/files", "after=file-1&filter=failed")
	fsTestMethod(t, hits[2], "GET", "/v1/vector_stores/vs_1/files", "after=file-2&filter=failed")
}

// A file batch as the API returns it.
const fsFileBatchJSON = `{
  "id": "vsfb_abc123",
  "object": "vector_store.files_batch",
  "created_at": 1699061776,
  "vector_store_id": "vs_abc123",
  "status": "in_progress",
  "file_counts": {"in_progress": 1, "completed": 1, "failed": 0, "cancelled": 0, "total": 2},
  "x_eta_seconds": 12
}`

func fsCheckFileBatch(t *testing.T, b *FileBatch) {
	t.Helper()
	require.NotNil(t, b)
	assert.Equal(t, "vsfb_abc123", b.ID)
	assert.Equal(t, "vector_store.files_batch", b.Object)
	assert.EqualValues(t, 1699061776, b.CreatedAt)
	assert.Equal(t, "vs_abc123", b.VectorStoreID)
	assert.Equal(t, FileBatchStatusInProgress, b.Status)
	assert.Equal(t, FileCounts{InProgress: 1, Completed: 1, Total: 2}, b.FileCounts)
	assert.EqualValues(t, 12, b.Get("x_eta_seconds").Int())
}

func TestFileBatchesCreate(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileBatchJSON))
	b, err := fake.client.VectorStores.FileBatches.Create(context.Background(), "vs_abc123", FileBatchCreateParams{
		FileIDs:          []string{"file-1", "file-2"},
		ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic, Static: &StaticChunking{MaxChunkSizeTokens: 100, ChunkOverlapTokens: 0}},
		Attributes:       map[string]any{"source": "wiki"},
	})
	require.NoError(t, err)
	fsCheckFileBatch(t, b)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_abc123/file_batches", "")
	fsTestBeta(t, hit, true)
	fsTestBody(t, hit, `{"file_ids":["file-1","file-2"],"chunking_strategy":{"type":"static","static":{"max_chunk_size_tokens":100,"chunk_overlap_tokens":0}},"attributes":{"source":"wiki"}}`)

	fake = fsNew(t, fsJSON(200, fsFileBatchJSON))
	_, err = fake.client.VectorStores.FileBatches.Create(context.Background(), "vs_abc123", FileBatchCreateParams{
		Files: []VectorStoreFileCreateParams{
			{FileID: "file-1", Attributes: map[string]any{"lang": "en"}},
			{FileID: "file-2", ChunkingStrategy: &ChunkingStrategy{Type: ChunkingAuto}},
		},
	})
	require.NoError(t, err)
	fsTestBody(t, fake.fsOnly(t), `{"files":[{"file_id":"file-1","attributes":{"lang":"en"}},{"file_id":"file-2","chunking_strategy":{"type":"auto"}}]}`)
}

func TestFileBatchesCreateValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileBatchJSON))
	tests := []struct {
		name   string
		params FileBatchCreateParams
		want   string
	}{
		{"no files", FileBatchCreateParams{}, "FileBatchCreateParams.FileIDs"},
		{"empty list", FileBatchCreateParams{FileIDs: []string{}}, "FileBatchCreateParams.FileIDs"},
		{"both", FileBatchCreateParams{FileIDs: []string{"a"}, Files: []VectorStoreFileCreateParams{{FileID: "b"}}}, "mutually exclusive"},
		{"files with global settings", FileBatchCreateParams{Files: []VectorStoreFileCreateParams{{FileID: "b"}}, Attributes: map[string]any{"a": 1}}, "on each file"},
		{"empty id", FileBatchCreateParams{FileIDs: []string{"a", ""}}, "FileBatchCreateParams.FileIDs[1]"},
		{"empty nested id", FileBatchCreateParams{Files: []VectorStoreFileCreateParams{{FileID: "a"}, {}}}, "FileBatchCreateParams.Files[1].FileID"},
		{"too many", FileBatchCreateParams{FileIDs: strings.Split(strings.Repeat("f,", 2000)+"f", ",")}, "at most 2000"},
		{"bad chunking", FileBatchCreateParams{FileIDs: []string{"a"}, ChunkingStrategy: &ChunkingStrategy{Type: ChunkingStatic}}, "FileBatchCreateParams.ChunkingStrategy.Static"},
		{"bad attribute", FileBatchCreateParams{FileIDs: []string{"a"}, Attributes: map[string]any{"m": map[string]any{}}}, `FileBatchCreateParams.Attributes["m"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := fake.client.VectorStores.FileBatches.Create(context.Background(), "vs_1", tt.params)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Empty(t, fake.fsHits())
}

func TestFileBatchesGetAndCancel(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileBatchJSON))
	b, err := fake.client.VectorStores.FileBatches.Get(context.Background(), "vs_abc123", "vsfb_abc123")
	require.NoError(t, err)
	fsCheckFileBatch(t, b)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores/vs_abc123/file_batches/vsfb_abc123", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)

	fake = fsNew(t, fsJSON(200, strings.Replace(fsFileBatchJSON, `"in_progress"`, `"cancelled"`, 1)))
	b, err = fake.client.VectorStores.FileBatches.Cancel(context.Background(), "vs_abc123", "vsfb_abc123")
	require.NoError(t, err)
	assert.Equal(t, FileBatchStatusCancelled, b.Status)
	hit = fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/vector_stores/vs_abc123/file_batches/vsfb_abc123/cancel", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
	assert.NotEmpty(t, hit.Header.Get("Idempotency-Key"))
}

func TestFileBatchesListFiles(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreFileListJSON))
	page, err := fake.client.VectorStores.FileBatches.ListFiles(context.Background(), "vs_abc123", "vsfb_abc123", VectorStoreFileListParams{
		ListParams: ListParams{Limit: 2, Order: OrderAsc}, Filter: VectorStoreFileStatusInProgress,
	})
	require.NoError(t, err)
	require.Len(t, page.Data, 2)
	assert.Equal(t, "file-abc123", page.Data[0].ID)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/vector_stores/vs_abc123/file_batches/vsfb_abc123/files", "filter=in_progress&limit=2&order=asc")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, true)
}

func TestFileBatchesListFilesAll(t *testing.T) {
	pages := []string{
		`{"object":"list","data":[{"id":"file-1"},{"id":"file-2"}],"first_id":"file-1","last_id":"file-2","has_more":true}`,
		`{"object":"list","data":[{"id":"file-3"}],"first_id":"file-3","last_id":"file-3","has_more":false}`,
	}
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) { fsJSON(200, pages[n])(w, hit, n) })
	var ids []string
	for f, err := range fake.client.VectorStores.FileBatches.ListFilesAll(context.Background(), "vs_1", "vsfb_1", VectorStoreFileListParams{}) {
		require.NoError(t, err)
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"file-1", "file-2", "file-3"}, ids)
	hits := fake.fsHits()
	require.Len(t, hits, 2)
	fsTestMethod(t, hits[0], "GET", "/v1/vector_stores/vs_1/file_batches/vsfb_1/files", "")
	fsTestMethod(t, hits[1], "GET", "/v1/vector_stores/vs_1/file_batches/vsfb_1/files", "after=file-2")
}

func TestVectorStoreEmptyIDsRejected(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{}`))
	ctx := context.Background()
	vs := fake.client.VectorStores
	firstErr := func(seq func(func(*VectorStoreFile, error) bool)) error {
		for _, err := range seq {
			return err
		}
		return nil
	}
	calls := []struct {
		name  string
		param string
		call  func() error
	}{
		{"Get", "vectorStoreID", func() error { _, err := vs.Get(ctx, ""); return err }},
		{"Update", "vectorStoreID", func() error { _, err := vs.Update(ctx, " ", VectorStoreUpdateParams{}); return err }},
		{"Delete", "vectorStoreID", func() error { _, err := vs.Delete(ctx, ""); return err }},
		{"Files.Create", "vectorStoreID", func() error {
			_, err := vs.Files.Create(ctx, "", VectorStoreFileCreateParams{FileID: "f"})
			return err
		}},
		{"Files.Get vs", "vectorStoreID", func() error { _, err := vs.Files.Get(ctx, "", "f"); return err }},
		{"Files.Get file", "fileID", func() error { _, err := vs.Files.Get(ctx, "vs", ""); return err }},
		{"Files.Update", "fileID", func() error {
			_, err := vs.Files.Update(ctx, "vs", "", VectorStoreFileUpdateParams{})
			return err
		}},
		{"Files.Delete vs", "vectorStoreID", func() error { _, err := vs.Files.Delete(ctx, "", "f"); return err }},
		{"Files.Delete file", "fileID", func() error { _, err := vs.Files.Delete(ctx, "vs", "\t"); return err }},
		{"Files.List", "vectorStoreID", func() error {
			_, err := vs.Files.List(ctx, "", VectorStoreFileListParams{})
			return err
		}},
		{"Files.ListAll", "vectorStoreID", func() error {
			return firstErr(vs.Files.ListAll(ctx, "", VectorStoreFileListParams{}))
		}},
		{"FileBatches.Create", "vectorStoreID", func() error {
			_, err := vs.FileBatches.Create(ctx, "", FileBatchCreateParams{FileIDs: []string{"f"}})
			return err
		}},
		{"FileBatches.Get vs", "vectorStoreID", func() error { _, err := vs.FileBatches.Get(ctx, "", "b"); return err }},
		{"FileBatches.Get batch", "batchID", func() error { _, err := vs.FileBatches.Get(ctx, "vs", ""); return err }},
		{"FileBatches.Cancel", "batchID", func() error { _, err := vs.FileBatches.Cancel(ctx, "vs", ""); return err }},
		{"FileBatches.ListFiles", "batchID", func() error {
			_, err := vs.FileBatches.ListFiles(ctx, "vs", "", VectorStoreFileListParams{})
			return err
		}},
		{"FileBatches.ListFilesAll", "vectorStoreID", func() error {
			return firstErr(vs.FileBatches.ListFilesAll(ctx, "", "b", VectorStoreFileListParams{}))
		}},
	}
	for _, c := range calls {
		err := c.call()
		require.Error(t, err, c.name)
		assert.Contains(t, err.Error(), c.param+" must not be empty", c.name)
	}
	assert.Empty(t, fake.fsHits(), "no request is sent for an empty id")
}

func TestVectorStoreIDsArePathEscaped(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{"object":"list","data":[],"has_more":false}`))
	ctx := context.Background()
	vs := fake.client.VectorStores
	_, err := vs.Get(ctx, "vs/1 x")
	require.NoError(t, err)
	_, err = vs.Files.Get(ctx, "vs/1", "file a")
	require.NoError(t, err)
	_, err = vs.FileBatches.Cancel(ctx, "vs 1", "b/2")
	require.NoError(t, err)
	_, err = vs.FileBatches.ListFiles(ctx, "vs?1", "b#2", VectorStoreFileListParams{})
	require.NoError(t, err)
	hits := fake.fsHits()
	require.Len(t, hits, 4)
	fsTestMethod(t, hits[0], "GET", "/v1/vector_stores/vs%2F1%20x", "")
	fsTestMethod(t, hits[1], "GET", "/v1/vector_stores/vs%2F1/files/file%20a", "")
	fsTestMethod(t, hits[2], "POST", "/v1/vector_stores/vs%201/file_batches/b%2F2/cancel", "")
	fsTestMethod(t, hits[3], "GET", "/v1/vector_stores/vs%3F1/file_batches/b%232/files", "")
}

func TestVectorStoreFilesUpdateValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsVectorStoreFileJSON))
	_, err := fake.client.VectorStores.Files.Update(context.Background(), "vs_1", "file-1", VectorStoreFileUpdateParams{
		Attributes: map[string]any{"score": math.NaN()},
	})
	require.ErrorContains(t, err, `VectorStoreFileUpdateParams.Attributes["score"] must be a finite number`)
	_, err = fake.client.VectorStores.Files.Update(context.Background(), "vs_1", "file-1", VectorStoreFileUpdateParams{
		Attributes: map[string]any{"": "x"},
	})
	require.ErrorContains(t, err, "VectorStoreFileUpdateParams.Attributes")
	assert.Empty(t, fake.fsHits())
}
