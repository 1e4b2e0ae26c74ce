package assistantstest

// reader reads the properties of an object one after another and keeps the
// first error: once a read fails, later reads do nothing and give zero
// values. A sequence of reads is checked once, at its end (err), and fails
// with the error of the first bad property, as one early return per read
// would.
type reader struct {
	o   *object
	err *apiError
}

func (o *object) reader() *reader { return &reader{o: o} }

// read runs parse unless an earlier read failed, and keeps its error.
func read[T any](f *reader, parse func() (T, *apiError)) (v T) {
	if f.err == nil {
		v, f.err = parse()
	}
	return v
}

// field reads k with parse unless an earlier read failed.
func field[T any](f *reader, k string, parse func(*object, string) (T, *apiError)) T {
	return read(f, func() (T, *apiError) { return parse(f.o, k) })
}

// check keeps e unless an earlier read failed.
func (f *reader) check(e *apiError) {
	if f.err == nil {
		f.err = e
	}
}

func (f *reader) str(k string, required bool) string {
	return read(f, func() (string, *apiError) { return f.o.str(k, required) })
}

func (f *reader) nullableStr(k string, max int) *string {
	return read(f, func() (*string, *apiError) { return f.o.nullableStr(k, max) })
}

// enum reads the string k and, when it is there, checks that it is one of
// values.
func (f *reader) enum(k string, required bool, values ...string) string {
	v := f.str(k, required)
	if f.o.has(k) {
		f.check(enumErr(f.o.name(k), v, values...))
	}
	return v
}

func (f *reader) number(k string, min, max float64) *float64 {
	return read(f, func() (*float64, *apiError) { return f.o.number(k, min, max) })
}

func (f *reader) integer(k string, min, max int) *int {
	return read(f, func() (*int, *apiError) { return f.o.integer(k, min, max) })
}

// flag reads the boolean k, def when it is absent or null.
func (f *reader) flag(k string, def bool) bool {
	if b := read(f, func() (*bool, *apiError) { return f.o.boolean(k) }); b != nil {
		return *b
	}
	return def
}

func (f *reader) strArray(k string, maxItems int) []string {
	return read(f, func() ([]string, *apiError) { return f.o.strArray(k, maxItems) })
}

func (f *reader) metadata(k string) map[string]string {
	return read(f, func() (map[string]string, *apiError) { return f.o.metadata(k) })
}

func (f *reader) tools(k string, maxItems int) []toolObj {
	return read(f, func() ([]toolObj, *apiError) { return parseTools(f.o, k, maxItems) })
}

// toolResources reads tool_resources (see parseToolResources). The caller
// holds s.mu.
func (f *reader) toolResources(s *Server, allowCreate bool) *toolResources {
	return read(f, func() (*toolResources, *apiError) { return s.parseToolResources(f.o, "tool_resources", allowCreate) })
}
