package assistants

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/url"
)

// VectorStoreFileStatus is the processing state of a file in a vector store.
type VectorStoreFileStatus string

// The vector store file statuses. Completed, Failed and Cancelled are final.
const (
	// VectorStoreFileStatusInProgress means the file is still being chunked and embedded.
	VectorStoreFileStatusInProgress VectorStoreFileStatus = "in_progress"
	// VectorStoreFileStatusCompleted means the file is ready for search.
	VectorStoreFileStatusCompleted VectorStoreFileStatus = "completed"
	// VectorStoreFileStatusCancelled means processing was cancelled.
	VectorStoreFileStatusCancelled VectorStoreFileStatus = "cancelled"
	// VectorStoreFileStatusFailed means processing failed; see LastError.
	VectorStoreFileStatusFailed VectorStoreFileStatus = "failed"
)

// The codes of a VectorStoreFileError.
const (
	VectorStoreFileErrorServerError     = "server_error"
	VectorStoreFileErrorUnsupportedFile = "unsupported_file"
	VectorStoreFileErrorInvalidFile     = "invalid_file"
)

// VectorStoreFileError says why a vector store file failed.
type VectorStoreFileError struct {
	// Code is server_error, unsupported_file or invalid_file.
	Code string `json:"code"`
	// Message explains the failure.
	Message string `json:"message"`
}

// VectorStoreFile is a file attached to a vector store.
type VectorStoreFile struct {
	rawJSON
	// ID is the id of the file, such as "file-abc123".
	ID string `json:"id"`
	// Object is always "vector_store.file".
	Object string `json:"object"`
	// UsageBytes is the storage the file uses in the store (which may differ
	// from the file's size).
	UsageBytes int64 `json:"usage_bytes"`
	// CreatedAt is when the file was added to the store, in Unix seconds.
	CreatedAt int64 `json:"created_at"`
	// VectorStoreID is the store the file belongs to.
	VectorStoreID string `json:"vector_store_id"`
	// Status is in_progress, completed, cancelled or failed.
	Status VectorStoreFileStatus `json:"status"`
	// LastError says why the file failed; nil otherwise.
	LastError *VectorStoreFileError `json:"last_error,omitempty"`
	// ChunkingStrategy is how the file was chunked: "static" with its
	// sizes, or "other" for files chunked before strategies existed.
	ChunkingStrategy *ChunkingStrategy `json:"chunking_strategy,omitempty"`
	// Attributes are the file's key-value attributes (strings, numbers or
	// bools), usable in search filters.
	Attributes map[string]any `json:"attributes,omitempty"`
}

// UnmarshalJSON decodes a vector store file and keeps its JSON for Raw and Get.
func (f *VectorStoreFile) UnmarshalJSON(data []byte) error {
	type plain VectorStoreFile
	return decodeRaw(data, (*plain)(f), &f.rawJSON)
}

// VectorStoreFileCreateParams add an uploaded file to a vector store. FileID
// is required.
type VectorStoreFileCreateParams struct {
	// FileID is the uploaded file to add.
	FileID string `json:"file_id"`
	// ChunkingStrategy says how to chunk the file; nil means "auto".
	ChunkingStrategy *ChunkingStrategy `json:"chunking_strategy,omitempty"`
	// Attributes are up to 16 key-value pairs for the file: keys of at most
	// 64 characters, values strings (at most 512 characters), numbers or bools.
	Attributes map[string]any `json:"attributes,omitempty"`
}

// validate checks p, naming fields from field on.
func (p VectorStoreFileCreateParams) validate(field string) error {
	if p.FileID == "" {
		return fmt.Errorf("assistants: %s.FileID must not be empty", field)
	}
	if err := validateChunking(field+".ChunkingStrategy", p.ChunkingStrategy); err != nil {
		return err
	}
	return validateAttributes(field+".Attributes", p.Attributes)
}

// VectorStoreFileUpdateParams replace the attributes of a file in a vector store.
type VectorStoreFileUpdateParams struct {
	// Attributes replace the file's attributes; nil removes them all.
	Attributes map[string]any `json:"attributes"`
}

// VectorStoreFileListParams are the parameters of listing the files of a
// vector store or of a file batch: the usual paging, and Filter to list only
// the files with one status.
type VectorStoreFileListParams struct {
	ListParams
	// Filter lists only the files with this status; empty lists all.
	Filter VectorStoreFileStatus
}

// values validates p and encodes it as query parameters.
func (p VectorStoreFileListParams) values() (url.Values, error) {
	q, err := p.ListParams.values()
	if err != nil {
		return nil, err
	}
	switch p.Filter {
	case "":
	case VectorStoreFileStatusInProgress, VectorStoreFileStatusCompleted, VectorStoreFileStatusFailed, VectorStoreFileStatusCancelled:
		q.Set("filter", string(p.Filter))
	default:
		return nil, fmt.Errorf("assistants: VectorStoreFileListParams.Filter must be %q, %q, %q or %q, got %q",
			VectorStoreFileStatusInProgress, VectorStoreFileStatusCompleted, VectorStoreFileStatusFailed, VectorStoreFileStatusCancelled, p.Filter)
	}
	return q, nil
}

// VectorStoreFilesService is the vector store file endpoints
// (/vector_stores/{vector_store_id}/files). Reach it as c.VectorStores.Files.
type VectorStoreFilesService struct{ client *Client }

