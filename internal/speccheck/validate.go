package speccheck

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Error is one way in which a value does not conform to a schema or a
// request does not conform to its operation.
type Error struct {
	// Path locates the offending value: a JSON path such as
	// "$.tools[1].function.strict" for bodies, "query.limit" or
	// `query["include[]"]` for query parameters, "path.thread_id" for path
	// parameters.
	Path string
	// Msg says what is wrong.
	Msg string

	depth        int      // nesting depth of Path, to rank anyOf branches
	typeMismatch bool     // the value at Path has the wrong type
	want         []string // for type mismatches: the types allowed
	enum         []any    // for enum mismatches: the values allowed
}

func (e Error) Error() string { return e.Path + ": " + e.Msg }

// annotationKeywords are schema keywords that do not constrain values.
var annotationKeywords = map[string]bool{
	"description": true, "title": true, "example": true, "examples": true,
	"default": true, "format": true, "deprecated": true, "readOnly": true,
	"writeOnly": true, "discriminator": true, "externalDocs": true, "xml": true,
	"$comment": true, "contentMediaType": true, "contentEncoding": true,
}

// validationKeywords are the schema keywords that the validator checks.
var validationKeywords = map[string]bool{
	"$ref": true, "type": true, "nullable": true, "properties": true,
	"required": true, "additionalProperties": true, "enum": true, "const": true,
	"anyOf": true, "oneOf": true, "allOf": true, "not": true, "items": true,
	"minimum": true, "maximum": true, "exclusiveMinimum": true,
	"exclusiveMaximum": true, "multipleOf": true, "minItems": true,
	"maxItems": true, "uniqueItems": true, "minLength": true, "maxLength": true,
	"pattern": true, "minProperties": true, "maxProperties": true,
	"propertyNames": true, "$recursiveRef": true, "$recursiveAnchor": true,
}

// knownKeyword reports whether the validator checks or knowingly ignores k.
func knownKeyword(k string) bool {
	return validationKeywords[k] || annotationKeywords[k] || strings.HasPrefix(k, "x-")
}

// formFile stands for a file part of a multipart body. It validates as a
// string (the spec declares file parts as type: string, format: binary).
type formFile struct{ filename string }

// maxRefChain bounds how many $refs may be followed without descending into
// the value, to stop on reference cycles.
const maxRefChain = 64

// validator validates one value against a schema of a Spec.
type validator struct {
	s *Spec
	// recursiveAnchor is the outermost schema with "$recursiveAnchor: true"
	// being validated, the target of "$recursiveRef": "#".
	recursiveAnchor map[string]any
	// form is set for values taken from query strings and multipart fields:
	// strings are then converted to the integer, number or boolean that the
	// schema asks for.
	form bool
}

// Validate validates a decoded JSON value against schema, which is part of
// the spec's document (so that its $refs resolve). Numbers in value may be
// json.Number, float64 or any integer type. root names the value in the
// errors' paths, normally "$".
func (s *Spec) Validate(schema, value any, root string) []Error {
	v := &validator{s: s}
	return v.validate(schema, value, root, 0, 0)
}

// validate checks val, found at path (depth levels below the root), against
// schema. refs counts the $refs followed since the last descent.
func (v *validator) validate(schema, val any, path string, depth, refs int) []Error {
	switch sc := schema.(type) {
	case nil:
		return nil
	case bool:
		if sc {
			return nil
		}
		return []Error{{Path: path, Msg: "no value is allowed here (schema is false)", depth: depth}}
	case map[string]any:
		return v.validateMap(sc, val, path, depth, refs)
	default:
		return []Error{{Path: path, Msg: fmt.Sprintf("invalid schema of type %T", schema), depth: depth}}
	}
}

