# Every credential is read from Secret Manager at plan time; none is written in this folder or in tfvars.

data "google_secret_manager_secret_version" "atlas_public_key" {
  project = var.gcp_project_id
  secret  = var.atlas_public_key_secret_id
}

data "google_secret_manager_secret_version" "atlas_private_key" {
  project = var.gcp_project_id
  secret  = var.atlas_private_key_secret_id
}

data "google_secret_manager_secret_version" "jwt_signing_key" {
  project = var.gcp_project_id
  secret  = var.jwt_signing_key_secret_id
}

data "google_secret_manager_secret_version" "firebase_service_account" {
  project = var.gcp_project_id
  secret  = var.firebase_service_account_secret_id
}

data "google_secret_manager_secret_version" "bootstrap_admin_phone" {
  count = var.bootstrap_admin_phone_secret_id == null ? 0 : 1

  project = var.gcp_project_id
  secret  = var.bootstrap_admin_phone_secret_id
}
