package speccheck

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// Spec is a decoded OpenAPI 3 document. Its methods are safe for concurrent
// use once StrictOneOf is set.
type Spec struct {
	// StrictOneOf makes oneOf require exactly one matching alternative, as
	// JSON Schema says. When false oneOf is checked like anyOf (at least one
	// alternative must match).
	StrictOneOf bool

	doc   map[string]any
	paths []*pathTemplate

	mu      sync.Mutex
	regexps map[string]*regexp.Regexp
}

// httpMethods are the operation keys of a path item.
var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

type pathTemplate struct {
	template string
	segs     []segment
	item     map[string]any
}

// segment is one /-separated part of a path template.
type segment struct {
	literal string         // the whole segment when re is nil
	re      *regexp.Regexp // for segments with {parameters}
	names   []string       // the parameters' names, in order
}

var paramRE = regexp.MustCompile(`\{([^{}]+)\}`)

// New makes a Spec from a decoded OpenAPI 3 document: a tree of
// map[string]any, []any, strings, numbers, booleans and nils. It checks
// oneOf strictly.
func New(doc map[string]any) (*Spec, error) {
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.") {
		return nil, fmt.Errorf("not an OpenAPI 3 document (openapi: %q)", v)
	}
	paths, ok := doc["paths"].(map[string]any)
	if !ok {
		return nil, errors.New("the document has no paths")
	}
	s := &Spec{StrictOneOf: true, doc: doc, regexps: map[string]*regexp.Regexp{}}
	for _, tmpl := range sortedKeys(paths) {
		item, ok := paths[tmpl].(map[string]any)
		if !ok {
			return nil, fmt.Errorf("path %s is not an object", tmpl)
		}
		if !strings.HasPrefix(tmpl, "/") {
			return nil, fmt.Errorf("path %q does not start with /", tmpl)
		}
		pt := &pathTemplate{template: tmpl, item: item}
		for _, seg := range strings.Split(tmpl, "/")[1:] {
			if !strings.Contains(seg, "{") {
				pt.segs = append(pt.segs, segment{literal: seg})
				continue
			}
			var re strings.Builder
			var names []string
			re.WriteString("^")
			last := 0
			for _, m := range paramRE.FindAllStringSubmatchIndex(seg, -1) {
				re.WriteString(regexp.QuoteMeta(seg[last:m[0]]))
				re.WriteString("([^/]+?)")
				names = append(names, seg[m[2]:m[3]])
				last = m[1]
			}
			re.WriteString(regexp.QuoteMeta(seg[last:]))
			re.WriteString("$")
			pt.segs = append(pt.segs, segment{re: regexp.MustCompile(re.String()), names: names})
		}
		s.paths = append(s.paths, pt)
	}
	return s, nil
}

// match matches the segments of a request path (without the leading empty
// one) and returns the path parameters' values.
func (pt *pathTemplate) match(segs []string) (map[string]string, bool) {
	if len(segs) != len(pt.segs) {
		return nil, false
	}
	params := map[string]string{}
	for i, seg := range pt.segs {
		if seg.re == nil {
			if segs[i] != seg.literal {
				return nil, false
			}
			continue
		}
		m := seg.re.FindStringSubmatch(segs[i])
		if m == nil {
			return nil, false
		}
		for j, name := range seg.names {
			v := m[j+1]
			if u, err := url.PathUnescape(v); err == nil {
				v = u
			}
			params[name] = v
		}
	}
	return params, true
}

// moreSpecific reports whether a should be preferred to b when both match:
// at the first segment where one is a literal and the other is not, the
// literal wins.
func moreSpecific(a, b *pathTemplate) bool {
	for i := range a.segs {
		al, bl := a.segs[i].re == nil, b.segs[i].re == nil
		if al != bl {
			return al
		}
	}
	return a.template < b.template
}

