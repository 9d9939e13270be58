locals {
  services = toset([
    "firebase.googleapis.com",
    "identitytoolkit.googleapis.com",
    "fcm.googleapis.com",
    "iam.googleapis.com",
  ])
}

resource "google_project_service" "this" {
  provider = google-beta
  for_each = local.services

  project = var.project_id
  service = each.value

  # Other workloads may rely on these APIs; destroying this module must not switch them off.
  disable_on_destroy = false
}

resource "google_firebase_project" "this" {
  provider = google-beta

  project = var.project_id

  depends_on = [google_project_service.this]
}

resource "google_identity_platform_config" "this" {
  provider = google-beta

  project            = google_firebase_project.this.project
  authorized_domains = var.authorized_domains

  sign_in {
    allow_duplicate_emails = false

    email {
      enabled           = true
      password_required = var.email_password_required
    }

    phone_number {
      enabled            = true
      test_phone_numbers = var.test_phone_numbers
    }
  }
}

resource "google_service_account" "api" {
  provider = google-beta

  project      = var.project_id
  account_id   = var.api_service_account_id
  display_name = "civic-points API (Firebase Admin SDK)"
  description  = "Verifies Firebase ID tokens, sets custom claims and sends FCM messages for the civic-points API."

  depends_on = [google_project_service.this]
}

resource "google_project_iam_member" "api" {
  provider = google-beta
  for_each = var.api_service_account_roles

  project = var.project_id
  role    = each.value
  member  = "serviceAccount:${google_service_account.api.email}"
}
