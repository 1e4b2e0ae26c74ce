package assistants

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// ToolType names a kind of tool.
type ToolType string

// The tool types.
const (
	ToolTypeCodeInterpreter ToolType = "code_interpreter"
	ToolTypeFileSearch      ToolType = "file_search"
	ToolTypeFunction        ToolType = "function"
)

// Tool is one tool an assistant or run may use. Type says which; for
// ToolTypeFunction, Function describes the function; for ToolTypeFileSearch,
// FileSearch optionally tunes the search. Build them with FunctionTool,
// CodeInterpreterTool and FileSearchTool.
type Tool struct {
	Type       ToolType            `json:"type"`
	Function   *FunctionDefinition `json:"function,omitempty"`
	FileSearch *FileSearchSettings `json:"file_search,omitempty"`
}

// FunctionDefinition describes a function the model may call.
type FunctionDefinition struct {
	// Name is the function's name (a-z, A-Z, 0-9, underscores and dashes, at most 64).
	Name string `json:"name"`
	// Description tells the model when and how to call the function.
	Description string `json:"description,omitempty"`
	// Parameters is the JSON Schema of the arguments object; nil means none.
	Parameters json.RawMessage `json:"parameters,omitempty"`
	// Strict asks the model to follow Parameters exactly (Structured Outputs).
	Strict *bool `json:"strict,omitempty"`
}

// FileSearchSettings tunes the file_search tool.
type FileSearchSettings struct {
	// MaxNumResults caps the results, 1 to 50; 0 leaves the server's default.
	MaxNumResults int `json:"max_num_results,omitempty"`
	// RankingOptions sets the ranker and the score threshold.
	RankingOptions *RankingOptions `json:"ranking_options,omitempty"`
}

// RankingOptions sets how file search results are ranked and filtered.
type RankingOptions struct {
	// Ranker is "auto" or "default_2024_08_21"; empty leaves the server's default.
	Ranker string `json:"ranker,omitempty"`
	// ScoreThreshold drops results scoring below it (0 to 1).
	ScoreThreshold float64 `json:"score_threshold"`
}

// FunctionTool returns a function tool for def.
func FunctionTool(def FunctionDefinition) Tool {
	return Tool{Type: ToolTypeFunction, Function: &def}
}

// CodeInterpreterTool returns the code_interpreter tool.
func CodeInterpreterTool() Tool { return Tool{Type: ToolTypeCodeInterpreter} }

// FileSearchTool returns the file_search tool with the server's default settings.
func FileSearchTool() Tool { return Tool{Type: ToolTypeFileSearch} }

// validateTools checks the tools a caller is about to send.
func validateTools(field string, tools []Tool) error {
	for i, t := range tools {
		switch t.Type {
		case ToolTypeFunction:
			if t.Function == nil || t.Function.Name == "" {
				return fmt.Errorf("assistants: %s[%d]: a function tool needs Function with a Name", field, i)
			}
			if len(t.Function.Parameters) > 0 && !json.Valid(t.Function.Parameters) {
				return fmt.Errorf("assistants: %s[%d]: Function.Parameters of %q is not valid JSON", field, i, t.Function.Name)
			}
		case ToolTypeCodeInterpreter, ToolTypeFileSearch:
		case "":
			return fmt.Errorf("assistants: %s[%d]: Type is empty", field, i)
		}
	}
	return nil
}

// ToolResources are the files a tool works on: code_interpreter's files and
// file_search's vector stores.
type ToolResources struct {
	CodeInterpreter *CodeInterpreterResources `json:"code_interpreter,omitempty"`
	FileSearch      *FileSearchResources      `json:"file_search,omitempty"`
}

// CodeInterpreterResources lists the files code_interpreter can read (at most 20).
type CodeInterpreterResources struct {
	FileIDs []string `json:"file_ids"`
}

// MarshalJSON writes a nil FileIDs as an empty list, as the API expects.
func (r CodeInterpreterResources) MarshalJSON() ([]byte, error) {
	ids := r.FileIDs
	if ids == nil {
		ids = []string{}
	}
	return json.Marshal(struct {
		FileIDs []string `json:"file_ids"`
	}{ids})
}

// validateIDsOnly rejects FileSearch.VectorStores where the API accepts only
// existing vector store ids (updates and create-and-run).
func (r *ToolResources) validateIDsOnly(field string) error {
	if r != nil && r.FileSearch != nil && len(r.FileSearch.VectorStores) > 0 {
		return fmt.Errorf("assistants: %s.FileSearch.VectorStores is only accepted when creating an assistant or thread; create the vector store first and pass VectorStoreIDs", field)
	}
	return nil
}

// FileSearchResources names the vector store file_search searches. On create
// calls, VectorStores may instead ask for a new store built from files.
type FileSearchResources struct {
	VectorStoreIDs []string             `json:"vector_store_ids,omitempty"`
	VectorStores   []NewVectorStoreSpec `json:"vector_stores,omitempty"`
}

