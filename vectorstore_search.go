package assistants

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/tidwall/gjson"
)

// The rankers of a vector store search (SearchRankingOptions.Ranker).
const (
	// SearchRankerNone turns re-ranking off, which can lower latency.
	SearchRankerNone = "none"
	// SearchRankerAuto lets the server pick the ranker (its default).
	SearchRankerAuto = "auto"
	// SearchRankerDefault20241115 is the ranker of 2024-11-15.
	SearchRankerDefault20241115 = "default-2024-11-15"
)

// searchRankers are the rankers the API accepts.
var searchRankers = []string{SearchRankerNone, SearchRankerAuto, SearchRankerDefault20241115}

// maxSearchResults is the largest VectorStoreSearchParams.MaxNumResults.
const maxSearchResults = 50

// SearchRankingOptions sets how the results of a vector store search are
// ranked and which are dropped.
type SearchRankingOptions struct {
	// Ranker is SearchRankerNone, SearchRankerAuto or
	// SearchRankerDefault20241115; empty leaves the server's default (auto).
	Ranker string `json:"ranker,omitempty"`
	// ScoreThreshold drops results scoring below it, 0 to 1 (0, the
	// default, keeps all).
	ScoreThreshold float64 `json:"score_threshold"`
}

// VectorStoreSearchParams are the parameters of a vector store search.
// Exactly one of Query and Queries is required; the rest is optional.
//
// Filters restricts the search to files whose attributes match a
// comparison filter, such as
//
//	json.RawMessage(`{"type": "eq", "key": "author", "value": "Ada"}`)
//
// (types eq, ne, gt, gte, lt, lte, in and nin), or a compound filter
// combining others:
//
//	json.RawMessage(`{"type": "and", "filters": [
//		{"type": "eq", "key": "lang", "value": "en"},
//		{"type": "gte", "key": "year", "value": 2024}]}`)
type VectorStoreSearchParams struct {
	// Query is the text to search for.
	Query string
	// Queries are several texts to search for at once, instead of Query.
	Queries []string
	// Filters is a comparison or compound filter on the files'
	// attributes, sent as is; nil searches every file.
	Filters json.RawMessage
	// MaxNumResults caps the results, 1 to 50; 0 leaves the server's
	// default (10).
	MaxNumResults int
	// RankingOptions sets the ranker and the score threshold; nil leaves
	// the server's defaults.
	RankingOptions *SearchRankingOptions
	// RewriteQuery, when true, lets the server rewrite the query (in
	// natural language) for vector search; nil leaves the default (false).
	RewriteQuery *bool
}

// searchParamsWire is the request body of a vector store search.
type searchParamsWire struct {
	Query          any                   `json:"query"`
	RewriteQuery   *bool                 `json:"rewrite_query,omitempty"`
	MaxNumResults  int                   `json:"max_num_results,omitempty"`
	Filters        json.RawMessage       `json:"filters,omitempty"`
	RankingOptions *SearchRankingOptions `json:"ranking_options,omitempty"`
}

// MarshalJSON writes the request body: query as a string (Query), or as an
// array of strings when Queries is non-nil. Search rejects params that set
// both.
func (p VectorStoreSearchParams) MarshalJSON() ([]byte, error) {
	var query any = p.Query
	if p.Queries != nil {
		query = p.Queries
	}
	return json.Marshal(searchParamsWire{Query: query, RewriteQuery: p.RewriteQuery, MaxNumResults: p.MaxNumResults,
		Filters: p.Filters, RankingOptions: p.RankingOptions})
}

// UnmarshalJSON reads a request body, with query as a string or an array.
func (p *VectorStoreSearchParams) UnmarshalJSON(data []byte) error {
	var w struct {
		searchParamsWire
		Query json.RawMessage `json:"query"`
	}
	if err := json.Unmarshal(data, &w); err != nil {
		return err
	}
	*p = VectorStoreSearchParams{Filters: w.Filters, MaxNumResults: w.MaxNumResults,
		RankingOptions: w.RankingOptions, RewriteQuery: w.RewriteQuery}
	if q := bytes.TrimSpace(w.Query); len(q) > 0 && q[0] == '[' {
		return json.Unmarshal(q, &p.Queries)
	} else if len(q) > 0 {
		return json.Unmarshal(q, &p.Query)
	}
	return nil
}

