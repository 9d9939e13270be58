locals {
  # FabricIdentity objects: the operator enrolls each one and stores cert.pem, key.pem, root.pem
  # and user.yaml in a Secret of the same name.
  identities = {
    "${var.name_prefix}-admin" = {
      ca_name  = local.peer_ca_name
      ca_host  = local.peer_ca_host
      caname   = "ca"
      msp_id   = var.peer_org_msp_id
      enrollid = "admin"
      secret   = random_password.enrollment["peer-admin"].result
      register = null
    }
    "${var.name_prefix}-ord-admin-sign" = {
      ca_name  = local.orderer_ca_name
      ca_host  = local.orderer_ca_host
      caname   = "ca"
      msp_id   = var.orderer_org_msp_id
      enrollid = "admin"
      secret   = random_password.enrollment["orderer-admin"].result
      register = null
    }
    "${var.name_prefix}-ord-admin-tls" = {
      ca_name  = local.orderer_ca_name
      ca_host  = local.orderer_ca_host
      caname   = "tlsca"
      msp_id   = var.orderer_org_msp_id
      enrollid = "admin"
      secret   = random_password.enrollment["orderer-admin"].result
      register = null
    }
    # The API's client identity: registered by the org admin with the civic.role attribute the
    # chaincode checks, then enrolled.
    "${var.name_prefix}-api" = {
      ca_name  = local.peer_ca_name
      ca_host  = local.peer_ca_host
      caname   = "ca"
      msp_id   = var.peer_org_msp_id
      enrollid = "admin"
      secret   = random_password.enrollment["peer-admin"].result
      register = {
        enrollid       = var.api_identity_name
        enrollsecret   = random_password.enrollment["api"].result
        type           = "client"
        affiliation    = local.api_affiliation
        maxenrollments = -1
        attrs          = var.api_identity_attributes
      }
    }
    # The API's second client identity, used only to sign PutRule transactions: same MSP, its own
    # enrollment id and the civic.role attribute of rules_identity_attributes.
    "${var.name_prefix}-api-rules" = {
      ca_name  = local.peer_ca_name
      ca_host  = local.peer_ca_host
      caname   = "ca"
      msp_id   = var.peer_org_msp_id
      enrollid = "admin"
      secret   = random_password.enrollment["peer-admin"].result
      register = {
        enrollid       = "${var.api_identity_name}-rules"
        enrollsecret   = random_password.enrollment["api-rules"].result
        type           = "client"
        affiliation    = local.api_affiliation
        maxenrollments = -1
        attrs          = var.rules_identity_attributes
      }
    }
  }

  peer_admin_identity   = "${var.name_prefix}-admin"
  api_identity          = "${var.name_prefix}-api"
  rules_identity        = "${var.name_prefix}-api-rules"
  orderer_sign_identity = "${var.name_prefix}-ord-admin-sign"
  orderer_tls_identity  = "${var.name_prefix}-ord-admin-tls"
}

resource "kubernetes_manifest" "identity" {
  for_each = local.identities

  manifest = {
    apiVersion = local.api_version
    kind       = "FabricIdentity"
    metadata = {
      name      = each.key
      namespace = local.namespace
      labels    = local.labels
    }
    spec = merge(
      {
        cahost       = each.value.ca_host
        caname       = each.value.caname
        caport       = local.ca_port
        catls        = { cacert = base64encode(local.ca_tls_cert[each.value.ca_name]) }
        enrollid     = each.value.enrollid
        enrollsecret = each.value.secret
        mspid        = each.value.msp_id
      },
      each.value.register == null ? {} : { register = each.value.register },
    )
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

# The operator writes the enrolled API identity into a Secret named after the FabricIdentity.
data "kubernetes_secret_v1" "api_identity" {
  metadata {
    name      = local.api_identity
    namespace = local.namespace
  }

  depends_on = [kubernetes_manifest.identity]
}

# The same for the API's rules identity (PutRule signer).
data "kubernetes_secret_v1" "rules_identity" {
  metadata {
    name      = local.rules_identity
    namespace = local.namespace
  }

  depends_on = [kubernetes_manifest.identity]
}
