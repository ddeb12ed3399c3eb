terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
}

variable "env" {}
variable "instance_class" { default = "db.t3.micro" }
variable "deletion_protection" { default = false }
variable "db_password" {
  type      = string
  sensitive = true
}

locals {
  name = "${var.env}-db"
}

module "network" {
  source = "git::https://github.com/acme/tf-network.git?ref=v1.0.0"
}

module "rds" {
  source  = "terraform-aws-modules/rds/aws"
  version = "6.1.0"
}

resource "aws_db_instance" "main" {
  identifier          = local.name
  instance_class      = var.instance_class
  allocated_storage   = 20
  password            = var.db_password
  deletion_protection = var.deletion_protection
  backup_retention_period = 0
  tags = {
    Name = "${local.name}-primary"
  }
}
