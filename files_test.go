package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/tidwall/gjson"
)

// fsHit is one request a fake server received.
type fsHit struct {
	Method string
	Path   string // escaped, as sent
	Query  string
	Header http.Header
	Body   []byte
}

// fsFake is a test server that records every request and answers with reply.
type fsFake struct {
	mu     sync.Mutex
	hits   []fsHit
	client *Client
}

// fsReply answers the n-th request (from 0).
type fsReply func(w http.ResponseWriter, hit fsHit, n int)

// fsNew starts a fake server behind a client whose retries wait little.
func fsNew(t *testing.T, reply fsReply) *fsFake {
	t.Helper()
	f := &fsFake{}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			t.Errorf("reading request body: %v", err)
		}
		hit := fsHit{Method: r.Method, Path: r.URL.EscapedPath(), Query: r.URL.RawQuery, Header: r.Header.Clone(), Body: body}
		f.mu.Lock()
		n := len(f.hits)
		f.hits = append(f.hits, hit)
		f.mu.Unlock()
		reply(w, hit, n)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithAPIKey("k"))
	require.NoError(t, err)
	f.client = c
	return f
}

// fsJSON is a reply that always sends status and body as JSON.
func fsJSON(status int, body string) fsReply {
	return func(w http.ResponseWriter, _ fsHit, _ int) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

// fsHits returns the requests received so far.
func (f *fsFake) fsHits() []fsHit {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]fsHit(nil), f.hits...)
}

// fsOnly returns the single request received, failing otherwise.
func (f *fsFake) fsOnly(t *testing.T) fsHit {
	t.Helper()
	hits := f.fsHits()
	require.Len(t, hits, 1)
	return hits[0]
}

// fsTestMethod checks a request's method, escaped path and raw query.
func fsTestMethod(t *testing.T, hit fsHit, method, path, query string) {
	t.Helper()
	assert.Equal(t, method, hit.Method, "method")
	assert.Equal(t, path, hit.Path, "path")
	assert.Equal(t, query, hit.Query, "query")
}

// fsTestBody checks that the request's JSON body equals want, or that there
// was no body (and no Content-Type) when want is "".
func fsTestBody(t *testing.T, hit fsHit, want string) {
	t.Helper()
	if want == "" {
		assert.Empty(t, hit.Body, "request body")
		assert.Empty(t, hit.Header.Get("Content-Type"), "Content-Type of a bodiless request")
		return
	}
	assert.Equal(t, "application/json", hit.Header.Get("Content-Type"))
	assert.JSONEq(t, want, string(hit.Body))
}

// fsTestBeta checks the OpenAI-Beta header: present for the beta endpoints,
// absent for files.
func fsTestBeta(t *testing.T, hit fsHit, want bool) {
	t.Helper()
	if want {
		assert.Equal(t, "assistants=v2", hit.Header.Get("OpenAI-Beta"))
	} else {
		assert.Empty(t, hit.Header.Values("OpenAI-Beta"), "files are not a beta endpoint")
	}
	assert.Equal(t, "Bearer k", hit.Header.Get("Authorization"))
}

// fsPart is one decoded multipart part.
type fsPart struct {
	Name, Filename, ContentType, Disposition string
	Data                                     []byte
}

