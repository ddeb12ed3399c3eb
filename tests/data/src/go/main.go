package main
import "os"
func main() {
	_ = os.Getenv("REQ_GO")
	_, _ = os.LookupEnv("OPT_GO")
}