func (v *validator) validateMap(sc map[string]any, val any, path string, depth, refs int) []Error {
	if val == nil && sc["nullable"] == true {
		return nil
	}
	var errs []Error
	if sc["$recursiveAnchor"] == true && v.recursiveAnchor == nil {
		v.recursiveAnchor = sc
		defer func() { v.recursiveAnchor = nil }()
	}
	if ref, ok := sc["$recursiveRef"].(string); ok {
		if refs >= maxRefChain {
			return []Error{{Path: path, Msg: "$recursiveRef chain too long (cycle?)", depth: depth}}
		}
		var target any = v.recursiveAnchor
		if v.recursiveAnchor == nil {
			t, err := v.s.resolve(ref)
			if err != nil {
				return []Error{{Path: path, Msg: err.Error(), depth: depth}}
			}
			target = t
		}
		errs = append(errs, v.validate(target, val, path, depth, refs+1)...)
	}
	if ref, ok := sc["$ref"].(string); ok {
		if refs >= maxRefChain {
			return []Error{{Path: path, Msg: "$ref chain too long (cycle?) at " + ref, depth: depth}}
		}
		target, err := v.s.resolve(ref)
		if err != nil {
			return []Error{{Path: path, Msg: err.Error(), depth: depth}}
		}
		errs = append(errs, v.validate(target, val, path, depth, refs+1)...)
	}

	if t, ok := sc["type"]; ok {
		types := typeList(t)
		if v.form {
			val = coerce(val, types)
		}
		if !matchesType(val, types) {
			if sc["nullable"] == true {
				types = append(types, "null")
			}
			errs = append(errs, Error{
				Path:         path,
				Msg:          fmt.Sprintf("expected %s, got %s", strings.Join(types, " or "), describeType(val)),
				depth:        depth,
				typeMismatch: true,
				want:         types,
			})
			return errs
		}
	}

	if e, ok := sc["enum"].([]any); ok {
		found := false
		for _, x := range e {
			if equal(val, x) {
				found = true
				break
			}
		}
		if !found {
			errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("value %s is not one of %s", preview(val), previewList(e)), depth: depth, enum: e})
		}
	}
	if c, ok := sc["const"]; ok && !equal(val, c) {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("value %s is not the constant %s", preview(val), preview(c)), depth: depth})
	}

	switch x := val.(type) {
	case string:
		errs = append(errs, v.checkString(sc, x, path, depth)...)
	case map[string]any:
		errs = append(errs, v.checkObject(sc, x, path, depth)...)
	case []any:
		errs = append(errs, v.checkArray(sc, x, path, depth)...)
	default:
		if f, ok := toFloat(val); ok {
			errs = append(errs, checkNumber(sc, f, path, depth)...)
		}
	}

	if allOf, ok := sc["allOf"].([]any); ok && !(val == nil && nullableMember(allOf)) {
		for _, sub := range allOf {
			errs = append(errs, v.validate(sub, val, path, depth, refs+1)...)
		}
	}
	if anyOf, ok := sc["anyOf"].([]any); ok {
		errs = append(errs, v.alternatives("anyOf", anyOf, val, path, depth, refs)...)
	}
	if oneOf, ok := sc["oneOf"].([]any); ok {
		errs = append(errs, v.alternatives("oneOf", oneOf, val, path, depth, refs)...)
	}
	if not, ok := sc["not"]; ok {
		if len(v.validate(not, val, path, depth, refs+1)) == 0 {
			errs = append(errs, Error{Path: path, Msg: "value must not match the \"not\" schema", depth: depth})
		}
	}
	return errs
}

func (v *validator) checkString(sc map[string]any, s, path string, depth int) []Error {
	var errs []Error
	if v.form && sc["format"] == "binary" {
		errs = append(errs, Error{Path: path, Msg: "expected a file part, got a plain form field", depth: depth})
	}
	n := utf8.RuneCountInString(s)
	if m, ok := toFloat(sc["maxLength"]); ok && float64(n) > m {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("string is %d characters long, more than maxLength %v", n, m), depth: depth})
	}
	if m, ok := toFloat(sc["minLength"]); ok && float64(n) < m {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("string is %d characters long, less than minLength %v", n, m), depth: depth})
	}
	if p, ok := sc["pattern"].(string); ok {
		re, err := v.s.regexp(p)
		switch {
		case err != nil:
			errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("cannot check pattern %q: %v", p, err), depth: depth})
		case !re.MatchString(s):
			errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("value %s does not match pattern %q", preview(s), p), depth: depth})
		}
	}
	return errs
}

