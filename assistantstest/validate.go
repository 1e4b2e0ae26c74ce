package assistantstest

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

const maxJSONBody = 32 << 20

// object is a decoded JSON request object whose fields are checked one by one
// so that errors can name the offending parameter, as the API does.
type object struct {
	prefix string
	fields map[string]json.RawMessage
}

// readObject reads the request body as a JSON object and rejects properties
// not in allowed (the spec's request schemas forbid additional properties).
// An empty body is an empty object.
func readObject(r *http.Request, allowed ...string) (*object, *apiError) {
	data, err := io.ReadAll(io.LimitReader(r.Body, maxJSONBody+1))
	if err != nil {
		return nil, errInvalid("", "", "Could not read the request body: %v", err)
	}
	if len(data) > maxJSONBody {
		return nil, &apiError{status: http.StatusRequestEntityTooLarge, Type: "invalid_request_error", Message: "Request body too large."}
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return &object{fields: map[string]json.RawMessage{}}, nil
	}
	return parseObject("", data, allowed...)
}

func parseObject(prefix string, data []byte, allowed ...string) (*object, *apiError) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 || data[0] != '{' {
		if prefix == "" {
			return nil, errInvalid("", "", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")
		}
		return nil, errType(strings.TrimSuffix(prefix, "."), "an object", data)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, errInvalid("", "", "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)")
	}
	o := &object{prefix: prefix, fields: m}
	if allowed != nil {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			ok := false
			for _, a := range allowed {
				if a == k {
					ok = true
					break
				}
			}
			if !ok {
				return nil, errInvalid(prefix+k, "unknown_parameter", "Unknown parameter: '%s'.", prefix+k)
			}
		}
	}
	return o, nil
}

func (o *object) name(k string) string { return o.prefix + k }

// has reports whether k is present and not null.
func (o *object) has(k string) bool {
	raw, ok := o.fields[k]
	return ok && !isNull(raw)
}

// present reports whether k is present, even as null.
func (o *object) present(k string) bool {
	_, ok := o.fields[k]
	return ok
}

func isNull(raw json.RawMessage) bool { return string(bytes.TrimSpace(raw)) == "null" }

func (o *object) raw(k string) json.RawMessage { return o.fields[k] }

// str returns the string k; required makes absence (or null) an error.
func (o *object) str(k string, required bool) (string, *apiError) {
	if !o.has(k) {
		if required {
			return "", errMissing(o.name(k))
		}
		return "", nil
	}
	var s string
	if err := json.Unmarshal(o.fields[k], &s); err != nil {
		return "", errType(o.name(k), "a string", o.fields[k])
	}
	return s, nil
}

// strMax is str with a maximum length.
func (o *object) strMax(k string, required bool, max int) (string, *apiError) {
	s, e := o.str(k, required)
	if e == nil && max > 0 && len([]rune(s)) > max {
		e = errInvalid(o.name(k), "string_above_max_length", "Invalid '%s': string too long. Expected a string with maximum length %d, but got a string with length %d instead.", o.name(k), max, len([]rune(s)))
	}
	return s, e
}

// nullableStr returns nil when k is absent or null.
func (o *object) nullableStr(k string, max int) (*string, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	s, e := o.strMax(k, false, max)
	if e != nil {
		return nil, e
	}
	return &s, nil
}

func (o *object) number(k string, min, max float64) (*float64, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	var f float64
	if err := json.Unmarshal(o.fields[k], &f); err != nil {
		return nil, errType(o.name(k), "a decimal", o.fields[k])
	}
	if f < min {
		return nil, errInvalid(o.name(k), "decimal_below_min_value", "Invalid '%s': decimal below minimum value. Expected a value >= %s, but got %s instead.", o.name(k), fmtNum(min), fmtNum(f))
	}
	if f > max {
		return nil, errInvalid(o.name(k), "decimal_above_max_value", "Invalid '%s': decimal above maximum value. Expected a value <= %s, but got %s instead.", o.name(k), fmtNum(max), fmtNum(f))
	}
	return &f, nil
}

func (o *object) integer(k string, min, max int) (*int, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	var f float64
	if err := json.Unmarshal(o.fields[k], &f); err != nil || f != float64(int(f)) {
		return nil, errType(o.name(k), "an integer", o.fields[k])
	}
	i := int(f)
	if i < min {
		return nil, errInvalid(o.name(k), "integer_below_min_value", "Invalid '%s': integer below minimum value. Expected a value >= %d, but got %d instead.", o.name(k), min, i)
	}
	if i > max {
		return nil, errInvalid(o.name(k), "integer_above_max_value", "Invalid '%s': integer above maximum value. Expected a value <= %d, but got %d instead.", o.name(k), max, i)
	}
	return &i, nil
}

