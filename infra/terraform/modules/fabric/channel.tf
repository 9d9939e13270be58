resource "kubernetes_manifest" "main_channel" {
  manifest = {
    apiVersion = local.api_version
    kind       = "FabricMainChannel"
    metadata = {
      # FabricMainChannel is cluster-scoped: prefix the name with the namespace to keep it unique.
      name   = "${local.namespace}-${var.channel_name}"
      labels = local.labels
    }
    spec = {
      name = var.channel_name
      identities = {
        (var.orderer_org_msp_id) = {
          secretName      = local.orderer_tls_identity
          secretNamespace = local.namespace
          secretKey       = "user.yaml"
        }
        "${var.orderer_org_msp_id}-sign" = {
          secretName      = local.orderer_sign_identity
          secretNamespace = local.namespace
          secretKey       = "user.yaml"
        }
        (var.peer_org_msp_id) = {
          secretName      = local.peer_admin_identity
          secretNamespace = local.namespace
          secretKey       = "user.yaml"
        }
      }
      adminPeerOrganizations = [{ mspID = var.peer_org_msp_id }]
      peerOrganizations = [{
        mspID       = var.peer_org_msp_id
        caName      = local.peer_ca_name
        caNamespace = local.namespace
      }]
      externalPeerOrganizations = []
      adminOrdererOrganizations = [{ mspID = var.orderer_org_msp_id }]
      ordererOrganizations = [{
        mspID            = var.orderer_org_msp_id
        caName           = local.orderer_ca_name
        caNamespace      = local.namespace
        ordererEndpoints = [for host in values(local.orderer_hosts) : "${host}:${local.orderer_port}"]
        orderersToJoin   = [for name in local.orderer_names : { name = name, namespace = local.namespace }]
      }]
      externalOrdererOrganizations = []
      orderers = [
        for name, host in local.orderer_hosts : {
          host    = host
          port    = local.orderer_port
          tlsCert = local.orderer_tls_certs[name]
        }
      ]
      channelConfig = {
        capabilities = ["V2_0"]
        application = {
          capabilities = ["V2_5"]
        }
        orderer = {
          ordererType  = "etcdraft"
          capabilities = ["V2_0"]
          batchTimeout = var.batch_timeout
          batchSize = {
            maxMessageCount   = 100
            absoluteMaxBytes  = 1048576
            preferredMaxBytes = 524288
          }
          state = "STATE_NORMAL"
          etcdRaft = {
            options = {
              tickInterval         = "500ms"
              electionTick         = 10
              heartbeatTick        = 1
              maxInflightBlocks    = 5
              snapshotIntervalSize = 16777216
            }
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

  depends_on = [kubernetes_manifest.identity]
}

resource "kubernetes_manifest" "follower_channel" {
  manifest = {
    apiVersion = local.api_version
    kind       = "FabricFollowerChannel"
    metadata = {
      name   = "${local.namespace}-${var.channel_name}-${lower(var.peer_org_msp_id)}"
      labels = local.labels
    }
    spec = {
      name  = var.channel_name
      mspId = var.peer_org_msp_id
      orderers = [
        for name, host in local.orderer_hosts : {
          url         = "grpcs://${host}:${local.orderer_port}"
          certificate = local.orderer_tls_certs[name]
        }
      ]
      peersToJoin         = [for name in local.peer_names : { name = name, namespace = local.namespace }]
      externalPeersToJoin = []
      # Two anchor peers at most: enough for cross-org discovery, fewer channel updates.
      anchorPeers = [for name in slice(local.peer_names, 0, min(2, var.peer_count)) : { host = local.peer_hosts[name], port = local.peer_port }]
      hlfIdentity = {
        secretName      = local.peer_admin_identity
        secretNamespace = local.namespace
        secretKey       = "user.yaml"
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

  depends_on = [kubernetes_manifest.main_channel, kubernetes_manifest.peer]
}
