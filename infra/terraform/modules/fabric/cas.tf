locals {
  ca_signing = {
    default = { expiry = "8760h", usage = ["digital signature"] }
    profiles = {
      ca  = { expiry = "43800h", usage = ["cert sign", "crl sign"], caconstraint = { isCA = true, maxPathLen = 0 } }
      tls = { expiry = "8760h", usage = ["signing", "key encipherment", "server auth", "client auth", "key agreement"] }
    }
  }

  # Registered identities carry no registrar powers; only the org admins may register others.
  no_registrar_attrs = {
    "hf.Registrar.Roles"         = ""
    "hf.Registrar.DelegateRoles" = ""
    "hf.Registrar.Attributes"    = ""
    "hf.Revoker"                 = false
    "hf.IntermediateCA"          = false
    "hf.GenCRL"                  = false
    "hf.AffiliationMgr"          = false
  }
  registrar_attrs = {
    "hf.Registrar.Roles"         = "*"
    "hf.Registrar.DelegateRoles" = "*"
    "hf.Registrar.Attributes"    = "*"
    "hf.Revoker"                 = true
    "hf.IntermediateCA"          = false
    "hf.GenCRL"                  = true
    "hf.AffiliationMgr"          = true
  }

  ca_registries = {
    (local.peer_ca_name) = [
      { name = "admin", pass = random_password.enrollment["peer-admin"].result, type = "admin", affiliation = "", attrs = local.registrar_attrs },
      { name = "peer", pass = random_password.enrollment["peer"].result, type = "peer", affiliation = "", attrs = local.no_registrar_attrs },
    ]
    (local.orderer_ca_name) = [
      { name = "admin", pass = random_password.enrollment["orderer-admin"].result, type = "admin", affiliation = "", attrs = local.registrar_attrs },
      { name = "orderer", pass = random_password.enrollment["orderer"].result, type = "orderer", affiliation = "", attrs = local.no_registrar_attrs },
    ]
  }

  ca_items = {
    for ca_name, identities in local.ca_registries : ca_name => {
      for item in ["ca", "tlsca"] : item => {
        name         = item
        cfg          = { identities = { allowRemove = true }, affiliations = { allowRemove = true } }
        subject      = merge(local.subject, { cn = item })
        csr          = { cn = item, hosts = ["localhost", ca_name, "${ca_name}.${local.namespace}"], names = [local.subject], ca = { expiry = "131400h", pathLength = 0 } }
        signing      = local.ca_signing
        crl          = { expiry = "24h" }
        registry     = { max_enrollments = -1, identities = identities }
        intermediate = { parentServer = { url = "", caName = "" } }
        # The API identity is registered under this affiliation (identities.tf).
        affiliations = [{ name = local.api_affiliation, departments = [] }]
        bccsp        = { default = "SW", sw = { hash = "SHA2", security = "256" } }
      }
    }
  }
}

resource "kubernetes_manifest" "ca" {
  for_each = local.ca_items

  manifest = {
    apiVersion = local.api_version
    kind       = "FabricCA"
    metadata = {
      name      = each.key
      namespace = local.namespace
      labels    = local.labels
    }
    spec = {
      image        = var.images.ca
      version      = var.fabric_ca_version
      debug        = false
      clrSizeLimit = 512000
      hosts        = ["localhost", each.key, "${each.key}.${local.namespace}", "${each.key}.${local.namespace}.${local.cluster_domain}"]
      service      = { type = "ClusterIP" }
      db           = { type = "sqlite3", datasource = "fabric-ca-server.db" }
      rootCA       = { subject = merge(local.subject, { cn = "ca" }) }
      ca           = each.value["ca"]
      tlsCA        = each.value["tlsca"]
      cors         = { enabled = false, origins = [] }
      resources    = local.resources["ca"]
      storage      = { size = var.storage_sizes.ca, storageClass = var.storage_class, accessMode = "ReadWriteOnce" }
      metrics      = { provider = "prometheus" }
    }
  }

  wait {
    fields = {
      "status.status" = "RUNNING"
    }
  }

  timeouts {
    create = var.operator_timeout
    update = var.operator_timeout
  }
}

# The operator publishes each CA's TLS certificate in the status; nodes and identities need it to enroll.
data "kubernetes_resource" "ca" {
  for_each = local.ca_items

  api_version = local.api_version
  kind        = "FabricCA"

  metadata {
    name      = each.key
    namespace = local.namespace
  }

  depends_on = [kubernetes_manifest.ca]
}

locals {
  ca_tls_cert = { for ca_name, ca in data.kubernetes_resource.ca : ca_name => ca.object.status.tls_cert }
}
