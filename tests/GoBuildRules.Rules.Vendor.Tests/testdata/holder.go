// holder keeps an inotify instance with one watch per directory below its argument, prints
// "ready PID WATCHES", and holds them until its standard input closes.
package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

func main() {
	fd, err := syscall.InotifyInit1(syscall.IN_CLOEXEC)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	n := 0
	filepath.Walk(os.Args[1], func(p string, info os.FileInfo, err error) error {
		if err == nil && info.IsDir() {
			if _, e := syscall.InotifyAddWatch(fd, p, syscall.IN_MODIFY|syscall.IN_CREATE|syscall.IN_DELETE); e == nil {
				n++
			}
		}
		return nil
	})
	fmt.Printf("ready %d %d\n", os.Getpid(), n)
	bufio.NewReader(os.Stdin).ReadString('\n')
	syscall.Close(fd)
}
