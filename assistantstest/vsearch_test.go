package assistantstest_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/assistants-go/assistants/assistantstest"
)

// searchStore uploads four files, puts them in a vector store with
// attributes (notes.txt without any) and returns the api, the store's id
// and the files' ids by name.
func searchStore(t *testing.T) (*api, string, map[string]string) {
	t.Helper()
	a := newAPI(t)
	ids := map[string]string{}
	for _, f := range []struct{ name, text string }{
		{"hubble.txt", "The Hubble constant measures how fast the universe expands.\n\nEdwin Hubble observed distant galaxies receding in 1929.\n"},
		{"lemaitre.txt", "Georges Lemaitre proposed the expanding universe in 1927."},
		{"recipes.txt", "Bake the bread while the universe expands around the kitchen."},
		{"notes.txt", "Loose notes."},
	} {
		ids[f.name] = str(a.upload(f.name, "assistants", []byte(f.text)), "id")
	}
	vid := str(a.ok("POST", "/vector_stores", map[string]any{"name": "search"}), "id")
	for _, f := range []struct {
		name  string
		attrs map[string]any
	}{
		{"hubble.txt", map[string]any{"author": "Hubble", "year": 1929, "peer_reviewed": true, "topic": "cosmology"}},
		{"lemaitre.txt", map[string]any{"author": "Lemaitre", "year": 1927, "peer_reviewed": true}},
		{"recipes.txt", map[string]any{"topic": "cooking"}},
		{"notes.txt", nil},
	} {
		body := map[string]any{"file_id": ids[f.name]}
		if f.attrs != nil {
			body["attributes"] = f.attrs
		}
		a.ok("POST", "/vector_stores/"+vid+"/files", body)
	}
	if vs := a.ok("GET", "/vector_stores/"+vid, nil); num(vs, "file_counts", "completed") != 4 {
		t.Fatalf("the files did not settle: %v", vs)
	}
	return a, vid, ids
}

// hitNames returns the file names of the hits of a search page, in order.
func hitNames(page map[string]any) []string {
	out := []string{}
	for _, h := range list(page, "data") {
		out = append(out, str(h, "filename"))
	}
	return out
}

func TestVectorStoreSearch(t *testing.T) {
	a, vid, ids := searchStore(t)
	path := "/vector_stores/" + vid + "/search"

	page := a.ok("POST", path, map[string]any{"query": "universe expands"})
	if err := hasKey(page, "object", "search_query", "data", "has_more", "next_page"); err != nil {
		t.Fatal(err)
	}
	if page["object"] != "vector_store.search_results.page" || page["has_more"] != false || page["next_page"] != nil ||
		!reflect.DeepEqual(list(page, "search_query"), []any{"universe expands"}) {
		t.Errorf("page: %v", page)
	}
	if got, want := hitNames(page), []string{"hubble.txt", "recipes.txt", "lemaitre.txt"}; !reflect.DeepEqual(got, want) {
		t.Fatalf("hits %v, want %v (best first, ties in store order)", got, want)
	}
	first := get(page, "data", 0).(map[string]any)
	if err := hasKey(first, "file_id", "filename", "score", "attributes", "content"); err != nil {
		t.Fatal(err)
	}
	if str(first, "file_id") != ids["hubble.txt"] || num(first, "score") != 1 || num(page, "data", 2, "score") != 0.5 ||
		str(first, "attributes", "author") != "Hubble" || num(first, "attributes", "year") != 1929 ||
		len(list(first, "content")) != 1 || str(first, "content", 0, "type") != "text" ||
		str(first, "content", 0, "text") != "The Hubble constant measures how fast the universe expands." {
		t.Errorf("first hit: %v", first)
	}

	// A file without attributes has attributes null.
	page = a.ok("POST", path, map[string]any{"query": "notes"})
	if hitNames(page)[0] != "notes.txt" || get(page, "data", 0, "attributes") != nil {
		t.Errorf("notes: %v", page)
	}
	if raw := a.request("POST", path, map[string]any{"query": "notes"}).body; !strings.Contains(string(raw), `"attributes":null`) {
		t.Errorf("attributes is not null: %s", raw)
	}

	// max_num_results, has_more and the score threshold.
	page = a.ok("POST", path, map[string]any{"query": "universe expands", "max_num_results": 1})
	if !reflect.DeepEqual(hitNames(page), []string{"hubble.txt"}) || page["has_more"] != true {
		t.Errorf("max_num_results 1: %v", page)
	}
	page = a.ok("POST", path, map[string]any{"query": "universe expands",
		"ranking_options": map[string]any{"ranker": "none", "score_threshold": 0.75}})
	if !reflect.DeepEqual(hitNames(page), []string{"hubble.txt", "recipes.txt"}) {
		t.Errorf("score_threshold 0.75: %v", hitNames(page))
	}
	page = a.ok("POST", path, map[string]any{"query": "nothing matches zeppelins"})
	if len(list(page, "data")) != 0 || page["has_more"] != false {
		t.Errorf("no hits: %v", page)
	}

	// Several queries: each passage at its best score.
	page = a.ok("POST", path, map[string]any{"query": []string{"Hubble constant", "bread"}})
	if !reflect.DeepEqual(list(page, "search_query"), []any{"Hubble constant", "bread"}) ||
		!reflect.DeepEqual(hitNames(page), []string{"hubble.txt", "recipes.txt", "hubble.txt"}) ||
		num(page, "data", 1, "score") != 1 || num(page, "data", 2, "score") != 0.5 ||
		!strings.HasPrefix(str(page, "data", 2, "content", 0, "text"), "Edwin Hubble") {
		t.Errorf("two queries: %v", page)
	}

	// rewrite_query keeps the content words.
	page = a.ok("POST", path, map[string]any{"query": "What does the universe do when it expands?", "rewrite_query": true})
	if !reflect.DeepEqual(list(page, "search_query"), []any{"universe expands"}) || len(list(page, "data")) != 3 {
		t.Errorf("rewrite_query: %v", page)
	}
	page = a.ok("POST", path, map[string]any{"query": "What does the universe do when it expands?", "rewrite_query": false})
	if !reflect.DeepEqual(list(page, "search_query"), []any{"What does the universe do when it expands?"}) {
		t.Errorf("rewrite_query false: %v", page)
	}
}

