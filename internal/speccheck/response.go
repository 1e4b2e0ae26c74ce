package speccheck

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ResponseStatuses returns the status keys of the operation's responses
// ("200", "429", "default" …), sorted.
func (o *Operation) ResponseStatuses() []string { return sortedKeys(o.responses) }

// response resolves the operation's response object for an HTTP status,
// looked up as given ("404"), then as a range ("4XX"), then as "default".
func (o *Operation) response(status int) (map[string]any, bool, error) {
	code := strconv.Itoa(status)
	var resp any
	for _, k := range []string{code, code[:1] + "XX", code[:1] + "xx", "default"} {
		if r, ok := o.responses[k]; ok {
			resp = r
			break
		}
	}
	if resp == nil {
		return nil, false, nil
	}
	r, err := o.s.resolveObject(resp)
	if err != nil {
		return nil, true, fmt.Errorf("%s response %d: %w", o, status, err)
	}
	return r, true, nil
}

// CheckResponseHeaders checks the headers of a response against those the
// operation declares for its status: each declared header that is present
// must conform to its schema (values are converted to the integer, number
// or boolean asked for), and required ones must be present.
func (o *Operation) CheckResponseHeaders(status int, header map[string][]string) []Error {
	r, declared, err := o.response(status)
	if err != nil {
		return []Error{{Path: "header", Msg: err.Error()}}
	}
	if !declared {
		return nil
	}
	hs, _ := r["headers"].(map[string]any)
	var errs []Error
	v := &validator{s: o.s, form: true}
	for _, name := range sortedKeys(hs) {
		h, err := o.s.resolveObject(hs[name])
		if err != nil {
			errs = append(errs, Error{Path: keyPath("header", name), Msg: err.Error()})
			continue
		}
		var vals []string
		for k, vs := range header {
			if strings.EqualFold(k, name) {
				vals = append(vals, vs...)
			}
		}
		if len(vals) == 0 {
			if h["required"] == true {
				errs = append(errs, Error{Path: keyPath("header", name), Msg: "required response header is missing"})
			}
			continue
		}
		for _, val := range vals {
			errs = append(errs, v.validate(h["schema"], val, keyPath("header", name), 0, 0)...)
		}
	}
	return errs
}

// ResponseSchema returns the schema of the operation's response for an HTTP
// status and a media type (such as "application/json"). The status is looked
// up as given ("404"), then as a range ("4XX"), then as "default". declared
// is false when the operation declares no response for the status; err is
// set when it declares one but not with that media type, or when the
// response cannot be resolved. A declared media type without a schema gives
// a nil schema, which accepts anything.
func (o *Operation) ResponseSchema(status int, mediaType string) (schema any, declared bool, err error) {
	r, declared, err := o.response(status)
	if !declared || err != nil {
		return nil, declared, err
	}
	content, _ := r["content"].(map[string]any)
	for _, mt := range sortedKeys(content) {
		base, _, _ := strings.Cut(mt, ";")
		if strings.EqualFold(strings.TrimSpace(base), mediaType) {
			c, _ := content[mt].(map[string]any)
			return c["schema"], true, nil
		}
	}
	if len(content) == 0 {
		return nil, true, fmt.Errorf("%s declares response %d without content, not %s", o, status, mediaType)
	}
	return nil, true, fmt.Errorf("%s declares response %d as %s, not %s", o, status, strings.Join(sortedKeys(content), ", "), mediaType)
}

// Schema returns the component schema with the given name
// ("#/components/schemas/<name>"), to validate values with.
func (s *Spec) Schema(name string) (any, error) {
	return s.resolve("#/components/schemas/" + name)
}

// StreamEventSchemas maps the event names of a server-sent-events union
// schema (such as "AssistantStreamEvent", a oneOf of event variants, each an
// object whose "event" property is an enum or const of the event's name and
// whose "data" property is the event's payload) to the variant schemas. The
// union may nest: its alternatives may be $refs to further unions.
func (s *Spec) StreamEventSchemas(name string) (map[string]any, error) {
	root, err := s.Schema(name)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if err := s.collectEvents(root, name, out, 0); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s defines no events", name)
	}
	return out, nil
}

func (s *Spec) collectEvents(schema any, loc string, out map[string]any, refs int) error {
	if refs > maxRefChain {
		return errors.New(loc + ": $ref chain too long")
	}
	m, ok := schema.(map[string]any)
	if !ok {
		return fmt.Errorf("%s: not a schema object", loc)
	}
	if ref, ok := m["$ref"].(string); ok {
		t, err := s.resolve(ref)
		if err != nil {
			return err
		}
		return s.collectEvents(t, ref, out, refs+1)
	}
	for _, kw := range []string{"oneOf", "anyOf"} {
		if alts, ok := m[kw].([]any); ok {
			for i, a := range alts {
				if err := s.collectEvents(a, fmt.Sprintf("%s/%s/%d", loc, kw, i), out, refs+1); err != nil {
					return err
				}
			}
			return nil
		}
	}
	props, _ := m["properties"].(map[string]any)
	ev, _ := props["event"].(map[string]any)
	var names []any
	if e, ok := ev["enum"].([]any); ok {
		names = e
	} else if c, ok := ev["const"]; ok {
		names = []any{c}
	}
	if len(names) == 0 {
		return fmt.Errorf("%s: an event variant without an event name (enum or const)", loc)
	}
	for _, n := range names {
		name, ok := n.(string)
		if !ok {
			return fmt.Errorf("%s: event name %v is not a string", loc, n)
		}
		if _, dup := out[name]; dup {
			return fmt.Errorf("%s: event %q is defined twice", loc, name)
		}
		out[name] = m
	}
	return nil
}

// UnknownKeywordsIn is UnknownKeywords for any schemas of the spec, given
// by where they come from (used in the result to say where a keyword was
// first seen).
func (s *Spec) UnknownKeywordsIn(schemas map[string]any) []string {
	found := map[string]string{}
	seen := map[string]bool{}
	for _, loc := range sortedKeys(schemas) {
		s.walk(schemas[loc], loc, seen, found)
	}
	var out []string
	for _, k := range sortedKeys(found) {
		out = append(out, fmt.Sprintf("%s (at %s)", k, found[k]))
	}
	return out
}
