// A tiny program that needs cgo: with CGO_ENABLED=1 and no working C compiler,
// `go build` fails (or, with Go >= 1.20 and CGO_ENABLED unset, cgo is silently turned off
// and this file is excluded from the build).
package main

/*
#include <stdio.h>
static int answer(void) { return 42; }
*/
import "C"

import "fmt"

func main() {
	fmt.Println("answer from C:", int(C.answer()))
}
