package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pollUpload decodes a multipart upload: the file's name, its purpose and
// its content.
func pollUpload(t *testing.T, r *http.Request, body []byte) (filename, purpose, content string) {
	t.Helper()
	_, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	require.NoError(t, err)
	mr := multipart.NewReader(bytes.NewReader(body), params["boundary"])
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			return
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		switch p.FormName() {
		case "purpose":
			purpose = string(data)
		case "file":
			filename, content = p.FileName(), string(data)
		}
	}
}

// pollWriteJSON answers with v as JSON.
func pollWriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// pollVSFile is a vector store file's JSON.
func pollVSFile(id string, status VectorStoreFileStatus) map[string]any {
	return map[string]any{"id": id, "object": "vector_store.file", "vector_store_id": "vs_1", "status": status}
}

func TestVectorStoreFilesCreateAndPoll(t *testing.T) {
	var mu sync.Mutex
	gets := 0
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/vector_stores/vs_1/files":
			assert.JSONEq(t, `{"file_id":"file-1"}`, string(body))
			pollWriteJSON(w, 200, pollVSFile("file-1", VectorStoreFileStatusInProgress))
		case r.Method == http.MethodGet && r.URL.Path == "/vector_stores/vs_1/files/file-1":
			mu.Lock()
			gets++
			n := gets
			mu.Unlock()
			status := VectorStoreFileStatusInProgress
			if n == 3 {
				status = VectorStoreFileStatusCompleted
			}
			pollWriteJSON(w, 200, pollVSFile("file-1", status))
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		}
	})
	f, err := c.VectorStores.Files.CreateAndPoll(context.Background(), "vs_1", VectorStoreFileCreateParams{FileID: "file-1"}, WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, VectorStoreFileStatusCompleted, f.Status)
	got := rec.requests(http.MethodGet, "")
	require.Len(t, got, 3)
	for _, g := range got {
		assert.Equal(t, "true", g.Header.Get("X-Stainless-Poll-Helper"))
		assert.Equal(t, "assistants=v2", g.Header.Get("OpenAI-Beta"))
	}
}

func TestVectorStoreFilesCreateAndPollEndStates(t *testing.T) {
	for _, tc := range []struct {
		status  VectorStoreFileStatus
		wantErr bool
	}{
		{VectorStoreFileStatusFailed, false},
		{VectorStoreFileStatusCancelled, false},
		{"archived", true},
	} {
		t.Run(string(tc.status), func(t *testing.T) {
			c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
				w.Header().Set("Openai-Poll-After-Ms", "1")
				if r.Method == http.MethodPost {
					pollWriteJSON(w, 200, pollVSFile("file-1", VectorStoreFileStatusInProgress))
					return
				}
				pollWriteJSON(w, 200, pollVSFile("file-1", tc.status))
			})
			f, err := c.VectorStores.Files.CreateAndPoll(context.Background(), "vs_1", VectorStoreFileCreateParams{FileID: "file-1"})
			if tc.wantErr {
				assert.ErrorIs(t, err, ErrUnknownStatus)
				assert.ErrorContains(t, err, `"archived"`)
			} else {
				assert.NoError(t, err)
			}
			require.NotNil(t, f)
			assert.Equal(t, tc.status, f.Status)
			assert.Len(t, rec.requests(http.MethodGet, ""), 1)
		})
	}
}

func TestVectorStoreFilesUploadAndPoll(t *testing.T) {
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/files":
			name, purpose, content := pollUpload(t, r, body)
			assert.Equal(t, "notes.txt", name)
			assert.Equal(t, FilePurposeAssistants, purpose, "the purpose defaults to assistants")
			assert.Equal(t, "hello", content)
			pollWriteJSON(w, 200, map[string]any{"id": "file-9", "object": "file", "filename": name, "purpose": purpose})
		case r.Method == http.MethodPost && r.URL.Path == "/vector_stores/vs_1/files":
			assert.JSONEq(t, `{"file_id":"file-9"}`, string(body))
			pollWriteJSON(w, 200, pollVSFile("file-9", VectorStoreFileStatusInProgress))
		case r.Method == http.MethodGet && r.URL.Path == "/vector_stores/vs_1/files/file-9":
			pollWriteJSON(w, 200, pollVSFile("file-9", VectorStoreFileStatusCompleted))
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		}
	})
	f, err := c.VectorStores.Files.UploadAndPoll(context.Background(), "vs_1",
		FileUploadParams{Reader: strings.NewReader("hello"), Filename: "notes.txt"}, WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, "file-9", f.ID)
	assert.Equal(t, VectorStoreFileStatusCompleted, f.Status)
	assert.Len(t, rec.requests("", ""), 3)
}