// validate checks p, naming fields from field on.
func (p VectorStoreSearchParams) validate(field string) error {
	switch {
	case p.Query != "" && p.Queries != nil:
		return fmt.Errorf("assistants: %s: set Query or Queries, not both", field)
	case p.Queries != nil:
		if len(p.Queries) == 0 {
			return fmt.Errorf("assistants: %s.Queries must hold at least one query", field)
		}
		for i, q := range p.Queries {
			if strings.TrimSpace(q) == "" {
				return fmt.Errorf("assistants: %s.Queries[%d] must not be empty", field, i)
			}
		}
	case strings.TrimSpace(p.Query) == "":
		return fmt.Errorf("assistants: %s.Query must not be empty (or set Queries)", field)
	}
	if p.MaxNumResults < 0 || p.MaxNumResults > maxSearchResults {
		return fmt.Errorf("assistants: %s.MaxNumResults must be between 1 and %d (or 0 for the default), got %d", field, maxSearchResults, p.MaxNumResults)
	}
	if ro := p.RankingOptions; ro != nil {
		if ro.Ranker != "" && !slices.Contains(searchRankers, ro.Ranker) {
			return fmt.Errorf("assistants: %s.RankingOptions.Ranker must be %q, %q or %q (or empty for the default), got %q",
				field, SearchRankerNone, SearchRankerAuto, SearchRankerDefault20241115, ro.Ranker)
		}
		if math.IsNaN(ro.ScoreThreshold) || ro.ScoreThreshold < 0 || ro.ScoreThreshold > 1 {
			return fmt.Errorf("assistants: %s.RankingOptions.ScoreThreshold must be between 0 and 1, got %v", field, ro.ScoreThreshold)
		}
	}
	if len(p.Filters) > 0 {
		if !json.Valid(p.Filters) {
			return fmt.Errorf("assistants: %s.Filters is not valid JSON", field)
		}
		if err := validateFilter(field+".Filters", gjson.ParseBytes(p.Filters)); err != nil {
			return err
		}
	}
	return nil
}

// The filter types: comparisons of one attribute, and compounds of filters.
var (
	comparisonFilterTypes = []string{"eq", "ne", "gt", "gte", "lt", "lte", "in", "nin"}
	compoundFilterTypes   = []string{"and", "or"}
)

// validateFilter checks the shape of a (valid JSON) attribute filter: an
// object with a known type, a key and a value for a comparison, an array of
// filters for a compound. The values themselves are left to the server.
func validateFilter(field string, f gjson.Result) error {
	if !f.IsObject() {
		return fmt.Errorf("assistants: %s must be a JSON object (a comparison or compound filter), got %s", field, shorten(f.Raw))
	}
	typ := f.Get("type")
	switch {
	case typ.Type != gjson.String:
		return fmt.Errorf("assistants: %s.type must be a string: one of %s", field, strings.Join(append(slices.Clone(comparisonFilterTypes), compoundFilterTypes...), ", "))
	case slices.Contains(comparisonFilterTypes, typ.Str):
		if key := f.Get("key"); key.Type != gjson.String || key.Str == "" {
			return fmt.Errorf("assistants: %s: a %q filter needs a non-empty string key", field, typ.Str)
		}
		if v := f.Get("value"); !v.Exists() || v.Type == gjson.Null {
			return fmt.Errorf("assistants: %s: a %q filter needs a value", field, typ.Str)
		}
	case slices.Contains(compoundFilterTypes, typ.Str):
		list := f.Get("filters")
		if !list.IsArray() {
			return fmt.Errorf("assistants: %s: an %q filter needs an array of filters", field, typ.Str)
		}
		for i, sub := range list.Array() {
			if err := validateFilter(fmt.Sprintf("%s.filters[%d]", field, i), sub); err != nil {
				return err
			}
		}
	default:
		return fmt.Errorf("assistants: %s.type must be one of %s, got %q", field, strings.Join(append(slices.Clone(comparisonFilterTypes), compoundFilterTypes...), ", "), typ.Str)
	}
	return nil
}

