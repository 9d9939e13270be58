output "api_url" {
  description = "Public base URL of the API."
  value       = module.api.public_url
}

output "firebase_project_id" {
  description = "Firebase project id the mobile app and the API use."
  value       = module.firebase.project_id
}

output "firebase_api_service_account_email" {
  description = "Service account whose key must be stored in the firebase_service_account secret."
  value       = module.firebase.api_service_account_email
}

output "evidence_bucket_url" {
  description = "gs:// URL of the private bucket that keeps the evidence photos."
  value       = module.evidence_storage.bucket_url
}

output "mongodb_cluster_name" {
  description = "Name of the Atlas replica-set cluster."
  value       = module.mongodb_atlas.cluster_name
}

output "mongodb_standard_srv" {
  description = "mongodb+srv:// address of the cluster, without credentials."
  value       = module.mongodb_atlas.standard_srv
}

output "fabric_peer_gateway_endpoint" {
  description = "Peer gateway endpoint the API uses."
  value       = module.fabric.peer_gateway_endpoint
}

output "fabric_orderer_endpoints" {
  description = "Raft orderer endpoints, for chaincode lifecycle commands."
  value       = module.fabric.orderer_endpoints
}

output "fabric_chaincode_address" {
  description = "Address to write into the points package's connection.json."
  value       = module.fabric.chaincode_address
}