func checkNumber(sc map[string]any, f float64, path string, depth int) []Error {
	var errs []Error
	bad := func(format string, args ...any) {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf(format, args...), depth: depth})
	}
	exMin, exMax := sc["exclusiveMinimum"], sc["exclusiveMaximum"]
	if m, ok := toFloat(sc["minimum"]); ok {
		if exMin == true && f <= m {
			bad("%v is not greater than the exclusive minimum %v", f, m)
		} else if f < m {
			bad("%v is less than the minimum %v", f, m)
		}
	}
	if m, ok := toFloat(sc["maximum"]); ok {
		if exMax == true && f >= m {
			bad("%v is not less than the exclusive maximum %v", f, m)
		} else if f > m {
			bad("%v is greater than the maximum %v", f, m)
		}
	}
	if m, ok := toFloat(exMin); ok && f <= m {
		bad("%v is not greater than the exclusive minimum %v", f, m)
	}
	if m, ok := toFloat(exMax); ok && f >= m {
		bad("%v is not less than the exclusive maximum %v", f, m)
	}
	if m, ok := toFloat(sc["multipleOf"]); ok && m > 0 {
		q := f / m
		if math.Abs(q-math.Round(q)) > 1e-9 {
			bad("%v is not a multiple of %v", f, m)
		}
	}
	return errs
}

func (v *validator) checkObject(sc map[string]any, obj map[string]any, path string, depth int) []Error {
	var errs []Error
	if req, ok := sc["required"].([]any); ok {
		for _, r := range req {
			name, _ := r.(string)
			if _, ok := obj[name]; !ok {
				errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("missing required property %q", name), depth: depth})
			}
		}
	}
	if m, ok := toFloat(sc["maxProperties"]); ok && float64(len(obj)) > m {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("object has %d properties, more than maxProperties %v", len(obj), m), depth: depth})
	}
	if m, ok := toFloat(sc["minProperties"]); ok && float64(len(obj)) < m {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("object has %d properties, less than minProperties %v", len(obj), m), depth: depth})
	}
	props, _ := sc["properties"].(map[string]any)
	addl, hasAddl := sc["additionalProperties"]
	names, hasNames := sc["propertyNames"]
	for _, k := range sortedKeys(obj) {
		kp := keyPath(path, k)
		if hasNames {
			for _, e := range v.validate(names, k, kp, depth+1, 0) {
				e.Msg = "property name: " + e.Msg
				errs = append(errs, e)
			}
		}
		if ps, ok := props[k]; ok {
			errs = append(errs, v.validate(ps, obj[k], kp, depth+1, 0)...)
			continue
		}
		if !hasAddl {
			continue
		}
		if addl == false {
			errs = append(errs, Error{Path: kp, Msg: "unknown property (additionalProperties is false)", depth: depth + 1})
			continue
		}
		errs = append(errs, v.validate(addl, obj[k], kp, depth+1, 0)...)
	}
	return errs
}

func (v *validator) checkArray(sc map[string]any, arr []any, path string, depth int) []Error {
	var errs []Error
	if m, ok := toFloat(sc["maxItems"]); ok && float64(len(arr)) > m {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("array has %d items, more than maxItems %v", len(arr), m), depth: depth})
	}
	if m, ok := toFloat(sc["minItems"]); ok && float64(len(arr)) < m {
		errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("array has %d items, less than minItems %v", len(arr), m), depth: depth})
	}
	if sc["uniqueItems"] == true {
	dup:
		for i := range arr {
			for j := i + 1; j < len(arr); j++ {
				if equal(arr[i], arr[j]) {
					errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("items %d and %d are equal (uniqueItems)", i, j), depth: depth})
					break dup
				}
			}
		}
	}
	if items, ok := sc["items"]; ok {
		if tuple, ok := items.([]any); ok {
			for i := 0; i < len(arr) && i < len(tuple); i++ {
				errs = append(errs, v.validate(tuple[i], arr[i], indexPath(path, i), depth+1, 0)...)
			}
		} else {
			for i, x := range arr {
				errs = append(errs, v.validate(items, x, indexPath(path, i), depth+1, 0)...)
			}
		}
	}
	return errs
}

