package assistants

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
)

// DefaultUploadConcurrency is how many files FileBatchesService.UploadAndPoll
// uploads at once when FileBatchUploadOptions.Concurrency is not set.
const DefaultUploadConcurrency = 5

// vectorStoreFileDone is pollLoop's done for vector store files.
func vectorStoreFileDone(f *VectorStoreFile) (bool, error) {
	switch f.Status {
	case VectorStoreFileStatusCompleted, VectorStoreFileStatusFailed, VectorStoreFileStatusCancelled:
		return true, nil
	case VectorStoreFileStatusInProgress:
		return false, nil
	}
	return false, fmt.Errorf("%w %q of vector store file %s (known statuses: in_progress, completed, failed, cancelled)",
		ErrUnknownStatus, f.Status, f.ID)
}

// fileBatchDone is pollLoop's done for file batches: a batch is done when its
// status is final, or when none of its files is still in progress (out of a
// nonzero total: a server may report all zeros before it has counted).
func fileBatchDone(b *FileBatch) (bool, error) {
	switch b.Status {
	case FileBatchStatusCompleted, FileBatchStatusFailed, FileBatchStatusCancelled:
		return true, nil
	case FileBatchStatusInProgress:
		return b.FileCounts.InProgress == 0 && b.FileCounts.Total > 0, nil
	}
	return false, fmt.Errorf("%w %q of file batch %s (known statuses: in_progress, completed, failed, cancelled)",
		ErrUnknownStatus, b.Status, b.ID)
}

// CreateAndPoll attaches an uploaded file to a vector store (as Create) and
// polls it until its status is completed, failed or cancelled, which it
// returns: a failed file is a result, not an error (see its LastError). The
// waits between polls, the end of ctx and unknown statuses work as in
// RunsService.Poll; on an error the last state seen, if any, is returned
// with it.
func (s *VectorStoreFilesService) CreateAndPoll(ctx context.Context, vectorStoreID string, params VectorStoreFileCreateParams, opts ...PollOption) (*VectorStoreFile, error) {
	f, resp, err := s.create(ctx, vectorStoreID, params)
	if err != nil {
		return nil, err
	}
	if f.ID == "" {
		f.ID = params.FileID // the id of a vector store file is its file's id
	}
	path, err := pathf("vector_stores/%s/files/%s", arg("vectorStoreID", vectorStoreID), arg("fileID", f.ID))
	if err != nil {
		return f, err
	}
	fetch := pollGet(s.client, path, "vector store file", f.ID, func(f *VectorStoreFile) string { return f.ID })
	return pollLoop(ctx, newPollConfig(opts), "vector store file "+f.ID, f, resp, fetch, vectorStoreFileDone)
}

// UploadAndPoll uploads a file (as FilesService.Upload, with the purpose
// FilePurposeAssistants when params.Purpose is empty), attaches it to a
// vector store and polls it as CreateAndPoll does. For a chunking strategy
// or attributes, call FilesService.Upload and CreateAndPoll yourself.
//
// If the upload succeeds but attaching the file fails, the error names the
// uploaded file's id, so that it can be deleted or attached again.
func (s *VectorStoreFilesService) UploadAndPoll(ctx context.Context, vectorStoreID string, params FileUploadParams, opts ...PollOption) (*VectorStoreFile, error) {
	if _, err := pathf("vector_stores/%s/files", arg("vectorStoreID", vectorStoreID)); err != nil {
		return nil, err
	}
	if params.Purpose == "" {
		params.Purpose = FilePurposeAssistants
	}
	file, err := s.client.Files.Upload(ctx, params)
	if err != nil {
		return nil, err
	}
	vf, err := s.CreateAndPoll(ctx, vectorStoreID, VectorStoreFileCreateParams{FileID: file.ID}, opts...)
	if err != nil && vf == nil {
		return nil, fmt.Errorf("assistants: file %s (%q) was uploaded but could not be added to vector store %s: %w",
			file.ID, file.Filename, vectorStoreID, err)
	}
	return vf, err
}

