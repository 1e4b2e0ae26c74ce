package speccheck

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"
)

// envSpec names a file to use instead of the default spec location.
const envSpec = "SPECCHECK_OPENAPI"

// The spec is parsed once per test run and shared by all tests. Tests must
// not change its StrictOneOf field.
var (
	specOnce      sync.Once
	specShared    *Spec
	specErr       error
	specMissing   string
	specParseTime time.Duration
	specFile      string
)

// moduleRoot returns the directory holding go.mod, searching up from the
// working directory (the package directory when testing).
func moduleRoot(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("cannot find the module root (no go.mod above the working directory)")
		}
		dir = parent
	}
}

// specLocation returns where the spec is expected.
func specLocation(t testing.TB) string {
	if p := os.Getenv(envSpec); p != "" {
		return p
	}
	return filepath.Join(moduleRoot(t), "..", "shared", "openapi", "openapi.yaml")
}

// loadSpec returns the parsed spec, skipping the test when the file is not
// there.
func loadSpec(t testing.TB) *Spec {
	t.Helper()
	loc := specLocation(t)
	specOnce.Do(func() {
		specFile = loc
		data, err := os.ReadFile(loc)
		if errors.Is(err, os.ErrNotExist) {
			specMissing = fmt.Sprintf("OpenAPI spec not found at %s (it lives in shared/openapi/openapi.yaml beside the repository; set %s to use another file)", loc, envSpec)
			return
		}
		if err != nil {
			specErr = err
			return
		}
		start := time.Now()
		doc, err := decodeYAML(data)
		if err == nil {
			specShared, err = New(doc)
		}
		specParseTime = time.Since(start)
		if err != nil {
			specErr = fmt.Errorf("%s: %w", loc, err)
		}
	})
	if specMissing != "" {
		t.Skip(specMissing)
	}
	if specErr != nil {
		t.Fatal(specErr)
	}
	return specShared
}

// decodeYAML decodes a YAML document into map[string]any, []any, string,
// int, float64, bool and nil values (every mapping key as a string).
func decodeYAML(data []byte) (map[string]any, error) {
	var n yaml.Node
	if err := yaml.Unmarshal(data, &n); err != nil {
		return nil, err
	}
	v, err := yamlValue(&n, 0)
	if err != nil {
		return nil, err
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the document is a %T, not a mapping", v)
	}
	return m, nil
}

func yamlValue(n *yaml.Node, aliases int) (any, error) {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) != 1 {
			return nil, errors.New("empty YAML document")
		}
		return yamlValue(n.Content[0], aliases)
	case yaml.AliasNode:
		if aliases > 100 {
			return nil, errors.New("too many nested YAML aliases")
		}
		return yamlValue(n.Alias, aliases+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if k.Kind != yaml.ScalarNode {
				return nil, fmt.Errorf("line %d: non-scalar mapping key", k.Line)
			}
			if k.Value == "<<" && k.ShortTag() == "!!merge" {
				return nil, fmt.Errorf("line %d: YAML merge keys are not supported", k.Line)
			}
			v, err := yamlValue(n.Content[i+1], aliases)
			if err != nil {
				return nil, err
			}
			m[k.Value] = v
		}
		return m, nil
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlValue(c, aliases)
			if err != nil {
				return nil, err
			}
			s[i] = v
		}
		return s, nil
	case yaml.ScalarNode:
		switch n.ShortTag() {
		case "!!str", "!!timestamp":
			return n.Value, nil
		case "!!null":
			return nil, nil
		default: // !!bool, !!int, !!float, !!binary
			var v any
			if err := n.Decode(&v); err != nil {
				return nil, fmt.Errorf("line %d: %w", n.Line, err)
			}
			return v, nil
		}
	}
	return nil, fmt.Errorf("line %d: unexpected YAML node kind %v", n.Line, n.Kind)
}
