locals {
  peer_ca_host    = "${local.peer_ca_name}.${local.namespace}"
  orderer_ca_host = "${local.orderer_ca_name}.${local.namespace}"

  # The chaincode-as-a-service builder shipped in the Fabric 2.5 peer image.
  ccaas_builder = {
    name                 = "ccaas_builder"
    path                 = "/opt/hyperledger/ccaas_builder"
    propagateEnvironment = ["CHAINCODE_AS_A_SERVICE_BUILDER_CONFIG"]
  }
}

resource "kubernetes_manifest" "peer" {
  for_each = local.peer_hosts

  manifest = {
    apiVersion = local.api_version
    kind       = "FabricPeer"
    metadata = {
      name      = each.key
      namespace = local.namespace
      labels    = local.labels
    }
    spec = {
      image                      = var.images.peer
      tag                        = var.fabric_version
      imagePullPolicy            = "IfNotPresent"
      replicas                   = 1
      mspID                      = var.peer_org_msp_id
      stateDb                    = var.state_db
      dockerSocketPath           = ""
      external_chaincode_builder = true
      externalBuilders           = [local.ccaas_builder]
      externalEndpoint           = "${each.value}:${local.peer_port}"
      hosts                      = []
      service                    = { type = "ClusterIP" }
      gossip = {
        externalEndpoint  = "${each.value}:${local.peer_port}"
        endpoint          = "${each.value}:${local.peer_port}"
        bootstrap         = "${local.peer_hosts[local.peer_names[0]]}:${local.peer_port}"
        useLeaderElection = true
        orgLeader         = false
      }
      couchdb = {
        user     = "couchdb"
        password = var.state_db == "couchdb" ? random_password.couchdb[0].result : ""
        image    = var.images.couchdb
        tag      = var.couchdb_version
      }
      discovery = { period = "60s", touchPeriod = "60s" }
      logging   = { level = "info", peer = "info", cauthdsl = "warning", gossip = "info", grpc = "error", ledger = "info", msp = "info", policies = "warning" }
      resources = {
        peer      = local.resources["peer"]
        couchdb   = local.resources["couchdb"]
        chaincode = local.resources["chaincode"]
      }
      storage = {
        peer      = { size = var.storage_sizes.peer, storageClass = var.storage_class, accessMode = "ReadWriteOnce" }
        couchdb   = { size = var.storage_sizes.couchdb, storageClass = var.storage_class, accessMode = "ReadWriteOnce" }
        chaincode = { size = "1Gi", storageClass = var.storage_class, accessMode = "ReadWriteOnce" }
      }
      secret = {
        enrollment = {
          component = {
            cahost       = local.peer_ca_host
            caname       = "ca"
            caport       = local.ca_port
            catls        = { cacert = base64encode(local.ca_tls_cert[local.peer_ca_name]) }
            enrollid     = "peer"
            enrollsecret = random_password.enrollment["peer"].result
          }
          tls = {
            cahost       = local.peer_ca_host
            caname       = "tlsca"
            caport       = local.ca_port
            catls        = { cacert = base64encode(local.ca_tls_cert[local.peer_ca_name]) }
            csr          = { cn = each.key, hosts = ["localhost", each.key, each.value, "${each.value}.${local.cluster_domain}"] }
            enrollid     = "peer"
            enrollsecret = random_password.enrollment["peer"].result
          }
        }
      }
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

resource "kubernetes_manifest" "orderer" {
  for_each = local.orderer_hosts

  manifest = {
    apiVersion = local.api_version
    kind       = "FabricOrdererNode"
    metadata = {
      name      = each.key
      namespace = local.namespace
      labels    = local.labels
    }
    spec = {
      image                       = var.images.orderer
      tag                         = var.fabric_version
      pullPolicy                  = "IfNotPresent"
      replicas                    = 1
      mspID                       = var.orderer_org_msp_id
      genesis                     = ""
      bootstrapMethod             = "none"
      channelParticipationEnabled = true
      resources                   = local.resources["orderer"]
      storage                     = { size = var.storage_sizes.orderer, storageClass = var.storage_class, accessMode = "ReadWriteOnce" }
      service                     = { type = "ClusterIP" }
      secret = {
        enrollment = {
          component = {
            cahost       = local.orderer_ca_host
            caname       = "ca"
            caport       = local.ca_port
            catls        = { cacert = base64encode(local.ca_tls_cert[local.orderer_ca_name]) }
            enrollid     = "orderer"
            enrollsecret = random_password.enrollment["orderer"].result
          }
          tls = {
            cahost       = local.orderer_ca_host
            caname       = "tlsca"
            caport       = local.ca_port
            catls        = { cacert = base64encode(local.ca_tls_cert[local.orderer_ca_name]) }
            csr          = { cn = each.key, hosts = ["localhost", each.key, each.value, "${each.value}.${local.cluster_domain}"] }
            enrollid     = "orderer"
            enrollsecret = random_password.enrollment["orderer"].result
          }
        }
      }
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

data "kubernetes_resource" "peer" {
  for_each = local.peer_hosts

  api_version = local.api_version
  kind        = "FabricPeer"

  metadata {
    name      = each.key
    namespace = local.namespace
  }

  depends_on = [kubernetes_manifest.peer]
}

data "kubernetes_resource" "orderer" {
  for_each = local.orderer_hosts

  api_version = local.api_version
  kind        = "FabricOrdererNode"

  metadata {
    name      = each.key
    namespace = local.namespace
  }

  depends_on = [kubernetes_manifest.orderer]
}

locals {
  peer_tls_ca_cert    = data.kubernetes_resource.peer[local.peer_names[0]].object.status.tlsCaCert
  orderer_tls_certs   = { for name, orderer in data.kubernetes_resource.orderer : name => orderer.object.status.tlsCert }
  orderer_tls_ca_cert = data.kubernetes_resource.orderer[local.orderer_names[0]].object.status.tlsCaCert
}