// CreateAndPoll creates a file batch (as Create) and polls it until none of
// its files is in progress any more, or its status is completed, failed or
// cancelled, and returns it; see FileCounts for how each file fared. The
// waits between polls, the end of ctx and unknown statuses work as in
// RunsService.Poll; on an error the last state seen, if any, is returned
// with it.
func (s *FileBatchesService) CreateAndPoll(ctx context.Context, vectorStoreID string, params FileBatchCreateParams, opts ...PollOption) (*FileBatch, error) {
	b, resp, err := s.create(ctx, vectorStoreID, params)
	if err != nil {
		return nil, err
	}
	getPath, err := pathf("vector_stores/%s/file_batches/%s", arg("vectorStoreID", vectorStoreID), arg("batchID", b.ID))
	if err != nil {
		if done, _ := fileBatchDone(b); done {
			return b, nil
		}
		return b, fmt.Errorf("assistants: cannot poll file batch: the server's response has no id: %w", err)
	}
	fetch := pollGet(s.client, getPath, "file batch", b.ID, func(b *FileBatch) string { return b.ID })
	return pollLoop(ctx, newPollConfig(opts), "file batch "+b.ID, b, resp, fetch, fileBatchDone)
}

// FileBatchUploadOptions configure FileBatchesService.UploadAndPoll.
type FileBatchUploadOptions struct {
	// Concurrency is how many uploads run at once; 0 means
	// DefaultUploadConcurrency (5).
	Concurrency int
	// FileIDs are files uploaded earlier to add to the batch along with the
	// new ones (they come first in the batch).
	FileIDs []string
	// ChunkingStrategy is how the batch's files are chunked; nil leaves it
	// to the server ("auto").
	ChunkingStrategy *ChunkingStrategy
	// Attributes are set on every file of the batch.
	Attributes map[string]any
}

// UploadError is returned by FileBatchesService.UploadAndPoll when an upload
// fails. The uploads still running are cancelled, none is started after it,
// and no batch is created. UploadedFileIDs lists the files that were uploaded
// before that (they are not in any vector store: delete them, or pass them
// as FileBatchUploadOptions.FileIDs to a new attempt). Use errors.As to get
// it; errors.Is and errors.As also see through it to Err.
type UploadError struct {
	// Filename is the name of the file whose upload failed.
	Filename string
	// Err is why it failed, such as an *APIError, or the context's error
	// when ctx ended during the uploads.
	Err error
	// UploadedFileIDs are the ids of the files uploaded successfully, in the
	// order they were given. (An upload cut off by the cancellation may still
	// have been stored by the server without its id reaching the client.)
	UploadedFileIDs []string
}

// Error describes the failed upload and lists the files already uploaded.
func (e *UploadError) Error() string {
	msg := fmt.Sprintf("assistants: uploading %q: %v", e.Filename, e.Err)
	switch n := len(e.UploadedFileIDs); n {
	case 0:
		msg += " (no upload had completed)"
	case 1:
		msg += fmt.Sprintf(" (1 file already uploaded and not added to any vector store: %s)", e.UploadedFileIDs[0])
	default:
		msg += fmt.Sprintf(" (%d files already uploaded and not added to any vector store: %s)", n, strings.Join(e.UploadedFileIDs, ", "))
	}
	return msg
}

// Unwrap returns Err.
func (e *UploadError) Unwrap() error { return e.Err }

