env            = "staging"
instance_class = "db.t3.micro"
db_password    = "tf-canary-Stg-Pa55w0rd-k3"
