package assistants

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"net/url"
	"strconv"
	"strings"
)

// Ptr returns a pointer to v. Use it for optional fields whose zero value is
// meaningful, such as Temperature: assistants.Ptr(0.0).
func Ptr[T any](v T) *T { return &v }

// Metadata is up to 16 key-value pairs attached to an object (keys at most 64
// characters, values at most 512).
type Metadata map[string]string

// Order is the sort order of a list by creation time.
type Order string

// The list orders.
const (
	OrderAsc  Order = "asc"
	OrderDesc Order = "desc"
)

// ListParams are the cursor-pagination parameters shared by every list call.
// The zero value asks for the server's defaults (20 items, newest first).
type ListParams struct {
	// Limit is the page size, 1 to 100; 0 leaves it to the server (20).
	Limit int
	// Order is OrderAsc or OrderDesc; empty leaves it to the server (desc).
	Order Order
	// After returns the items after this object id.
	After string
	// Before returns the items before this object id.
	Before string
}

// values validates p and encodes it as query parameters.
func (p ListParams) values() (url.Values, error) {
	q := url.Values{}
	if p.Limit < 0 || p.Limit > 100 {
		return nil, fmt.Errorf("assistants: ListParams.Limit must be between 1 and 100 (or 0 for the default), got %d", p.Limit)
	}
	if p.Limit > 0 {
		q.Set("limit", strconv.Itoa(p.Limit))
	}
	switch p.Order {
	case "":
	case OrderAsc, OrderDesc:
		q.Set("order", string(p.Order))
	default:
		return nil, fmt.Errorf("assistants: ListParams.Order must be %q or %q, got %q", OrderAsc, OrderDesc, p.Order)
	}
	if p.After != "" {
		q.Set("after", p.After)
	}
	if p.Before != "" {
		q.Set("before", p.Before)
	}
	return q, nil
}

// Page is one page of a list: the items and the cursors to fetch the next one.
type Page[T any] struct {
	// Object is always "list".
	Object string `json:"object"`
	// Data holds the items of this page.
	Data []T `json:"data"`
	// FirstID is the id of the first item, empty when the page is empty.
	FirstID string `json:"first_id"`
	// LastID is the id of the last item; pass it as ListParams.After for the next page.
	LastID string `json:"last_id"`
	// HasMore reports whether more items follow this page.
	HasMore bool `json:"has_more"`
}

// Deleted is the answer to a delete call.
type Deleted struct {
	ID      string `json:"id"`
	Object  string `json:"object"`
	Deleted bool   `json:"deleted"`
}

// listAll walks every page from p on, yielding each item, until a page says
// has_more is false or comes back empty. It continues with after = the last
// item's id; when only Before is set it walks back instead, with before =
// the first item's id, so pages come in reverse while items within a page
// keep the requested order. It stops at the first error, which it yields
// with a nil item. A server that says has_more but hands back a cursor it
// already gave (so that listing would go round forever) is an error too.
func listAll[T any](ctx context.Context, p ListParams, fetch func(context.Context, ListParams) (*Page[T], error), id func(*T) string) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) {
		seen := map[string]bool{p.After: p.After != "", p.Before: p.Before != ""}
		for {
			page, err := fetch(ctx, p)
			if err != nil {
				yield(nil, err)
				return
			}
			for i := range page.Data {
				if !yield(&page.Data[i], nil) {
					return
				}
			}
			if !page.HasMore || len(page.Data) == 0 {
				return
			}
			last := id(&page.Data[len(page.Data)-1])
			if last == "" {
				yield(nil, errors.New("assistants: cannot continue listing: the last item of the page has no id"))
				return
			}
			var cursor string
			if p.Before != "" && p.After == "" {
				// A window that ends at a cursor: walk back from it, page by page.
				p.Before = id(&page.Data[0])
				cursor = p.Before
			} else {
				// Before, if set, still bounds the window from above.
				p.After = last
				cursor = last
			}
			if cursor == "" {
				yield(nil, errors.New("assistants: cannot continue listing: the first item of the page has no id"))
				return
			}
			if seen[cursor] {
				yield(nil, fmt.Errorf("assistants: cannot continue listing: the server says has_more but its page leads back to %q, where listing already was (stopping rather than looping forever)", cursor))
				return
			}
			seen[cursor] = true
		}
	}
}

// pathf builds a request path from a format whose verbs are all %s and the
// ids to put in them, each checked to be non-empty (the error names the
// parameter) and path-escaped.
func pathf(format string, ids ...idArg) (string, error) {
	args := make([]any, len(ids))
	for i, id := range ids {
		if strings.TrimSpace(id.value) == "" {
			return "", fmt.Errorf("assistants: %s must not be empty", id.name)
		}
		if id.value == "." || id.value == ".." {
			// Path-escaping leaves dots alone, and a server or proxy would
			// read the path segment as "this" or "parent" directory.
			return "", fmt.Errorf("assistants: %s may not be %q", id.name, id.value)
		}
		args[i] = url.PathEscape(id.value)
	}
	return fmt.Sprintf(format, args...), nil
}

// idArg is a named id for pathf.
type idArg struct{ name, value string }

func arg(name, value string) idArg { return idArg{name, value} }

// errSeq is an iterator that yields only err.
func errSeq[T any](err error) iter.Seq2[*T, error] {
	return func(yield func(*T, error) bool) { yield(nil, err) }
}
