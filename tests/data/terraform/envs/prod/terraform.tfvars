env                 = "production"
instance_class      = "db.r5.large"
deletion_protection = true
db_password         = "tf-canary-Pr0d-Pa55w0rd-x9"