func (o *object) boolean(k string) (*bool, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	var b bool
	if err := json.Unmarshal(o.fields[k], &b); err != nil {
		return nil, errType(o.name(k), "a boolean", o.fields[k])
	}
	return &b, nil
}

// array returns the elements of the array k (nil when absent or null).
func (o *object) array(k string, minItems, maxItems int) ([]json.RawMessage, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	var items []json.RawMessage
	raw := bytes.TrimSpace(o.fields[k])
	if len(raw) == 0 || raw[0] != '[' || json.Unmarshal(raw, &items) != nil {
		return nil, errType(o.name(k), "an array", o.fields[k])
	}
	if len(items) < minItems {
		return nil, errInvalid(o.name(k), "empty_array", "Invalid '%s': empty array. Expected an array with minimum length %d, but got an array with length %d instead.", o.name(k), minItems, len(items))
	}
	if maxItems > 0 && len(items) > maxItems {
		return nil, errInvalid(o.name(k), "array_above_max_length", "Invalid '%s': array too long. Expected an array with maximum length %d, but got an array with length %d instead.", o.name(k), maxItems, len(items))
	}
	return items, nil
}

func (o *object) strArray(k string, maxItems int) ([]string, *apiError) {
	items, e := o.array(k, 0, maxItems)
	if e != nil || items == nil {
		return nil, e
	}
	out := make([]string, 0, len(items))
	for i, it := range items {
		var s string
		if err := json.Unmarshal(it, &s); err != nil {
			return nil, errType(o.name(k)+"["+strconv.Itoa(i)+"]", "a string", it)
		}
		out = append(out, s)
	}
	return out, nil
}

// child parses the object k; nil when absent or null.
func (o *object) child(k string, allowed ...string) (*object, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	return parseObject(o.name(k)+".", o.fields[k], allowed...)
}

// item parses element i of array k as an object.
func (o *object) item(k string, i int, raw json.RawMessage, allowed ...string) (*object, *apiError) {
	return parseObject(o.name(k)+"["+strconv.Itoa(i)+"].", raw, allowed...)
}

// metadata validates the metadata map: at most 16 pairs, keys up to 64
// characters, string values up to 512 characters.
func (o *object) metadata(k string) (map[string]string, *apiError) {
	out := map[string]string{}
	if !o.has(k) {
		return out, nil
	}
	raw := bytes.TrimSpace(o.fields[k])
	if raw[0] != '{' {
		return nil, errType(o.name(k), "an object", raw)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, errType(o.name(k), "an object", raw)
	}
	if len(m) > 16 {
		return nil, errInvalid(o.name(k), "object_above_max_properties", "Invalid '%s': too many properties. Expected an object with at most 16 properties, but got an object with %d properties instead.", o.name(k), len(m))
	}
	for key, v := range m {
		if len(key) > 64 {
			return nil, errInvalid(o.name(k), "invalid_value", "Invalid '%s': metadata keys must be at most 64 characters.", o.name(k))
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return nil, errType(o.name(k)+"."+key, "a string", v)
		}
		if len([]rune(s)) > 512 {
			return nil, errInvalid(o.name(k)+"."+key, "string_above_max_length", "Invalid '%s.%s': string too long. Expected a string with maximum length 512.", o.name(k), key)
		}
		out[key] = s
	}
	return out, nil
}

// enum checks that v is one of values.
func enumErr(param, v string, values ...string) *apiError {
	for _, x := range values {
		if v == x {
			return nil
		}
	}
	quoted := make([]string, len(values))
	for i, x := range values {
		quoted[i] = "'" + x + "'"
	}
	return errInvalid(param, "invalid_value", "Invalid value: '%s'. Supported values are: %s.", v, strings.Join(quoted, ", "))
}

