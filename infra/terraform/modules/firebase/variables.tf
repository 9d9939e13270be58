variable "project_id" {
  type        = string
  description = "Existing Google Cloud project that becomes the Firebase project (FIREBASE_PROJECT_ID)."

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id (6-30 lowercase letters, digits or hyphens)."
  }
}

variable "authorized_domains" {
  type        = list(string)
  description = "Domains allowed to complete Firebase sign-in flows (web console host, API host); localhost is never added in production."

  validation {
    condition     = length(var.authorized_domains) > 0 && alltrue([for domain in var.authorized_domains : can(regex("^[a-z0-9.-]+$", domain))])
    error_message = "authorized_domains must list at least one bare host name (no scheme, no path)."
  }
}

variable "test_phone_numbers" {
  type        = map(string)
  description = "Fictional phone numbers (E.164) mapped to fixed verification codes for store reviewers and smoke tests; empty in production unless needed."
  sensitive   = true
  default     = {}
}

variable "email_password_required" {
  type        = bool
  description = "Email sign-in with password (true) or passwordless email links (false)."
  default     = true
}

variable "api_service_account_id" {
  type        = string
  description = "Account id of the service account the API uses for the Firebase Admin SDK (ID-token verification, custom claims, FCM)."
  default     = "civic-points-api"

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.api_service_account_id))
    error_message = "api_service_account_id must be 6-30 lowercase letters, digits or hyphens."
  }
}

variable "api_service_account_roles" {
  type        = set(string)
  description = "Project roles granted to the API's service account."
  default = [
    "roles/firebaseauth.admin",
    "roles/firebasecloudmessaging.admin",
  ]
}