// shorten quotes at most 60 bytes of s for an error message.
func shorten(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}

// VectorStoreSearchResult is one hit of a vector store search: a file and
// the chunks of it that matched.
type VectorStoreSearchResult struct {
	// FileID is the id of the file, such as "file-abc123".
	FileID string `json:"file_id"`
	// Filename is the name of the file.
	Filename string `json:"filename"`
	// Score is the similarity of the hit to the query, 0 to 1.
	Score float64 `json:"score"`
	// Attributes are the file's attributes in the store (nil when it has
	// none).
	Attributes map[string]any `json:"attributes"`
	// Content holds the matching chunks of the file.
	Content []VectorStoreContentPart `json:"content"`
}

// Text joins the text of the hit's chunks, separated by newlines.
func (r *VectorStoreSearchResult) Text() string { return joinTextParts(r.Content) }

// VectorStoreSearchPage is the answer to a vector store search: the hits,
// best first.
type VectorStoreSearchPage struct {
	rawJSON
	// Object is always "vector_store.search_results.page".
	Object string `json:"object"`
	// SearchQuery is the query the server searched for: the one given, or
	// its rewrite when RewriteQuery was set. A server answering with a
	// single string gets it as one element.
	SearchQuery []string `json:"search_query"`
	// Data holds the hits, best first.
	Data []VectorStoreSearchResult `json:"data"`
	// HasMore reports whether the server holds more results than this
	// page. The API defines no parameter to ask for them: raise
	// MaxNumResults instead.
	HasMore bool `json:"has_more"`
	// NextPage is the server's token for the next page; empty (JSON null)
	// when there is none.
	NextPage string `json:"next_page"`
}

// UnmarshalJSON decodes the page, with search_query as an array of strings
// or a single string, and keeps its JSON for Raw and Get.
func (p *VectorStoreSearchPage) UnmarshalJSON(data []byte) error {
	type plain VectorStoreSearchPage
	w := struct {
		*plain
		SearchQuery json.RawMessage `json:"search_query"`
	}{plain: (*plain)(p)}
	if err := decodeRaw(data, &w, &p.rawJSON); err != nil {
		return err
	}
	q, err := stringOrList(w.SearchQuery)
	if err != nil {
		return fmt.Errorf("search_query: %w", err)
	}
	p.SearchQuery = q
	return nil
}

// stringOrList decodes a JSON string (as one element), an array of strings,
// or null (as nil).
func stringOrList(raw json.RawMessage) ([]string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case len(raw) == 0 || string(raw) == "null":
		return nil, nil
	case raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return []string{s}, err
	case raw[0] == '[':
		var list []string
		err := json.Unmarshal(raw, &list)
		return list, err
	}
	return nil, errors.New("want a string or an array of strings, got " + shorten(string(raw)))
}

// Search searches the files of a vector store for the chunks most relevant
// to params.Query (or params.Queries), among the files whose attributes
// match params.Filters, and returns the hits, best first.
func (s *VectorStoresService) Search(ctx context.Context, vectorStoreID string, params VectorStoreSearchParams) (*VectorStoreSearchPage, error) {
	path, err := pathf("vector_stores/%s/search", arg("vectorStoreID", vectorStoreID))
	if err != nil {
		return nil, err
	}
	if err := params.validate("VectorStoreSearchParams"); err != nil {
		return nil, err
	}
	return callJSON[VectorStoreSearchPage](ctx, s.client, http.MethodPost, path, nil, params)
}
