locals {
  # storage: the bucket; iamcredentials: signBlob, with which a keyless identity signs URLs.
  services = toset([
    "storage.googleapis.com",
    "iamcredentials.googleapis.com",
  ])

  api_member = "serviceAccount:${var.api_service_account_email}"
  # The account's own project (it may be the Firebase project rather than project_id).
  api_account_project = trimsuffix(split("@", var.api_service_account_email)[1], ".iam.gserviceaccount.com")
}

resource "google_project_service" "this" {
  for_each = local.services

  project = var.project_id
  service = each.value

  # Other workloads may rely on these APIs; destroying this module must not switch them off.
  disable_on_destroy = false
}

# Evidence photos: personal data, read only through short-lived signed URLs the API makes.
resource "google_storage_bucket" "evidence" {
  project  = var.project_id
  name     = var.bucket_name
  location = var.location
  labels   = var.labels

  storage_class               = "STANDARD"
  uniform_bucket_level_access = true
  public_access_prevention    = "enforced"
  force_destroy               = false

  # A deleted photo (swept upload, deleted member) is gone, not kept restorable for a week.
  soft_delete_policy {
    retention_duration_seconds = var.soft_delete_retention_seconds
  }

  # The API writes whole objects in one request; anything left half-written is dropped.
  lifecycle_rule {
    condition {
      age = 1
    }
    action {
      type = "AbortIncompleteMultipartUpload"
    }
  }

  depends_on = [google_project_service.this]
}

# Create, read and delete the photos; nothing on the bucket itself.
resource "google_storage_bucket_iam_member" "api_objects" {
  bucket = google_storage_bucket.evidence.name
  role   = "roles/storage.objectAdmin"
  member = local.api_member
}

# Signing URLs without a key file (Workload Identity) goes through IAM signBlob on its own account.
resource "google_service_account_iam_member" "api_signs_urls" {
  service_account_id = "projects/${local.api_account_project}/serviceAccounts/${var.api_service_account_email}"
  role               = "roles/iam.serviceAccountTokenCreator"
  member             = local.api_member

  depends_on = [google_project_service.this]
}
