// Package speccheck checks that the requests recorded in the SDK's HTTP
// fixtures (testdata/fixtures/*.json at the module root) conform to the
// official OpenAI OpenAPI specification, and that the responses of the
// in-process server (assistantstest) do.
//
// The fixture-replay tests guarantee that the SDK sends exactly the requests
// stored in the fixtures, so validating every stored request against the
// spec shows that the SDK's requests conform to it. The server tests drive
// every endpoint of assistantstest with raw HTTP and validate each JSON
// response against the operation's response schema for its status, each
// server-sent event against the AssistantStreamEvent variant of its name,
// and each error against ErrorResponse, accepting only a short, commented
// list of places where the real API and the spec disagree.
//
// The spec is not part of this repository. The tests read it from
// ../shared/openapi/openapi.yaml next to the module root (or from the file
// named by the SPECCHECK_OPENAPI environment variable), parse it with a YAML
// library that only the tests import, and skip when it is missing.
//
// The package itself works on an already decoded document, a tree of
// map[string]any, []any, string, bool, nil and numbers, and provides:
//
//   - Spec.Operation, which finds the operation for a method and a path
//     relative to the server URL (such as "/threads/thread_1/runs");
//   - Operation.CheckPathParams, Operation.CheckQuery,
//     Operation.CheckJSONBody, Operation.CheckMultipart and
//     Operation.CheckNoBody, which check the parts of a request;
//   - Operation.ResponseSchema and Operation.CheckResponseHeaders for
//     responses, Spec.StreamEventSchemas for server-sent events and
//     Spec.Schema for any component schema;
//   - Spec.Validate, a validator for the subset of JSON Schema that the spec
//     uses ($ref, type, nullable, properties, required,
//     additionalProperties, enum, const, anyOf, oneOf, allOf, not, items,
//     minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf,
//     minItems, maxItems, uniqueItems, minLength, maxLength, pattern,
//     minProperties, maxProperties, propertyNames, and $recursiveRef with
//     $recursiveAnchor).
//
// Schema keywords that the validator neither checks nor knows to be
// annotations can be listed with Spec.UnknownKeywords (for requests) and
// Spec.UnknownKeywordsIn (for any schemas), so that a test can fail instead
// of the validator silently ignoring them.
package speccheck
