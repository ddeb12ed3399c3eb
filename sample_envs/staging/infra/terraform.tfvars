environment       = "staging"
db_instance_class = "db.t4g.medium"
db_password       = "tf-sample-Stg-41be0a9f3d"