// Create adds an uploaded file to a vector store. The file starts
// in_progress; Get it again (or poll) until its Status is final.
func (s *VectorStoreFilesService) Create(ctx context.Context, vectorStoreID string, params VectorStoreFileCreateParams) (*VectorStoreFile, error) {
	f, _, err := s.create(ctx, vectorStoreID, params)
	return f, err
}

// create is Create that also returns the response, for CreateAndPoll.
func (s *VectorStoreFilesService) create(ctx context.Context, vectorStoreID string, params VectorStoreFileCreateParams) (*VectorStoreFile, *http.Response, error) {
	path, err := pathf("vector_stores/%s/files", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, nil, err
	}
	if err := params.validate("VectorStoreFileCreateParams"); err != nil {
		return nil, nil, err
	}
	return callJSONResp[VectorStoreFile](ctx, s.client, http.MethodPost, path, nil, params)
}

// Get returns one file of a vector store.
func (s *VectorStoreFilesService) Get(ctx context.Context, vectorStoreID, fileID string) (*VectorStoreFile, error) {
	path, err := pathf("vector_stores/%s/files/%s", arg("vectorStoreID", vectorStoreID), arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	return callJSON[VectorStoreFile](ctx, s.client, http.MethodGet, path, nil, nil)
}

// Update replaces the attributes of a file in a vector store and returns the
// file as it now is.
func (s *VectorStoreFilesService) Update(ctx context.Context, vectorStoreID, fileID string, params VectorStoreFileUpdateParams) (*VectorStoreFile, error) {
	path, err := pathf("vector_stores/%s/files/%s", arg("vectorStoreID", vectorStoreID), arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	if err := validateAttributes("VectorStoreFileUpdateParams.Attributes", params.Attributes); err != nil {
		return nil, err
	}
	return callJSON[VectorStoreFile](ctx, s.client, http.MethodPost, path, nil, params)
}

// Delete removes a file from a vector store. The file itself is not deleted:
// use Files.Delete for that.
func (s *VectorStoreFilesService) Delete(ctx context.Context, vectorStoreID, fileID string) (*Deleted, error) {
	path, err := pathf("vector_stores/%s/files/%s", arg("vectorStoreID", vectorStoreID), arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	return callJSON[Deleted](ctx, s.client, http.MethodDelete, path, nil, nil)
}

// VectorStoreFileContent is the parsed content of a file in a vector store,
// as VectorStoreFilesService.Content returns it: the text the store
// extracted from the file, in parts.
type VectorStoreFileContent struct {
	rawJSON
	// Object is always "vector_store.file_content.page".
	Object string `json:"object"`
	// Data holds the parts of the content, in order.
	Data []VectorStoreContentPart `json:"data"`
	// HasMore reports whether the server holds more content than this
	// page. The API defines no parameter to ask for the rest.
	HasMore bool `json:"has_more"`
	// NextPage is the server's token for the next page; empty (JSON null)
	// when there is none.
	NextPage string `json:"next_page"`
}

// UnmarshalJSON decodes the content page and keeps its JSON for Raw and Get.
func (c *VectorStoreFileContent) UnmarshalJSON(data []byte) error {
	type plain VectorStoreFileContent
	return decodeRaw(data, (*plain)(c), &c.rawJSON)
}

// Text joins the text of the parts, separated by newlines.
func (c *VectorStoreFileContent) Text() string { return joinTextParts(c.Data) }

// Content returns the parsed content of a file in a vector store: the text
// the store extracted from it for search (not the file's bytes, which
// Files.Content downloads).
func (s *VectorStoreFilesService) Content(ctx context.Context, vectorStoreID, fileID string) (*VectorStoreFileContent, error) {
	path, err := pathf("vector_stores/%s/files/%s/content", arg("vectorStoreID", vectorStoreID), arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	return callJSON[VectorStoreFileContent](ctx, s.client, http.MethodGet, path, nil, nil)
}

// List returns one page of a vector store's files, newest first unless
// params.Order says otherwise.
func (s *VectorStoreFilesService) List(ctx context.Context, vectorStoreID string, params VectorStoreFileListParams) (*Page[VectorStoreFile], error) {
	path, err := pathf("vector_stores/%s/files", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, err
	}
	return listVectorStoreFiles(ctx, s.client, path, params)
}

// ListAll iterates over every file of a vector store from params on,
// fetching pages as needed.
func (s *VectorStoreFilesService) ListAll(ctx context.Context, vectorStoreID string, params VectorStoreFileListParams) iter.Seq2[*VectorStoreFile, error] {
	return listAll(ctx, params.ListParams, func(ctx context.Context, lp ListParams) (*Page[VectorStoreFile], error) {
		return s.List(ctx, vectorStoreID, VectorStoreFileListParams{ListParams: lp, Filter: params.Filter})
	}, func(f *VectorStoreFile) string { return f.ID })
}

// listVectorStoreFiles fetches one page of vector store files from path.
func listVectorStoreFiles(ctx context.Context, c *Client, path string, params VectorStoreFileListParams) (*Page[VectorStoreFile], error) {
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	return callJSON[Page[VectorStoreFile]](ctx, c, http.MethodGet, path, q, nil)
}
