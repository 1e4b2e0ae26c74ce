package assistantstest

import (
	"encoding/json"
	"fmt"
	"net/http"
)

// apiError is an error response in the API's shape:
// {"error":{"message","type","param","code"}}.
type apiError struct {
	status  int
	Message string  `json:"message"`
	Type    string  `json:"type"`
	Param   *string `json:"param"`
	Code    *string `json:"code"`
}

// Error returns the message.
func (e *apiError) Error() string { return e.Message }

func strp(s string) *string { return &s }

// errInvalid is a 400 invalid_request_error. param and code may be empty.
func errInvalid(param, code, format string, args ...any) *apiError {
	e := &apiError{status: http.StatusBadRequest, Type: "invalid_request_error", Message: fmt.Sprintf(format, args...)}
	if param != "" {
		e.Param = strp(param)
	}
	if code != "" {
		e.Code = strp(code)
	}
	return e
}

// errNotFound is the API's 404 for an unknown object id.
func errNotFound(kind, id string) *apiError {
	return &apiError{status: http.StatusNotFound, Type: "invalid_request_error",
		Message: fmt.Sprintf("No %s found with id '%s'.", kind, id)}
}

func errMissing(param string) *apiError {
	return errInvalid(param, "missing_required_parameter", "Missing required parameter: '%s'.", param)
}

func errType(param, want string, raw json.RawMessage) *apiError {
	return errInvalid(param, "invalid_type", "Invalid type for '%s': expected %s, but got %s instead.", param, want, jsonKind(raw))
}

func errorBody(e *apiError) []byte {
	b, _ := json.Marshal(map[string]any{"error": e})
	return b
}

func writeAPIError(w http.ResponseWriter, e *apiError) {
	writeRaw(w, e.status, errorBody(e))
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// jsonKind names the JSON type of raw for error messages.
func jsonKind(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	default:
		for _, c := range raw {
			if c == '.' || c == 'e' || c == 'E' {
				return "a decimal"
			}
		}
		return "an integer"
	}
}