// UploadAndPoll uploads files (as FilesService.Upload, with the purpose
// FilePurposeAssistants when a file's Purpose is empty), at most
// opts.Concurrency at a time, then creates a batch of them and of
// opts.FileIDs in the vector store and polls it as CreateAndPoll does.
//
// The first failed upload stops the others (in-flight ones are cancelled)
// and is returned as an *UploadError naming the file and listing the files
// already uploaded, so that none is orphaned silently. If the uploads succeed
// but the batch cannot be created, the error lists the uploaded ids too.
func (s *FileBatchesService) UploadAndPoll(ctx context.Context, vectorStoreID string, files []FileUploadParams, opts FileBatchUploadOptions, pollOpts ...PollOption) (*FileBatch, error) {
	// Check everything that can be checked before uploading anything.
	if _, err := pathf("vector_stores/%s/file_batches", arg("vectorStoreID", vectorStoreID)); err != nil {
		return nil, err
	}
	if ctx == nil {
		return nil, errors.New("assistants: nil context")
	}
	if len(files) == 0 && len(opts.FileIDs) == 0 {
		return nil, errors.New("assistants: FileBatchesService.UploadAndPoll: no files to upload and no FileBatchUploadOptions.FileIDs")
	}
	if n := len(files) + len(opts.FileIDs); n > maxBatchFiles {
		return nil, fmt.Errorf("assistants: a file batch may hold at most %d files, got %d", maxBatchFiles, n)
	}
	if opts.Concurrency < 0 {
		return nil, fmt.Errorf("assistants: FileBatchUploadOptions.Concurrency must not be negative, got %d", opts.Concurrency)
	}
	if err := validateIDList("FileBatchUploadOptions.FileIDs", opts.FileIDs, 0); err != nil {
		return nil, err
	}
	if err := validateChunking("FileBatchUploadOptions.ChunkingStrategy", opts.ChunkingStrategy); err != nil {
		return nil, err
	}
	if err := validateAttributes("FileBatchUploadOptions.Attributes", opts.Attributes); err != nil {
		return nil, err
	}
	for i, f := range files {
		if f.Reader == nil {
			return nil, fmt.Errorf("assistants: files[%d].Reader must not be nil", i)
		}
		if strings.TrimSpace(uploadName(f)) == "" {
			return nil, fmt.Errorf("assistants: files[%d].Filename must not be empty", i)
		}
	}

	uploaded, err := s.uploadAll(ctx, files, opts.Concurrency)
	if err != nil {
		return nil, err
	}
	params := FileBatchCreateParams{
		FileIDs:          append(append([]string(nil), opts.FileIDs...), uploaded...),
		ChunkingStrategy: opts.ChunkingStrategy,
		Attributes:       opts.Attributes,
	}
	b, err := s.CreateAndPoll(ctx, vectorStoreID, params, pollOpts...)
	if err != nil && b == nil && len(uploaded) > 0 {
		return nil, fmt.Errorf("assistants: creating a file batch in vector store %s of the %d files just uploaded (%s): %w",
			vectorStoreID, len(uploaded), strings.Join(uploaded, ", "), err)
	}
	return b, err
}

// uploadAll uploads files with at most concurrency uploads at once and
// returns their ids in order, or an *UploadError.
func (s *FileBatchesService) uploadAll(ctx context.Context, files []FileUploadParams, concurrency int) ([]string, error) {
	if len(files) == 0 {
		return nil, nil
	}
	if concurrency == 0 {
		concurrency = DefaultUploadConcurrency
	}
	concurrency = min(concurrency, len(files))

	uctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ids := make([]string, len(files))
	var (
		mu     sync.Mutex
		failed *UploadError
		wg     sync.WaitGroup
	)
	jobs := make(chan int)
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				p := files[i]
				if p.Purpose == "" {
					p.Purpose = FilePurposeAssistants
				}
				f, err := s.client.Files.Upload(uctx, p)
				mu.Lock()
				if err == nil {
					ids[i] = f.ID
				} else if failed == nil {
					failed = &UploadError{Filename: uploadName(files[i]), Err: err}
					cancel()
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for i := range files {
		select {
		case jobs <- i:
		case <-uctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()

	var done []string
	firstMissing := -1
	for i, id := range ids {
		if id != "" {
			done = append(done, id)
		} else if firstMissing < 0 {
			firstMissing = i
		}
	}
	if failed == nil && firstMissing >= 0 {
		// ctx ended between uploads, before any of them failed.
		err := ctx.Err()
		if err == nil {
			err = context.Canceled
		}
		failed = &UploadError{Filename: uploadName(files[firstMissing]), Err: err}
	}
	if failed != nil {
		failed.UploadedFileIDs = done
		return nil, failed
	}
	return done, nil
}

// uploadName is the name a file is uploaded under, as FilesService.Upload
// chooses it: Filename, else the base of the Reader's Name.
func uploadName(p FileUploadParams) string {
	if p.Filename != "" {
		return p.Filename
	}
	if n, ok := p.Reader.(interface{ Name() string }); ok && n.Name() != "" {
		return filepath.Base(n.Name())
	}
	return ""
}
