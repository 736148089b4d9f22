package config

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

var schema = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(Schema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("wasmlint.schema.json", doc); err != nil {
		return nil, err
	}
	return c.Compile("wasmlint.schema.json")
})

// ValidateSchema checks a configuration against Schema (without line
// numbers: Parse gives those). It returns nil when the file is valid.
func ValidateSchema(b []byte) error {
	var v any
	if err := yaml.Unmarshal(b, &v); err != nil {
		return err
	}
	sch, err := schema()
	if err != nil {
		return fmt.Errorf("the embedded schema: %w", err)
	}
	return sch.Validate(jsonValue(v))
}

// jsonValue turns a decoded YAML value into the JSON data model the
// validator takes: string keys, float64 numbers, dates as strings.
func jsonValue(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = jsonValue(e)
		}
		return out
	case map[any]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[fmt.Sprint(k)] = jsonValue(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = jsonValue(e)
		}
		return out
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	case time.Time:
		return strings.TrimSuffix(x.Format(time.RFC3339), "T00:00:00Z")
	}
	return v
}
