environment       = "production"
db_instance_class = "db.r6g.xlarge"
db_password       = "tf-sample-Pr0d-9c1d7e52aa"
