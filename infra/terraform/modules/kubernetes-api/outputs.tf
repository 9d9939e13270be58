output "namespace" {
  description = "Namespace the API runs in."
  value       = local.namespace
}

output "deployment_name" {
  description = "Name of the API Deployment."
  value       = kubernetes_deployment_v1.api.metadata[0].name
}

output "service_name" {
  description = "Name of the ClusterIP Service in front of the API pods (port 80)."
  value       = kubernetes_service_v1.api.metadata[0].name
}

output "internal_url" {
  description = "In-cluster base URL of the API."
  value       = "http://${kubernetes_service_v1.api.metadata[0].name}.${local.namespace}.svc.cluster.local"
}

output "public_url" {
  description = "Public HTTPS base URL of the API served by the Ingress."
  value       = "https://${var.ingress_host}"
}

output "config_map_name" {
  description = "Name of the ConfigMap holding the API's non-secret environment."
  value       = kubernetes_config_map_v1.config.metadata[0].name
}

output "secret_names" {
  description = "Names of the Secrets the module manages: env (MONGO_URI, BOOTSTRAP_ADMIN_PHONE), jwt, firebase and fabric_identity."
  value = {
    env             = kubernetes_secret_v1.env.metadata[0].name
    jwt             = kubernetes_secret_v1.jwt.metadata[0].name
    firebase        = kubernetes_secret_v1.firebase.metadata[0].name
    fabric_identity = kubernetes_secret_v1.fabric_identity.metadata[0].name
  }
}

output "tls_secret_name" {
  description = "Secret that holds (or, with cert-manager, will hold) the Ingress TLS certificate."
  value       = local.tls_secret_name
}
