variable "replicas" { default = 1 }
variable "region" {}
resource "aws_elasticache_replication_group" "cache" {
  num_cache_clusters = var.replicas
  node_type          = "cache.t3.micro"
}
