package assistantstest

import (
	"encoding/json"
	"net/url"
	"strconv"
)

type listParams struct {
	limit  int
	order  string
	after  string
	before string
}

// parseList reads limit/order/after/before. limit must be within
// 1..maxLimit (default defLimit); order asc or desc (default desc).
func parseList(q url.Values, defLimit, maxLimit int) (listParams, *apiError) {
	p := listParams{limit: defLimit, order: "desc", after: q.Get("after"), before: q.Get("before")}
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return p, errInvalid("limit", "invalid_type", "Invalid type for 'limit': expected an integer, but got a string instead.")
		}
		if n < 1 || n > maxLimit {
			return p, errInvalid("limit", "invalid_value", "Invalid 'limit': expected a value between 1 and %d, but got %d instead.", maxLimit, n)
		}
		p.limit = n
	}
	if v, ok := q["order"]; ok && len(v) > 0 {
		if e := enumErr("order", v[0], "asc", "desc"); e != nil {
			return p, e
		}
		p.order = v[0]
	}
	return p, nil
}

// paginate returns one page of items (given in ascending creation order)
// following the API's cursor rules: after/before are object ids within the
// ordered list, exclusive; with before alone the page is the one just before
// the cursor.
func paginate[T listItem](items []T, p listParams) ([]T, bool, *apiError) {
	ordered := make([]T, len(items))
	copy(ordered, items)
	if p.order == "desc" {
		for i, j := 0, len(ordered)-1; i < j; i, j = i+1, j-1 {
			ordered[i], ordered[j] = ordered[j], ordered[i]
		}
	}
	index := func(cursor string) int {
		for i, it := range ordered {
			if it.objectID() == cursor {
				return i
			}
		}
		return -1
	}
	start, end := 0, len(ordered)
	if p.after != "" {
		i := index(p.after)
		if i < 0 {
			return nil, false, errInvalid("after", "invalid_value", "Invalid 'after': no object with id '%s' in this list.", p.after)
		}
		start = i + 1
	}
	if p.before != "" {
		i := index(p.before)
		if i < 0 {
			return nil, false, errInvalid("before", "invalid_value", "Invalid 'before': no object with id '%s' in this list.", p.before)
		}
		end = i
	}
	if end < start {
		end = start
	}
	window := ordered[start:end]
	if len(window) <= p.limit {
		return window, false, nil
	}
	if p.before != "" && p.after == "" {
		return window[len(window)-p.limit:], true, nil
	}
	return window[:p.limit], true, nil
}

// renderList answers with one page of items, given in creation order.
func renderList[T listItem](items []T, p listParams) (*reply, *apiError) {
	page, more, e := paginate(items, p)
	if e != nil {
		return nil, e
	}
	l := listObj{Object: "list", Data: make([]json.RawMessage, len(page)), HasMore: more}
	for i, it := range page {
		l.Data[i] = mustJSON(it)
	}
	if len(page) > 0 {
		first, last := page[0].objectID(), page[len(page)-1].objectID()
		l.FirstID, l.LastID = &first, &last
	}
	return &reply{body: mustJSON(l)}, nil
}