// fsParts decodes a multipart/form-data request body.
func fsParts(t *testing.T, hit fsHit) []fsPart {
	t.Helper()
	mt, params, err := mime.ParseMediaType(hit.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/form-data", mt)
	mr := multipart.NewReader(bytes.NewReader(hit.Body), params["boundary"])
	var parts []fsPart
	for {
		p, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		parts = append(parts, fsPart{
			Name: p.FormName(), Filename: p.FileName(), ContentType: p.Header.Get("Content-Type"),
			Disposition: p.Header.Get("Content-Disposition"), Data: data,
		})
	}
	return parts
}

// A file as the API returns it, plus a field this SDK does not model.
const fsFileJSON = `{
  "id": "file-abc123",
  "object": "file",
  "bytes": 120000,
  "created_at": 1677610602,
  "expires_at": 1677614202,
  "filename": "mydata.jsonl",
  "purpose": "fine-tune",
  "status": "processed",
  "status_details": null,
  "extension": {"region": "eu-west"}
}`

func fsCheckFile(t *testing.T, f *File) {
	t.Helper()
	require.NotNil(t, f)
	assert.Equal(t, "file-abc123", f.ID)
	assert.Equal(t, "file", f.Object)
	assert.EqualValues(t, 120000, f.Bytes)
	assert.EqualValues(t, 1677610602, f.CreatedAt)
	assert.EqualValues(t, 1677614202, f.ExpiresAt)
	assert.Equal(t, "mydata.jsonl", f.Filename)
	assert.Equal(t, FilePurposeFineTune, f.Purpose)
	assert.Equal(t, FileStatusProcessed, f.Status)
	assert.Empty(t, f.StatusDetails)
	assert.Equal(t, "eu-west", f.Get("extension.region").String(), "unknown fields stay readable")
	assert.JSONEq(t, fsFileJSON, string(f.Raw()))
}

func TestFilesUpload(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	content := []byte("%PDF-1.4\x00\x01\x02 binary \r\n--not-a-boundary\r\n")
	f, err := fake.client.Files.Upload(context.Background(), FileUploadParams{
		Reader:   bytes.NewReader(content),
		Filename: "paper.pdf",
		Purpose:  FilePurposeAssistants,
	})
	require.NoError(t, err)
	fsCheckFile(t, f)

	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "POST", "/v1/files", "")
	fsTestBeta(t, hit, false)
	assert.NotEmpty(t, hit.Header.Get("Idempotency-Key"))
	parts := fsParts(t, hit)
	require.Len(t, parts, 2)
	assert.Equal(t, "purpose", parts[0].Name)
	assert.Equal(t, "assistants", string(parts[0].Data))
	assert.Empty(t, parts[0].Filename)
	assert.Equal(t, "file", parts[1].Name)
	assert.Equal(t, "paper.pdf", parts[1].Filename)
	assert.Equal(t, "application/pdf", parts[1].ContentType)
	assert.Equal(t, content, parts[1].Data)
}

func TestFilesUploadExpiresAfterAndOddFilename(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	name := `we"ird\ name` + "\r\nX-Injected: 1.zzunknownext"
	_, err := fake.client.Files.Upload(context.Background(), FileUploadParams{
		Reader:       strings.NewReader("hello"),
		Filename:     name,
		Purpose:      FilePurposeUserData,
		ExpiresAfter: &FileExpiresAfter{Seconds: 3600},
	})
	require.NoError(t, err)
	parts := fsParts(t, fake.fsOnly(t))
	require.Len(t, parts, 4)
	got := map[string]string{}
	for _, p := range parts[:3] {
		got[p.Name] = string(p.Data)
	}
	assert.Equal(t, map[string]string{
		"purpose":                "user_data",
		"expires_after[anchor]":  "created_at",
		"expires_after[seconds]": "3600",
	}, got)
	file := parts[3]
	assert.Equal(t, "file", file.Name)
	assert.Equal(t, `we"ird\ name%0D%0AX-Injected: 1.zzunknownext`, file.Filename, "quotes round-trip, line breaks cannot end the header")
	assert.Equal(t, "application/octet-stream", file.ContentType)
	assert.Equal(t, "hello", string(file.Data))
}

func TestFilesUploadFilenameFromOSFile(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	path := filepath.Join(t.TempDir(), "notes.json")
	require.NoError(t, os.WriteFile(path, []byte(`{"a":1}`), 0o600))
	fh, err := os.Open(path)
	require.NoError(t, err)
	defer fh.Close()
	_, err = fake.client.Files.Upload(context.Background(), FileUploadParams{Reader: fh, Purpose: FilePurposeAssistants})
	require.NoError(t, err)
	parts := fsParts(t, fake.fsOnly(t))
	require.Len(t, parts, 2)
	assert.Equal(t, "notes.json", parts[1].Filename)
	assert.Equal(t, "application/json", parts[1].ContentType)
	assert.Equal(t, `{"a":1}`, string(parts[1].Data))
}

func TestFilesUploadValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	r := func() io.Reader { return strings.NewReader("x") }
	tests := []struct {
		name   string
		params FileUploadParams
		want   string
	}{
		{"no reader", FileUploadParams{Filename: "a.txt", Purpose: "assistants"}, "FileUploadParams.Reader"},
		{"no filename", FileUploadParams{Reader: r(), Purpose: "assistants"}, "FileUploadParams.Filename"},
		{"blank filename", FileUploadParams{Reader: r(), Filename: "  ", Purpose: "assistants"}, "FileUploadParams.Filename"},
		{"no purpose", FileUploadParams{Reader: r(), Filename: "a.txt"}, "FileUploadParams.Purpose"},
		{"output purpose", FileUploadParams{Reader: r(), Filename: "a.txt", Purpose: FilePurposeAssistantsOutput}, "FileUploadParams.Purpose"},
		{"bad anchor", FileUploadParams{Reader: r(), Filename: "a.txt", Purpose: "assistants", ExpiresAfter: &FileExpiresAfter{Anchor: "last_active_at", Seconds: 3600}}, "FileUploadParams.ExpiresAfter.Anchor"},
		{"too soon", FileUploadParams{Reader: r(), Filename: "a.txt", Purpose: "assistants", ExpiresAfter: &FileExpiresAfter{Seconds: 60}}, "FileUploadParams.ExpiresAfter.Seconds"},
		{"too late", FileUploadParams{Reader: r(), Filename: "a.txt", Purpose: "assistants", ExpiresAfter: &FileExpiresAfter{Seconds: 2592001}}, "FileUploadParams.ExpiresAfter.Seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f, err := fake.client.Files.Upload(context.Background(), tt.params)
			require.Error(t, err)
			assert.Nil(t, f)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	assert.Empty(t, fake.fsHits(), "invalid uploads send nothing")
}

func TestFilesUploadReadError(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	boom := errors.New("disk on fire")
	_, err := fake.client.Files.Upload(context.Background(), FileUploadParams{
		Reader: io.MultiReader(strings.NewReader("part"), &fsErrReader{boom}), Filename: "a.txt", Purpose: "assistants",
	})
	require.ErrorIs(t, err, boom)
	assert.Empty(t, fake.fsHits())
}

type fsErrReader struct{ err error }

func (r *fsErrReader) Read([]byte) (int, error) { return 0, r.err }

func TestFilesUploadRetryResendsIdenticalBody(t *testing.T) {
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) {
		if n == 0 {
			w.Header().Set("retry-after-ms", "1")
			fsJSON(500, `{"error":{"message":"try again","type":"server_error"}}`)(w, hit, n)
			return
		}
		fsJSON(200, fsFileJSON)(w, hit, n)
	})
	f, err := fake.client.Files.Upload(context.Background(), FileUploadParams{
		Reader: strings.NewReader(strings.Repeat("data ", 1000)), Filename: "a.txt", Purpose: "assistants",
	})
	require.NoError(t, err)
	assert.Equal(t, "file-abc123", f.ID)
	hits := fake.fsHits()
	require.Len(t, hits, 2)
	assert.NotEmpty(t, hits[0].Body)
	assert.Equal(t, hits[0].Body, hits[1].Body, "the retry resends the same multipart body")
	assert.Equal(t, hits[0].Header.Get("Content-Type"), hits[1].Header.Get("Content-Type"), "same boundary")
	key := hits[0].Header.Get("Idempotency-Key")
	assert.NotEmpty(t, key)
	assert.Equal(t, key, hits[1].Header.Get("Idempotency-Key"))
	parts := fsParts(t, hits[1])
	require.Len(t, parts, 2)
	assert.Equal(t, strings.Repeat("data ", 1000), string(parts[1].Data))
}

