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

func (s *Server) uploadFile(r *http.Request, _ *object) (*reply, *apiError) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/form-data" || params["boundary"] == "" {
		return nil, errInvalid("", "", "Invalid Content-Type: file uploads must be multipart/form-data.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, errInvalid("", "", "Could not parse multipart form: %v", err)
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
			return nil, errInvalid("", "", "Could not parse multipart form: %v", err)
		}
		name := part.FormName()
		limit := int64(1 << 16)
		if name == "file" {
			limit = maxUpload
		}
		body, err := io.ReadAll(io.LimitReader(part, limit+1))
		part.Close()
		if err != nil {
			return nil, errInvalid("", "", "Could not read multipart form: %v", err)
		}
		if int64(len(body)) > limit {
			return nil, &apiError{status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Param: strp(name),
				Message: "File too large: the in-memory server accepts files up to " + strconv.Itoa(maxUpload>>20) + " MiB."}
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
			return nil, errInvalid(name, "unknown_parameter", "Unknown parameter: '%s'.", name)
		}
	}
	if !haveFile {
		return nil, errMissing("file")
	}
	if purpose == "" {
		return nil, errMissing("purpose")
	}
	if e := enumErr("purpose", purpose, filePurposes...); e != nil {
		return nil, e
	}
	var expiresIn int64
	if haveExpiry {
		if anchor != "created_at" {
			return nil, enumErr("expires_after.anchor", anchor, "created_at")
		}
		n, err := strconv.ParseInt(seconds, 10, 64)
		if err != nil || n < 3600 || n > 2592000 {
			return nil, errInvalid("expires_after.seconds", "invalid_value", "Invalid 'expires_after.seconds': expected an integer between 3600 and 2592000.")
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
	return jsonReply(f), nil
}

func (s *Server) listFiles(r *http.Request, _ *object) (any, *apiError) {
	q := r.URL.Query()
	p, e := parseList(q, 10000, 10000)
	if e != nil {
		return nil, e
	}
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
	return renderList(items, p)
}

func (s *Server) getFile(r *http.Request, _ *object) (any, *apiError) {
	return lookup(s.files, "file", r.PathValue("file_id"))
}

func (s *Server) deleteFile(r *http.Request, _ *object) (any, *apiError) {
	return remove(s.files, "file", r.PathValue("file_id"), "file")
}

func (s *Server) fileContent(r *http.Request, _ *object) (any, *apiError) {
	f, e := lookup(s.files, "file", r.PathValue("file_id"))
	if e != nil {
		return nil, e
	}
	data := f.data
	return &reply{serve: func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/octet-stream")
		w.Header().Set("Content-Length", strconv.Itoa(len(data)))
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(data)
	}}, nil
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