func TestVectorStoreFilesUploadAndPollAttachFails(t *testing.T) {
	c, _ := pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Path == "/files" {
			pollWriteJSON(w, 200, map[string]any{"id": "file-9", "object": "file", "filename": "a.txt"})
			return
		}
		pollWriteJSON(w, 400, map[string]any{"error": map[string]any{"message": "vector store is expired", "type": "invalid_request_error"}})
	})
	_, err := c.VectorStores.Files.UploadAndPoll(context.Background(), "vs_1", FileUploadParams{Reader: strings.NewReader("x"), Filename: "a.txt"})
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.ErrorContains(t, err, "file-9", "the orphaned upload is named")
}

// pollBatch is a file batch's JSON.
func pollBatch(status FileBatchStatus, inProgress, completed int) map[string]any {
	return map[string]any{"id": "vsfb_1", "object": "vector_store.files_batch", "vector_store_id": "vs_1", "status": status,
		"file_counts": map[string]int{"in_progress": inProgress, "completed": completed, "failed": 0, "cancelled": 0, "total": inProgress + completed}}
}

func TestFileBatchesCreateAndPoll(t *testing.T) {
	var mu sync.Mutex
	gets := 0
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/vector_stores/vs_1/file_batches":
			assert.JSONEq(t, `{"file_ids":["file-1","file-2"]}`, string(body))
			pollWriteJSON(w, 200, pollBatch(FileBatchStatusInProgress, 2, 0))
		case r.Method == http.MethodGet && r.URL.Path == "/vector_stores/vs_1/file_batches/vsfb_1":
			mu.Lock()
			gets++
			n := gets
			mu.Unlock()
			// The counts reach zero before the status changes: that is enough.
			pollWriteJSON(w, 200, pollBatch(FileBatchStatusInProgress, 2-n, n))
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		}
	})
	b, err := c.VectorStores.FileBatches.CreateAndPoll(context.Background(), "vs_1",
		FileBatchCreateParams{FileIDs: []string{"file-1", "file-2"}}, WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, 0, b.FileCounts.InProgress)
	assert.Equal(t, 2, b.FileCounts.Completed)
	gs := rec.requests(http.MethodGet, "")
	require.Len(t, gs, 2)
	assert.Equal(t, "true", gs[0].Header.Get("X-Stainless-Poll-Helper"))
}

func TestFileBatchDone(t *testing.T) {
	for _, tc := range []struct {
		b    FileBatch
		done bool
		err  bool
	}{
		{FileBatch{Status: FileBatchStatusInProgress, FileCounts: FileCounts{InProgress: 1, Total: 1}}, false, false},
		{FileBatch{Status: FileBatchStatusInProgress, FileCounts: FileCounts{}}, false, false}, // not counted yet
		{FileBatch{Status: FileBatchStatusInProgress, FileCounts: FileCounts{Failed: 1, Total: 1}}, true, false},
		{FileBatch{Status: FileBatchStatusCompleted}, true, false},
		{FileBatch{Status: FileBatchStatusFailed}, true, false},
		{FileBatch{Status: FileBatchStatusCancelled, FileCounts: FileCounts{InProgress: 3, Total: 3}}, true, false},
		{FileBatch{Status: "paused"}, false, true},
	} {
		done, err := fileBatchDone(&tc.b)
		assert.Equal(t, tc.done, done, "%+v", tc.b)
		assert.Equal(t, tc.err, err != nil, "%+v: %v", tc.b, err)
	}
}