func TestFilesGet(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	f, err := fake.client.Files.Get(context.Background(), "file-abc123")
	require.NoError(t, err)
	fsCheckFile(t, f)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/files/file-abc123", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, false)
	assert.Empty(t, hit.Header.Get("Idempotency-Key"))
}

func TestFilesDelete(t *testing.T) {
	fake := fsNew(t, fsJSON(200, `{"id":"file-abc123","object":"file","deleted":true}`))
	d, err := fake.client.Files.Delete(context.Background(), "file-abc123")
	require.NoError(t, err)
	assert.Equal(t, &Deleted{ID: "file-abc123", Object: "file", Deleted: true}, d)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "DELETE", "/v1/files/file-abc123", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, false)
}

const fsFileListJSON = `{
  "object": "list",
  "data": [
    {"id": "file-abc123", "object": "file", "bytes": 175, "created_at": 1613677385, "expires_at": 1677614202, "filename": "salesOverview.pdf", "purpose": "assistants"},
    {"id": "file-abc456", "object": "file", "bytes": 140, "created_at": 1613779121, "expires_at": 1677614202, "filename": "puppy.jsonl", "purpose": "fine-tune", "x": 7}
  ],
  "first_id": "file-abc123",
  "last_id": "file-abc456",
  "has_more": false
}`

func TestFilesList(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileListJSON))
	page, err := fake.client.Files.List(context.Background(), FileListParams{
		ListParams: ListParams{Limit: 5000, Order: OrderAsc, After: "file-0"},
		Purpose:    FilePurposeAssistants,
	})
	require.NoError(t, err)
	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/files", "after=file-0&limit=5000&order=asc&purpose=assistants")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, false)

	assert.Equal(t, "list", page.Object)
	assert.Equal(t, "file-abc123", page.FirstID)
	assert.Equal(t, "file-abc456", page.LastID)
	assert.False(t, page.HasMore)
	require.Len(t, page.Data, 2)
	assert.Equal(t, "salesOverview.pdf", page.Data[0].Filename)
	assert.EqualValues(t, 175, page.Data[0].Bytes)
	assert.Equal(t, FilePurposeFineTune, page.Data[1].Purpose)
	assert.EqualValues(t, 7, page.Data[1].Get("x").Int())
}

func TestFilesListValidation(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileListJSON))
	for _, p := range []FileListParams{
		{ListParams: ListParams{Limit: 10001}},
		{ListParams: ListParams{Limit: -1}},
		{ListParams: ListParams{Before: "file-1"}},
		{ListParams: ListParams{Order: "sideways"}},
	} {
		_, err := fake.client.Files.List(context.Background(), p)
		assert.Error(t, err, "%+v", p)
	}
	assert.Empty(t, fake.fsHits())
}

func TestFilesListAll(t *testing.T) {
	pages := []string{
		`{"object":"list","data":[{"id":"file-1","object":"file"},{"id":"file-2","object":"file"}],"first_id":"file-1","last_id":"file-2","has_more":true}`,
		`{"object":"list","data":[{"id":"file-3","object":"file"}],"first_id":"file-3","last_id":"file-3","has_more":true}`,
		`{"object":"list","data":[{"id":"file-4","object":"file"}],"first_id":"file-4","last_id":"file-4","has_more":false}`,
	}
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) { fsJSON(200, pages[n])(w, hit, n) })
	var ids []string
	for f, err := range fake.client.Files.ListAll(context.Background(), FileListParams{ListParams: ListParams{Limit: 2}, Purpose: "assistants"}) {
		require.NoError(t, err)
		ids = append(ids, f.ID)
	}
	assert.Equal(t, []string{"file-1", "file-2", "file-3", "file-4"}, ids)
	hits := fake.fsHits()
	require.Len(t, hits, 3)
	fsTestMethod(t, hits[0], "GET", "/v1/files", "limit=2&purpose=assistants")
	fsTestMethod(t, hits[1], "GET", "/v1/files", "after=file-2&limit=2&purpose=assistants")
	fsTestMethod(t, hits[2], "GET", "/v1/files", "after=file-3&limit=2&purpose=assistants")
}

