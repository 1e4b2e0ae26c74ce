package assistantstest

import (
	"net/http"

	"github.com/assistants-go/assistants"
)

// Client returns an SDK client talking to this server: its base URL, the
// API key "test-key" and an http.Client bound to the server, followed by
// opts (which may override any of them). It panics if the client cannot be
// built, or if the server was made by NewHandler (which has no URL; build
// the client yourself with assistants.WithBaseURL then).
//
// This is the only place the package uses the SDK; the server itself keeps
// its own wire types, so an SDK decoding bug cannot hide behind the same bug
// on the server side.
func (s *Server) Client(opts ...assistants.Option) *assistants.Client {
	if s.URL == "" {
		panic("assistantstest: Client needs a server started by NewServer")
	}
	hc := http.DefaultClient
	if s.ts != nil {
		hc = s.ts.Client()
	}
	base := []assistants.Option{
		assistants.WithBaseURL(s.URL),
		assistants.WithAPIKey("test-key"),
		assistants.WithHTTPClient(hc),
	}
	c, err := assistants.NewClient(append(base, opts...)...)
	if err != nil {
		panic("assistantstest: " + err.Error())
	}
	return c
}