// NewVectorStoreSpec asks for a vector store to be created from files and
// attached, on the create calls of assistants and threads.
type NewVectorStoreSpec struct {
	FileIDs          []string          `json:"file_ids,omitempty"`
	ChunkingStrategy *ChunkingStrategy `json:"chunking_strategy,omitempty"`
	Metadata         Metadata          `json:"metadata,omitempty"`
}

// ToolChoice controls which tool, if any, the model calls. It is either a
// mode ("none", "auto", "required") or a named tool; on the wire the first is
// a string and the second an object. Use ToolChoiceAuto, ToolChoiceNone,
// ToolChoiceRequired or ToolChoiceFunction.
type ToolChoice struct {
	// Mode is "none", "auto" or "required"; empty when a tool is named.
	Mode string
	// Type is the named tool's type when Mode is empty.
	Type ToolType
	// FunctionName is the function to call when Type is ToolTypeFunction.
	FunctionName string
}

// The tool choice modes.
var (
	ToolChoiceAuto     = &ToolChoice{Mode: "auto"}
	ToolChoiceNone     = &ToolChoice{Mode: "none"}
	ToolChoiceRequired = &ToolChoice{Mode: "required"}
)

// ToolChoiceFunction makes the model call the named function.
func ToolChoiceFunction(name string) *ToolChoice {
	return &ToolChoice{Type: ToolTypeFunction, FunctionName: name}
}

type toolChoiceObject struct {
	Type     ToolType `json:"type"`
	Function *struct {
		Name string `json:"name"`
	} `json:"function,omitempty"`
}

// MarshalJSON writes a mode as a string and a named tool as an object.
func (t ToolChoice) MarshalJSON() ([]byte, error) {
	if t.Mode != "" {
		return json.Marshal(t.Mode)
	}
	if t.Type == "" {
		return nil, fmt.Errorf("assistants: ToolChoice needs a Mode or a Type")
	}
	obj := toolChoiceObject{Type: t.Type}
	if t.Type == ToolTypeFunction {
		if t.FunctionName == "" {
			return nil, fmt.Errorf("assistants: ToolChoice of type function needs a FunctionName")
		}
		obj.Function = &struct {
			Name string `json:"name"`
		}{t.FunctionName}
	}
	return json.Marshal(obj)
}

// UnmarshalJSON reads either wire form.
func (t *ToolChoice) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		*t = ToolChoice{}
		return json.Unmarshal(data, &t.Mode)
	}
	var obj toolChoiceObject
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	*t = ToolChoice{Type: obj.Type}
	if obj.Function != nil {
		t.FunctionName = obj.Function.Name
	}
	return nil
}

// ResponseFormat is the format the model must answer in: "auto" (a string on
// the wire), or an object of type "text", "json_object" or "json_schema". Use
// ResponseFormatAuto, ResponseFormatText, ResponseFormatJSONObject or
// ResponseFormatJSONSchema.
type ResponseFormat struct {
	// Type is "auto", "text", "json_object" or "json_schema".
	Type string
	// JSONSchema is the schema when Type is "json_schema".
	JSONSchema *JSONSchema
}

// JSONSchema is a named JSON Schema the model's answer must follow.
type JSONSchema struct {
	Name        string          `json:"name"`
	Description string          `json:"description,omitempty"`
	Schema      json.RawMessage `json:"schema,omitempty"`
	Strict      *bool           `json:"strict,omitempty"`
}

// The fixed response formats.
var (
	ResponseFormatAuto       = &ResponseFormat{Type: "auto"}
	ResponseFormatText       = &ResponseFormat{Type: "text"}
	ResponseFormatJSONObject = &ResponseFormat{Type: "json_object"}
)

// ResponseFormatJSONSchema makes the model answer with JSON that follows schema.
func ResponseFormatJSONSchema(schema JSONSchema) *ResponseFormat {
	return &ResponseFormat{Type: "json_schema", JSONSchema: &schema}
}

type responseFormatObject struct {
	Type       string      `json:"type"`
	JSONSchema *JSONSchema `json:"json_schema,omitempty"`
}

// MarshalJSON writes "auto" as a string and the other formats as objects.
func (f ResponseFormat) MarshalJSON() ([]byte, error) {
	switch f.Type {
	case "auto":
		return []byte(`"auto"`), nil
	case "":
		return nil, fmt.Errorf("assistants: ResponseFormat needs a Type")
	case "json_schema":
		if f.JSONSchema == nil || f.JSONSchema.Name == "" {
			return nil, fmt.Errorf("assistants: a json_schema ResponseFormat needs JSONSchema with a Name")
		}
	}
	return json.Marshal(responseFormatObject(f))
}

// UnmarshalJSON reads either wire form.
func (f *ResponseFormat) UnmarshalJSON(data []byte) error {
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		*f = ResponseFormat{}
		return json.Unmarshal(data, &f.Type)
	}
	var obj responseFormatObject
	if err := json.Unmarshal(data, &obj); err != nil {
		return err
	}
	*f = ResponseFormat(obj)
	return nil
}