func TestVectorStoreSearchFilters(t *testing.T) {
	a, vid, _ := searchStore(t)
	path := "/vector_stores/" + vid + "/search"
	eq := func(typ, key string, value any) map[string]any {
		return map[string]any{"type": typ, "key": key, "value": value}
	}
	for _, tc := range []struct {
		name   string
		filter map[string]any
		want   []string
	}{
		{"eq string", eq("eq", "author", "Lemaitre"), []string{"lemaitre.txt"}},
		{"eq number", eq("eq", "year", 1929), []string{"hubble.txt"}},
		{"eq bool", eq("eq", "peer_reviewed", true), []string{"hubble.txt", "lemaitre.txt"}},
		{"eq wrong type", eq("eq", "year", "1929"), []string{}},
		{"eq no match", eq("eq", "author", "Nobody"), []string{}},
		{"ne skips files without the key", eq("ne", "author", "Hubble"), []string{"lemaitre.txt"}},
		{"gt", eq("gt", "year", 1927), []string{"hubble.txt"}},
		{"gte", eq("gte", "year", 1927), []string{"hubble.txt", "lemaitre.txt"}},
		{"lt", eq("lt", "year", 1929), []string{"lemaitre.txt"}},
		{"lte decimal", eq("lte", "year", 1929.5), []string{"hubble.txt", "lemaitre.txt"}},
		{"gt string", eq("gt", "author", "I"), []string{"lemaitre.txt"}},
		{"gt number with string", eq("gt", "year", "1"), []string{}},
		{"in", eq("in", "author", []any{"Hubble", "Nobody"}), []string{"hubble.txt"}},
		{"in numbers", eq("in", "year", []any{1927, 2000}), []string{"lemaitre.txt"}},
		{"in scalar", eq("in", "topic", "cooking"), []string{"recipes.txt"}},
		{"nin", eq("nin", "author", []any{"Hubble"}), []string{"lemaitre.txt"}},
		{"and", map[string]any{"type": "and", "filters": []any{eq("eq", "peer_reviewed", true), eq("gt", "year", 1928)}}, []string{"hubble.txt"}},
		{"or", map[string]any{"type": "or", "filters": []any{eq("eq", "topic", "cooking"), eq("eq", "author", "Lemaitre")}}, []string{"recipes.txt", "lemaitre.txt"}},
		{"nested", map[string]any{"type": "or", "filters": []any{
			eq("eq", "topic", "cooking"),
			map[string]any{"type": "and", "filters": []any{eq("eq", "peer_reviewed", true), eq("lt", "year", 1928)}},
		}}, []string{"recipes.txt", "lemaitre.txt"}},
		{"empty and", map[string]any{"type": "and", "filters": []any{}}, []string{"hubble.txt", "recipes.txt", "lemaitre.txt"}},
		{"empty or", map[string]any{"type": "or", "filters": []any{}}, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			page := a.ok("POST", path, map[string]any{"query": "universe expands", "filters": tc.filter})
			if got := hitNames(page); !reflect.DeepEqual(got, tc.want) {
				t.Errorf("hits %v, want %v", got, tc.want)
			}
		})
	}
}

