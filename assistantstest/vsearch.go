package assistantstest

import (
	"bytes"
	"encoding/json"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode"
)

// This file serves the parsed content of vector store files and vector store
// search (POST /vector_stores/{id}/search).
//
// Search scores the passages of the store's completed files the way the
// file_search tool of a run does (see searchDocuments): by the share of the
// query's content words a passage holds, so scores lie in (0, 1]. Each hit
// is one passage, as one text part. With several queries a passage scores
// its best over them. max_num_results (default 10) caps the hits, has_more
// says whether more scored, and next_page is always null.
// ranking_options.score_threshold drops hits scoring below it;
// ranking_options.ranker is checked but changes nothing. rewrite_query
// rewrites each query to its lower-cased content words (the words that are
// scored), and search_query reports the queries searched for.
//
// filters supports the whole filter grammar of the spec: comparison filters
// {"type", "key", "value"} of types eq, ne (strings, numbers and booleans),
// gt, gte, lt, lte (numbers with numbers, strings with strings, compared
// lexically), in and nin (value an array of strings or numbers, or a single
// value), and compound filters {"type": "and"|"or", "filters": [...]},
// nested to any depth. A comparison of an attribute the file does not have,
// or of a different type (a string with a number), is false, whatever the
// operator (ne and nin included). An array value is accepted only by in and
// nin.

// vsTextPart is a text part of vector store file content or of a search hit.
type vsTextPart struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// fileContentPage is the parsed content of a vector store file.
type fileContentPage struct {
	Object   string       `json:"object"`
	Data     []vsTextPart `json:"data"`
	HasMore  bool         `json:"has_more"`
	NextPage *string      `json:"next_page"`
}

// searchPage is the answer to a vector store search.
type searchPage struct {
	Object      string       `json:"object"`
	SearchQuery []string     `json:"search_query"`
	Data        []searchItem `json:"data"`
	HasMore     bool         `json:"has_more"`
	NextPage    *string      `json:"next_page"`
}

// searchItem is one hit of a vector store search.
type searchItem struct {
	FileID     string          `json:"file_id"`
	Filename   string          `json:"filename"`
	Score      float64         `json:"score"`
	Attributes json.RawMessage `json:"attributes"`
	Content    []vsTextPart    `json:"content"`
}

// defaultSearchResults is max_num_results when the request leaves it out.
const defaultSearchResults = 10

func (s *Server) vsFileContent(r *http.Request, _ *object) (any, *apiError) {
	vf, e := s.vsFile(r)
	if e != nil {
		return nil, e
	}
	text := ""
	if f := s.files[vf.ID]; f != nil {
		text = extractText(f.data)
	}
	return fileContentPage{Object: "vector_store.file_content.page", Data: []vsTextPart{{Type: "text", Text: text}}}, nil
}

func (s *Server) searchVectorStore(r *http.Request, o *object) (any, *apiError) {
	vs, e := s.store(r)
	if e != nil {
		return nil, e
	}
	req, e := parseSearch(o)
	if e != nil {
		return nil, e
	}

	var docs []Document
	attrs := map[string]json.RawMessage{}
	for _, vf := range vs.files {
		f := s.files[vf.ID]
		if vf.Status != "completed" || f == nil {
			continue
		}
		if req.filter != nil && !req.filter.match(decodeAttributes(vf.Attributes)) {
			continue
		}
		docs = append(docs, Document{FileID: f.ID, Filename: f.Filename, Text: extractText(f.data)})
		attrs[f.ID] = vf.Attributes
	}

	// Every passage that scores for some query, at its best score, in the
	// order first found; then best first.
	type key struct{ file, text string }
	best := map[key]int{}
	var hits []SearchResult
	for _, q := range req.queries {
		for _, h := range searchDocuments(docs, q, math.MaxInt, req.threshold) {
			k := key{h.FileID, h.Text}
			if i, ok := best[k]; ok {
				hits[i].Score = max(hits[i].Score, h.Score)
				continue
			}
			best[k] = len(hits)
			hits = append(hits, h)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Score > hits[j].Score })

	page := searchPage{Object: "vector_store.search_results.page", SearchQuery: req.queries, Data: []searchItem{},
		HasMore: len(hits) > req.limit}
	for _, h := range hits[:min(len(hits), req.limit)] {
		a := attrs[h.FileID]
		if len(a) == 0 {
			a = json.RawMessage("null")
		}
		page.Data = append(page.Data, searchItem{FileID: h.FileID, Filename: h.Filename, Score: h.Score,
			Attributes: a, Content: []vsTextPart{{Type: "text", Text: h.Text}}})
	}
	return page, nil
}

