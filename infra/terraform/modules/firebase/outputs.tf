output "project_id" {
  description = "Firebase project id (FIREBASE_PROJECT_ID)."
  value       = google_firebase_project.this.project
}

output "project_number" {
  description = "Google Cloud project number of the Firebase project."
  value       = google_firebase_project.this.project_number
}

output "api_service_account_email" {
  description = "Email of the service account whose key the API mounts at GOOGLE_APPLICATION_CREDENTIALS."
  value       = google_service_account.api.email
}

output "authorized_domains" {
  description = "Domains allowed to complete sign-in flows."
  value       = google_identity_platform_config.this.authorized_domains
}

output "id_token_issuer" {
  description = "iss claim of the Firebase ID tokens the API accepts."
  value       = "https://securetoken.google.com/${google_firebase_project.this.project}"
}
