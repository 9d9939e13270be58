output "namespace" {
  description = "Namespace holding the Fabric network."
  value       = local.namespace
}

output "peer_gateway_endpoint" {
  description = "host:port of the peer gateway the API connects to (FABRIC_PEER_ENDPOINT); in-cluster DNS name of the first peer."
  value       = "${local.peer_hosts[local.peer_names[0]]}:${local.peer_port}"
}

output "peer_endpoints" {
  description = "host:port of every peer of the organisation."
  value       = [for name in local.peer_names : "${local.peer_hosts[name]}:${local.peer_port}"]
}

output "peer_tls_ca_pem" {
  description = "PEM TLS root CA of the peer organisation, to verify the peer gateway (FABRIC_TLS_CA)."
  value       = local.peer_tls_ca_cert
}

output "orderer_endpoints" {
  description = "host:port of the Raft orderer nodes."
  value       = [for name in local.orderer_names : "${local.orderer_hosts[name]}:${local.orderer_port}"]
}

output "orderer_tls_ca_pem" {
  description = "PEM TLS root CA of the ordering organisation (for peer lifecycle commands)."
  value       = local.orderer_tls_ca_cert
}

output "msp_id" {
  description = "MSP ID of the peer organisation and of the API's identity (FABRIC_MSP_ID)."
  value       = var.peer_org_msp_id
}

output "channel_name" {
  description = "Name of the application channel (FABRIC_CHANNEL)."
  value       = var.channel_name
}

output "chaincode_name" {
  description = "Chaincode name to approve and commit on the channel (FABRIC_CHAINCODE)."
  value       = var.chaincode_name
}

output "chaincode_address" {
  description = "host:port of the chaincode-as-a-service Service; the address to put in the package's connection.json."
  value       = local.chaincode_address
}

output "api_identity_secret_name" {
  description = "Secret (in the Fabric namespace) where the operator stores the API identity's cert.pem, key.pem and root.pem."
  value       = local.api_identity
}

output "api_identity_cert_pem" {
  description = "PEM enrollment certificate of the API's client identity, carrying the civic.role attribute (FABRIC_CERT)."
  value       = data.kubernetes_secret_v1.api_identity.data["cert.pem"]
  sensitive   = true
}

output "api_identity_key_pem" {
  description = "PEM private key of the API's client identity (FABRIC_KEY)."
  value       = data.kubernetes_secret_v1.api_identity.data["key.pem"]
  sensitive   = true
}

output "rules_identity_cert_pem" {
  description = "PEM enrollment certificate of the API's rules identity, carrying the civic.role attribute of rules_identity_attributes; signs only PutRule transactions (FABRIC_RULES_CERT)."
  value       = data.kubernetes_secret_v1.rules_identity.data["cert.pem"]
  sensitive   = true
}

output "rules_identity_key_pem" {
  description = "PEM private key of the API's rules identity (FABRIC_RULES_KEY)."
  value       = data.kubernetes_secret_v1.rules_identity.data["key.pem"]
  sensitive   = true
}

output "admin_identity_secret_name" {
  description = "Secret holding the peer organisation admin identity (user.yaml), used for chaincode lifecycle commands."
  value       = local.peer_admin_identity
}
