package assistants

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"unicode/utf8"
)

// APIError is the error returned for every non-2xx response. Use errors.As to
// read it:
//
//	var apiErr *assistants.APIError
//	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound { ... }
type APIError struct {
	// StatusCode is the HTTP status of the response.
	StatusCode int
	// Type is the error object's type, such as "invalid_request_error".
	Type string
	// Code is the error object's code, such as "invalid_api_key"; often empty.
	Code string
	// Param names the request parameter at fault, when the server says.
	Param string
	// Message is the server's explanation, or the start of the body when it
	// was not a JSON error object.
	Message string
	// RequestID is the x-request-id response header, to quote to the server's operator.
	RequestID string
	// Header holds the response headers.
	Header http.Header
	// Body holds the start of the response body (at most 1 MiB).
	Body []byte
}

// Error describes the failure in one line: status, type, code, param, message and request id.
func (e *APIError) Error() string {
	var b strings.Builder
	if e.StatusCode >= 200 && e.StatusCode < 300 {
		// An error event inside a stream that had started fine.
		b.WriteString("assistants: stream error")
	} else {
		fmt.Fprintf(&b, "assistants: %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	var details []string
	if e.Type != "" {
		details = append(details, e.Type)
	}
	if e.Code != "" {
		details = append(details, "code "+e.Code)
	}
	if e.Param != "" {
		details = append(details, "param "+e.Param)
	}
	if len(details) > 0 {
		fmt.Fprintf(&b, " (%s)", strings.Join(details, ", "))
	}
	if e.Message != "" {
		b.WriteString(": " + e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	return b.String()
}

// errorObject is the wire form of an API error, with code and param kept raw
// because servers send strings, numbers or null there.
type errorObject struct {
	Message string          `json:"message"`
	Type    string          `json:"type"`
	Param   json.RawMessage `json:"param"`
	Code    json.RawMessage `json:"code"`
}

// apiErrorFromObject decodes an error object, bare or wrapped in {"error": ...}.
// It also takes the plain-text forms some compatible servers send,
// {"error": "text"} and {"detail": "text"}. It reports false when data holds
// no recognisable error.
func apiErrorFromObject(data []byte) (*APIError, bool) {
	var wrapped struct {
		Error *errorObject `json:"error"`
	}
	var text struct {
		Error  *string `json:"error"`
		Detail *string `json:"detail"`
	}
	var obj *errorObject
	if err := json.Unmarshal(data, &wrapped); err == nil && wrapped.Error != nil {
		obj = wrapped.Error
	} else if err := json.Unmarshal(data, &text); err == nil && (text.Error != nil && *text.Error != "" || text.Detail != nil && *text.Detail != "") {
		if text.Error != nil && *text.Error != "" {
			return &APIError{Message: *text.Error}, true
		}
		return &APIError{Message: *text.Detail}, true
	} else {
		var bare errorObject
		if err := json.Unmarshal(data, &bare); err != nil || (bare.Message == "" && bare.Type == "" && len(bare.Code) == 0) {
			return nil, false
		}
		obj = &bare
	}
	return &APIError{Type: obj.Type, Code: rawString(obj.Code), Param: rawString(obj.Param), Message: obj.Message}, true
}

// rawString renders a JSON string, number or null as plain text.
func rawString(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return string(raw)
}

// newAPIError reads a bounded part of a failed response and closes its body.
func newAPIError(resp *http.Response) *APIError {
	body, readErr := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	drainAndClose(resp.Body)
	e, ok := apiErrorFromObject(body)
	if !ok {
		e = &APIError{Message: plainMessage(body)}
		if e.Message == "" {
			e.Message = http.StatusText(resp.StatusCode)
		}
		if readErr != nil {
			e.Message += fmt.Sprintf(" (reading the body failed: %v)", readErr)
		}
	}
	e.StatusCode = resp.StatusCode
	e.RequestID = resp.Header.Get("X-Request-Id")
	e.Header = resp.Header
	e.Body = body
	return e
}

// maxPlainMessage bounds the length of a message made from a non-JSON body.
const maxPlainMessage = 512

// plainMessage turns a non-JSON error body into a short readable message.
func plainMessage(body []byte) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > maxPlainMessage {
		cut := maxPlainMessage
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