func TestFilesContent(t *testing.T) {
	content := make([]byte, 256<<10)
	for i := range content {
		content[i] = byte(i * 7)
	}
	fake := fsNew(t, func(w http.ResponseWriter, _ fsHit, _ int) {
		w.Header().Set("Content-Type", "application/octet-stream")
		// Write in pieces, flushing, so the client reads a real stream.
		for off := 0; off < len(content); off += 32 << 10 {
			_, _ = w.Write(content[off : off+32<<10])
			w.(http.Flusher).Flush()
		}
	})
	rc, err := fake.client.Files.Content(context.Background(), "file-abc123")
	require.NoError(t, err)
	got, err := io.ReadAll(rc)
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	assert.Equal(t, content, got)

	hit := fake.fsOnly(t)
	fsTestMethod(t, hit, "GET", "/v1/files/file-abc123/content", "")
	fsTestBody(t, hit, "")
	fsTestBeta(t, hit, false)
}

func TestFilesContentError(t *testing.T) {
	fake := fsNew(t, fsJSON(404, `{"error":{"message":"No such File object: file-nope","type":"invalid_request_error","param":"id"}}`))
	rc, err := fake.client.Files.Content(context.Background(), "file-nope")
	assert.Nil(t, rc)
	var apiErr *APIError
	require.ErrorAs(t, err, &apiErr)
	assert.Equal(t, 404, apiErr.StatusCode)
	assert.Equal(t, "No such File object: file-nope", apiErr.Message)
}

func TestFilesEmptyIDsRejected(t *testing.T) {
	fake := fsNew(t, fsJSON(200, fsFileJSON))
	ctx := context.Background()
	for name, call := range map[string]func(id string) error{
		"Get":     func(id string) error { _, err := fake.client.Files.Get(ctx, id); return err },
		"Delete":  func(id string) error { _, err := fake.client.Files.Delete(ctx, id); return err },
		"Content": func(id string) error { _, err := fake.client.Files.Content(ctx, id); return err },
	} {
		for _, id := range []string{"", "   "} {
			err := call(id)
			require.Error(t, err, name)
			assert.Contains(t, err.Error(), "fileID", name)
		}
	}
	assert.Empty(t, fake.fsHits())
}

func TestFilesIDsArePathEscaped(t *testing.T) {
	fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) {
		if strings.HasSuffix(hit.Path, "/content") {
			_, _ = io.WriteString(w, "bytes")
			return
		}
		fsJSON(200, fsFileJSON)(w, hit, n)
	})
	ctx := context.Background()
	_, err := fake.client.Files.Get(ctx, "a/b c?d")
	require.NoError(t, err)
	_, err = fake.client.Files.Delete(ctx, "../x")
	require.NoError(t, err)
	rc, err := fake.client.Files.Content(ctx, "a/b")
	require.NoError(t, err)
	require.NoError(t, rc.Close())
	hits := fake.fsHits()
	require.Len(t, hits, 3)
	fsTestMethod(t, hits[0], "GET", "/v1/files/a%2Fb%20c%3Fd", "")
	fsTestMethod(t, hits[1], "DELETE", "/v1/files/..%2Fx", "")
	fsTestMethod(t, hits[2], "GET", "/v1/files/a%2Fb/content", "")
}

