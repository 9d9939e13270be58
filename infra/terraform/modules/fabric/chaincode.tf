locals {
  chaincode_name = "${var.name_prefix}-${var.chaincode_name}-ccaas"

  chaincode_selector_labels = {
    "app.kubernetes.io/name"     = "${var.chaincode_name}-chaincode"
    "app.kubernetes.io/instance" = local.chaincode_name
  }
  chaincode_labels = merge(local.labels, local.chaincode_selector_labels, {
    "app.kubernetes.io/component" = "chaincode"
  })

  # The address the peers dial; it goes into the package's connection.json.
  chaincode_address = "${local.chaincode_name}.${local.namespace}:${var.chaincode_port}"
}

resource "kubernetes_deployment_v1" "chaincode" {
  metadata {
    name      = local.chaincode_name
    namespace = local.namespace
    labels    = local.chaincode_labels
  }

  spec {
    replicas               = var.chaincode_replicas
    revision_history_limit = 5

    selector {
      match_labels = local.chaincode_selector_labels
    }

    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge       = "1"
        max_unavailable = "0"
      }
    }

    template {
      metadata {
        labels = local.chaincode_labels
      }

      spec {
        automount_service_account_token = false

        security_context {
          run_as_non_root = true
          run_as_user     = var.chaincode_run_as_user
          run_as_group    = var.chaincode_run_as_user
          fs_group        = var.chaincode_run_as_user

          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        topology_spread_constraint {
          max_skew           = 1
          topology_key       = "kubernetes.io/hostname"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {
            match_labels = local.chaincode_selector_labels
          }
        }

        container {
          name              = "chaincode"
          image             = var.chaincode_image
          image_pull_policy = "IfNotPresent"

          port {
            name           = "chaincode"
            container_port = var.chaincode_port
            protocol       = "TCP"
          }

          env {
            name  = "CHAINCODE_SERVER_ADDRESS"
            value = "0.0.0.0:${var.chaincode_port}"
          }

          env {
            name  = "CHAINCODE_ID"
            value = var.chaincode_package_id
          }

          env {
            name  = "JAVA_TOOL_OPTIONS"
            value = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError"
          }

          resources {
            requests = var.resources["chaincode"].requests
            limits   = var.resources["chaincode"].limits
          }

          # The shim scans the classpath at boot (several seconds on small nodes).
          startup_probe {
            tcp_socket {
              port = "chaincode"
            }
            period_seconds    = 5
            failure_threshold = 24
          }

          liveness_probe {
            tcp_socket {
              port = "chaincode"
            }
            period_seconds    = 20
            failure_threshold = 3
          }

          readiness_probe {
            tcp_socket {
              port = "chaincode"
            }
            period_seconds = 10
          }

          security_context {
            allow_privilege_escalation = false
            read_only_root_filesystem  = true
            privileged                 = false

            capabilities {
              drop = ["ALL"]
            }
          }

          volume_mount {
            name       = "tmp"
            mount_path = "/tmp"
          }
        }

        volume {
          name = "tmp"
          empty_dir {
            size_limit = "128Mi"
          }
        }
      }
    }
  }

  depends_on = [kubernetes_manifest.follower_channel]
}

resource "kubernetes_service_v1" "chaincode" {
  metadata {
    name      = local.chaincode_name
    namespace = local.namespace
    labels    = local.chaincode_labels
  }

  spec {
    type     = "ClusterIP"
    selector = local.chaincode_selector_labels

    port {
      name        = "chaincode"
      port        = var.chaincode_port
      target_port = "chaincode"
      protocol    = "TCP"
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "chaincode" {
  count = var.chaincode_replicas > 1 ? 1 : 0

  metadata {
    name      = local.chaincode_name
    namespace = local.namespace
    labels    = local.chaincode_labels
  }

  spec {
    min_available = "1"

    selector {
      match_labels = local.chaincode_selector_labels
    }
  }
}

# Only pods of the Fabric namespace (the peers) may open the chaincode port.
resource "kubernetes_network_policy_v1" "chaincode" {
  metadata {
    name      = local.chaincode_name
    namespace = local.namespace
    labels    = local.chaincode_labels
  }

  spec {
    policy_types = ["Ingress"]

    pod_selector {
      match_labels = local.chaincode_selector_labels
    }

    ingress {
      from {
        pod_selector {}
      }

      ports {
        port     = tostring(var.chaincode_port)
        protocol = "TCP"
      }
    }
  }
}