func TestVectorStoreSearchErrors(t *testing.T) {
	a, vid, _ := searchStore(t)
	path := "/vector_stores/" + vid + "/search"
	for _, tc := range []struct {
		name        string
		body        any
		param, code string
	}{
		{"no body", nil, "query", "missing_required_parameter"},
		{"null query", map[string]any{"query": nil}, "query", "missing_required_parameter"},
		{"number query", map[string]any{"query": 3}, "query", "invalid_type"},
		{"empty query", map[string]any{"query": ""}, "query", "empty_string"},
		{"empty array", map[string]any{"query": []string{}}, "query", "empty_array"},
		{"empty item", map[string]any{"query": []string{"a", " "}}, "query[1]", "empty_string"},
		{"non-string item", map[string]any{"query": []any{"a", 1}}, "query[1]", "invalid_type"},
		{"unknown parameter", map[string]any{"query": "x", "limit": 3}, "limit", "unknown_parameter"},
		{"max_num_results 0", map[string]any{"query": "x", "max_num_results": 0}, "max_num_results", "integer_below_min_value"},
		{"max_num_results 51", map[string]any{"query": "x", "max_num_results": 51}, "max_num_results", "integer_above_max_value"},
		{"max_num_results string", map[string]any{"query": "x", "max_num_results": "5"}, "max_num_results", "invalid_type"},
		{"rewrite_query string", map[string]any{"query": "x", "rewrite_query": "yes"}, "rewrite_query", "invalid_type"},
		{"ranker", map[string]any{"query": "x", "ranking_options": map[string]any{"ranker": "default_2024_08_21"}}, "ranking_options.ranker", "invalid_value"},
		{"score_threshold", map[string]any{"query": "x", "ranking_options": map[string]any{"score_threshold": 1.5}}, "ranking_options.score_threshold", "decimal_above_max_value"},
		{"ranking option unknown", map[string]any{"query": "x", "ranking_options": map[string]any{"top_k": 1}}, "ranking_options.top_k", "unknown_parameter"},
		{"filter not an object", map[string]any{"query": "x", "filters": "author=Ada"}, "filters", "invalid_type"},
		{"filter type", map[string]any{"query": "x", "filters": map[string]any{"type": "like", "key": "a", "value": "b"}}, "filters.type", "invalid_value"},
		{"filter without type", map[string]any{"query": "x", "filters": map[string]any{"key": "a", "value": "b"}}, "filters.type", "missing_required_parameter"},
		{"filter without key", map[string]any{"query": "x", "filters": map[string]any{"type": "eq", "value": "b"}}, "filters.key", "missing_required_parameter"},
		{"filter without value", map[string]any{"query": "x", "filters": map[string]any{"type": "eq", "key": "a"}}, "filters.value", "missing_required_parameter"},
		{"filter object value", map[string]any{"query": "x", "filters": map[string]any{"type": "eq", "key": "a", "value": map[string]any{}}}, "filters.value", "invalid_type"},
		{"eq with an array", map[string]any{"query": "x", "filters": map[string]any{"type": "eq", "key": "a", "value": []string{"b"}}}, "filters.value", "invalid_value"},
		{"in with a bool item", map[string]any{"query": "x", "filters": map[string]any{"type": "in", "key": "a", "value": []any{"b", true}}}, "filters.value[1]", "invalid_type"},
		{"filter extra property", map[string]any{"query": "x", "filters": map[string]any{"type": "eq", "key": "a", "value": "b", "op": "x"}}, "filters.op", "unknown_parameter"},
		{"comparison with filters", map[string]any{"query": "x", "filters": map[string]any{"type": "eq", "key": "a", "value": "b", "filters": []any{}}}, "filters.filters", "unknown_parameter"},
		{"compound without filters", map[string]any{"query": "x", "filters": map[string]any{"type": "and"}}, "filters.filters", "missing_required_parameter"},
		{"compound with key", map[string]any{"query": "x", "filters": map[string]any{"type": "or", "key": "a", "filters": []any{}}}, "filters.key", "unknown_parameter"},
		{"nested error", map[string]any{"query": "x", "filters": map[string]any{"type": "and", "filters": []any{
			map[string]any{"type": "eq", "key": "a", "value": "b"},
			map[string]any{"type": "or", "filters": []any{map[string]any{"type": "gt", "key": "a"}}},
		}}}, "filters.filters[1].filters[0].value", "missing_required_parameter"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := a.fail(400, "POST", path, tc.body)
			if str(e, "param") != tc.param || str(e, "code") != tc.code || str(e, "type") != "invalid_request_error" {
				t.Errorf("error %v, want param %q code %q", e, tc.param, tc.code)
			}
		})
	}
	if e := a.fail(400, "POST", path, "{not json"); str(e, "message") == "" {
		t.Errorf("bad JSON: %v", e)
	}
	if e := a.fail(404, "POST", "/vector_stores/vs_missing/search", map[string]any{"query": "x"}); !strings.Contains(str(e, "message"), "vs_missing") {
		t.Errorf("unknown store: %v", e)
	}
}

