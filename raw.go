package assistants

import (
	"encoding/json"

	"github.com/tidwall/gjson"
)

// rawJSON keeps the JSON an object was decoded from, so that fields this SDK
// does not model (newer API fields, a server's extensions) can still be read.
type rawJSON struct{ raw json.RawMessage }

// Raw returns the JSON the object was decoded from, or nil for an object
// built in Go. The caller must not modify it.
func (r rawJSON) Raw() json.RawMessage { return r.raw }

// Get reads one field of the JSON the object was decoded from, using a gjson
// path such as "usage.prompt_token_details.cached_tokens".
func (r rawJSON) Get(path string) gjson.Result { return gjson.GetBytes(r.raw, path) }

// decodeRaw decodes data into v (a defined type without UnmarshalJSON of the
// object) and keeps a copy of data in r.
func decodeRaw(data []byte, v any, r *rawJSON) error {
	if err := json.Unmarshal(data, v); err != nil {
		return err
	}
	r.raw = append(json.RawMessage(nil), data...)
	return nil
}
