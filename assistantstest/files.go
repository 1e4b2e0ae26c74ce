package assistantstest

import (
	"bytes"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

const maxUpload = 64 << 20

var filePurposes = []string{"assistants", "batch", "fine-tune", "vision", "user_data", "evals"}

func (s *Server) uploadFile(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		writeAPIError(w, errInvalid("", "", "Invalid Content-Type: file uploads must be multipart/form-data."))
		return
	}
	mr, err := r.MultipartReader()
	if err != nil {
		writeAPIError(w, errInvalid("", "", "Could not parse multipart form: %v", err))
		return
	}
	var (
		data            []byte
		filename        string
		haveFile        bool
		purpose         string
		anchor, seconds string
		haveExpiry      bool
	)
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			writeAPIError(w, errInvalid("", "", "Could not parse multipart form: %v", err))
			return
		}
		name := part.FormName()
		limit := int64(1 << 16)
		if name == "file" {
			limit = maxUpload
		}
		body, err := io.ReadAll(io.LimitReader(part, limit+1))
		part.Close()
		if err != nil {
			writeAPIError(w, errInvalid("", "", "Could not read multipart form: %v", err))
			return
		}
		if int64(len(body)) > limit {
			writeAPIError(w, &apiError{status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Param: strp(name),
				Message: "File too large: the in-memory server accepts files up to " + strconv.Itoa(maxUpload>>20) + " MiB."})
			return
		}
		switch name {
		case "file":
			data, filename, haveFile = body, part.FileName(), true
			if filename == "" {
				filename = "file"
			}
		case "purpose":
			purpose = string(body)
		case "expires_after[anchor]":
			anchor, haveExpiry = string(body), true
		case "expires_after[seconds]":
			seconds, haveExpiry = string(body), true
		default:
			writeAPIError(w, errInvalid(name, "unknown_parameter", "Unknown parameter: '%s'.", name))
			return
		}
	}
	if !haveFile {
		writeAPIError(w, errMissing("file"))
		return
	}
	if purpose == "" {
		writeAPIError(w, errMissing("purpose"))
		return
	}
	if e := enumErr("purpose", purpose, filePurposes...); e != nil {
		writeAPIError(w, e)
		return
	}
	var expiresIn int64
	if haveExpiry {
		if anchor != "created_at" {
			writeAPIError(w, enumErr("expires_after.anchor", anchor, "created_at"))
			return
		}
		n, err := strconv.ParseInt(seconds, 10, 64)
		if err != nil || n < 3600 || n > 2592000 {
			writeAPIError(w, errInvalid("expires_after.seconds", "invalid_value", "Invalid 'expires_after.seconds': expected an integer between 3600 and 2592000."))
			return
		}
		expiresIn = n
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	f := &fileObj{ID: newID("file-", 22), Object: "file", Bytes: int64(len(data)), CreatedAt: s.now().Unix(),
		Filename: filename, Purpose: purpose, Status: "processed", seq: s.nextSeq(), data: data}
	if expiresIn > 0 {
		f.ExpiresAt = i64p(f.CreatedAt + expiresIn)
	}
	s.files[f.ID] = f
	writeOK(w, mustJSON(f))
}

func (s *Server) listFiles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	p, e := parseList(q, 10000, 10000)
	if e != nil {
		writeAPIError(w, e)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	items := sortedBySeq(s.files, func(f *fileObj) int64 { return f.seq })
	if purpose := q.Get("purpose"); purpose != "" {
		var kept []*fileObj
		for _, f := range items {
			if f.Purpose == purpose {
				kept = append(kept, f)
			}
		}
		items = kept
	}
	body, e := renderList(items, func(f *fileObj) string { return f.ID }, p, func(f *fileObj) []byte { return mustJSON(f) })
	if e != nil {
		writeAPIError(w, e)
		return
	}
	writeOK(w, body)
}

func (s *Server) getFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("file_id")
	f := s.files[id]
	if f == nil {
		writeAPIError(w, errNotFound("file", id))
		return
	}
	writeOK(w, mustJSON(f))
}

func (s *Server) deleteFile(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := r.PathValue("file_id")
	if s.files[id] == nil {
		writeAPIError(w, errNotFound("file", id))
		return
	}
	delete(s.files, id)
	writeOK(w, mustJSON(deletedObj{ID: id, Object: "file", Deleted: true}))
}

func (s *Server) fileContent(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	id := r.PathValue("file_id")
	f := s.files[id]
	var data []byte
	if f != nil {
		data = f.data
	}
	s.mu.Unlock()
	if f == nil {
		writeAPIError(w, errNotFound("file", id))
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(data)
}

// extractText returns a file's searchable text: the bytes when they are
// UTF-8, otherwise runs of printable ASCII (enough for simple PDFs).
func extractText(data []byte) string {
	if utf8.Valid(data) {
		return string(data)
	}
	var b strings.Builder
	var run bytes.Buffer
	flush := func() {
		if run.Len() >= 4 {
			b.Write(run.Bytes())
			b.WriteByte(' ')
		}
		run.Reset()
	}
	for _, c := range data {
		if c < 128 && (unicode.IsPrint(rune(c)) || c == '\n') {
			run.WriteByte(c)
		} else {
			flush()
		}
	}
	flush()
	return b.String()
}
