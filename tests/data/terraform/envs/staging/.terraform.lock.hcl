provider "registry.terraform.io/hashicorp/aws" {
  version     = "5.20.0"
  constraints = "~> 5.0"
  hashes = [
    "h1:abc=",
  ]
}
