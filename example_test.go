package assistants_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/assistants-go/assistants"
	"github.com/assistants-go/assistants/assistantstest"
)

// The quick start, against the in-process server: an assistant, a thread, a
// message, a run polled to completion, and the conversation read back.
func Example() {
	srv := assistantstest.NewServer() // or assistants.NewClient() for a real server
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	asst, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{
		Model:        "gpt-4o",
		Name:         "Math Tutor",
		Instructions: "You are a personal math tutor. Answer questions briefly, in a sentence or less.",
	})
	if err != nil {
		log.Fatal(err)
	}
	thread, err := c.Threads.Create(ctx, assistants.ThreadCreateParams{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Messages.Create(ctx, thread.ID, assistants.MessageCreateParams{
		Role:    assistants.RoleUser,
		Content: "I need to solve the equation `3x + 11 = 14`. Can you help me?",
	}); err != nil {
		log.Fatal(err)
	}
	run, err := c.Runs.CreateAndPoll(ctx, thread.ID, assistants.RunCreateParams{AssistantID: asst.ID})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("run:", run.Status)

	for m, err := range c.Messages.ListAll(ctx, thread.ID, assistants.MessageListParams{
		ListParams: assistants.ListParams{Order: assistants.OrderAsc},
	}) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s: %s\n", m.Role, m.Text())
	}
	// Output:
	// run: completed
	// user: I need to solve the equation `3x + 11 = 14`. Can you help me?
	// assistant: Sure! Subtract 11 from both sides to get 3x = 3, then divide by 3 to find x = 1.
}

// Go functions as tools: the tool runner answers every requires_action of
// the run (calls of one round run concurrently and are submitted together)
// until the run ends.
func ExampleWithRequiresActionHandler() {
	srv := assistantstest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()

	weatherParams := json.RawMessage(`{"type":"object","properties":{"location":{"type":"string"}},"required":["location"],"additionalProperties":false}`)
	asst, err := c.Assistants.Create(ctx, assistants.AssistantCreateParams{
		Model: "gpt-4o",
		Tools: []assistants.Tool{
			assistants.FunctionTool(assistants.FunctionDefinition{Name: "get_current_temperature", Description: "Get the current temperature for a location", Parameters: weatherParams, Strict: assistants.Ptr(true)}),
			assistants.FunctionTool(assistants.FunctionDefinition{Name: "get_rain_probability", Description: "Get the probability of rain for a location", Parameters: weatherParams, Strict: assistants.Ptr(true)}),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	type place struct {
		Location string `json:"location"`
	}
	runner := assistants.NewToolRunner(map[string]assistants.ToolFunc{
		"get_current_temperature": assistants.ToolFuncOf(func(ctx context.Context, p place) (string, error) { return "57", nil }),
		"get_rain_probability":    assistants.ToolFuncOf(func(ctx context.Context, p place) (string, error) { return "0.06", nil }),
	})
	run, err := c.Threads.CreateAndRunPoll(ctx, assistants.CreateAndRunParams{
		AssistantID: asst.ID,
		Thread: &assistants.ThreadCreateParams{Messages: []assistants.MessageCreateParams{{
			Role: assistants.RoleUser, Content: "What's the weather in San Francisco today and the likelihood it'll rain?",
		}}},
	}, assistants.WithRequiresActionHandler(runner))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("run:", run.Status)
	// Output:
	// run: completed
}

// Errors from the server are *APIError values.
func ExampleAPIError() {
	srv := assistantstest.NewServer()
	defer srv.Close()
	c := srv.Client()

	_, err := c.Assistants.Get(context.Background(), "asst_does_not_exist")
	var apiErr *assistants.APIError
	if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusNotFound {
		fmt.Println(apiErr.StatusCode, apiErr.Type)
	}
	// Output:
	// 404 invalid_request_error
}
