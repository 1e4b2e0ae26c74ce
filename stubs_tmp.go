package assistants

type ThreadsService struct{ client *Client }
type MessagesService struct{ client *Client }
type RunsService struct{ client *Client }
type StepsService struct{ client *Client }
