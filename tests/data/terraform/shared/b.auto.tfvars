replicas = 5