// resolve follows a local reference such as "#/components/schemas/Foo".
func (s *Spec) resolve(ref string) (any, error) {
	if !strings.HasPrefix(ref, "#") {
		return nil, fmt.Errorf("unsupported non-local $ref %q", ref)
	}
	frag := ref[1:]
	if u, err := url.PathUnescape(frag); err == nil {
		frag = u
	}
	var cur any = s.doc
	if frag == "" {
		return cur, nil
	}
	if !strings.HasPrefix(frag, "/") {
		return nil, fmt.Errorf("unsupported $ref %q", ref)
	}
	for _, tok := range strings.Split(frag[1:], "/") {
		tok = strings.ReplaceAll(strings.ReplaceAll(tok, "~1", "/"), "~0", "~")
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[tok]
			if !ok {
				return nil, fmt.Errorf("$ref %q does not resolve (no %q)", ref, tok)
			}
			cur = next
		case []any:
			i, err := strconv.Atoi(tok)
			if err != nil || i < 0 || i >= len(c) {
				return nil, fmt.Errorf("$ref %q does not resolve (bad index %q)", ref, tok)
			}
			cur = c[i]
		default:
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	return cur, nil
}

// resolveObject follows $refs until it reaches an object without one (for
// parameters and request bodies, whose $refs replace the object).
func (s *Spec) resolveObject(v any) (map[string]any, error) {
	for range maxRefChain {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("expected an object, got %T", v)
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return m, nil
		}
		if v, ok = s.resolveOnce(ref); !ok {
			return nil, fmt.Errorf("$ref %q does not resolve", ref)
		}
	}
	return nil, errors.New("$ref chain too long")
}

func (s *Spec) resolveOnce(ref string) (any, bool) {
	v, err := s.resolve(ref)
	return v, err == nil
}

func (s *Spec) regexp(p string) (*regexp.Regexp, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if re, ok := s.regexps[p]; ok {
		return re, nil
	}
	re, err := regexp.Compile(p)
	if err != nil {
		return nil, err
	}
	s.regexps[p] = re
	return re, nil
}

// Operation is an operation of the spec matched by a request.
type Operation struct {
	// Method is the HTTP method, upper case.
	Method string
	// Path is the spec's path template, such as "/threads/{thread_id}".
	Path string
	// ID is the operationId.
	ID string
	// PathParams holds the values of the template's parameters in the
	// request path.
	PathParams map[string]string

	s         *Spec
	params    []*param
	body      map[string]any // the requestBody, nil if none
	responses map[string]any // the responses object, nil if none
}

type param struct {
	name     string
	in       string
	required bool
	schema   any
	desc     string
}

// String returns the method and path template, like "GET /threads/{thread_id}".
func (o *Operation) String() string { return o.Method + " " + o.Path }

// Operation finds the operation for a request, given its method and its path
// relative to the server URL (such as "/threads/thread_1/runs"). When several
// templates match, literal segments win over parameters.
func (s *Spec) Operation(method, path string) (*Operation, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, fmt.Errorf("path %q does not start with /", path)
	}
	segs := strings.Split(path, "/")[1:]
	key := strings.ToLower(method)
	var best *pathTemplate
	var bestParams map[string]string
	var otherMethods []string
	for _, pt := range s.paths {
		params, ok := pt.match(segs)
		if !ok {
			continue
		}
		if _, ok := pt.item[key].(map[string]any); !ok {
			for _, m := range httpMethods {
				if _, ok := pt.item[m].(map[string]any); ok {
					otherMethods = append(otherMethods, strings.ToUpper(m)+" "+pt.template)
				}
			}
			continue
		}
		if best == nil || moreSpecific(pt, best) {
			best, bestParams = pt, params
		}
	}
	if best == nil {
		if len(otherMethods) > 0 {
			return nil, fmt.Errorf("the spec has no operation %s %s (the path matches %s)", method, path, strings.Join(otherMethods, ", "))
		}
		return nil, fmt.Errorf("no path of the spec matches %s %s", method, path)
	}
	opObj := best.item[key].(map[string]any)
	o := &Operation{
		Method:     strings.ToUpper(method),
		Path:       best.template,
		PathParams: bestParams,
		s:          s,
	}
	o.ID, _ = opObj["operationId"].(string)

	// Operation parameters override path item parameters with the same
	// name and location.
	byKey := map[string]*param{}
	var order []string
	for _, list := range []any{best.item["parameters"], opObj["parameters"]} {
		items, _ := list.([]any)
		for _, it := range items {
			pm, err := s.resolveObject(it)
			if err != nil {
				return nil, fmt.Errorf("%s %s: parameter: %w", o.Method, o.Path, err)
			}
			p := &param{}
			p.name, _ = pm["name"].(string)
			p.in, _ = pm["in"].(string)
			p.required = pm["required"] == true
			p.desc, _ = pm["description"].(string)
			p.schema = pm["schema"]
			if p.schema == nil {
				if content, ok := pm["content"].(map[string]any); ok {
					for _, mt := range sortedKeys(content) {
						if c, ok := content[mt].(map[string]any); ok {
							p.schema = c["schema"]
							break
						}
					}
				}
			}
			k := p.in + "\x00" + p.name
			if _, ok := byKey[k]; !ok {
				order = append(order, k)
			}
			byKey[k] = p
		}
	}
	for _, k := range order {
		o.params = append(o.params, byKey[k])
	}
	o.responses, _ = opObj["responses"].(map[string]any)
	if rb, ok := opObj["requestBody"]; ok {
		body, err := s.resolveObject(rb)
		if err != nil {
			return nil, fmt.Errorf("%s %s: requestBody: %w", o.Method, o.Path, err)
		}
		o.body = body
	}
	return o, nil
}