// TestVectorStoreSearchSkipsUnreadyFiles checks that only completed files
// are searched, and that a file removed from the store is no longer.
func TestVectorStoreSearchSkipsUnreadyFiles(t *testing.T) {
	clk := newClock()
	a := newAPI(t, assistantstest.WithClock(clk.now), assistantstest.WithStepDelay(time.Second))
	f1 := str(a.upload("a.txt", "assistants", []byte("Zebras graze.")), "id")
	f2 := str(a.upload("b.txt", "assistants", []byte("Zebras run.")), "id")
	empty := str(a.upload("c.txt", "assistants", nil), "id")
	vid := str(a.ok("POST", "/vector_stores", map[string]any{"file_ids": []string{f1, empty}}), "id")
	path := "/vector_stores/" + vid + "/search"
	if page := a.ok("POST", path, map[string]any{"query": "zebras"}); len(list(page, "data")) != 0 {
		t.Errorf("a file still in progress was searched: %v", page)
	}
	clk.add(2 * time.Second)
	a.ok("POST", "/vector_stores/"+vid+"/files", map[string]any{"file_id": f2})
	if page := a.ok("POST", path, map[string]any{"query": "zebras"}); !reflect.DeepEqual(hitNames(page), []string{"a.txt"}) {
		t.Errorf("hits %v, want only the completed a.txt", hitNames(page))
	}
	clk.add(2 * time.Second)
	if page := a.ok("POST", path, map[string]any{"query": "zebras"}); !reflect.DeepEqual(hitNames(page), []string{"a.txt", "b.txt"}) {
		t.Errorf("hits %v, want both files", hitNames(page))
	}
	a.ok("DELETE", "/vector_stores/"+vid+"/files/"+f1, nil)
	if page := a.ok("POST", path, map[string]any{"query": "zebras"}); !reflect.DeepEqual(hitNames(page), []string{"b.txt"}) {
		t.Errorf("hits %v after removing a.txt, want b.txt", hitNames(page))
	}
}

func TestVectorStoreFileContent(t *testing.T) {
	a, vid, ids := searchStore(t)
	page := a.ok("GET", "/vector_stores/"+vid+"/files/"+ids["lemaitre.txt"]+"/content", nil)
	want := map[string]any{"object": "vector_store.file_content.page",
		"data":     []any{map[string]any{"type": "text", "text": "Georges Lemaitre proposed the expanding universe in 1927."}},
		"has_more": false, "next_page": nil}
	if !reflect.DeepEqual(page, want) {
		got, _ := json.Marshal(page)
		t.Errorf("content %s", got)
	}
	other := str(a.upload("other.txt", "assistants", []byte("elsewhere")), "id")
	a.fail(404, "GET", "/vector_stores/"+vid+"/files/"+other+"/content", nil)
	a.fail(404, "GET", "/vector_stores/vs_missing/files/"+ids["notes.txt"]+"/content", nil)
	a.ok("DELETE", "/vector_stores/"+vid+"/files/"+ids["notes.txt"], nil)
	a.fail(404, "GET", "/vector_stores/"+vid+"/files/"+ids["notes.txt"]+"/content", nil)
}
