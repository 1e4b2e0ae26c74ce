package speccheck

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// decodeJSON decodes JSON the way the fixture check does (numbers as
// json.Number).
func decodeJSON(t *testing.T, s string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return v
}

// miniSpec makes a Spec from a small OpenAPI document written in JSON.
func miniSpec(t *testing.T, doc string) *Spec {
	t.Helper()
	m, ok := decodeJSON(t, doc).(map[string]any)
	if !ok {
		t.Fatal("document is not an object")
	}
	s, err := New(m)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testDoc has schemas for the validator tests and a few operations.
const testDoc = `{
  "openapi": "3.1.0",
  "paths": {
    "/things": {
      "get": {
        "operationId": "listThings",
        "parameters": [
          {"name": "limit", "in": "query", "description": "A limit. Limit can range between 1 and 100, and the default is 20.", "schema": {"type": "integer"}},
          {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 5}},
          {"name": "order", "in": "query", "schema": {"type": "string", "enum": ["asc", "desc"]}},
          {"name": "verbose", "in": "query", "schema": {"type": "boolean"}},
          {"name": "include[]", "in": "query", "schema": {"type": "array", "items": {"type": "string", "enum": ["a", "b"]}}},
          {"$ref": "#/components/parameters/Cursor"}
        ]
      },
      "post": {
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
      }
    },
    "/things/search": {"post": {"requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}}}},
    "/things/{thing_id}": {
      "parameters": [{"name": "thing_id", "in": "path", "required": true, "schema": {"type": "string", "pattern": "^thing_"}}],
      "get": {},
      "delete": {}
    },
    "/things/{thing_id}/files": {
      "post": {
        "requestBody": {"content": {"multipart/form-data": {"schema": {
          "type": "object", "additionalProperties": false, "required": ["file", "purpose"],
          "properties": {
            "file": {"type": "string", "format": "binary"},
            "purpose": {"type": "string", "enum": ["assistants", "batch"]},
            "expires_after": {"type": "object", "required": ["anchor", "seconds"], "properties": {
              "anchor": {"type": "string", "enum": ["created_at"]},
              "seconds": {"type": "integer", "minimum": 3600}}}
          }}}}}
      }
    }
  },
  "components": {
    "parameters": {"Cursor": {"name": "after", "in": "query", "schema": {"type": "string"}}},
    "schemas": {
      "Thing": {
        "type": "object",
        "additionalProperties": false,
        "required": ["name"],
        "properties": {
          "name": {"type": "string", "maxLength": 5},
          "note": {"anyOf": [{"type": "string", "maxLength": 3}, {"type": "null"}]},
          "count": {"type": "integer", "minimum": 0, "maximum": 10},
          "ratio": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
          "old_ratio": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
          "tags": {"type": "array", "maxItems": 2, "items": {"type": "string"}},
          "grid": {"type": "array", "items": {"type": "array", "items": {"type": "integer"}}},
          "kind": {"type": "string", "enum": ["a", "b"]},
          "fixed": {"const": "x"},
          "meta": {"$ref": "#/components/schemas/Meta"},
          "tools": {"type": "array", "items": {"oneOf": [
            {"$ref": "#/components/schemas/ToolA"},
            {"$ref": "#/components/schemas/ToolB"}
          ]}},
          "legacy": {"type": "string", "nullable": true},
          "both": {"allOf": [
            {"type": "object", "required": ["x"]},
            {"type": "object", "required": ["y"]}
          ]},
          "notnum": {"not": {"type": "number"}},
          "either": {"oneOf": [{"type": "object", "required": ["a"]}, {"type": "object", "required": ["b"]}]},
          "opt_meta": {"allOf": [{"$ref": "#/components/schemas/ToolA"}, {"nullable": true}]},
          "alias": {"$ref": "#/components/schemas/Alias"},
          "missing": {"$ref": "#/components/schemas/Nope"},
          "code": {"type": "string", "pattern": "^[a-z]+$", "minLength": 2},
          "set": {"type": "array", "uniqueItems": true, "minItems": 1}
        }
      },
      "Alias": {"$ref": "#/components/schemas/Meta"},
      "Meta": {
        "anyOf": [
          {"type": "object", "maxProperties": 2, "propertyNames": {"maxLength": 4},
           "additionalProperties": {"oneOf": [{"type": "string", "maxLength": 3}, {"type": "number"}, {"type": "boolean"}]}},
          {"type": "null"}
        ]
      },
      "ToolA": {"type": "object", "required": ["type"], "properties": {"type": {"type": "string", "enum": ["a"]}}},
      "ToolB": {"type": "object", "required": ["type", "b"], "properties": {
        "type": {"type": "string", "enum": ["b"]},
        "b": {"type": "object", "properties": {"strict": {"type": "boolean"}}}}},
      "Overlap": {"oneOf": [{"type": "string"}, {"type": "string", "maxLength": 10}]},
      "Loop": {"$ref": "#/components/schemas/Loop"},
      "Filter": {
        "$recursiveAnchor": true, "type": "object", "additionalProperties": false, "required": ["op"],
        "properties": {
          "op": {"type": "string", "enum": ["and", "or"]},
          "filters": {"type": "array", "items": {"oneOf": [
            {"type": "object", "additionalProperties": false, "required": ["key"], "properties": {"key": {"type": "string"}}},
            {"$recursiveRef": "#"}
          ]}}
        }
      }
    }
  }
}`

func thingSchema() map[string]any {
	return map[string]any{"$ref": "#/components/schemas/Thing"}
}

func errStrings(errs []Error) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

func TestValidate(t *testing.T) {
	s := miniSpec(t, testDoc)
	tests := []struct {
		name string
		body string
		want []string // each error, as a prefix of its text; nil means valid
	}{
		{"valid minimal", `{"name":"ab"}`, nil},
		{"valid full", `{"name":"ab","note":null,"count":10,"ratio":0.5,"old_ratio":1,"tags":["x"],"grid":[[1,2],[3.0]],
			"kind":"b","fixed":"x","meta":{"k":"v","n":1.5},"tools":[{"type":"a"},{"type":"b","b":{"strict":true}}],
			"legacy":null,"both":{"x":1,"y":2},"notnum":"s","alias":null,"code":"ab","set":[1,"1"]}`, nil},
		{"type mismatch", `{"name":5}`, []string{`$.name: expected string, got integer 5`}},
		{"top-level type", `[]`, []string{`$: expected object, got array`}},
		{"integer with fraction", `{"name":"a","count":1.5}`, []string{`$.count: expected integer, got number 1.5`}},
		{"missing required", `{}`, []string{`$: missing required property "name"`}},
		{"unknown property", `{"name":"a","foo":1}`, []string{`$.foo: unknown property (additionalProperties is false)`}},
		{"odd property name", `{"name":"a","a b":1}`, []string{`$["a b"]: unknown property`}},
		{"enum", `{"name":"a","kind":"c"}`, []string{`$.kind: value "c" is not one of ["a", "b"]`}},
		{"const", `{"name":"a","fixed":"y"}`, []string{`$.fixed: value "y" is not the constant "x"`}},
		{"maxLength counts characters", `{"name":"ééééé"}`, nil},
		{"maxLength", `{"name":"abcdef"}`, []string{`$.name: string is 6 characters long, more than maxLength 5`}},
		{"minimum", `{"name":"a","count":-1}`, []string{`$.count: -1 is less than the minimum 0`}},
		{"maximum", `{"name":"a","count":11}`, []string{`$.count: 11 is greater than the maximum 10`}},
		{"exclusive numbers", `{"name":"a","ratio":1}`, []string{`$.ratio: 1 is not less than the exclusive maximum 1`}},
		{"exclusive boolean", `{"name":"a","old_ratio":0}`, []string{`$.old_ratio: 0 is not greater than the exclusive minimum 0`}},
		{"maxItems", `{"name":"a","tags":["x","y","z"]}`, []string{`$.tags: array has 3 items, more than maxItems 2`}},
		{"array item type", `{"name":"a","tags":["x",1]}`, []string{`$.tags[1]: expected string, got integer 1`}},
		{"nested arrays", `{"name":"a","grid":[[1,2],[3,"x"]]}`, []string{`$.grid[1][1]: expected integer, got string "x"`}},
		{"nested array not array", `{"name":"a","grid":[1]}`, []string{`$.grid[0]: expected array, got integer 1`}},
		{"anyOf null ok", `{"name":"a","note":null}`, nil},
		{"anyOf picks the matching type", `{"name":"a","note":"long"}`, []string{`$.note: string is 4 characters long, more than maxLength 3`}},
		{"anyOf no type matches", `{"name":"a","note":5}`, []string{`$.note: expected string or null, got integer 5`}},
		{"nullable", `{"name":"a","legacy":7}`, []string{`$.legacy: expected string or null, got integer 7`}},
		{"ref to anyOf", `{"name":"a","meta":[]}`, []string{`$.meta: expected object or null, got array`}},
		{"ref chain", `{"name":"a","alias":{"k":{}}}`, []string{`$.alias.k: expected string or number or boolean, got object`}},
		{"additionalProperties schema", `{"name":"a","meta":{"k":"long"}}`, []string{`$.meta.k: string is 4 characters long, more than maxLength 3`}},
		{"propertyNames and maxProperties", `{"name":"a","meta":{"a":1,"b":2,"toolong":3}}`, []string{
			`$.meta: object has 3 properties, more than maxProperties 2`,
			`$.meta.toolong: property name: string is 7 characters long, more than maxLength 4`}},
		{"unresolvable ref", `{"name":"a","missing":1}`, []string{`$.missing: $ref "#/components/schemas/Nope" does not resolve`}},
		{"oneOf picks the closest branch", `{"name":"a","tools":[{"type":"a"},{"type":"b","b":{"strict":"yes"}}]}`, []string{
			`$.tools[1].b.strict: expected boolean, got string "yes"`}},
		{"oneOf told apart by an enum", `{"name":"a","tools":[{"type":"bogus"}]}`, []string{
			`$.tools[0].type: value "bogus" is not one of ["a", "b"]`}},
		{"oneOf no branch closest", `{"name":"a","either":{}}`, []string{
			`$.either: value matches none of the oneOf alternatives (#1: $.either: missing required property "a" | #2: $.either: missing required property "b")`}},
		{"allOf", `{"name":"a","both":{"x":1}}`, []string{`$.both: missing required property "y"`}},
		{"allOf with a nullable member takes null", `{"name":"a","opt_meta":null}`, nil},
		{"allOf with a nullable member checks the rest", `{"name":"a","opt_meta":{"type":"b"}}`, []string{`$.opt_meta.type: value "b" is not one of ["a"]`}},
		{"not", `{"name":"a","notnum":1}`, []string{`$.notnum: value must not match the "not" schema`}},
		{"pattern and minLength", `{"name":"a","code":"A"}`, []string{
			`$.code: string is 1 characters long, less than minLength 2`,
			`$.code: value "A" does not match pattern "^[a-z]+$"`}},
		{"uniqueItems and minItems", `{"name":"a","set":[]}`, []string{`$.set: array has 0 items, less than minItems 1`}},
		{"uniqueItems", `{"name":"a","set":[1,1.0]}`, []string{`$.set: items 0 and 1 are equal (uniqueItems)`}},
		{"several errors", `{"name":1,"kind":"z","foo":true}`, []string{
			`$.foo: unknown property`, `$.kind: value "z"`, `$.name: expected string`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := errStrings(s.Validate(thingSchema(), decodeJSON(t, tc.body), "$"))
			if len(got) != len(tc.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tc.want), strings.Join(got, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

func TestValidateOneOfStrictness(t *testing.T) {
	schema := map[string]any{"$ref": "#/components/schemas/Overlap"}
	s := miniSpec(t, testDoc)
	errs := errStrings(s.Validate(schema, "short", "$"))
	if len(errs) != 1 || !strings.Contains(errs[0], "matches 2 of the 2 oneOf alternatives") {
		t.Errorf("strict oneOf: got %q", errs)
	}
	lenient := miniSpec(t, testDoc)
	lenient.StrictOneOf = false
	if errs := lenient.Validate(schema, "short", "$"); len(errs) != 0 {
		t.Errorf("lenient oneOf: got %q", errStrings(errs))
	}
	if errs := lenient.Validate(schema, 5, "$"); len(errs) != 1 {
		t.Errorf("lenient oneOf with no match: got %q", errStrings(errs))
	}
}

func TestValidateRefCycle(t *testing.T) {
	s := miniSpec(t, testDoc)
	errs := errStrings(s.Validate(map[string]any{"$ref": "#/components/schemas/Loop"}, "x", "$"))
	if len(errs) != 1 || !strings.Contains(errs[0], "$ref chain too long") {
		t.Errorf("got %q", errs)
	}
}

func TestValidateRecursiveRef(t *testing.T) {
	s := miniSpec(t, testDoc)
	schema := map[string]any{"$ref": "#/components/schemas/Filter"}
	ok := `{"op":"and","filters":[{"key":"a"},{"op":"or","filters":[{"key":"b"},{"op":"and"}]}]}`
	if errs := s.Validate(schema, decodeJSON(t, ok), "$"); len(errs) != 0 {
		t.Errorf("valid filter: %q", errStrings(errs))
	}
	bad := `{"op":"and","filters":[{"op":"or","filters":[{"op":"xor"}]}]}`
	errs := errStrings(s.Validate(schema, decodeJSON(t, bad), "$"))
	if len(errs) != 1 || !strings.HasPrefix(errs[0], `$.filters[0].filters[0].op: value "xor" is not one of ["and", "or"]`) {
		t.Errorf("bad nested filter: %q", errs)
	}
}

func TestValidateBooleanSchemas(t *testing.T) {
	s := miniSpec(t, testDoc)
	if errs := s.Validate(true, "anything", "$"); len(errs) != 0 {
		t.Errorf("true schema: %q", errStrings(errs))
	}
	if errs := s.Validate(false, "anything", "$"); len(errs) != 1 {
		t.Errorf("false schema: %q", errStrings(errs))
	}
}

func TestOperationLookup(t *testing.T) {
	s := miniSpec(t, testDoc)
	for _, c := range []struct{ method, path, want, wantErr string }{
		{"GET", "/things", "/things", ""},
		{"POST", "/things/search", "/things/search", ""},                  // literal beats {thing_id}
		{"GET", "/things/search", "/things/{thing_id}", ""},               // the literal path has no GET
		{"DELETE", "/things/thing_1", "/things/{thing_id}", ""},           //
		{"POST", "/things/thing_1/files", "/things/{thing_id}/files", ""}, //
		{"PUT", "/things/thing_1", "", "the spec has no operation PUT /things/thing_1 (the path matches GET /things/{thing_id}, DELETE /things/{thing_id})"},
		{"GET", "/things/thing_1/extra", "", "no path of the spec matches GET /things/thing_1/extra"},
		{"GET", "/things/", "", "no path of the spec matches"},
	} {
		op, err := s.Operation(c.method, c.path)
		if c.wantErr != "" {
			if err == nil || !strings.HasPrefix(err.Error(), c.wantErr) {
				t.Errorf("%s %s: error %v, want %q", c.method, c.path, err, c.wantErr)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		if op.Path != c.want {
			t.Errorf("%s %s matched %s, want %s", c.method, c.path, op.Path, c.want)
		}
	}

	op, err := s.Operation("GET", "/things/other_1")
	if err != nil {
		t.Fatal(err)
	}
	if got := errStrings(op.CheckPathParams()); len(got) != 1 || !strings.HasPrefix(got[0], `path.thing_id: value "other_1" does not match pattern`) {
		t.Errorf("path parameter: %q", got)
	}
}

func TestCheckQuery(t *testing.T) {
	s := miniSpec(t, testDoc)
	op, err := s.Operation("GET", "/things")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		query map[string][]string
		want  []string
	}{
		{"valid", map[string][]string{"limit": {"100"}, "page": {"5"}, "order": {"asc"}, "verbose": {"true"}, "include[]": {"a", "b"}, "after": {"x"}}, nil},
		{"unknown", map[string][]string{"limt": {"1"}}, []string{`query.limt: not a query parameter of GET /things (it has limit, page, order, verbose, include[], after)`}},
		{"not an integer", map[string][]string{"page": {"two"}}, []string{`query.page: expected integer, got string "two"`}},
		{"below minimum", map[string][]string{"page": {"0"}}, []string{`query.page: 0 is less than the minimum 1`}},
		{"above maximum", map[string][]string{"page": {"6"}}, []string{`query.page: 6 is greater than the maximum 5`}},
		{"range from description", map[string][]string{"limit": {"101"}}, []string{`query.limit: 101 is outside the range 1..100 given in the parameter's description`}},
		{"range from description low", map[string][]string{"limit": {"0"}}, []string{`query.limit: 0 is outside the range 1..100`}},
		{"enum", map[string][]string{"order": {"up"}}, []string{`query.order: value "up" is not one of ["asc", "desc"]`}},
		{"boolean", map[string][]string{"verbose": {"yes"}}, []string{`query.verbose: expected boolean, got string "yes"`}},
		{"array enum", map[string][]string{"include[]": {"a", "c"}}, []string{`query["include[]"][1]: value "c" is not one of ["a", "b"]`}},
		{"repeated scalar", map[string][]string{"order": {"asc", "desc"}}, []string{`query.order: given 2 times, but the parameter is not an array`}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := errStrings(op.CheckQuery(c.query))
			if len(got) != len(c.want) {
				t.Fatalf("got %q, want %q", got, c.want)
			}
			for i, w := range c.want {
				if !strings.HasPrefix(got[i], w) {
					t.Errorf("error %d = %q, want prefix %q", i, got[i], w)
				}
			}
		})
	}
}

func TestCheckBodies(t *testing.T) {
	s := miniSpec(t, testDoc)
	get, err := s.Operation("GET", "/things")
	if err != nil {
		t.Fatal(err)
	}
	post, err := s.Operation("POST", "/things")
	if err != nil {
		t.Fatal(err)
	}
	search, err := s.Operation("POST", "/things/search")
	if err != nil {
		t.Fatal(err)
	}
	upload, err := s.Operation("POST", "/things/thing_1/files")
	if err != nil {
		t.Fatal(err)
	}
	check := func(name string, errs []Error, want ...string) {
		t.Helper()
		got := errStrings(errs)
		if len(got) != len(want) {
			t.Errorf("%s: got %q, want %q", name, got, want)
			return
		}
		for i, w := range want {
			if !strings.HasPrefix(got[i], w) {
				t.Errorf("%s: error %d = %q, want prefix %q", name, i, got[i], w)
			}
		}
	}
	check("GET without body", get.CheckNoBody())
	check("GET with body", get.CheckJSONBody([]byte(`{}`)), "$: GET /things takes no request body but the request has one")
	check("GET with multipart", get.CheckMultipart(nil, nil), "$: GET /things takes no request body")
	check("required body missing", post.CheckNoBody(), "$: POST /things requires a request body (application/json)")
	check("optional body missing", search.CheckNoBody())
	check("JSON body", post.CheckJSONBody([]byte(`{"name":"a"}`)))
	check("bad JSON", post.CheckJSONBody([]byte(`{"name":`)), "$: body is not valid JSON")
	check("trailing data", post.CheckJSONBody([]byte(`{"name":"a"} {}`)), "$: body has data after the JSON value")
	check("JSON body invalid", post.CheckJSONBody([]byte(`{"name":"a","count":"1"}`)), `$.count: expected integer, got string "1"`)
	check("multipart to JSON operation", post.CheckMultipart(map[string][]string{"name": {"a"}}, nil),
		"$: POST /things does not take a multipart/form-data body (it takes application/json)")
	check("JSON to multipart operation", upload.CheckJSONBody([]byte(`{}`)),
		"$: POST /things/{thing_id}/files does not take an application/json body (it takes multipart/form-data)")

	check("multipart valid", upload.CheckMultipart(
		map[string][]string{"purpose": {"batch"}, "expires_after[anchor]": {"created_at"}, "expires_after[seconds]": {"3600"}},
		map[string]string{"file": "a.txt"}))
	check("multipart missing", upload.CheckMultipart(map[string][]string{"purpose": {"batch"}}, nil),
		`$: missing required property "file"`)
	check("multipart bad values", upload.CheckMultipart(
		map[string][]string{"purpose": {"fun"}, "expires_after[seconds]": {"60"}, "other": {"x"}},
		map[string]string{"file": "a.txt"}),
		`$.expires_after: missing required property "anchor"`,
		`$.expires_after.seconds: 60 is less than the minimum 3600`,
		`$.other: unknown property (additionalProperties is false)`,
		`$.purpose: value "fun" is not one of ["assistants", "batch"]`)
	check("multipart file where a field is expected", upload.CheckMultipart(nil, map[string]string{"file": "a", "purpose": "p.txt"}),
		`$.purpose: value <file "p.txt"> is not one of`)
	check("multipart field where a file is expected", upload.CheckMultipart(map[string][]string{"file": {"text"}, "purpose": {"batch"}}, nil),
		`$.file: expected a file part, got a plain form field`)
	check("multipart repeated field", upload.CheckMultipart(map[string][]string{"purpose": {"batch", "batch"}}, map[string]string{"file": "a"}),
		`$.purpose: expected string, got array`)
	check("multipart conflicting names", upload.CheckMultipart(
		map[string][]string{"expires_after": {"x"}, "expires_after[anchor]": {"created_at"}}, map[string]string{"file": "a"}),
		`$["expires_after[anchor]"]: form field conflicts with another field`,
		`$: missing required property "purpose"`,
		`$.expires_after: expected object, got string "x"`)
}

func TestSetFormValue(t *testing.T) {
	obj := map[string]any{}
	for name, vals := range map[string][]any{
		"a":          {"1"},
		"b[c]":       {"2"},
		"b[d][e]":    {"3"},
		"f[]":        {"4", "5"},
		"g[]":        {"6"},
		"h":          {"7", "8"},
		"weird[x]]":  {"9"},
		"[leading]":  {"10"},
		"unclosed[x": {"11"},
	} {
		if err := setFormValue(obj, name, vals); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	got, _ := json.Marshal(obj)
	want := `{"[leading]":"10","a":"1","b":{"c":"2","d":{"e":"3"}},"f":["4","5"],"g":["6"],"h":["7","8"],"unclosed[x":"11","weird[x]]":"9"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestUnknownKeywords(t *testing.T) {
	s := miniSpec(t, `{"openapi":"3.0.0","paths":{"/x":{"post":{
		"parameters":[{"name":"q","in":"query","schema":{"type":"string","x-vendor":1,"format":"uuid"}}],
		"requestBody":{"content":{"application/json":{"schema":{"$ref":"#/components/schemas/X"}}}}}}},
		"components":{"schemas":{"X":{"type":"object","properties":{"patternProperties":{"type":"string"},"y":{"$ref":"#/components/schemas/Y"}},
		"additionalProperties":{"items":{"if":{}}}},
		"Y":{"anyOf":[{"$ref":"#/components/schemas/X"},{"dependentRequired":{}}, {"$ref":"#/components/schemas/Z"}]}}}}`)
	op, err := s.Operation("POST", "/x")
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(s.UnknownKeywords(op), "\n")
	want := strings.Join([]string{
		"dependentRequired (at #/components/schemas/Y/anyOf/1)",
		"if (at #/components/schemas/X/additionalProperties/items)",
		`unresolvable $ref #/components/schemas/Z (at #/components/schemas/Y/anyOf/2)`,
	}, "\n")
	if got != want {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
}

// TestAssistantsSpecRejectsBadBody makes sure that the validator, with the
// real spec, rejects a bad POST /assistants body, so that the fixture check
// cannot pass everything.
func TestAssistantsSpecRejectsBadBody(t *testing.T) {
	s := loadSpec(t)
	op, err := s.Operation("POST", "/assistants")
	if err != nil {
		t.Fatal(err)
	}
	if errs := op.CheckJSONBody([]byte(`{"model":"gpt-4o","tools":[{"type":"function","function":{"name":"f","strict":true}}]}`)); len(errs) > 0 {
		t.Fatalf("good body rejected: %q", errStrings(errs))
	}
	for _, c := range []struct{ body, want string }{
		{`{"model":"gpt-4o","foo":1}`, `$.foo: unknown property (additionalProperties is false)`},
		{`{"model":"gpt-4o","tools":[{"type":"bogus"}]}`, `$.tools[0].type: value "bogus" is not one of ["code_interpreter", "file_search", "function"]`},
		{`{"model":"gpt-4o","tools":[{"type":"code_interpreter"},{"type":"function","function":{"name":"f","strict":"yes"}}]}`, `$.tools[1].function.strict: expected boolean or null, got string "yes"`},
		{`{"name":"x"}`, `$: missing required property "model"`},
		{`{"model":"gpt-4o","temperature":3}`, `$.temperature: 3 is greater than the maximum 2`},
		{`{"model":"gpt-4o","metadata":{"k":1}}`, `$.metadata.k: expected string, got integer 1`},
		{`{"model":"gpt-4o","tool_resources":{"file_search":{"vector_store_ids":["a","b"]}}}`, `$.tool_resources.file_search.vector_store_ids: array has 2 items, more than maxItems 1`},
		{`{"model":7}`, `$.model: expected string, got integer 7`},
	} {
		errs := errStrings(op.CheckJSONBody([]byte(c.body)))
		if len(errs) != 1 || !strings.HasPrefix(errs[0], c.want) {
			t.Errorf("%s:\ngot  %q\nwant %q", c.body, errs, c.want)
		}
	}
}
