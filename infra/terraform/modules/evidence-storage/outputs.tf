output "bucket_name" {
  description = "Name of the evidence bucket (CIVIC_EVIDENCE_BUCKET)."
  value       = google_storage_bucket.evidence.name
}

output "bucket_url" {
  description = "gs:// URL of the evidence bucket."
  value       = google_storage_bucket.evidence.url
}
