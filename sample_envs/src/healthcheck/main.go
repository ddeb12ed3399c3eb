package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Println(os.Getenv("HEALTHCHECK_URL"))
	if v, ok := os.LookupEnv("HEALTHCHECK_TIMEOUT"); ok {
		fmt.Println(v)
	}
}
