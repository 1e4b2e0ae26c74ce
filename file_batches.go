package assistants

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/http"
)

// FileBatchStatus is the state of a vector store file batch.
type FileBatchStatus string

// The file batch statuses. Completed, Failed and Cancelled are final.
const (
	// FileBatchStatusInProgress means some files of the batch are still being processed.
	FileBatchStatusInProgress FileBatchStatus = "in_progress"
	// FileBatchStatusCompleted means every file of the batch was processed.
	FileBatchStatusCompleted FileBatchStatus = "completed"
	// FileBatchStatusCancelled means the batch was cancelled.
	FileBatchStatusCancelled FileBatchStatus = "cancelled"
	// FileBatchStatusFailed means the batch failed.
	FileBatchStatusFailed FileBatchStatus = "failed"
)

// FileBatch is a batch of files being added to a vector store.
type FileBatch struct {
	rawJSON
	// ID identifies the batch, such as "vsfb_abc123".
	ID string `json:"id"`
	// Object is "vector_store.files_batch".
	Object string `json:"object"`
	// CreatedAt is when the batch was created, in Unix seconds.
	CreatedAt int64 `json:"created_at"`
	// VectorStoreID is the store the files are added to.
	VectorStoreID string `json:"vector_store_id"`
	// Status is in_progress, completed, cancelled or failed.
	Status FileBatchStatus `json:"status"`
	// FileCounts counts the batch's files by status.
	FileCounts FileCounts `json:"file_counts"`
}

// UnmarshalJSON decodes a file batch and keeps its JSON for Raw and Get.
func (b *FileBatch) UnmarshalJSON(data []byte) error {
	type plain FileBatch
	return decodeRaw(data, (*plain)(b), &b.rawJSON)
}

// maxBatchFiles is how many files one batch may hold.
const maxBatchFiles = 2000

// FileBatchCreateParams are the files of a new batch: either FileIDs (with
// ChunkingStrategy and Attributes applied to all of them) or Files (each with
// its own settings), not both; up to 2000 files.
type FileBatchCreateParams struct {
	// FileIDs are the uploaded files to add.
	FileIDs []string `json:"file_ids,omitempty"`
	// Files are the uploaded files to add, each with its own chunking
	// strategy and attributes. ChunkingStrategy and Attributes must then be
	// left empty: the server would ignore them.
	Files []VectorStoreFileCreateParams `json:"files,omitempty"`
	// ChunkingStrategy says how to chunk FileIDs; nil means "auto".
	ChunkingStrategy *ChunkingStrategy `json:"chunking_strategy,omitempty"`
	// Attributes are key-value attributes given to each of FileIDs.
	Attributes map[string]any `json:"attributes,omitempty"`
}

// validate checks p before it is sent.
func (p FileBatchCreateParams) validate() error {
	switch {
	case len(p.FileIDs) == 0 && len(p.Files) == 0:
		return errors.New("assistants: FileBatchCreateParams.FileIDs must not be empty (or use Files)")
	case len(p.FileIDs) > 0 && len(p.Files) > 0:
		return errors.New("assistants: FileBatchCreateParams.FileIDs and FileBatchCreateParams.Files are mutually exclusive")
	case len(p.Files) > 0 && (p.ChunkingStrategy != nil || p.Attributes != nil):
		return errors.New("assistants: with FileBatchCreateParams.Files, set ChunkingStrategy and Attributes on each file, not on the batch")
	}
	if err := validateIDList("FileBatchCreateParams.FileIDs", p.FileIDs, maxBatchFiles); err != nil {
		return err
	}
	if len(p.Files) > maxBatchFiles {
		return fmt.Errorf("assistants: FileBatchCreateParams.Files may hold at most %d files, got %d", maxBatchFiles, len(p.Files))
	}
	for i, f := range p.Files {
		if err := f.validate(fmt.Sprintf("FileBatchCreateParams.Files[%d]", i)); err != nil {
			return err
		}
	}
	if err := validateChunking("FileBatchCreateParams.ChunkingStrategy", p.ChunkingStrategy); err != nil {
		return err
	}
	return validateAttributes("FileBatchCreateParams.Attributes", p.Attributes)
}

// FileBatchesService is the vector store file batch endpoints
// (/vector_stores/{vector_store_id}/file_batches). Reach it as
// c.VectorStores.FileBatches.
type FileBatchesService struct{ client *Client }

// Create starts adding a batch of uploaded files to a vector store. The
// batch starts in_progress; Get it again (or poll) until its Status is final.
func (s *FileBatchesService) Create(ctx context.Context, vectorStoreID string, params FileBatchCreateParams) (*FileBatch, error) {
	batch, _, err := s.create(ctx, vectorStoreID, params)
	return batch, err
}

// create is Create that also returns the response, for CreateAndPoll.
func (s *FileBatchesService) create(ctx context.Context, vectorStoreID string, params FileBatchCreateParams) (*FileBatch, *http.Response, error) {
	path, err := pathf("vector_stores/%s/file_batches", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, nil, err
	}
	if err := params.validate(); err != nil {
		return nil, nil, err
	}
	return callJSONResp[FileBatch](ctx, s.client, http.MethodPost, path, nil, params)
}

// Get returns a file batch of a vector store.
func (s *FileBatchesService) Get(ctx context.Context, vectorStoreID, batchID string) (*FileBatch, error) {
	path, err := pathf("vector_stores/%s/file_batches/%s", arg("vectorStoreID", vectorStoreID), arg("batchID", batchID))
	if err != nil {
		return nil, err
	}
	return callJSON[FileBatch](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Cancel asks the server to stop processing a file batch as soon as it can,
// and returns the batch (typically still in_progress, or already cancelled).
func (s *FileBatchesService) Cancel(ctx context.Context, vectorStoreID, batchID string) (*FileBatch, error) {
	path, err := pathf("vector_stores/%s/file_batches/%s/cancel", arg("vectorStoreID", vectorStoreID), arg("batchID", batchID))
	if err != nil {
		return nil, err
	}
	return callJSON[FileBatch](ctx, s.client, http.MethodPost, path, nil, nil)
}

// ListFiles returns one page of the files of a batch, newest first unless
// params.Order says otherwise.
func (s *FileBatchesService) ListFiles(ctx context.Context, vectorStoreID, batchID string, params VectorStoreFileListParams) (*Page[VectorStoreFile], error) {
	path, err := pathf("vector_stores/%s/file_batches/%s/files", arg("vectorStoreID", vectorStoreID), arg("batchID", batchID))
	if err != nil {
		return nil, err
	}
	return listVectorStoreFiles(ctx, s.client, path, params)
}

// ListFilesAll iterates over every file of a batch from params on, fetching
// pages as needed.
func (s *FileBatchesService) ListFilesAll(ctx context.Context, vectorStoreID, batchID string, params VectorStoreFileListParams) iter.Seq2[*VectorStoreFile, error] {
	return listAll(ctx, params.ListParams, func(ctx context.Context, lp ListParams) (*Page[VectorStoreFile], error) {
		return s.ListFiles(ctx, vectorStoreID, batchID, VectorStoreFileListParams{ListParams: lp, Filter: params.Filter})
	}, func(f *VectorStoreFile) string { return f.ID })
}