func TestFileDecodesNullsAndKeepsRaw(t *testing.T) {
	var f File
	require.NoError(t, json.Unmarshal([]byte(`{"id":"file-1","object":"file","bytes":3,"created_at":1,"expires_at":null,"filename":"a","purpose":"assistants","status":"uploaded"}`), &f))
	assert.Zero(t, f.ExpiresAt)
	assert.Equal(t, FileStatusUploaded, f.Status)
	assert.Equal(t, gjson.Null, f.Get("expires_at").Type, "null is readable as null")
}

func TestFilesUploadStreamsSeekableReaders(t *testing.T) {
	t.Run("from the current offset, resent on retry", func(t *testing.T) {
		fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) {
			if n == 0 {
				w.Header().Set("retry-after-ms", "1")
				fsJSON(503, `{"error":{"message":"busy"}}`)(w, hit, n)
				return
			}
			fsJSON(200, fsFileJSON)(w, hit, n)
		})
		src := strings.NewReader("HEADER|the content")
		_, err := src.Seek(7, io.SeekStart)
		require.NoError(t, err)
		_, err = fake.client.Files.Upload(context.Background(), FileUploadParams{Reader: src, Filename: "a.txt", Purpose: "assistants"})
		require.NoError(t, err)
		hits := fake.fsHits()
		require.Len(t, hits, 2)
		assert.Equal(t, hits[0].Body, hits[1].Body)
		parts := fsParts(t, hits[1])
		require.Len(t, parts, 2)
		assert.Equal(t, "the content", string(parts[1].Data))
	})
	t.Run("a non-seekable reader is buffered and resent", func(t *testing.T) {
		fake := fsNew(t, func(w http.ResponseWriter, hit fsHit, n int) {
			if n == 0 {
				w.Header().Set("retry-after-ms", "1")
				fsJSON(500, `{"error":{"message":"again"}}`)(w, hit, n)
				return
			}
			fsJSON(200, fsFileJSON)(w, hit, n)
		})
		_, err := fake.client.Files.Upload(context.Background(), FileUploadParams{
			Reader: io.MultiReader(strings.NewReader("one "), strings.NewReader("two")), Filename: "a.txt", Purpose: "assistants",
		})
		require.NoError(t, err)
		hits := fake.fsHits()
		require.Len(t, hits, 2)
		assert.Equal(t, hits[0].Body, hits[1].Body)
		assert.Equal(t, "one two", string(fsParts(t, hits[1])[1].Data))
	})
}

// zeroFile is a seekable reader of n zero bytes that holds no memory.
type zeroFile struct{ off, n int64 }

func (z *zeroFile) Read(p []byte) (int, error) {
	if z.off >= z.n {
		return 0, io.EOF
	}
	k := min(int64(len(p)), z.n-z.off)
	clear(p[:k])
	z.off += k
	return int(k), nil
}

func (z *zeroFile) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += z.off
	case io.SeekEnd:
		off += z.n
	}
	z.off = off
	return off, nil
}

func TestFilesUploadLargeFileIsNotBuffered(t *testing.T) {
	if testing.Short() {
		t.Skip("uploads 64 MiB")
	}
	const size = 64 << 20
	var received atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		received.Store(n)
		assert.Equal(t, n, r.ContentLength, "Content-Length is known up front")
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, fsFileJSON)
	}))
	defer srv.Close()
	c, err := NewClient(WithBaseURL(srv.URL+"/v1"), WithAPIKey("k"))
	require.NoError(t, err)

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err = c.Files.Upload(context.Background(), FileUploadParams{Reader: &zeroFile{n: size}, Filename: "big.bin", Purpose: "assistants"})
	require.NoError(t, err)
	runtime.ReadMemStats(&after)
	assert.Greater(t, received.Load(), int64(size))
	allocated := after.TotalAlloc - before.TotalAlloc
	assert.Less(t, allocated, uint64(8<<20), "a 64 MiB upload allocated %d bytes", allocated)
	t.Logf("64 MiB upload allocated %.2f MiB in the client and test server", float64(allocated)/(1<<20))
}
