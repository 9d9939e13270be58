variable "gcp_project_id" {
  type        = string
  description = "Google Cloud project that hosts the GKE cluster and the Secret Manager secrets."
}

variable "gcp_region" {
  type        = string
  description = "Default Google Cloud region for the google providers."
  default     = "europe-west3"
}

variable "gke_cluster_name" {
  type        = string
  description = "Name of the existing GKE cluster that runs the API and the Fabric network."
}

variable "gke_cluster_location" {
  type        = string
  description = "Region or zone of the GKE cluster."
  default     = "europe-west3"
}

variable "storage_class" {
  type        = string
  description = "StorageClass for the Fabric volumes (CA, peers, orderers); empty uses the cluster default."
  default     = "premium-rwo"
}

variable "firebase_project_id" {
  type        = string
  description = "Google Cloud project turned into the Firebase project; null uses gcp_project_id."
  default     = null
}

variable "evidence_bucket_name" {
  type        = string
  description = "Globally unique name of the private evidence-photo bucket; null uses <gcp_project_id>-production-evidence."
  default     = null
}

variable "firebase_extra_authorized_domains" {
  type        = list(string)
  description = "Domains allowed to complete Firebase sign-in besides api_host (e.g. the staff console host)."
  default     = []
}

variable "atlas_org_id" {
  type        = string
  description = "MongoDB Atlas organisation id (needed when atlas_project_id is null)."
  default     = null
}

variable "atlas_project_id" {
  type        = string
  description = "Existing Atlas project id; null creates a project."
  default     = null
}

variable "atlas_region" {
  type        = string
  description = "Atlas region of the cluster, near the GKE cluster (Atlas notation, e.g. EUROPE_WEST_3)."
  default     = "EUROPE_WEST_3"
}

variable "atlas_ip_access_list" {
  type = list(object({
    cidr_block = string
    comment    = string
  }))
  description = "Egress CIDRs of the GKE cluster (Cloud NAT addresses) allowed to reach Atlas."
}

variable "api_image" {
  type        = string
  description = "API container image, pinned by digest."
}

variable "api_host" {
  type        = string
  description = "Public host name of the API (Ingress, TLS certificate, JWT issuer, Firebase authorized domain)."
}

variable "ingress_class_name" {
  type        = string
  description = "IngressClass serving the API Ingress."
  default     = "nginx"
}

variable "cert_manager_cluster_issuer" {
  type        = string
  description = "cert-manager ClusterIssuer for the API certificate; null when the TLS Secret is provisioned otherwise."
  default     = "letsencrypt-prod"
}

variable "jwt_audience" {
  type        = string
  description = "aud claim of the API's access tokens (JWT_AUDIENCE)."
  default     = "civic-points-app"
}

variable "chaincode_image" {
  type        = string
  description = "points chaincode-as-a-service image, pinned by digest."
}

variable "chaincode_package_id" {
  type        = string
  description = "Package id of the installed points ccaas package (CHAINCODE_ID)."
}

variable "atlas_public_key_secret_id" {
  type        = string
  description = "Secret Manager secret id (in gcp_project_id) holding the Atlas programmatic API public key."
  default     = "civic-points-production-atlas-public-key"
}

variable "atlas_private_key_secret_id" {
  type        = string
  description = "Secret Manager secret id holding the Atlas programmatic API private key."
  default     = "civic-points-production-atlas-private-key"
}

variable "jwt_signing_key_secret_id" {
  type        = string
  description = "Secret Manager secret id holding the PEM EC P-256 (PKCS#8) key that signs the API's access tokens."
  default     = "civic-points-production-jwt-signing-key"
}

variable "firebase_service_account_secret_id" {
  type        = string
  description = "Secret Manager secret id holding the key JSON of the Firebase module's API service account."
  default     = "civic-points-production-firebase-sa"
}

variable "bootstrap_admin_phone_secret_id" {
  type        = string
  description = "Secret Manager secret id holding the E.164 phone number promoted to ADMIN on first sign-in; null to skip."
  default     = "civic-points-production-bootstrap-admin-phone"
}
