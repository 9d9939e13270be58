output "project_id" {
  description = "Atlas project id holding the cluster."
  value       = local.project_id
}

output "cluster_name" {
  description = "Name of the replica-set cluster."
  value       = mongodbatlas_advanced_cluster.this.name
}

output "cluster_id" {
  description = "Atlas id of the replica-set cluster."
  value       = mongodbatlas_advanced_cluster.this.cluster_id
}

output "standard_srv" {
  description = "mongodb+srv:// address of the cluster without credentials."
  value       = mongodbatlas_advanced_cluster.this.connection_strings.standard_srv
}

output "database_name" {
  description = "Database the API user may read and write (MONGO_DB)."
  value       = var.database_name
}

output "database_username" {
  description = "Name of the API's database user."
  value       = mongodbatlas_database_user.api.username
}

output "connection_string" {
  description = "Full MONGO_URI for the API, with the generated password; sensitive."
  value       = local.connection_string
  sensitive   = true
}