// pollBatchServer accepts uploads (failing those named in fail), records the
// most uploads in flight at once, and creates and completes batches. When
// hold is set, an upload waits until hold uploads are in flight (or all have
// started), so that the client's concurrency is really used.
type pollBatchServer struct {
	mu          sync.Mutex
	cond        *sync.Cond
	inFlight    int
	maxInFlight int
	started     int
	total       int
	hold        int
	fail        map[string]bool
	issued      map[string]string // file id → name
}

func newPollBatchServer(total, hold int, fail ...string) *pollBatchServer {
	s := &pollBatchServer{total: total, hold: hold, fail: map[string]bool{}, issued: map[string]string{}}
	s.cond = sync.NewCond(&s.mu)
	for _, f := range fail {
		s.fail[f] = true
	}
	return s
}

func (s *pollBatchServer) handle(t *testing.T) func(w http.ResponseWriter, r *http.Request, body []byte) {
	return func(w http.ResponseWriter, r *http.Request, body []byte) {
		switch {
		case r.Method == http.MethodPost && r.URL.Path == "/files":
			name, purpose, _ := pollUpload(t, r, body)
			assert.Equal(t, FilePurposeAssistants, purpose)
			s.mu.Lock()
			s.inFlight++
			s.started++
			s.maxInFlight = max(s.maxInFlight, s.inFlight)
			s.cond.Broadcast()
			for s.hold > 0 && s.inFlight < s.hold && s.started < s.total {
				s.cond.Wait()
			}
			s.inFlight--
			id := ""
			if !s.fail[name] {
				id = fmt.Sprintf("file-%d", len(s.issued)+1)
				s.issued[id] = name
			}
			s.mu.Unlock()
			if id == "" {
				pollWriteJSON(w, 400, map[string]any{"error": map[string]any{"message": "unsupported file", "type": "invalid_request_error"}})
				return
			}
			pollWriteJSON(w, 200, map[string]any{"id": id, "object": "file", "filename": name, "purpose": purpose})
		case r.Method == http.MethodPost && r.URL.Path == "/vector_stores/vs_1/file_batches":
			var p struct {
				FileIDs []string `json:"file_ids"`
			}
			assert.NoError(t, json.Unmarshal(body, &p))
			pollWriteJSON(w, 200, pollBatch(FileBatchStatusInProgress, len(p.FileIDs), 0))
		case r.Method == http.MethodGet && r.URL.Path == "/vector_stores/vs_1/file_batches/vsfb_1":
			pollWriteJSON(w, 200, pollBatch(FileBatchStatusCompleted, 0, s.total))
		default:
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
		}
	}
}

// pollFiles makes n uploads named f0.txt, f1.txt, ...
func pollFiles(n int) []FileUploadParams {
	files := make([]FileUploadParams, n)
	for i := range files {
		files[i] = FileUploadParams{Reader: strings.NewReader(fmt.Sprintf("content %d", i)), Filename: fmt.Sprintf("f%d.txt", i)}
	}
	return files
}

