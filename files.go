package assistants

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"iter"
	"mime"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The purposes of a file. Upload accepts FilePurposeAssistants,
// FilePurposeBatch, FilePurposeFineTune, FilePurposeVision,
// FilePurposeUserData and FilePurposeEvals; the "_output" and "-results"
// purposes mark files the server itself produced.
const (
	// FilePurposeAssistants is for files used by assistants' tools
	// (file search, code interpreter).
	FilePurposeAssistants = "assistants"
	// FilePurposeAssistantsOutput marks files an assistant's tools wrote.
	FilePurposeAssistantsOutput = "assistants_output"
	// FilePurposeBatch is for batch API input files.
	FilePurposeBatch = "batch"
	// FilePurposeBatchOutput marks batch API output files.
	FilePurposeBatchOutput = "batch_output"
	// FilePurposeFineTune is for fine-tuning training files.
	FilePurposeFineTune = "fine-tune"
	// FilePurposeFineTuneResults marks fine-tuning result files.
	FilePurposeFineTuneResults = "fine-tune-results"
	// FilePurposeVision is for images given to vision models.
	FilePurposeVision = "vision"
	// FilePurposeUserData is for files used as general model input.
	FilePurposeUserData = "user_data"
	// FilePurposeEvals is for evaluation data sets.
	FilePurposeEvals = "evals"
)

// uploadPurposes are the purposes Upload accepts.
var uploadPurposes = []string{
	FilePurposeAssistants, FilePurposeBatch, FilePurposeFineTune,
	FilePurposeVision, FilePurposeUserData, FilePurposeEvals,
}

// FileStatus is the (deprecated) processing state of an uploaded file.
type FileStatus string

// The file statuses. The API no longer relies on them; they are kept for
// servers that still report them.
const (
	FileStatusUploaded  FileStatus = "uploaded"
	FileStatusProcessed FileStatus = "processed"
	FileStatusError     FileStatus = "error"
)

// File is an uploaded file.
type File struct {
	rawJSON
	// ID identifies the file, such as "file-abc123".
	ID string `json:"id"`
	// Object is always "file".
	Object string `json:"object"`
	// Bytes is the size of the file.
	Bytes int64 `json:"bytes"`
	// CreatedAt is when the file was uploaded, in Unix seconds.
	CreatedAt int64 `json:"created_at"`
	// ExpiresAt is when the file expires, in Unix seconds; 0 when it does not.
	ExpiresAt int64 `json:"expires_at,omitempty"`
	// Filename is the name the file was uploaded with.
	Filename string `json:"filename"`
	// Purpose is what the file is for, such as FilePurposeAssistants.
	Purpose string `json:"purpose"`
	// Status is the deprecated processing state.
	Status FileStatus `json:"status,omitempty"`
	// StatusDetails is the deprecated explanation of a failed validation.
	StatusDetails string `json:"status_details,omitempty"`
}

// UnmarshalJSON decodes a file and keeps its JSON for Raw and Get.
func (f *File) UnmarshalJSON(data []byte) error {
	type plain File
	return decodeRaw(data, (*plain)(f), &f.rawJSON)
}

// FileExpiresAfterAnchorCreatedAt is the only anchor of a file's expiration
// policy: the upload time.
const FileExpiresAfterAnchorCreatedAt = "created_at"

// FileExpiresAfter is an uploaded file's expiration policy: the file expires
// Seconds seconds after its anchor time.
type FileExpiresAfter struct {
	// Anchor can only be "created_at" (FileExpiresAfterAnchorCreatedAt),
	// which an empty Anchor is sent as.
	Anchor string
	// Seconds is 3600 (one hour) to 2592000 (30 days).
	Seconds int64
}

// FileUploadParams describe a file to upload. Reader, Filename and Purpose
// are required.
type FileUploadParams struct {
	// Reader supplies the content. It is read to the end, into memory,
	// before the request is sent (so that the request can be retried).
	Reader io.Reader
	// Filename is the name to give the file; its extension also picks the
	// part's content type. When empty and Reader has a Name method (an
	// *os.File does), the base of that name is used.
	Filename string
	// Purpose is what the file is for: FilePurposeAssistants,
	// FilePurposeBatch, FilePurposeFineTune, FilePurposeVision,
	// FilePurposeUserData or FilePurposeEvals.
	Purpose string
	// ExpiresAfter, when set, makes the file expire; nil keeps the server's
	// default policy.
	ExpiresAfter *FileExpiresAfter
}

// FileListParams are the parameters of Files.List: the usual paging (Limit
// may go up to 10000 here, and Before is not supported by the endpoint) and
// Purpose to list only the files with that purpose.
type FileListParams struct {
	ListParams
	// Purpose lists only the files with this purpose, such as FilePurposeAssistants.
	Purpose string
}

