package assistantstest

import (
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/tidwall/gjson"
)

// orderedObject is a JSON object that keeps its keys in schema order.
type orderedObject []orderedField

type orderedField struct {
	key   string
	value any
}

// MarshalJSON writes the fields in order.
func (o orderedObject) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, f := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		b.Write(mustJSON(f.key))
		b.WriteByte(':')
		b.Write(mustJSON(f.value))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// argGen builds a JSON value satisfying a JSON schema, filling it with
// values inferred from the user's request where it can.
type argGen struct {
	root         gjson.Result
	text         string // the user's request
	lower        string
	instructions string
	fnName       string
	now          time.Time
	itemIndex    []int // indexes of the enclosing array items
}

var quizBank = []struct {
	text    string
	choices []string
}{
	{"What is 2 + 2?", []string{"3", "4", "5", "6"}},
	{"What is the derivative of f(x) = 3x^2 + 2x - 5?", []string{"6x + 2", "3x + 2", "6x - 5", "x^2"}},
	{"Solve for x: 3x + 11 = 14.", []string{"0", "1", "2", "3"}},
	{"What is the value of the integral of 2x from 0 to 1?", []string{"0", "1", "2", "3"}},
}

var knownCities = map[string]string{
	"san francisco": "San Francisco, CA", "new york": "New York, NY", "los angeles": "Los Angeles, CA",
	"seattle": "Seattle, WA", "boston": "Boston, MA", "chicago": "Chicago, IL", "austin": "Austin, TX",
	"london": "London, UK", "paris": "Paris, France", "tokyo": "Tokyo, Japan", "berlin": "Berlin, Germany",
}

var (
	locationRE = regexp.MustCompile(`\b(?:in|for|at|near)\s+((?:[A-Z][\p{L}'.-]*)(?:\s+[A-Z][\p{L}'.-]*)*)(?:,\s*([A-Z]{2}\b|[A-Z][a-z]+))?`)
	numberRE   = regexp.MustCompile(`-?\d+(?:\.\d+)?`)
	quotedRE   = regexp.MustCompile(`["“']([^"”']{2,})["”']`)
	upperRE    = regexp.MustCompile(`\b[A-Z]{1,5}\b`)
)

var numberWords = map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}

// generateJSON returns JSON for schema (a JSON schema document).
func (g *argGen) generateJSON(schema json.RawMessage) string {
	if len(bytes.TrimSpace(schema)) == 0 {
		return "{}"
	}
	g.root = gjson.ParseBytes(schema)
	g.lower = strings.ToLower(g.text)
	return string(mustJSON(g.value(g.root, "", 0)))
}

func (g *argGen) resolve(s gjson.Result) gjson.Result {
	for i := 0; i < 8; i++ {
		ref := s.Get(`\$ref`)
		if !ref.Exists() {
			return s
		}
		p := strings.TrimPrefix(ref.String(), "#")
		if p == "" {
			s = g.root
			continue
		}
		var parts []string
		for _, seg := range strings.Split(strings.TrimPrefix(p, "/"), "/") {
			seg = strings.NewReplacer("~1", "/", "~0", "~").Replace(seg)
			parts = append(parts, escapeGJSON(seg))
		}
		s = g.root.Get(strings.Join(parts, "."))
	}
	return s
}