// searchRequest is a validated search request.
type searchRequest struct {
	queries   []string // as searched for (rewritten when asked)
	limit     int
	threshold float64
	filter    *attrFilter
}

// parseSearch validates the body of a search request.
func parseSearch(o *object) (*searchRequest, *apiError) {
	req := &searchRequest{limit: defaultSearchResults}
	raw := bytes.TrimSpace(o.raw("query"))
	isList := len(raw) > 0 && raw[0] == '['
	switch {
	case !o.has("query"):
		return nil, errMissing("query")
	case raw[0] == '"':
		q, e := o.str("query", true)
		if e != nil {
			return nil, e
		}
		req.queries = []string{q}
	case isList:
		qs, e := o.strArray("query", 0)
		if e != nil {
			return nil, e
		}
		if len(qs) == 0 {
			return nil, errInvalid("query", "empty_array", "Invalid 'query': empty array. Expected an array with minimum length 1, but got an array with length 0 instead.")
		}
		req.queries = qs
	default:
		return nil, errType("query", "a string or an array of strings", raw)
	}
	for i, q := range req.queries {
		if strings.TrimSpace(q) == "" {
			param := "query"
			if isList {
				param = "query[" + strconv.Itoa(i) + "]"
			}
			return nil, errInvalid(param, "empty_string", "Invalid '%s': empty string. Expected a string with minimum length 1, but got an empty string instead.", param)
		}
	}
	rewrite, e := o.boolean("rewrite_query")
	if e != nil {
		return nil, e
	}
	if rewrite != nil && *rewrite {
		for i, q := range req.queries {
			req.queries[i] = rewriteQuery(q)
		}
	}
	n, e := o.integer("max_num_results", 1, 50)
	if e != nil {
		return nil, e
	}
	if n != nil {
		req.limit = *n
	}
	ro, e := o.child("ranking_options", "ranker", "score_threshold")
	if e != nil {
		return nil, e
	}
	if ro != nil {
		ranker, e := ro.str("ranker", false)
		if e != nil {
			return nil, e
		}
		if ro.has("ranker") {
			if e := enumErr(ro.name("ranker"), ranker, "none", "auto", "default-2024-11-15"); e != nil {
				return nil, e
			}
		}
		th, e := ro.number("score_threshold", 0, 1)
		if e != nil {
			return nil, e
		}
		if th != nil {
			req.threshold = *th
		}
	}
	if o.has("filters") {
		if req.filter, e = parseFilter("filters", o.raw("filters")); e != nil {
			return nil, e
		}
	}
	return req, nil
}

// rewriteQuery turns a natural-language query into its content words, lower
// case, as rewrite_query asks; a query without any stays as it is.
func rewriteQuery(q string) string {
	var words []string
	for _, w := range strings.FieldsFunc(strings.ToLower(q), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\''
	}) {
		w = strings.TrimSuffix(strings.Trim(w, "'"), "'s")
		if len(w) >= 3 && !stopwords[w] {
			words = append(words, w)
		}
	}
	if len(words) == 0 {
		return q
	}
	return strings.Join(words, " ")
}

// attrFilter is a parsed attribute filter: a comparison (key and value) or
// a compound (filters).
type attrFilter struct {
	typ     string
	key     string
	value   any // string, float64, bool, or []any of strings and float64s
	filters []*attrFilter
}