// values validates p and encodes it as query parameters.
func (p FileListParams) values() (url.Values, error) {
	if p.Limit < 0 || p.Limit > 10000 {
		return nil, fmt.Errorf("assistants: FileListParams.Limit must be between 1 and 10000 (or 0 for the default), got %d", p.Limit)
	}
	if p.Before != "" {
		return nil, errors.New("assistants: FileListParams.Before is not supported by the files endpoint; page with After")
	}
	lp := p.ListParams
	lp.Limit = 0
	q, err := lp.values()
	if err != nil {
		return nil, err
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	if p.Purpose != "" {
		q.Set("purpose", p.Purpose)
	}
	return q, nil
}

// FilesService is the file endpoints (/files). Unlike the other services its
// requests carry no OpenAI-Beta header: files are not a beta API.
type FilesService struct{ client *Client }

// Upload uploads a file as multipart/form-data and returns it.
//
// When params.Reader is an io.ReadSeeker (an *os.File, a *bytes.Reader, a
// *strings.Reader) its content is streamed from the current offset, and a
// retry seeks back and sends it again; any other reader is read into memory
// first, so that a retry can resend the identical body (with the same
// Idempotency-Key).
func (s *FilesService) Upload(ctx context.Context, params FileUploadParams) (*File, error) {
	if params.Reader == nil {
		return nil, errors.New("assistants: FileUploadParams.Reader must not be nil")
	}
	filename := params.Filename
	if filename == "" {
		if n, ok := params.Reader.(interface{ Name() string }); ok && n.Name() != "" {
			filename = filepath.Base(n.Name())
		}
	}
	if strings.TrimSpace(filename) == "" {
		return nil, errors.New("assistants: FileUploadParams.Filename must not be empty")
	}
	if params.Purpose == "" {
		return nil, fmt.Errorf("assistants: FileUploadParams.Purpose must not be empty (one of %s)", quotedChoices(uploadPurposes))
	}
	if !slices.Contains(uploadPurposes, params.Purpose) {
		return nil, fmt.Errorf("assistants: FileUploadParams.Purpose must be one of %s, got %q", quotedChoices(uploadPurposes), params.Purpose)
	}
	var expires *FileExpiresAfter
	if e := params.ExpiresAfter; e != nil {
		ex := *e
		if ex.Anchor == "" {
			ex.Anchor = FileExpiresAfterAnchorCreatedAt
		}
		if ex.Anchor != FileExpiresAfterAnchorCreatedAt {
			return nil, fmt.Errorf("assistants: FileUploadParams.ExpiresAfter.Anchor must be %q, got %q", FileExpiresAfterAnchorCreatedAt, e.Anchor)
		}
		if ex.Seconds < 3600 || ex.Seconds > 2592000 {
			return nil, fmt.Errorf("assistants: FileUploadParams.ExpiresAfter.Seconds must be between 3600 and 2592000, got %d", e.Seconds)
		}
		expires = &ex
	}
	body, err := newUploadBody(filename, params.Purpose, expires, params.Reader)
	if err != nil {
		return nil, err
	}
	r, err := s.client.newRawRequest(ctx, http.MethodPost, "files", nil, nil, body.contentType)
	if err != nil {
		return nil, err
	}
	r.open = body.open
	f := new(File)
	if _, err := s.client.do(r, f); err != nil {
		return nil, err
	}
	return f, nil
}

// uploadBody is the multipart/form-data body of an upload: the purpose, the
// expiration policy (as expires_after[anchor] and expires_after[seconds], the
// form encoding of a nested object) and the file part last, whose content is
// streamed from src on every attempt.
type uploadBody struct {
	prefix, trailer []byte
	src             io.ReadSeeker
	start, size     int64
	contentType     string

	mu  sync.Mutex
	cur *attemptReader
}

func newUploadBody(filename, purpose string, expires *FileExpiresAfter, content io.Reader) (*uploadBody, error) {
	u := &uploadBody{}
	if err := u.setSource(content); err != nil {
		return nil, fmt.Errorf("assistants: reading FileUploadParams.Reader: %w", err)
	}
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields := [][2]string{{"purpose", purpose}}
	if expires != nil {
		fields = append(fields,
			[2]string{"expires_after[anchor]", expires.Anchor},
			[2]string{"expires_after[seconds]", strconv.FormatInt(expires.Seconds, 10)})
	}
	for _, f := range fields {
		if err := w.WriteField(f[0], f[1]); err != nil {
			return nil, fmt.Errorf("assistants: encoding upload: %w", err)
		}
	}
	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+escapeFilename(filename)+`"`)
	h.Set("Content-Type", uploadContentType(filename))
	if _, err := w.CreatePart(h); err != nil {
		return nil, fmt.Errorf("assistants: encoding upload: %w", err)
	}
	u.prefix = bytes.Clone(buf.Bytes())
	if err := w.Close(); err != nil {
		return nil, fmt.Errorf("assistants: encoding upload: %w", err)
	}
	u.trailer = bytes.Clone(buf.Bytes()[len(u.prefix):])
	u.contentType = w.FormDataContentType()
	return u, nil
}

