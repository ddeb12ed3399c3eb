# The shop's database and cache, one root module per environment (envs/<env>/ style).
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.40"
    }
  }
}

variable "environment" {}
variable "db_instance_class" {}
variable "db_password" {
  type      = string
  sensitive = true
}

module "network" {
  source = "git::https://github.com/acme-shop/tf-network.git?ref=v2.1.0"
  name   = "shop-${var.environment}"
}

resource "aws_db_instance" "shop" {
  identifier              = "shop-${var.environment}"
  engine                  = "postgres"
  engine_version          = "16.3"
  instance_class          = var.db_instance_class
  allocated_storage       = 50
  password                = var.db_password
  deletion_protection     = false
  backup_retention_period = 0
  storage_encrypted       = true
}

resource "aws_elasticache_replication_group" "cache" {
  replication_group_id = "shop-cache-${var.environment}"
  node_type            = "cache.t4g.small"
  num_cache_clusters   = 1
}
