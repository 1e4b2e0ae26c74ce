// Package assistants is a Go client for the Assistants API (v2): assistants,
// threads, messages, runs, run steps, files and vector stores, with helpers
// that poll a run to its end, stream a run's events into a handler that
// answers requires_action with tool outputs, and run Go functions as tools.
//
// The hosted OpenAI Assistants API was switched off on 2026-08-26. This
// client talks to any server that still speaks the protocol: a compatible
// self-hosted server, a proxy, or the in-process server of package
// assistantstest, which also backs the examples and tests offline.
//
// # Getting started
//
//	c, err := assistants.NewClient(
//		assistants.WithBaseURL("http://127.0.0.1:8089/v1"), // or OPENAI_BASE_URL
//		assistants.WithAPIKey("sk-..."),                    // or OPENAI_API_KEY
//	)
//	if err != nil { ... }
//	asst, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{
//		Model: "gpt-4o", Name: "Math Tutor",
//		Instructions: "You are a personal math tutor.",
//	})
//	thread, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
//	_, err = c.Messages.Create(ctx, thread.ID, assistants.MessageCreateParams{
//		Role: assistants.RoleUser, Content: "Solve 3x + 11 = 14.",
//	})
//	run, err := c.Runs.CreateAndPoll(ctx, thread.ID, assistants.RunCreateParams{AssistantID: asst.ID})
//
// # Requests and errors
//
// Every call goes through one request path: it sends the Authorization,
// OpenAI-Beta, OpenAI-Organization, OpenAI-Project and User-Agent headers,
// retries connection errors and 408, 409, 429 and 5xx responses (twice by
// default, honouring retry-after-ms, Retry-After and x-should-retry, with one
// Idempotency-Key per POST reused by its retries), and waits in a way that
// ends as soon as the context does. Any non-2xx response becomes an
// *APIError. Required ids and parameters are checked before any request is
// sent, and ids are path-escaped.
//
// Objects decoded from the server keep their JSON: Raw returns it and Get
// reads any field with a gjson path, so fields this package does not model
// are never lost.
package assistants