func TestFileBatchesUploadAndPollBoundedConcurrency(t *testing.T) {
	srv := newPollBatchServer(12, 3)
	c, rec := pollSetup(t, srv.handle(t))
	b, err := c.VectorStores.FileBatches.UploadAndPoll(context.Background(), "vs_1", pollFiles(12),
		FileBatchUploadOptions{Concurrency: 3, FileIDs: []string{"file-old"}}, WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	assert.Equal(t, FileBatchStatusCompleted, b.Status)
	srv.mu.Lock()
	assert.Equal(t, 3, srv.maxInFlight, "at most Concurrency uploads at once, and that many used")
	assert.Len(t, srv.issued, 12)
	srv.mu.Unlock()

	creates := rec.requests(http.MethodPost, "/vector_stores/vs_1/file_batches")
	require.Len(t, creates, 1)
	var p struct {
		FileIDs []string `json:"file_ids"`
	}
	require.NoError(t, json.Unmarshal(creates[0].Body, &p))
	require.Len(t, p.FileIDs, 13)
	assert.Equal(t, "file-old", p.FileIDs[0], "the given ids come first")
	for i, id := range p.FileIDs[1:] {
		assert.Equal(t, fmt.Sprintf("f%d.txt", i), srv.issued[id], "uploaded ids keep the order of the files")
	}
}

func TestFileBatchesUploadAndPollDefaultConcurrency(t *testing.T) {
	srv := newPollBatchServer(8, DefaultUploadConcurrency)
	c, _ := pollSetup(t, srv.handle(t))
	_, err := c.VectorStores.FileBatches.UploadAndPoll(context.Background(), "vs_1", pollFiles(8), FileBatchUploadOptions{}, WithPollInterval(time.Millisecond))
	require.NoError(t, err)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	assert.Equal(t, DefaultUploadConcurrency, srv.maxInFlight)
}

func TestFileBatchesUploadAndPollFailedUpload(t *testing.T) {
	// One upload at a time makes the outcome exact: f0 and f1 are uploaded,
	// f2 fails, f3 to f5 are never tried and no batch is created.
	srv := newPollBatchServer(6, 0, "f2.txt")
	c, rec := pollSetup(t, srv.handle(t))
	b, err := c.VectorStores.FileBatches.UploadAndPoll(context.Background(), "vs_1", pollFiles(6), FileBatchUploadOptions{Concurrency: 1})
	assert.Nil(t, b)
	var upErr *UploadError
	require.ErrorAs(t, err, &upErr)
	assert.Equal(t, "f2.txt", upErr.Filename)
	assert.Equal(t, []string{"file-1", "file-2"}, upErr.UploadedFileIDs)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr, "Unwrap reaches the cause")
	assert.Equal(t, 400, apiErr.StatusCode)
	assert.Contains(t, err.Error(), `"f2.txt"`)
	assert.Contains(t, err.Error(), "file-1, file-2")
	assert.Len(t, rec.requests(http.MethodPost, "/files"), 3)
	assert.Empty(t, rec.requests(http.MethodPost, "/vector_stores/vs_1/file_batches"))
}

func TestFileBatchesUploadAndPollFailedUploadConcurrent(t *testing.T) {
	srv := newPollBatchServer(10, 0, "f4.txt")
	c, rec := pollSetup(t, srv.handle(t))
	_, err := c.VectorStores.FileBatches.UploadAndPoll(context.Background(), "vs_1", pollFiles(10), FileBatchUploadOptions{Concurrency: 3})
	var upErr *UploadError
	require.ErrorAs(t, err, &upErr)
	assert.Equal(t, "f4.txt", upErr.Filename)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	assert.LessOrEqual(t, srv.maxInFlight, 3)
	for _, id := range upErr.UploadedFileIDs {
		assert.Contains(t, srv.issued, id, "every reported id was issued by the server")
	}
	// Every upload that completed before the failure is reported. (One the
	// cancellation cut off may have reached the server without its answer
	// reaching the client; then the server issued more ids than reported.)
	assert.GreaterOrEqual(t, len(srv.issued), len(upErr.UploadedFileIDs))
	assert.Empty(t, rec.requests(http.MethodPost, "/vector_stores/vs_1/file_batches"))
}

func TestFileBatchesUploadAndPollValidation(t *testing.T) {
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, _ []byte) {
		t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
	})
	ctx := context.Background()
	_, err := c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", nil, FileBatchUploadOptions{})
	assert.ErrorContains(t, err, "no files")
	_, err = c.VectorStores.FileBatches.UploadAndPoll(ctx, "", pollFiles(1), FileBatchUploadOptions{})
	assert.ErrorContains(t, err, "vectorStoreID")
	_, err = c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", append(pollFiles(2), FileUploadParams{Filename: "x"}), FileBatchUploadOptions{})
	assert.ErrorContains(t, err, "files[2].Reader")
	_, err = c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", []FileUploadParams{{Reader: strings.NewReader("x")}}, FileBatchUploadOptions{})
	assert.ErrorContains(t, err, "files[0].Filename")
	_, err = c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", pollFiles(1), FileBatchUploadOptions{Concurrency: -1})
	assert.ErrorContains(t, err, "Concurrency")
	_, err = c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", pollFiles(1), FileBatchUploadOptions{FileIDs: []string{""}})
	assert.ErrorContains(t, err, "FileIDs[0]")
	assert.Empty(t, rec.requests("", ""), "nothing is uploaded when the input is bad")
}

