module github.com/assistants-go/assistants/internal/bench

go 1.23

require (
	github.com/assistants-go/assistants v0.0.0
	github.com/openai/openai-go v1.12.0
)

require (
	github.com/google/uuid v1.6.0 // indirect
	github.com/tidwall/gjson v1.20.0 // indirect
	github.com/tidwall/match v1.1.1 // indirect
	github.com/tidwall/pretty v1.2.1 // indirect
	github.com/tidwall/sjson v1.2.5 // indirect
)

replace github.com/assistants-go/assistants => ../..
