package assistants

import (
	"bytes"
	"errors"
	"math"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// MessageDelta is the data of a thread.message.delta event: the pieces of a
// message's content that arrived since the previous delta.
type MessageDelta struct {
	// ID is the message's id.
	ID string `json:"id"`
	// Object is "thread.message.delta".
	Object string `json:"object"`
	// Delta holds the changed fields.
	Delta MessageDeltaFields `json:"delta"`
}

// MessageDeltaFields are the fields of a message that a delta changes.
type MessageDeltaFields struct {
	// Role is set in the first delta of a message, if at all.
	Role Role `json:"role,omitempty"`
	// Content holds pieces of content parts, each naming its part by Index.
	Content []MessageContentDelta `json:"content,omitempty"`
}

// MessageContentDelta is a piece of one content part of a message. Index is
// the part's position in the message; Type says which of the other fields is
// set.
type MessageContentDelta struct {
	// Index is the position of the part in the message's content.
	Index int `json:"index"`
	// Type is the part's type, such as ContentTypeText.
	Type ContentType `json:"type"`
	// Text is the piece of a text part.
	Text *TextDelta `json:"text,omitempty"`
	// ImageFile is an image file part; it arrives whole.
	ImageFile *ImageFile `json:"image_file,omitempty"`
	// ImageURL is an image URL part; it arrives whole.
	ImageURL *ImageURL `json:"image_url,omitempty"`
	// Refusal is a piece of a refusal part.
	Refusal string `json:"refusal,omitempty"`
}

// TextDelta is a piece of a text part: text to append to its value and
// annotations to add to it.
type TextDelta struct {
	// Value is the text to append.
	Value string `json:"value,omitempty"`
	// Annotations are new or changed annotations, each naming its position by Index.
	Annotations []AnnotationDelta `json:"annotations,omitempty"`
}

// AnnotationDelta is an annotation of a text part as it arrives in a delta.
// Index is its position in the part's annotations.
type AnnotationDelta struct {
	// Index is the annotation's position in the text part's annotations.
	Index int `json:"index"`
	// Type is AnnotationTypeFileCitation or AnnotationTypeFilePath.
	Type AnnotationType `json:"type,omitempty"`
	// Text is the span of the text part that the annotation marks.
	Text string `json:"text,omitempty"`
	// StartIndex is where the span starts, when the delta says.
	StartIndex *int `json:"start_index,omitempty"`
	// EndIndex is where the span ends, when the delta says.
	EndIndex *int `json:"end_index,omitempty"`
	// FileCitation is set for file citations.
	FileCitation *FileCitation `json:"file_citation,omitempty"`
	// FilePath is set for file paths.
	FilePath *FilePath `json:"file_path,omitempty"`
}

// RunStepDelta is the data of a thread.run.step.delta event: the pieces of a
// step's details that arrived since the previous delta.
type RunStepDelta struct {
	// ID is the step's id.
	ID string `json:"id"`
	// Object is "thread.run.step.delta".
	Object string `json:"object"`
	// Delta holds the changed fields.
	Delta RunStepDeltaFields `json:"delta"`
}

// RunStepDeltaFields are the fields of a run step that a delta changes.
type RunStepDeltaFields struct {
	// StepDetails holds pieces of the step's details. In a delta, each
	// ToolCall has Index set (its position in the step), and so does each
	// CodeOutput of a code_interpreter call; strings such as
	// Function.Arguments and CodeInterpreter.Input are pieces to append.
	StepDetails *StepDetails `json:"step_details,omitempty"`
}

// This file also holds a small allocation-free JSON scanner used to apply
// message deltas, the most frequent events of a stream, without decoding
// them into Go values.

// maxDeltaIndex bounds the index of a content part, annotation, tool call or
// code output in a delta, so that a hostile index cannot make the
// accumulator allocate without bound.
const maxDeltaIndex = 10000

// maxJSONDepth bounds the nesting the scanner accepts.
const maxJSONDepth = 10000

var (
	errJSONSyntax     = errors.New("invalid JSON")
	errJSONDepth      = errors.New("JSON nested too deeply")
	errIndexRange     = errors.New("index out of range (0 to 10000)")
	errNotAnObject    = errors.New("expected a JSON object")
	errNotAnArray     = errors.New("expected a JSON array")
	errNotAString     = errors.New("expected a JSON string")
	errBadStringEsc   = errors.New("invalid escape in JSON string")
	errControlInStr   = errors.New("control character in JSON string")
	errUnterminated   = errors.New("unterminated JSON string")
	errTrailingInJSON = errors.New("unexpected data after the JSON value")
)

func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// scanString returns the index just past the JSON string that starts at
// b[i] (which is '"') and whether it contains escapes.
func scanString(b []byte, i int) (int, bool, error) {
	esc := false
	for j := i + 1; j < len(b); j++ {
		switch c := b[j]; {
		case c == '"':
			return j + 1, esc, nil
		case c == '\\':
			esc = true
			j++
		case c < 0x20:
			return 0, false, errControlInStr
		}
	}
	return 0, false, errUnterminated
}

// skipValue returns the index just past the JSON value that starts at b[i].
func skipValue(b []byte, i, depth int) (int, error) {
	if i >= len(b) {
		return 0, errJSONSyntax
	}
	switch c := b[i]; c {
	case '"':
		end, _, err := scanString(b, i)
		return end, err
	case '{', '[':
		if depth > maxJSONDepth {
			return 0, errJSONDepth
		}
		it := jsonIter{b: b, i: i + 1, arr: c == '['}
		for _, _, ok := it.next(depth); ok; _, _, ok = it.next(depth) {
		}
		return it.i, it.err
	case 't':
		return literal(b, i, "true")
	case 'f':
		return literal(b, i, "false")
	case 'n':
		return literal(b, i, "null")
	default:
		j := i
		for j < len(b) {
			c := b[j]
			if (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' {
				j++
				continue
			}
			break
		}
		if j == i {
			return 0, errJSONSyntax
		}
		return j, nil
	}
}

func literal(b []byte, i int, lit string) (int, error) {
	if len(b)-i < len(lit) || string(b[i:i+len(lit)]) != lit {
		return 0, errJSONSyntax
	}
	return i + len(lit), nil
}

// jsonIter walks the members of a JSON object or the elements of a JSON
// array without allocating. Create one with iterObject or iterArray.
type jsonIter struct {
	b    []byte
	i    int // position after the opening bracket or the last value
	arr  bool
	n    int // values returned so far
	done bool
	err  error
}

// iterObject starts iterating over the JSON object raw.
func iterObject(raw []byte) jsonIter {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '{' {
		return jsonIter{err: errNotAnObject, done: true}
	}
	return jsonIter{b: raw, i: i + 1}
}

// iterArray starts iterating over the JSON array raw.
func iterArray(raw []byte) jsonIter {
	i := skipWS(raw, 0)
	if i >= len(raw) || raw[i] != '[' {
		return jsonIter{err: errNotAnArray, done: true}
	}
	return jsonIter{b: raw, i: i + 1, arr: true}
}

// next returns the next member's raw key (without quotes, still escaped)
// and raw value, or ok false at the end or on an error (see it.err).
func (it *jsonIter) next(depth int) (key, val []byte, ok bool) {
	if it.done {
		return nil, nil, false
	}
	b := it.b
	closer := byte('}')
	if it.arr {
		closer = ']'
	}
	i := skipWS(b, it.i)
	if i < len(b) && b[i] == closer {
		it.i, it.done = i+1, true
		return nil, nil, false
	}
	if it.n > 0 {
		if i >= len(b) || b[i] != ',' {
			return it.fail(errJSONSyntax)
		}
		i = skipWS(b, i+1)
	}
	if !it.arr {
		if i >= len(b) || b[i] != '"' {
			return it.fail(errJSONSyntax)
		}
		end, _, err := scanString(b, i)
		if err != nil {
			return it.fail(err)
		}
		key = b[i+1 : end-1]
		i = skipWS(b, end)
		if i >= len(b) || b[i] != ':' {
			return it.fail(errJSONSyntax)
		}
		i = skipWS(b, i+1)
	}
	end, err := skipValue(b, i, depth+1)
	if err != nil {
		return it.fail(err)
	}
	it.i = end
	it.n++
	return key, b[i:end], true
}

func (it *jsonIter) fail(err error) ([]byte, []byte, bool) {
	it.err, it.done = err, true
	return nil, nil, false
}

// finish reports the iterator's error, or an error if anything but white
// space follows the value (for a top-level value).
func (it *jsonIter) finish() error {
	if it.err != nil {
		return it.err
	}
	if skipWS(it.b, it.i) != len(it.b) {
		return errTrailingInJSON
	}
	return nil
}

// isNull reports whether a raw value is JSON null (or missing).
func isNull(raw []byte) bool { return len(raw) == 0 || string(raw) == "null" }

// keyIs compares a raw object key with name, decoding escapes if any.
func keyIs(key []byte, name string) bool {
	if bytes.IndexByte(key, '\\') < 0 {
		return string(key) == name
	}
	var w byteWriter
	if err := appendJSONString(&w, key); err != nil {
		return false
	}
	return string(w.b) == name
}

// stringValue returns the contents of the raw JSON string value, decoded; it
// only allocates when the string has escapes. A null value gives "".
func stringValue(raw []byte) ([]byte, error) {
	if isNull(raw) {
		return nil, nil
	}
	if raw[0] != '"' {
		return nil, errNotAString
	}
	s := raw[1 : len(raw)-1]
	if bytes.IndexByte(s, '\\') < 0 && utf8.Valid(s) {
		return s, nil
	}
	var w byteWriter
	if err := appendJSONString(&w, s); err != nil {
		return nil, err
	}
	return w.b, nil
}

// intValue parses a raw JSON number that must be a whole number between 0
// and maxDeltaIndex.
func intValue(raw []byte) (int, error) {
	if len(raw) == 0 {
		return 0, errIndexRange
	}
	n := 0
	for _, c := range raw {
		if c < '0' || c > '9' {
			f, err := strconv.ParseFloat(string(raw), 64)
			if err != nil || f != math.Trunc(f) || f < 0 || f > maxDeltaIndex {
				return 0, errIndexRange
			}
			return int(f), nil
		}
		n = n*10 + int(c-'0')
		if n > maxDeltaIndex {
			return 0, errIndexRange
		}
	}
	return n, nil
}

// stringWriter is what appendJSONString writes to: a *strings.Builder or a
// *byteWriter.
type stringWriter interface {
	Write(p []byte) (int, error)
	WriteByte(c byte) error
	WriteRune(r rune) (int, error)
	WriteString(s string) (int, error)
}

// byteWriter is a minimal stringWriter over a byte slice.
type byteWriter struct{ b []byte }

// Write, WriteByte, WriteRune and WriteString append to w.b.
func (w *byteWriter) Write(p []byte) (int, error)       { w.b = append(w.b, p...); return len(p), nil }
func (w *byteWriter) WriteByte(c byte) error            { w.b = append(w.b, c); return nil }
func (w *byteWriter) WriteRune(r rune) (int, error)     { w.b = utf8.AppendRune(w.b, r); return 1, nil }
func (w *byteWriter) WriteString(s string) (int, error) { w.b = append(w.b, s...); return len(s), nil }

// appendJSONString decodes the contents of a JSON string (the bytes between
// its quotes) into w, the way encoding/json does: invalid UTF-8 and lone
// surrogates become U+FFFD.
func appendJSONString(w stringWriter, s []byte) error {
	for len(s) > 0 {
		i := 0
		for i < len(s) && s[i] != '\\' && s[i] < utf8.RuneSelf {
			i++
		}
		if i > 0 {
			_, _ = w.Write(s[:i])
			s = s[i:]
			if len(s) == 0 {
				return nil
			}
		}
		if c := s[0]; c != '\\' {
			r, size := utf8.DecodeRune(s)
			if r == utf8.RuneError && size == 1 {
				_, _ = w.WriteRune(utf8.RuneError)
			} else {
				_, _ = w.Write(s[:size])
			}
			s = s[size:]
			continue
		}
		if len(s) < 2 {
			return errBadStringEsc
		}
		switch s[1] {
		case '"', '\\', '/':
			_ = w.WriteByte(s[1])
		case 'b':
			_ = w.WriteByte('\b')
		case 'f':
			_ = w.WriteByte('\f')
		case 'n':
			_ = w.WriteByte('\n')
		case 'r':
			_ = w.WriteByte('\r')
		case 't':
			_ = w.WriteByte('\t')
		case 'u':
			r, ok := hex4(s[2:])
			if !ok {
				return errBadStringEsc
			}
			s = s[6:]
			if utf16.IsSurrogate(r) {
				if len(s) >= 6 && s[0] == '\\' && s[1] == 'u' {
					if r2, ok := hex4(s[2:]); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							_, _ = w.WriteRune(dec)
							s = s[6:]
							continue
						}
					}
				}
				r = utf8.RuneError
			}
			_, _ = w.WriteRune(r)
			continue
		default:
			return errBadStringEsc
		}
		s = s[2:]
	}
	return nil
}

func hex4(s []byte) (rune, bool) {
	if len(s) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