var functionNameRE = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// parseTools validates a tools array and normalises each tool the way the
// service echoes it back (file_search gets its default options, function
// gets strict:false).
func parseTools(o *object, k string, maxItems int) ([]toolObj, *apiError) {
	items, e := o.array(k, 0, maxItems)
	if e != nil {
		return nil, e
	}
	tools := make([]toolObj, 0, len(items))
	for i, raw := range items {
		t, e := o.item(k, i, raw)
		if e != nil {
			return nil, e
		}
		typ, e := t.str("type", true)
		if e != nil {
			return nil, e
		}
		switch typ {
		case "code_interpreter":
			if _, e := parseObject(t.prefix, raw, "type"); e != nil {
				return nil, e
			}
			tools = append(tools, toolObj{Type: typ})
		case "file_search":
			if _, e := parseObject(t.prefix, raw, "type", "file_search"); e != nil {
				return nil, e
			}
			fs := &fileSearchOpts{RankingOptions: rankingOpts{Ranker: "default_2024_08_21"}}
			opts, e := t.child("file_search", "max_num_results", "ranking_options")
			if e != nil {
				return nil, e
			}
			if opts != nil {
				if fs.MaxNumResults, e = opts.integer("max_num_results", 1, 50); e != nil {
					return nil, e
				}
				ro, e := opts.child("ranking_options", "ranker", "score_threshold")
				if e != nil {
					return nil, e
				}
				if ro != nil {
					ranker, e := ro.str("ranker", false)
					if e != nil {
						return nil, e
					}
					if ranker != "" {
						if e := enumErr(ro.name("ranker"), ranker, "auto", "default_2024_08_21"); e != nil {
							return nil, e
						}
						fs.RankingOptions.Ranker = ranker
					}
					if !ro.has("score_threshold") {
						return nil, errMissing(ro.name("score_threshold"))
					}
					th, e := ro.number("score_threshold", 0, 1)
					if e != nil {
						return nil, e
					}
					fs.RankingOptions.ScoreThreshold = *th
				}
			}
			tools = append(tools, toolObj{Type: typ, FileSearch: fs})
		case "function":
			if _, e := parseObject(t.prefix, raw, "type", "function"); e != nil {
				return nil, e
			}
			if !t.has("function") {
				return nil, errMissing(t.name("function"))
			}
			f, e := t.child("function", "name", "description", "parameters", "strict")
			if e != nil {
				return nil, e
			}
			name, e := f.str("name", true)
			if e != nil {
				return nil, e
			}
			if !functionNameRE.MatchString(name) {
				return nil, errInvalid(f.name("name"), "invalid_value", "Invalid '%s': string does not match pattern. Expected a string that matches the pattern '^[a-zA-Z0-9_-]+$' with at most 64 characters.", f.name("name"))
			}
			desc, e := f.str("description", false)
			if e != nil {
				return nil, e
			}
			fd := &functionDef{Name: name, Description: desc}
			if f.has("parameters") {
				p := bytes.TrimSpace(f.raw("parameters"))
				if p[0] != '{' {
					return nil, errType(f.name("parameters"), "an object", p)
				}
				var compact bytes.Buffer
				_ = json.Compact(&compact, p)
				fd.Parameters = compact.Bytes()
			}
			strict, e := f.boolean("strict")
			if e != nil {
				return nil, e
			}
			if strict != nil {
				fd.Strict = *strict
			}
			tools = append(tools, toolObj{Type: typ, Function: fd})
		default:
			return nil, enumErr(t.name("type"), typ, "code_interpreter", "file_search", "function")
		}
	}
	return tools, nil
}

// parseResponseFormat validates "auto" or {type: text|json_object|json_schema}.
func parseResponseFormat(o *object, k string) (json.RawMessage, *apiError) {
	if !o.has(k) {
		return nil, nil
	}
	raw := bytes.TrimSpace(o.raw(k))
	if raw[0] == '"' {
		s, e := o.str(k, false)
		if e != nil {
			return nil, e
		}
		if e := enumErr(o.name(k), s, "auto"); e != nil {
			return nil, e
		}
		return json.RawMessage(`"auto"`), nil
	}
	rf, e := o.child(k, "type", "json_schema")
	if e != nil {
		return nil, e
	}
	typ, e := rf.str("type", true)
	if e != nil {
		return nil, e
	}
	if e := enumErr(rf.name("type"), typ, "text", "json_object", "json_schema"); e != nil {
		return nil, e
	}
	if typ == "json_schema" {
		js, e := rf.child("json_schema", "name", "description", "schema", "strict")
		if e != nil {
			return nil, e
		}
		if js == nil {
			return nil, errMissing(rf.name("json_schema"))
		}
		if _, e := js.str("name", true); e != nil {
			return nil, e
		}
	} else if rf.present("json_schema") {
		return nil, errInvalid(rf.name("json_schema"), "unknown_parameter", "Unknown parameter: '%s'.", rf.name("json_schema"))
	}
	var b bytes.Buffer
	_ = json.Compact(&b, raw)
	return b.Bytes(), nil
}