func TestFileBatchesUploadAndPollContextCancelled(t *testing.T) {
	srv := newPollBatchServer(4, 0)
	c, _ := pollSetup(t, srv.handle(t))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", pollFiles(4), FileBatchUploadOptions{Concurrency: 2})
	var upErr *UploadError
	require.ErrorAs(t, err, &upErr)
	assert.True(t, errors.Is(err, context.Canceled), "%v", err)
	assert.Empty(t, upErr.UploadedFileIDs)
}

func TestUploadErrorMessage(t *testing.T) {
	cause := errors.New("boom")
	assert.Equal(t, `assistants: uploading "a.txt": boom (no upload had completed)`,
		(&UploadError{Filename: "a.txt", Err: cause}).Error())
	assert.Equal(t, `assistants: uploading "b.txt": boom (1 file already uploaded and not added to any vector store: file-1)`,
		(&UploadError{Filename: "b.txt", Err: cause, UploadedFileIDs: []string{"file-1"}}).Error())
	assert.Equal(t, `assistants: uploading "c.txt": boom (2 files already uploaded and not added to any vector store: file-1, file-2)`,
		(&UploadError{Filename: "c.txt", Err: cause, UploadedFileIDs: []string{"file-1", "file-2"}}).Error())
}

func TestFileBatchesUploadAndPollCancelledMidUploads(t *testing.T) {
	// One upload at a time: f0 is uploaded, the context ends while f1 is in
	// flight (the server holds it until the client gives up), f2 is never
	// started. The error reports f0's id and no batch is created.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var mu sync.Mutex
	uploads := 0
	c, rec := pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		if r.URL.Path != "/files" {
			t.Errorf("unexpected request %s %s", r.Method, r.URL.Path)
			return
		}
		mu.Lock()
		uploads++
		n := uploads
		mu.Unlock()
		if n == 2 {
			cancel()
			<-r.Context().Done()
			return
		}
		pollWriteJSON(w, 200, map[string]any{"id": fmt.Sprintf("file-%d", n), "object": "file"})
	})
	b, err := c.VectorStores.FileBatches.UploadAndPoll(ctx, "vs_1", pollFiles(3), FileBatchUploadOptions{Concurrency: 1})
	assert.Nil(t, b)
	var upErr *UploadError
	require.ErrorAs(t, err, &upErr)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Equal(t, "f1.txt", upErr.Filename)
	assert.Equal(t, []string{"file-1"}, upErr.UploadedFileIDs)
	assert.Len(t, rec.requests(http.MethodPost, "/files"), 2)
	assert.Empty(t, rec.requests(http.MethodPost, "/vector_stores/vs_1/file_batches"))
}

func TestFileBatchPollRejectsAnotherBatchsAnswer(t *testing.T) {
	c, _ := pollSetup(t, func(w http.ResponseWriter, r *http.Request, body []byte) {
		b := pollBatch(FileBatchStatusInProgress, 1, 0)
		if r.Method == http.MethodGet {
			b = pollBatch(FileBatchStatusCompleted, 0, 1)
			b["id"] = "vsfb_other"
		}
		pollWriteJSON(w, 200, b)
	})
	b, err := c.VectorStores.FileBatches.CreateAndPoll(context.Background(), "vs_1",
		FileBatchCreateParams{FileIDs: []string{"file-1"}}, WithPollInterval(time.Millisecond))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"vsfb_other"`)
	require.NotNil(t, b)
	assert.Equal(t, "vsfb_1", b.ID)
	assert.Equal(t, FileBatchStatusInProgress, b.Status)
}