// alternatives checks anyOf (at least one alternative must match) and oneOf
// (exactly one must match, unless the spec's StrictOneOf is off).
func (v *validator) alternatives(kw string, alts []any, val any, path string, depth, refs int) []Error {
	var failed []branch
	matched := 0
	for i, alt := range alts {
		errs := v.validate(alt, val, path, depth, refs+1)
		if len(errs) == 0 {
			matched++
			if kw == "anyOf" || !v.s.StrictOneOf {
				return nil
			}
			continue
		}
		b := branch{idx: i, errs: errs, deepest: depth}
		for _, e := range errs {
			if e.typeMismatch && e.depth == depth {
				b.rootType = true
			}
			if e.depth > b.deepest {
				b.deepest = e.depth
			}
		}
		failed = append(failed, b)
	}
	if matched == 1 {
		return nil
	}
	if matched > 1 {
		return []Error{{Path: path, Msg: fmt.Sprintf("value matches %d of the %d oneOf alternatives, want exactly one", matched, len(alts)), depth: depth}}
	}

	// Nothing matched: report the alternative that came closest. Those
	// failing on the value's type are the least close; among the others the
	// one whose errors are nested deepest got furthest, and among those the
	// one with the fewest errors.
	allType := true
	for _, b := range failed {
		if !b.rootType {
			allType = false
		}
	}
	if allType {
		var want []string
		seen := map[string]bool{}
		for _, b := range failed {
			for _, e := range b.errs {
				if e.typeMismatch && e.depth == depth {
					for _, w := range e.want {
						if !seen[w] {
							seen[w] = true
							want = append(want, w)
						}
					}
				}
			}
		}
		return []Error{{
			Path:         path,
			Msg:          fmt.Sprintf("expected %s, got %s", strings.Join(want, " or "), describeType(val)),
			depth:        depth,
			typeMismatch: true,
			want:         want,
		}}
	}
	best := -1
	var cands []branch
	for _, b := range failed {
		if b.rootType {
			continue
		}
		switch {
		case b.deepest > best:
			best = b.deepest
			cands = []branch{b}
		case b.deepest == best:
			cands = append(cands, b)
		}
	}
	// Alternatives told apart by the value of a property (like "type"),
	// none of which accepts the value: report the values they accept.
	if e, ok := mergeEnumErrors(slices.DeleteFunc(slices.Clone(failed), func(b branch) bool { return b.rootType }), depth+1); ok {
		return []Error{e}
	}
	// Then the one with the fewest errors.
	fewest := len(cands[0].errs)
	for _, b := range cands {
		fewest = min(fewest, len(b.errs))
	}
	cands = slices.DeleteFunc(cands, func(b branch) bool { return len(b.errs) > fewest })
	if len(cands) == 1 {
		return cands[0].errs
	}
	var parts []string
	for _, b := range cands {
		var msgs []string
		for _, e := range b.errs {
			msgs = append(msgs, e.Error())
		}
		parts = append(parts, fmt.Sprintf("#%d: %s", b.idx+1, strings.Join(msgs, "; ")))
	}
	return []Error{{Path: path, Msg: fmt.Sprintf("value matches none of the %s alternatives (%s)", kw, strings.Join(parts, " | ")), depth: depth}}
}

// branch is an alternative of anyOf or oneOf that the value does not match.
type branch struct {
	idx      int
	errs     []Error
	rootType bool // failed because the value has the wrong type
	deepest  int  // depth of the most deeply nested error
}

// mergeEnumErrors looks for a property that every alternative rejects with
// an enum error, depth levels down, and returns one error listing the values
// that they accept together.
func mergeEnumErrors(failed []branch, depth int) (Error, bool) {
	var merged Error
	for i, b := range failed {
		var found *Error
		for j := range b.errs {
			e := &b.errs[j]
			if e.enum != nil && e.depth == depth && (i == 0 || e.Path == merged.Path) {
				found = e
				break
			}
		}
		if found == nil {
			return Error{}, false
		}
		if i == 0 {
			merged = Error{Path: found.Path, depth: depth}
			merged.Msg = strings.SplitAfter(found.Msg, " is not one of ")[0]
		}
		for _, x := range found.enum {
			if !slices.ContainsFunc(merged.enum, func(y any) bool { return equal(x, y) }) {
				merged.enum = append(merged.enum, x)
			}
		}
	}
	if len(failed) == 0 {
		return Error{}, false
	}
	merged.Msg += previewList(merged.enum)
	return merged, true
}