// setSource makes r the content: seekable readers are streamed from their
// current offset, others (and those whose Seek fails, such as pipes) are
// read into memory.
func (u *uploadBody) setSource(r io.Reader) error {
	if rs, ok := r.(io.ReadSeeker); ok {
		start, err1 := rs.Seek(0, io.SeekCurrent)
		end, err2 := rs.Seek(0, io.SeekEnd)
		_, err3 := rs.Seek(start, io.SeekStart)
		if err1 == nil && err2 == nil && err3 == nil && end >= start {
			u.src, u.start, u.size = rs, start, end-start
			return nil
		}
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	u.src, u.start, u.size = bytes.NewReader(data), 0, int64(len(data))
	return nil
}

// open returns the whole body for a new attempt. The previous attempt's
// reader is cut off first, as the transport may still hold it.
func (u *uploadBody) open() (io.ReadCloser, int64, error) {
	u.mu.Lock()
	defer u.mu.Unlock()
	if u.cur != nil {
		_ = u.cur.Close()
	}
	if _, err := u.src.Seek(u.start, io.SeekStart); err != nil {
		return nil, 0, fmt.Errorf("rewinding the upload's content: %w", err)
	}
	u.cur = &attemptReader{r: io.MultiReader(bytes.NewReader(u.prefix), io.LimitReader(u.src, u.size), bytes.NewReader(u.trailer))}
	return u.cur, int64(len(u.prefix)) + u.size + int64(len(u.trailer)), nil
}

// attemptReader is one attempt's view of an upload body; once closed it
// reads nothing more, so the next attempt may rewind the shared source.
type attemptReader struct {
	mu     sync.Mutex
	r      io.Reader
	closed bool
}

func (a *attemptReader) Read(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return 0, errors.New("assistants: upload body was replaced by a retry")
	}
	return a.r.Read(p)
}

func (a *attemptReader) Close() error {
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	return nil
}

// uploadContentType guesses a file part's content type from the filename's
// extension, falling back to application/octet-stream.
func uploadContentType(filename string) string {
	if t := mime.TypeByExtension(filepath.Ext(filename)); t != "" {
		return t
	}
	return "application/octet-stream"
}

// escapeFilename makes a filename safe inside a quoted Content-Disposition
// parameter: backslashes and quotes are backslash-escaped (as Go's
// mime/multipart does) and line breaks, which would end the header, are
// percent-encoded (as browsers do).
var escapeFilename = strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\r", "%0D", "\n", "%0A").Replace

// Get returns the file with this id.
func (s *FilesService) Get(ctx context.Context, fileID string) (*File, error) {
	path, err := pathf("files/%s", arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	return callJSON[File](ctx, s.client, http.MethodGet, path, nil, nil)
}

// List returns one page of files, newest first unless params.Order says
// otherwise.
func (s *FilesService) List(ctx context.Context, params FileListParams) (*Page[File], error) {
	q, err := params.values()
	if err != nil {
		return nil, err
	}
	return callJSON[Page[File]](ctx, s.client, http.MethodGet, "files", q, nil)
}

// ListAll iterates over every file from params on, fetching pages as needed.
func (s *FilesService) ListAll(ctx context.Context, params FileListParams) iter.Seq2[*File, error] {
	return listAll(ctx, params.ListParams, func(ctx context.Context, lp ListParams) (*Page[File], error) {
		return s.List(ctx, FileListParams{ListParams: lp, Purpose: params.Purpose})
	}, func(f *File) string { return f.ID })
}

// Delete deletes a file.
func (s *FilesService) Delete(ctx context.Context, fileID string) (*Deleted, error) {
	path, err := pathf("files/%s", arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	return callJSON[Deleted](ctx, s.client, http.MethodDelete, path, nil, nil)
}

// Content downloads a file's content. The returned body streams from the
// server and is bound to ctx: read it before ctx ends, and close it. Like
// every request it is retried on failure, but only until the response
// starts; a failed read of the body is returned by Read.
func (s *FilesService) Content(ctx context.Context, fileID string) (io.ReadCloser, error) {
	path, err := pathf("files/%s/content", arg("fileID", fileID))
	if err != nil {
		return nil, err
	}
	r, err := s.client.newRequest(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return nil, err
	}
	r.header.Set("Accept", "application/octet-stream, */*")
	resp, err := s.client.send(r)
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// quotedChoices formats values as `"a", "b" or "c"` for error messages.
func quotedChoices(values []string) string {
	q := make([]string, len(values))
	for i, v := range values {
		q[i] = strconv.Quote(v)
	}
	if len(q) < 2 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " or " + q[len(q)-1]
}