// parseToolChoice validates "none"|"auto"|"required" or a named tool.
func parseToolChoice(o *object, k string) (json.RawMessage, *apiError) {
	if !o.has(k) {
		return json.RawMessage(`"auto"`), nil
	}
	raw := bytes.TrimSpace(o.raw(k))
	if raw[0] == '"' {
		s, e := o.str(k, false)
		if e != nil {
			return nil, e
		}
		if e := enumErr(o.name(k), s, "none", "auto", "required"); e != nil {
			return nil, e
		}
		return mustJSON(s), nil
	}
	tc, e := o.child(k, "type", "function")
	if e != nil {
		return nil, e
	}
	typ, e := tc.str("type", true)
	if e != nil {
		return nil, e
	}
	if e := enumErr(tc.name("type"), typ, "function", "code_interpreter", "file_search"); e != nil {
		return nil, e
	}
	if typ == "function" {
		f, e := tc.child("function", "name")
		if e != nil {
			return nil, e
		}
		if f == nil {
			return nil, errMissing(tc.name("function"))
		}
		name, e := f.str("name", true)
		if e != nil {
			return nil, e
		}
		return mustJSON(map[string]any{"type": "function", "function": map[string]string{"name": name}}), nil
	}
	return mustJSON(map[string]string{"type": typ}), nil
}

func parseTruncation(o *object, k string) (truncationObj, *apiError) {
	t := truncationObj{Type: "auto"}
	c, e := o.child(k, "type", "last_messages")
	if e != nil || c == nil {
		return t, e
	}
	typ, e := c.str("type", true)
	if e != nil {
		return t, e
	}
	if e := enumErr(c.name("type"), typ, "auto", "last_messages"); e != nil {
		return t, e
	}
	t.Type = typ
	if t.LastMessages, e = c.integer("last_messages", 1, 1<<30); e != nil {
		return t, e
	}
	return t, nil
}

func parseChunking(o *object, k string) (chunkingStrategy, *apiError) {
	def := chunkingStrategy{Type: "static", Static: &staticChunking{MaxChunkSizeTokens: 800, ChunkOverlapTokens: 400}}
	c, e := o.child(k, "type", "static")
	if e != nil || c == nil {
		return def, e
	}
	typ, e := c.str("type", true)
	if e != nil {
		return def, e
	}
	if e := enumErr(c.name("type"), typ, "auto", "static"); e != nil {
		return def, e
	}
	if typ == "auto" {
		if c.present("static") {
			return def, errInvalid(c.name("static"), "unknown_parameter", "Unknown parameter: '%s'.", c.name("static"))
		}
		return def, nil
	}
	st, e := c.child("static", "max_chunk_size_tokens", "chunk_overlap_tokens")
	if e != nil {
		return def, e
	}
	if st == nil {
		return def, errMissing(c.name("static"))
	}
	if !st.has("max_chunk_size_tokens") {
		return def, errMissing(st.name("max_chunk_size_tokens"))
	}
	if !st.has("chunk_overlap_tokens") {
		return def, errMissing(st.name("chunk_overlap_tokens"))
	}
	size, e := st.integer("max_chunk_size_tokens", 100, 4096)
	if e != nil {
		return def, e
	}
	overlap, e := st.integer("chunk_overlap_tokens", 0, *size/2)
	if e != nil {
		return def, e
	}
	return chunkingStrategy{Type: "static", Static: &staticChunking{MaxChunkSizeTokens: *size, ChunkOverlapTokens: *overlap}}, nil
}

// parseAttributes validates vector store file attributes: up to 16 keys of
// at most 64 characters, values strings (≤512), numbers or booleans.
func parseAttributes(o *object, k string) (json.RawMessage, *apiError) {
	if !o.has(k) {
		return json.RawMessage("null"), nil
	}
	raw := bytes.TrimSpace(o.raw(k))
	var m map[string]json.RawMessage
	if raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return nil, errType(o.name(k), "an object", raw)
	}
	if len(m) > 16 {
		return nil, errInvalid(o.name(k), "object_above_max_properties", "Invalid '%s': too many properties (at most 16).", o.name(k))
	}
	for key, v := range m {
		if len(key) > 64 {
			return nil, errInvalid(o.name(k), "invalid_value", "Invalid '%s': keys must be at most 64 characters.", o.name(k))
		}
		switch jsonKind(v) {
		case "a string":
			var s string
			_ = json.Unmarshal(v, &s)
			if len([]rune(s)) > 512 {
				return nil, errInvalid(o.name(k)+"."+key, "string_above_max_length", "Invalid '%s.%s': string too long.", o.name(k), key)
			}
		case "a boolean", "an integer", "a decimal":
		default:
			return nil, errType(o.name(k)+"."+key, "a string, number or boolean", v)
		}
	}
	var b bytes.Buffer
	_ = json.Compact(&b, raw)
	return b.Bytes(), nil
}

func fmtNum(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }
