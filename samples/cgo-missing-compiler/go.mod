module example.com/cgo-missing-compiler

go 1.19
