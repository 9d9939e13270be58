locals {
  api_version = "hlf.kungfusoftware.es/v1alpha1"
  namespace   = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace

  labels = merge(var.labels, {
    "app.kubernetes.io/part-of"    = "civic-points"
    "app.kubernetes.io/managed-by" = "terraform"
  })

  peer_ca_name    = "${var.name_prefix}-ca"
  orderer_ca_name = "${var.name_prefix}-ord-ca"

  peer_names    = [for index in range(var.peer_count) : "${var.name_prefix}-peer${index}"]
  orderer_names = [for index in range(var.orderer_count) : "${var.name_prefix}-ord${index}"]

  # Ports of the Services the operator creates for its nodes.
  ca_port      = 7054
  peer_port    = 7051
  orderer_port = 7050

  cluster_domain  = "svc.cluster.local"
  api_affiliation = "civic"

  peer_hosts    = { for name in local.peer_names : name => "${name}.${local.namespace}" }
  orderer_hosts = { for name in local.orderer_names : name => "${name}.${local.namespace}" }

  subject = {
    C  = var.certificate_subject.country
    ST = var.certificate_subject.province
    L  = var.certificate_subject.locality
    O  = var.certificate_subject.organization
    OU = var.certificate_subject.organizational_unit
  }

  resources = {
    for component, spec in var.resources : component => {
      requests = spec.requests
      limits   = spec.limits
    }
  }
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name = var.namespace
    labels = merge(local.labels, {
      "pod-security.kubernetes.io/enforce" = "baseline"
    })
  }
}

# Enrollment secrets of the identities registered at the CAs. Generated here, kept only in the
# Terraform state (encrypted remote backend) and in the operator's custom resources.
resource "random_password" "enrollment" {
  for_each = toset(["peer-admin", "peer", "orderer-admin", "orderer", "api", "api-rules"])

  length  = 32
  special = false
}

resource "random_password" "couchdb" {
  count = var.state_db == "couchdb" ? 1 : 0

  length  = 32
  special = false
}