// parseFilter validates the filter raw found at param.
func parseFilter(param string, raw json.RawMessage) (*attrFilter, *apiError) {
	o, e := parseObject(param+".", raw, "type", "key", "value", "filters")
	if e != nil {
		return nil, e
	}
	typ, e := o.str("type", true)
	if e != nil {
		return nil, e
	}
	f := &attrFilter{typ: typ}
	switch typ {
	case "and", "or":
		for _, k := range []string{"key", "value"} {
			if o.present(k) {
				return nil, errInvalid(o.name(k), "unknown_parameter", "Unknown parameter: '%s' (a compound filter has only 'type' and 'filters').", o.name(k))
			}
		}
		if !o.has("filters") {
			return nil, errMissing(o.name("filters"))
		}
		items, e := o.array("filters", 0, 0)
		if e != nil {
			return nil, e
		}
		for i, it := range items {
			sub, e := parseFilter(o.name("filters")+"["+strconv.Itoa(i)+"]", it)
			if e != nil {
				return nil, e
			}
			f.filters = append(f.filters, sub)
		}
	case "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin":
		if o.present("filters") {
			return nil, errInvalid(o.name("filters"), "unknown_parameter", "Unknown parameter: '%s' (a comparison filter has only 'type', 'key' and 'value').", o.name("filters"))
		}
		if f.key, e = o.str("key", true); e != nil {
			return nil, e
		}
		if !o.has("value") {
			return nil, errMissing(o.name("value"))
		}
		raw := o.raw("value")
		switch jsonKind(raw) {
		case "a string", "an integer", "a decimal", "a boolean":
			_ = json.Unmarshal(raw, &f.value)
		case "an array":
			if typ != "in" && typ != "nin" {
				return nil, errInvalid(o.name("value"), "invalid_value", "Invalid '%s': an array is only valid with the 'in' and 'nin' filters.", o.name("value"))
			}
			var items []json.RawMessage
			_ = json.Unmarshal(raw, &items)
			list := make([]any, 0, len(items))
			for i, it := range items {
				switch jsonKind(it) {
				case "a string", "an integer", "a decimal":
					var v any
					_ = json.Unmarshal(it, &v)
					list = append(list, v)
				default:
					return nil, errType(o.name("value")+"["+strconv.Itoa(i)+"]", "a string or a number", it)
				}
			}
			f.value = list
		default:
			return nil, errType(o.name("value"), "a string, number, boolean or array", raw)
		}
	default:
		return nil, enumErr(o.name("type"), typ, "eq", "ne", "gt", "gte", "lt", "lte", "in", "nin", "and", "or")
	}
	return f, nil
}

// decodeAttributes decodes a file's attributes (null gives an empty map).
func decodeAttributes(raw json.RawMessage) map[string]any {
	m := map[string]any{}
	_ = json.Unmarshal(raw, &m)
	return m
}

// match reports whether a file with attrs passes the filter.
func (f *attrFilter) match(attrs map[string]any) bool {
	switch f.typ {
	case "and":
		for _, sub := range f.filters {
			if !sub.match(attrs) {
				return false
			}
		}
		return true
	case "or":
		for _, sub := range f.filters {
			if sub.match(attrs) {
				return true
			}
		}
		return false
	}
	v, ok := attrs[f.key]
	if !ok {
		return false
	}
	switch f.typ {
	case "eq", "ne":
		same, comparable := equalAttr(v, f.value)
		return comparable && same == (f.typ == "eq")
	case "in", "nin":
		list, ok := f.value.([]any)
		if !ok {
			list = []any{f.value}
		}
		in, comparable := false, false
		for _, x := range list {
			same, c := equalAttr(v, x)
			comparable = comparable || c
			in = in || same
		}
		return comparable && in == (f.typ == "in")
	}
	c, ok := compareAttr(v, f.value)
	if !ok {
		return false
	}
	switch f.typ {
	case "gt":
		return c > 0
	case "gte":
		return c >= 0
	case "lt":
		return c < 0
	default: // lte
		return c <= 0
	}
}

// equalAttr reports whether a and b are equal, and whether they are of the
// same type at all.
func equalAttr(a, b any) (same, comparable bool) {
	switch a := a.(type) {
	case string:
		b, ok := b.(string)
		return ok && a == b, ok
	case float64:
		b, ok := b.(float64)
		return ok && a == b, ok
	case bool:
		b, ok := b.(bool)
		return ok && a == b, ok
	}
	return false, false
}

// compareAttr orders two numbers or two strings; ok is false for other
// pairs.
func compareAttr(a, b any) (c int, ok bool) {
	switch a := a.(type) {
	case string:
		if b, ok := b.(string); ok {
			return strings.Compare(a, b), true
		}
	case float64:
		if b, ok := b.(float64); ok {
			switch {
			case a < b:
				return -1, true
			case a > b:
				return 1, true
			}
			return 0, true
		}
	}
	return 0, false
}
