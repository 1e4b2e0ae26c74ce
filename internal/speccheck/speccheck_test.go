package speccheck

import (
	"encoding/base64"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/assistants-go/assistants/internal/fixture"
)

// fixtureFiles returns the fixture files of the module, sorted.
func fixtureFiles(t *testing.T) []string {
	t.Helper()
	dir := filepath.Join(moduleRoot(t), filepath.FromSlash(fixture.DefaultDir))
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

// stats counts what checkRecording looked at.
type stats struct {
	files, interactions            int
	jsonBodies, multipartBodies    int
	rawBodies, noBodies, withQuery int
}

func (s stats) String() string {
	return fmt.Sprintf("%d fixture files, %d interactions: %d JSON bodies, %d multipart bodies, %d raw bodies, %d without a body; %d with query parameters",
		s.files, s.interactions, s.jsonBodies, s.multipartBodies, s.rawBodies, s.noBodies, s.withQuery)
}

// checkRecording checks every request of a fixture against the spec and
// returns the problems found, each naming the interaction (0-based index
// into "interactions"). The operations matched are added to ops.
func checkRecording(s *Spec, rec *fixture.Recording, st *stats, ops map[string]*Operation) []string {
	var problems []string
	for i, in := range rec.Interactions {
		req := in.Request
		st.interactions++
		where := fmt.Sprintf("interactions[%d] (%s %s)", i, req.Method, req.Path)
		report := func(part string, errs []Error) {
			for _, e := range errs {
				problems = append(problems, fmt.Sprintf("%s: %s: %s", where, part, e))
			}
		}
		op, err := s.Operation(req.Method, req.Path)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: unknown operation: %v", where, err))
			continue
		}
		if ops != nil {
			ops[op.String()] = op
		}
		report("request.path", op.CheckPathParams())

		if len(req.Query) > 0 {
			st.withQuery++
		}
		query := make(map[string][]string, len(req.Query))
		for k, v := range req.Query {
			query[k] = v
		}
		report("request.query", op.CheckQuery(query))

		switch {
		case req.Body != nil:
			st.jsonBodies++
			report("request.body", op.CheckJSONBody(req.Body))
		case req.Multipart != nil:
			st.multipartBodies++
			fields := make(map[string][]string, len(req.Multipart.Fields))
			for k, v := range req.Multipart.Fields {
				fields[k] = v
			}
			files := make(map[string]string, len(req.Multipart.Files))
			for k, f := range req.Multipart.Files {
				files[k] = f.Filename
			}
			report("request.multipart", op.CheckMultipart(fields, files))
		case req.BodyText != nil || req.BodyBase64 != "":
			st.rawBodies++
			raw := []byte(nil)
			part := "request.body_text"
			if req.BodyText != nil {
				raw = []byte(*req.BodyText)
			} else {
				part = "request.body_base64"
				raw, _ = base64.StdEncoding.DecodeString(req.BodyBase64) // checked by fixture.Load
			}
			// Only JSON bodies can be checked; anything else the
			// operation does not take is reported by CheckJSONBody.
			report(part, op.CheckJSONBody(raw))
		default:
			st.noBodies++
			report("request", op.CheckNoBody())
		}
	}
	return problems
}

// checkFile loads and checks one fixture file.
func checkFile(s *Spec, path string, st *stats, ops map[string]*Operation) []string {
	rec, err := fixture.Load(path)
	if err != nil {
		return []string{"cannot load fixture: " + err.Error()}
	}
	st.files++
	return checkRecording(s, rec, st, ops)
}

// TestFixturesConformToSpec checks every request stored in the module's
// fixtures against the OpenAPI spec.
func TestFixturesConformToSpec(t *testing.T) {
	s := loadSpec(t)
	t.Logf("parsed %s in %v", specFile, specParseTime)
	files := fixtureFiles(t)
	var st stats
	ops := map[string]*Operation{}
	for _, path := range files {
		name := filepath.Base(path)
		t.Run(strings.TrimSuffix(name, ".json"), func(t *testing.T) {
			for _, p := range checkFile(s, path, &st, ops) {
				t.Errorf("%s: %s", name, p)
			}
		})
	}
	t.Logf("validated %s", st)
	var opNames []string
	for k := range ops {
		opNames = append(opNames, k)
	}
	sort.Strings(opNames)
	t.Logf("operations exercised (%d): %s", len(opNames), strings.Join(opNames, ", "))
	if st.jsonBodies+st.multipartBodies == 0 {
		t.Errorf("no request bodies were validated (no fixture in %s has one), so this check proves nothing",
			filepath.Join(moduleRoot(t), filepath.FromSlash(fixture.DefaultDir)))
	}

	// Keywords the validator would silently ignore in the schemas used.
	list := make([]*Operation, 0, len(ops))
	for _, k := range opNames {
		list = append(list, ops[k])
	}
	for _, k := range s.UnknownKeywords(list...) {
		t.Errorf("the validator does not understand the schema keyword %s", k)
	}
}