// MediaTypes returns the media types of the operation's request body, nil if
// it has none.
func (o *Operation) MediaTypes() []string {
	content, _ := o.body["content"].(map[string]any)
	return sortedKeys(content)
}

// mediaSchema returns the schema for a media type of the request body.
func (o *Operation) mediaSchema(want string) (schema any, ok bool) {
	content, _ := o.body["content"].(map[string]any)
	for _, mt := range sortedKeys(content) {
		base, _, _ := strings.Cut(mt, ";")
		if strings.EqualFold(strings.TrimSpace(base), want) {
			c, _ := content[mt].(map[string]any)
			return c["schema"], true
		}
	}
	return nil, false
}

// CheckPathParams validates the request path's parameter values against
// their declared schemas.
func (o *Operation) CheckPathParams() []Error {
	var errs []Error
	v := &validator{s: o.s, form: true}
	for _, name := range sortedKeys(o.PathParams) {
		path := keyPath("path", name)
		p := o.param("path", name)
		if p == nil {
			errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("path parameter %q of %s is not declared", name, o)})
			continue
		}
		errs = append(errs, v.validate(p.schema, o.PathParams[name], path, 0, 0)...)
	}
	return errs
}

func (o *Operation) param(in, name string) *param {
	for _, p := range o.params {
		if p.in == in && p.name == name {
			return p
		}
	}
	return nil
}

// CheckQuery checks query parameters: each must be declared (in: query) by
// the operation, and its values must conform to its schema (strings are
// converted to the integers, numbers or booleans asked for). A parameter
// given several times must have an array schema. Required parameters must
// be present.
func (o *Operation) CheckQuery(query map[string][]string) []Error {
	var errs []Error
	v := &validator{s: o.s, form: true}
	for _, name := range sortedKeys(query) {
		vals := query[name]
		path := keyPath("query", name)
		p := o.param("query", name)
		if p == nil {
			var declared []string
			for _, p := range o.params {
				if p.in == "query" {
					declared = append(declared, p.name)
				}
			}
			msg := fmt.Sprintf("not a query parameter of %s", o)
			if len(declared) > 0 {
				msg += " (it has " + strings.Join(declared, ", ") + ")"
			} else {
				msg += " (it has none)"
			}
			errs = append(errs, Error{Path: path, Msg: msg})
			continue
		}
		if o.s.acceptsArray(p.schema, 0) {
			arr := make([]any, len(vals))
			for i, x := range vals {
				arr[i] = x
			}
			errs = append(errs, v.validate(p.schema, arr, path, 0, 0)...)
			continue
		}
		if len(vals) != 1 {
			errs = append(errs, Error{Path: path, Msg: fmt.Sprintf("given %d times, but the parameter is not an array", len(vals))})
			continue
		}
		perrs := v.validate(p.schema, vals[0], path, 0, 0)
		if len(perrs) == 0 {
			perrs = o.s.checkDescribedRange(p, vals[0], path)
		}
		errs = append(errs, perrs...)
	}
	for _, p := range o.params {
		if p.in == "query" && p.required {
			if _, ok := query[p.name]; !ok {
				errs = append(errs, Error{Path: keyPath("query", p.name), Msg: "required query parameter is missing"})
			}
		}
	}
	return errs
}

var describedRangeRE = regexp.MustCompile(`(?i)\bcan range between (\d[\d,]*) and (\d[\d,]*)`)

