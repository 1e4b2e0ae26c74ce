package assistants

import (
	"context"
	"iter"
	"net/http"
)

// VectorStoreStatus is the state of a vector store.
type VectorStoreStatus string

// The vector store statuses.
const (
	// VectorStoreStatusExpired means the store passed its expiration policy and can no longer be used.
	VectorStoreStatusExpired VectorStoreStatus = "expired"
	// VectorStoreStatusInProgress means some of the store's files are still being processed.
	VectorStoreStatusInProgress VectorStoreStatus = "in_progress"
	// VectorStoreStatusCompleted means the store is ready for use.
	VectorStoreStatusCompleted VectorStoreStatus = "completed"
)

// VectorStore is a vector store: a searchable collection of processed files
// that the file_search tool uses.
type VectorStore struct {
	rawJSON
	// ID identifies the store, such as "vs_abc123".
	ID string `json:"id"`
	// Object is always "vector_store".
	Object string `json:"object"`
	// CreatedAt is when the store was created, in Unix seconds.
	CreatedAt int64 `json:"created_at"`
	// Name is the store's name.
	Name string `json:"name"`
	// Description is the store's description, when the server reports one.
	Description string `json:"description,omitempty"`
	// UsageBytes is the storage the store's files use.
	UsageBytes int64 `json:"usage_bytes"`
	// FileCounts counts the store's files by status.
	FileCounts FileCounts `json:"file_counts"`
	// Status is expired, in_progress or completed.
	Status VectorStoreStatus `json:"status"`
	// ExpiresAfter is the expiration policy, nil when there is none.
	ExpiresAfter *ExpiresAfter `json:"expires_after,omitempty"`
	// ExpiresAt is when the store expires, in Unix seconds; 0 when it does not.
	ExpiresAt int64 `json:"expires_at,omitempty"`
	// LastActiveAt is when the store was last used, in Unix seconds; 0 when unknown.
	LastActiveAt int64 `json:"last_active_at,omitempty"`
	// Metadata is the store's key-value metadata.
	Metadata Metadata `json:"metadata"`
}

// UnmarshalJSON decodes a vector store and keeps its JSON for Raw and Get.
func (v *VectorStore) UnmarshalJSON(data []byte) error {
	type plain VectorStore
	return decodeRaw(data, (*plain)(v), &v.rawJSON)
}

// VectorStoreCreateParams are the fields of a new vector store. All are
// optional.
type VectorStoreCreateParams struct {
	// FileIDs are up to 500 files to add to the store.
	FileIDs []string `json:"file_ids,omitempty"`
	// Name is the store's name.
	Name string `json:"name,omitempty"`
	// Description says what the store is for.
	Description string `json:"description,omitempty"`
	// ExpiresAfter makes the store expire after some days without use.
	ExpiresAfter *ExpiresAfter `json:"expires_after,omitempty"`
	// ChunkingStrategy says how FileIDs are chunked; nil means "auto". It
	// applies only when FileIDs is non-empty.
	ChunkingStrategy *ChunkingStrategy `json:"chunking_strategy,omitempty"`
	// Metadata is key-value metadata for the store.
	Metadata Metadata `json:"metadata,omitempty"`
}

// VectorStoreUpdateParams are the fields to change on a vector store; nil and
// empty fields are left as they are.
type VectorStoreUpdateParams struct {
	// Name, when non-nil, renames the store.
	Name *string `json:"name,omitempty"`
	// ExpiresAfter, when non-nil, replaces the expiration policy.
	ExpiresAfter *ExpiresAfter `json:"expires_after,omitempty"`
	// Metadata, when non-empty, replaces the store's metadata.
	Metadata Metadata `json:"metadata,omitempty"`
}

// VectorStoresService is the vector store endpoints (/vector_stores). The
// files of a store are managed through Files, and batches of files through
// FileBatches.
type VectorStoresService struct {
	client *Client
	// Files adds files to a vector store, lists and removes them.
	Files *VectorStoreFilesService
	// FileBatches adds many files to a vector store at once and follows the batch.
	FileBatches *FileBatchesService
}

// Create creates a vector store, adding params.FileIDs to it.
func (s *VectorStoresService) Create(ctx context.Context, params VectorStoreCreateParams) (*VectorStore, error) {
	if err := validateIDList("VectorStoreCreateParams.FileIDs", params.FileIDs, 500); err != nil {
		return nil, err
	}
	if err := validateChunking("VectorStoreCreateParams.ChunkingStrategy", params.ChunkingStrategy); err != nil {
		return nil, err
	}
	var err error
	if params.ExpiresAfter, err = params.ExpiresAfter.normalized("VectorStoreCreateParams.ExpiresAfter"); err != nil {
		return nil, err
	}
	return callJSON[VectorStore](ctx, s.client, http.MethodPost, "vector_stores", nil, params)
}

// Get returns the vector store with this id.
func (s *VectorStoresService) Get(ctx context.Context, vectorStoreID string) (*VectorStore, error) {
	path, err := pathf("vector_stores/%s", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, err
	}
	return callJSON[VectorStore](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Update changes a vector store and returns it as it now is.
func (s *VectorStoresService) Update(ctx context.Context, vectorStoreID string, params VectorStoreUpdateParams) (*VectorStore, error) {
	path, err := pathf("vector_stores/%s", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, err
	}
	if params.ExpiresAfter, err = params.ExpiresAfter.normalized("VectorStoreUpdateParams.ExpiresAfter"); err != nil {
		return nil, err
	}
	return callJSON[VectorStore](ctx, s.client, http.MethodPost, path, nil, params)
}

// Delete deletes a vector store. The files in it are not deleted.
func (s *VectorStoresService) Delete(ctx context.Context, vectorStoreID string) (*Deleted, error) {
	path, err := pathf("vector_stores/%s", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, err
	}
	return callJSON[Deleted](ctx, s.client, http.MethodDelete, path, nil, nil)
}

// List returns one page of vector stores, newest first unless params.Order
// says otherwise.
func (s *VectorStoresService) List(ctx context.Context, params ListParams) (*Page[VectorStore], error) {
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	return callJSON[Page[VectorStore]](ctx, s.client, http.MethodGet, "vector_stores", q, nil)
}

// ListAll iterates over every vector store from params on, fetching pages as needed.
func (s *VectorStoresService) ListAll(ctx context.Context, params ListParams) iter.Seq2[*VectorStore, error] {
	return listAll(ctx, params, s.List, func(v *VectorStore) string { return v.ID })
}