func escapeGJSON(s string) string {
	var b strings.Builder
	for _, c := range s {
		switch c {
		case '.', '*', '?', '|', '#', '@', '\\', '$':
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func schemaType(s gjson.Result) string {
	t := s.Get("type")
	if t.IsArray() {
		for _, v := range t.Array() {
			if v.String() != "null" {
				return v.String()
			}
		}
		return "null"
	}
	if t.Exists() {
		return t.String()
	}
	switch {
	case s.Get("properties").Exists():
		return "object"
	case s.Get("items").Exists():
		return "array"
	}
	return "string"
}

// value generates a value for schema s of a property called name (inside
// array items, g.itemIndex holds the item positions).
func (g *argGen) value(s gjson.Result, name string, depth int) any {
	s = g.resolve(s)
	if depth > 12 {
		return nil
	}
	if c := s.Get("const"); c.Exists() {
		return c.Value()
	}
	if e := s.Get("enum"); e.IsArray() && len(e.Array()) > 0 {
		return g.pickEnum(e.Array())
	}
	for _, k := range []string{"anyOf", "oneOf", "allOf"} {
		if alts := s.Get(k); alts.IsArray() {
			for _, alt := range alts.Array() {
				alt = g.resolve(alt)
				if schemaType(alt) != "null" {
					return g.value(alt, name, depth+1)
				}
			}
			return nil
		}
	}
	switch schemaType(s) {
	case "object":
		return g.object(s, depth)
	case "array":
		return g.array(s, name, depth)
	case "integer":
		return int64(g.number(s, name, true))
	case "number":
		return g.number(s, name, false)
	case "boolean":
		if d := s.Get("default"); d.Exists() {
			return d.Bool()
		}
		return false
	case "null":
		return nil
	default:
		return g.str(s, name)
	}
}

func (g *argGen) pickEnum(vals []gjson.Result) any {
	if len(g.itemIndex) > 0 {
		return vals[g.itemIndex[len(g.itemIndex)-1]%len(vals)].Value()
	}
	for _, v := range vals {
		if v.Type == gjson.String && v.String() != "" {
			norm := strings.ToLower(strings.ReplaceAll(v.String(), "_", " "))
			if strings.Contains(g.lower, norm) {
				return v.Value()
			}
		}
	}
	for _, v := range vals {
		if strings.EqualFold(v.String(), "fahrenheit") {
			return v.Value()
		}
	}
	return vals[0].Value()
}

func (g *argGen) object(s gjson.Result, depth int) any {
	obj := orderedObject{}
	required := map[string]bool{}
	for _, r := range s.Get("required").Array() {
		required[r.String()] = true
	}
	var free bool // a sibling says this is a free-response item
	s.Get("properties").ForEach(func(k, v gjson.Result) bool {
		key := k.String()
		lk := strings.ToLower(key)
		if !required[key] && free && (lk == "choices" || lk == "options" || lk == "answers") {
			return true
		}
		val := g.value(v, key, depth+1)
		if str, ok := val.(string); ok {
			up := strings.ToUpper(str)
			if strings.Contains(up, "FREE") || strings.Contains(up, "OPEN") {
				free = true
			}
		}
		obj = append(obj, orderedField{key, val})
		return true
	})
	return obj
}

func (g *argGen) array(s gjson.Result, name string, depth int) any {
	items := s.Get("items")
	lname := strings.ToLower(name)
	n := 1
	if lname == "choices" || lname == "options" || lname == "answers" {
		n = 4
	} else if c := g.countOf(name); c > 0 {
		n = min(c, 10)
	}
	if mi := s.Get("minItems"); mi.Exists() && int(mi.Int()) > n {
		n = int(mi.Int())
	}
	if ma := s.Get("maxItems"); ma.Exists() && int(ma.Int()) < n {
		n = int(ma.Int())
	}
	out := make([]any, 0, n)
	for i := 0; i < n; i++ {
		if lname == "choices" || lname == "options" || lname == "answers" {
			out = append(out, g.choice(i))
			continue
		}
		g.itemIndex = append(g.itemIndex, i)
		out = append(out, g.value(items, singular(name), depth+1))
		g.itemIndex = g.itemIndex[:len(g.itemIndex)-1]
	}
	return out
}

func (g *argGen) choice(i int) string {
	q := 0
	if len(g.itemIndex) > 0 {
		q = g.itemIndex[len(g.itemIndex)-1]
	}
	c := quizBank[q%len(quizBank)].choices
	return c[i%len(c)]
}

func singular(name string) string {
	if strings.HasSuffix(name, "ies") {
		return name[:len(name)-3] + "y"
	}
	return strings.TrimSuffix(name, "s")
}

// countOf finds "N <name>" in the request ("2 questions", "5 days").
func (g *argGen) countOf(name string) int {
	want := stem(strings.ToLower(name))
	if want == "" {
		return 0
	}
	fields := strings.Fields(strings.Map(func(r rune) rune {
		if r == ',' || r == ':' || r == '.' || r == ';' {
			return ' '
		}
		return r
	}, g.lower))
	for i, f := range fields {
		n, err := strconv.Atoi(f)
		if err != nil {
			n = numberWords[f]
		}
		if n <= 0 {
			continue
		}
		for j := i + 1; j < len(fields) && j <= i+3; j++ {
			if stem(fields[j]) == want {
				return n
			}
		}
	}
	return 0
}

func (g *argGen) number(s gjson.Result, name string, integer bool) float64 {
	if d := s.Get("default"); d.Exists() {
		return d.Float()
	}
	lname := strings.ToLower(name)
	v := 1.0
	if mi := s.Get("minimum"); mi.Exists() {
		v = mi.Float()
	}
	if c := g.countOf(name); c > 0 {
		v = float64(c)
	} else {
		v = g.hinted(lname, v)
	}
	if mi := s.Get("minimum"); mi.Exists() && v < mi.Float() {
		v = mi.Float()
	}
	if ma := s.Get("maximum"); ma.Exists() && v > ma.Float() {
		v = ma.Float()
	}
	if integer {
		v = math.Round(v)
	}
	return v
}

// hinted uses the first number of the request for count-like properties.
func (g *argGen) hinted(lname string, v float64) float64 {
	for _, hint := range []string{"count", "num", "limit", "quantity", "amount", "size", "max", "top", "n"} {
		if lname == hint || strings.Contains(lname, hint) && len(hint) > 1 {
			if m := numberRE.FindString(g.text); m != "" {
				v, _ = strconv.ParseFloat(m, 64)
			}
			break
		}
	}
	return v
}

func (g *argGen) str(s gjson.Result, name string) string {
	lname := strings.ToLower(name)
	format := s.Get("format").String()
	has := func(subs ...string) bool {
		for _, sub := range subs {
			if strings.Contains(lname, sub) {
				return true
			}
		}
		return false
	}
	switch {
	case format == "date-time" || has("datetime", "timestamp"):
		return g.now.UTC().Format(time.RFC3339)
	case format == "date" || has("date", "day"):
		return g.now.Format("2006-01-02")
	case format == "email" || has("email"):
		return "user@example.com"
	case format == "uri" || has("url", "uri", "link"):
		return "https://example.com"
	case has("location", "city", "place", "address", "destination", "region", "where"):
		return g.location()
	case has("title"):
		return g.title()
	case has("question"):
		i := 0
		if len(g.itemIndex) > 0 {
			i = g.itemIndex[len(g.itemIndex)-1]
		}
		return quizBank[i%len(quizBank)].text
	case has("lang"):
		return "en"
	case has("symbol", "ticker"):
		for _, m := range upperRE.FindAllString(g.text, -1) {
			if m != "I" && m != "A" {
				return m
			}
		}
		return "AAPL"
	case has("query", "search", "text", "message", "content", "prompt", "input", "topic", "subject", "description"):
		return g.text
	}
	if d := s.Get("default"); d.Exists() {
		return d.String()
	}
	if m := quotedRE.FindStringSubmatch(g.text); m != nil {
		return m[1]
	}
	return "example"
}

func (g *argGen) location() string {
	if m := locationRE.FindStringSubmatch(g.text); m != nil {
		place := m[1]
		if full, ok := knownCities[strings.ToLower(place)]; ok && m[2] == "" {
			return full
		}
		if m[2] != "" {
			return place + ", " + m[2]
		}
		return place
	}
	for city, full := range knownCities {
		if strings.Contains(g.lower, city) {
			return full
		}
	}
	return "San Francisco, CA"
}

func (g *argGen) title() string {
	quizzy := strings.Contains(g.lower, "quiz") || strings.Contains(strings.ToLower(g.fnName), "quiz")
	topic := "General Knowledge"
	if strings.Contains(g.lower, "math") || strings.Contains(strings.ToLower(g.instructions), "math") {
		topic = "Math"
	}
	if quizzy {
		return topic + " Quiz"
	}
	return topic
}