// checkDescribedRange checks an integer parameter against the range given in
// its description ("Limit can range between 1 and 100") when its schema
// has no minimum or maximum: the spec states the Assistants list limits only
// in prose.
func (s *Spec) checkDescribedRange(p *param, val, path string) []Error {
	m := describedRangeRE.FindStringSubmatch(p.desc)
	if m == nil {
		return nil
	}
	sc, err := s.resolveObject(p.schema)
	if err != nil || !slices.Contains(typeList(sc["type"]), "integer") {
		return nil
	}
	if _, ok := sc["minimum"]; ok {
		return nil
	}
	if _, ok := sc["maximum"]; ok {
		return nil
	}
	lo, err1 := strconv.ParseInt(strings.ReplaceAll(m[1], ",", ""), 10, 64)
	hi, err2 := strconv.ParseInt(strings.ReplaceAll(m[2], ",", ""), 10, 64)
	n, err3 := strconv.ParseInt(val, 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || (lo <= n && n <= hi) {
		return nil
	}
	return []Error{{Path: path, Msg: fmt.Sprintf("%d is outside the range %d..%d given in the parameter's description", n, lo, hi)}}
}

// acceptsArray reports whether a schema may take an array value.
func (s *Spec) acceptsArray(schema any, refs int) bool {
	m, ok := schema.(map[string]any)
	if !ok || refs > maxRefChain {
		return false
	}
	if ref, ok := m["$ref"].(string); ok {
		if t, ok := s.resolveOnce(ref); ok && s.acceptsArray(t, refs+1) {
			return true
		}
	}
	for _, t := range typeList(m["type"]) {
		if t == "array" {
			return true
		}
	}
	for _, kw := range []string{"anyOf", "oneOf", "allOf"} {
		alts, _ := m[kw].([]any)
		for _, a := range alts {
			if s.acceptsArray(a, refs+1) {
				return true
			}
		}
	}
	return false
}

// CheckNoBody checks a request without a body: the operation's request body,
// if any, must not be required.
func (o *Operation) CheckNoBody() []Error {
	if o.body != nil && o.body["required"] == true {
		return []Error{{Path: "$", Msg: fmt.Sprintf("%s requires a request body (%s) but the request has none", o, strings.Join(o.MediaTypes(), ", "))}}
	}
	return nil
}

// CheckJSONBody checks a JSON request body: the operation must take an
// application/json body, and body must conform to its schema.
func (o *Operation) CheckJSONBody(body []byte) []Error {
	if o.body == nil {
		return []Error{{Path: "$", Msg: fmt.Sprintf("%s takes no request body but the request has one", o)}}
	}
	schema, ok := o.mediaSchema("application/json")
	if !ok {
		return []Error{{Path: "$", Msg: fmt.Sprintf("%s does not take an application/json body (it takes %s)", o, strings.Join(o.MediaTypes(), ", "))}}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var val any
	if err := dec.Decode(&val); err != nil {
		return []Error{{Path: "$", Msg: "body is not valid JSON: " + err.Error()}}
	}
	if dec.More() {
		return []Error{{Path: "$", Msg: "body has data after the JSON value"}}
	}
	return o.s.Validate(schema, val, "$")
}

// CheckMultipart checks a multipart/form-data request body given its fields
// (name to values) and file parts (name to file name): the operation must
// take multipart/form-data, and the parts must conform to its schema. Field
// names like "expires_after[anchor]" address nested properties, and "a[]"
// an array.
func (o *Operation) CheckMultipart(fields map[string][]string, files map[string]string) []Error {
	if o.body == nil {
		return []Error{{Path: "$", Msg: fmt.Sprintf("%s takes no request body but the request has one", o)}}
	}
	schema, ok := o.mediaSchema("multipart/form-data")
	if !ok {
		return []Error{{Path: "$", Msg: fmt.Sprintf("%s does not take a multipart/form-data body (it takes %s)", o, strings.Join(o.MediaTypes(), ", "))}}
	}
	obj := map[string]any{}
	var errs []Error
	for _, name := range sortedKeys(fields) {
		vals := make([]any, len(fields[name]))
		for i, x := range fields[name] {
			vals[i] = x
		}
		if err := setFormValue(obj, name, vals); err != nil {
			errs = append(errs, Error{Path: keyPath("$", name), Msg: err.Error()})
		}
	}
	for _, name := range sortedKeys(files) {
		if err := setFormValue(obj, name, []any{formFile{filename: files[name]}}); err != nil {
			errs = append(errs, Error{Path: keyPath("$", name), Msg: err.Error()})
		}
	}
	v := &validator{s: o.s, form: true}
	return append(errs, v.validate(schema, obj, "$", 0, 0)...)
}

// setFormValue stores the values of the form field name in obj, following
// the bracket convention: "a[b][c]" is obj.a.b.c; a final "[]" makes an
// array; a field given several times without it becomes an array too.
func setFormValue(obj map[string]any, name string, vals []any) error {
	keys := []string{name}
	if i := strings.IndexByte(name, '['); i > 0 && strings.HasSuffix(name, "]") {
		keys = []string{name[:i]}
		for _, part := range strings.Split(name[i+1:len(name)-1], "][") {
			if strings.ContainsAny(part, "[]") {
				keys = []string{name}
				break
			}
			keys = append(keys, part)
		}
	}
	array := false
	if len(keys) > 1 && keys[len(keys)-1] == "" {
		array = true
		keys = keys[:len(keys)-1]
	}
	cur := obj
	for i, k := range keys {
		if k == "" {
			return errors.New("unsupported form field name (empty brackets before the end)")
		}
		if i == len(keys)-1 {
			if _, ok := cur[k]; ok {
				return errors.New("form field conflicts with another field")
			}
			if array || len(vals) > 1 {
				cur[k] = vals
			} else {
				cur[k] = vals[0]
			}
			return nil
		}
		next, ok := cur[k]
		if !ok {
			next = map[string]any{}
			cur[k] = next
		}
		m, ok := next.(map[string]any)
		if !ok {
			return errors.New("form field conflicts with another field")
		}
		cur = m
	}
	return nil
}

// UnknownKeywords walks the schemas used by the operations' parameters and
// request bodies (following $refs) and returns the schema keywords the
// validator neither checks nor knows to be annotations, each with where it
// was first seen, sorted. Such keywords would be ignored silently.
func (s *Spec) UnknownKeywords(ops ...*Operation) []string {
	found := map[string]string{}
	seen := map[string]bool{}
	for _, o := range ops {
		for _, p := range o.params {
			s.walk(p.schema, o.String()+" parameter "+p.name, seen, found)
		}
		content, _ := o.body["content"].(map[string]any)
		for _, mt := range sortedKeys(content) {
			if c, ok := content[mt].(map[string]any); ok {
				s.walk(c["schema"], o.String()+" requestBody "+mt, seen, found)
			}
		}
	}
	var out []string
	for _, k := range sortedKeys(found) {
		out = append(out, fmt.Sprintf("%s (at %s)", k, found[k]))
	}
	return out
}

func (s *Spec) walk(schema any, loc string, seen map[string]bool, found map[string]string) {
	m, ok := schema.(map[string]any)
	if !ok {
		return
	}
	note := func(k string) {
		if _, ok := found[k]; !ok {
			found[k] = loc
		}
	}
	for _, k := range sortedKeys(m) {
		v := m[k]
		switch k {
		case "$ref":
			ref, _ := v.(string)
			if seen[ref] {
				continue
			}
			seen[ref] = true
			t, err := s.resolve(ref)
			if err != nil {
				note("unresolvable $ref " + ref)
				continue
			}
			s.walk(t, ref, seen, found)
		case "properties":
			props, _ := v.(map[string]any)
			for _, name := range sortedKeys(props) {
				s.walk(props[name], loc+"/properties/"+name, seen, found)
			}
		case "items":
			if list, ok := v.([]any); ok {
				for i, sub := range list {
					s.walk(sub, loc+"/items/"+strconv.Itoa(i), seen, found)
				}
			} else {
				s.walk(v, loc+"/items", seen, found)
			}
		case "$recursiveRef":
			// Refers to an enclosing schema, walked already.
		case "additionalProperties", "not", "propertyNames":
			s.walk(v, loc+"/"+k, seen, found)
		case "anyOf", "oneOf", "allOf":
			list, _ := v.([]any)
			for i, sub := range list {
				s.walk(sub, loc+"/"+k+"/"+strconv.Itoa(i), seen, found)
			}
		default:
			if !knownKeyword(k) {
				note(k)
			}
		}
	}
}