// TestFixturesHaveRequestBodies makes sure that the conformance check cannot
// pass vacuously: there must be fixtures whose requests have bodies.
func TestFixturesHaveRequestBodies(t *testing.T) {
	files := fixtureFiles(t)
	var withBody, bodies, interactions int
	for _, path := range files {
		rec, err := fixture.Load(path)
		if err != nil {
			t.Errorf("%s: %v", filepath.Base(path), err)
			continue
		}
		n := 0
		for _, in := range rec.Interactions {
			interactions++
			if in.Request.Body != nil || in.Request.Multipart != nil {
				n++
			}
		}
		if n > 0 {
			withBody++
			bodies += n
		}
	}
	t.Logf("%d fixture files, %d with request bodies; %d interactions, %d with request bodies", len(files), withBody, interactions, bodies)
	if withBody == 0 {
		t.Fatalf("no fixture file in %s has a request with a JSON or multipart body; the spec conformance check would prove nothing",
			filepath.Join(moduleRoot(t), filepath.FromSlash(fixture.DefaultDir)))
	}
}

// TestSpecParse reports how long parsing the spec took and checks a few
// things any usable spec has.
func TestSpecParse(t *testing.T) {
	s := loadSpec(t)
	t.Logf("parsed %s (%d path templates) in %v", specFile, len(s.paths), specParseTime)
	for _, c := range []struct{ method, path, want string }{
		{"POST", "/assistants", "/assistants"},
		{"GET", "/threads/thread_1/runs/run_1/steps/step_1", "/threads/{thread_id}/runs/{run_id}/steps/{step_id}"},
		{"POST", "/threads/runs", "/threads/runs"},
		{"POST", "/threads/thread_1", "/threads/{thread_id}"},
		{"POST", "/vector_stores/vs_1/file_batches/vsfb_1/cancel", "/vector_stores/{vector_store_id}/file_batches/{batch_id}/cancel"},
	} {
		op, err := s.Operation(c.method, c.path)
		if err != nil {
			t.Errorf("%s %s: %v", c.method, c.path, err)
			continue
		}
		if op.Path != c.want {
			t.Errorf("%s %s matched %s, want %s", c.method, c.path, op.Path, c.want)
		}
	}
}

// TestSampleFixtures runs the fixture check on this package's own sample
// fixtures: one that conforms and one full of mistakes.
func TestSampleFixtures(t *testing.T) {
	s := loadSpec(t)

	var st stats
	ops := map[string]*Operation{}
	for _, p := range checkFile(s, filepath.Join("testdata", "sample_ok.json"), &st, ops) {
		t.Errorf("sample_ok.json: %s", p)
	}
	if st.jsonBodies == 0 || st.multipartBodies == 0 || st.noBodies == 0 || st.withQuery == 0 {
		t.Errorf("sample_ok.json does not exercise everything: %s", st)
	}
	list := make([]*Operation, 0, len(ops))
	for _, o := range ops {
		list = append(list, o)
	}
	if unknown := s.UnknownKeywords(list...); len(unknown) > 0 {
		t.Errorf("unknown schema keywords: %v", unknown)
	}

	problems := checkFile(s, filepath.Join("testdata", "sample_bad.json"), &stats{}, nil)
	want := []string{
		`interactions[0] (POST /assistants): request.body: $.foo: unknown property`,
		`interactions[0] (POST /assistants): request.body: $.tools[1].function.strict: expected boolean or null, got string "yes"`,
		`interactions[0] (POST /assistants): request.body: $.tools[2].type: value "bogus" is not one of ["code_interpreter", "file_search", "function"]`,
		`interactions[1] (GET /assistants): request.query: query.colour: not a query parameter of GET /assistants`,
		`interactions[1] (GET /assistants): request.query: query.limit: 0 is outside the range 1..100`,
		`interactions[1] (GET /assistants): request.query: query.order: value "sideways" is not one of ["asc", "desc"]`,
		`interactions[2] (GET /no/such/endpoint): unknown operation: no path of the spec matches GET /no/such/endpoint`,
		`interactions[3] (PUT /threads/thread_1): unknown operation: the spec has no operation PUT /threads/thread_1 (the path matches GET /threads/{thread_id}, POST /threads/{thread_id}, DELETE /threads/{thread_id})`,
		`interactions[4] (POST /threads/thread_1/runs/run_1/cancel): request.body: $: POST /threads/{thread_id}/runs/{run_id}/cancel takes no request body`,
		`interactions[5] (POST /threads/thread_1/runs): request: $: POST /threads/{thread_id}/runs requires a request body`,
		`interactions[6] (POST /files): request.multipart: $: missing required property "file"`,
		`interactions[6] (POST /files): request.multipart: $.extra: unknown property`,
		`interactions[6] (POST /files): request.multipart: $.purpose: value "homework" is not one of`,
		`interactions[6] (POST /files): request.multipart: $.upload: unknown property`,
		`interactions[7] (GET /threads/thread_1/messages): request.query: query.limit: given 2 times, but the parameter is not an array`,
		`interactions[8] (POST /threads/thread_1/messages): request.body: $.metadata.k: expected string, got number 1.5`,
		`interactions[8] (POST /threads/thread_1/messages): request.body: $.metadata.n: expected string, got null`,
		`interactions[8] (POST /threads/thread_1/messages): request.body: $.role: value "robot" is not one of ["user", "assistant"]`,
	}
	for _, w := range want {
		found := false
		for _, p := range problems {
			if strings.HasPrefix(p, w) {
				found = true
				break
			}
		}
		if !found {
			t.Errorf("missing problem %q", w)
		}
	}
	if len(problems) != len(want) {
		t.Errorf("got %d problems, want %d:\n%s", len(problems), len(want), strings.Join(problems, "\n"))
	}
	if t.Failed() {
		return
	}
	for _, p := range problems {
		t.Log(p)
	}
}