// nullableMember reports whether an allOf has a member with nullable: true,
// as in the spec's "allOf: [{$ref: ...}, {nullable: true}]". By the letter
// of OpenAPI 3.0 such a nullable has no effect (it has no type beside it),
// but the intent is plainly to allow null, so null is accepted.
func nullableMember(allOf []any) bool {
	for _, m := range allOf {
		if m, ok := m.(map[string]any); ok && m["nullable"] == true {
			return true
		}
	}
	return false
}

// typeList returns the types named by a type keyword (a string, or a list in
// OpenAPI 3.1).
func typeList(t any) []string {
	switch t := t.(type) {
	case string:
		return []string{t}
	case []any:
		var out []string
		for _, x := range t {
			if s, ok := x.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// matchesType reports whether val has one of the JSON Schema types.
func matchesType(val any, types []string) bool {
	for _, t := range types {
		switch t {
		case "null":
			if val == nil {
				return true
			}
		case "boolean":
			if _, ok := val.(bool); ok {
				return true
			}
		case "string":
			switch val.(type) {
			case string, formFile:
				return true
			}
		case "object":
			if _, ok := val.(map[string]any); ok {
				return true
			}
		case "array":
			if _, ok := val.([]any); ok {
				return true
			}
		case "number":
			if _, ok := toFloat(val); ok {
				return true
			}
		case "integer":
			if isInteger(val) {
				return true
			}
		}
	}
	return false
}

// coerce converts a string from a query or form to the number or boolean the
// schema's types ask for, if it does not accept strings.
func coerce(val any, types []string) any {
	s, ok := val.(string)
	if !ok {
		return val
	}
	for _, t := range types {
		if t == "string" {
			return val
		}
	}
	for _, t := range types {
		switch t {
		case "integer":
			if _, err := strconv.ParseInt(s, 10, 64); err == nil {
				return json.Number(s)
			}
		case "number":
			if _, err := strconv.ParseFloat(s, 64); err == nil && !strings.ContainsAny(s, "xXpPnN_") {
				return json.Number(s)
			}
		case "boolean":
			switch s {
			case "true":
				return true
			case "false":
				return false
			}
		}
	}
	return val
}

// describeType names the JSON type of val for error messages.
func describeType(val any) string {
	switch x := val.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string " + preview(x)
	case formFile:
		return "a file"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	}
	if isInteger(val) {
		return "integer " + preview(val)
	}
	if _, ok := toFloat(val); ok {
		return "number " + preview(val)
	}
	return fmt.Sprintf("%T", val)
}

// toFloat returns the value of a number.
func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		return f, err == nil
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint:
		return float64(n), true
	}
	return 0, false
}

// isInteger reports whether v is a number with no fractional part (JSON
// Schema counts 1.0 as an integer).
func isInteger(v any) bool {
	if n, ok := v.(json.Number); ok {
		if _, err := strconv.ParseInt(string(n), 10, 64); err == nil {
			return true
		}
	}
	f, ok := toFloat(v)
	return ok && !math.IsInf(f, 0) && !math.IsNaN(f) && f == math.Trunc(f)
}

// equal compares two JSON values, numbers by value.
func equal(a, b any) bool {
	af, aok := toFloat(a)
	bf, bok := toFloat(b)
	if aok || bok {
		return aok && bok && af == bf
	}
	switch a := a.(type) {
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, av := range a {
			bv, ok := b[k]
			if !ok || !equal(av, bv) {
				return false
			}
		}
		return true
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equal(a[i], b[i]) {
				return false
			}
		}
		return true
	case string, bool, nil, formFile:
		return a == b
	}
	return false
}

// preview shows a value in JSON for messages, shortened.
func preview(v any) string {
	if f, ok := v.(formFile); ok {
		return fmt.Sprintf("<file %q>", f.filename)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	s := string(b)
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return s
}

// previewList shows an enum, shortened.
func previewList(list []any) string {
	const maxShown = 12
	var parts []string
	for i, x := range list {
		if i == maxShown {
			parts = append(parts, fmt.Sprintf("... (%d more)", len(list)-maxShown))
			break
		}
		parts = append(parts, preview(x))
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// keyPath appends an object key to a JSON path.
func keyPath(path, key string) string {
	if identRE.MatchString(key) {
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// indexPath appends an array index to a JSON path.
func indexPath(path string, i int) string {
	return path + "[" + strconv.Itoa(i) + "]"
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
