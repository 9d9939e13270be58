variable "project_id" {
  type        = string
  description = "Google Cloud project that holds the bucket and the API's service account."

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]$", var.project_id))
    error_message = "project_id must be a Google Cloud project id (6-30 lowercase letters, digits or hyphens)."
  }
}

variable "bucket_name" {
  type        = string
  description = "Globally unique name of the evidence bucket (CIVIC_EVIDENCE_BUCKET)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits, - or _, starting and ending with a letter or digit (the API refuses dotted names)."
  }
}

variable "location" {
  type        = string
  description = "Bucket location, a region near the cluster (e.g. EUROPE-WEST3 or ASIA-EAST2)."
}

variable "api_service_account_email" {
  type        = string
  description = "Email of the API's service account (the firebase module's output), given objectAdmin on the bucket and Token Creator on itself."

  validation {
    condition     = can(regex("^[a-z][-a-z0-9]{4,28}[a-z0-9]@[a-z][-a-z0-9]{4,28}[a-z0-9][.]iam[.]gserviceaccount[.]com$", var.api_service_account_email))
    error_message = "api_service_account_email must be a user-managed service account (<id>@<project>.iam.gserviceaccount.com)."
  }
}

variable "soft_delete_retention_seconds" {
  type        = number
  description = "How long deleted photos stay restorable; 0 (off) so a deleted photo of a member is really gone, or 604800 to 7776000 seconds."
  default     = 0

  validation {
    condition     = var.soft_delete_retention_seconds == 0 || (var.soft_delete_retention_seconds >= 604800 && var.soft_delete_retention_seconds <= 7776000)
    error_message = "soft_delete_retention_seconds must be 0 or between 604800 (7 days) and 7776000 (90 days)."
  }
}

variable "labels" {
  type        = map(string)
  description = "Labels put on the bucket."
  default     = {}
}
