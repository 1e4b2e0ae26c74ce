package assistantstest

import (
	"crypto/rand"
	"fmt"
	"strings"
)

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// newID returns prefix followed by n random alphanumerics, like the API's
// identifiers (asst_…, thread_…, file-…).
func newID(prefix string, n int) string {
	buf := make([]byte, n)
	if _, err := rand.Read(buf); err != nil {
		panic(fmt.Sprintf("assistantstest: crypto/rand: %v", err))
	}
	var b strings.Builder
	b.Grow(len(prefix) + n)
	b.WriteString(prefix)
	for _, c := range buf {
		b.WriteByte(idAlphabet[int(c)%len(idAlphabet)])
	}
	return b.String()
}

func newRequestID() string { return newID("req_", 32) }
