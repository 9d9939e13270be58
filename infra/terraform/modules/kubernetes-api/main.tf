locals {
  selector_labels = {
    "app.kubernetes.io/name"     = "civic-points-api"
    "app.kubernetes.io/instance" = var.name
  }

  labels = merge(var.labels, local.selector_labels, {
    "app.kubernetes.io/component"  = "api"
    "app.kubernetes.io/part-of"    = "civic-points"
    "app.kubernetes.io/managed-by" = "terraform"
  })

  namespace       = var.create_namespace ? kubernetes_namespace_v1.this[0].metadata[0].name : var.namespace
  tls_secret_name = coalesce(var.tls_secret_name, "${var.name}-tls")

  # Where the mounted Secrets appear inside the container; the API finds them through the env vars below.
  jwt_dir      = "/etc/civic-points/jwt"
  firebase_dir = "/etc/civic-points/firebase"
  fabric_dir   = "/etc/civic-points/fabric"

  jwt_key_file           = "${local.jwt_dir}/signing-key.pem"
  firebase_credentials   = "${local.firebase_dir}/service-account.json"
  fabric_cert_file       = "${local.fabric_dir}/cert.pem"
  fabric_key_file        = "${local.fabric_dir}/key.pem"
  fabric_rules_cert_file = "${local.fabric_dir}/rules-cert.pem"
  fabric_rules_key_file  = "${local.fabric_dir}/rules-key.pem"
  fabric_tls_ca_file     = "${local.fabric_dir}/tls-ca.pem"
  deployment_annotation  = "civic-points.org/config-checksum"

  # Evidence photos in the private bucket, read through signed URLs; in GridFS without one.
  evidence_config = var.evidence_bucket == "" ? {} : {
    CIVIC_EVIDENCE_STORE  = "gcs"
    CIVIC_EVIDENCE_BUCKET = var.evidence_bucket
  }

  config = merge(var.extra_env, local.evidence_config, {
    CIVIC_ENV                      = "prod"
    CIVIC_TIME_ZONE                = var.time_zone
    CIVIC_EXPIRY_POLICY            = var.expiry_policy
    CIVIC_EXPIRY_YEARS             = tostring(var.expiry_years)
    HTTP_PORT                      = tostring(var.http_port)
    MONGO_DB                       = var.mongo_db
    FABRIC_PEER_ENDPOINT           = var.fabric_peer_endpoint
    FABRIC_MSP_ID                  = var.fabric_msp_id
    FABRIC_CHANNEL                 = var.fabric_channel
    FABRIC_CHAINCODE               = var.fabric_chaincode
    FABRIC_CERT                    = local.fabric_cert_file
    FABRIC_KEY                     = local.fabric_key_file
    FABRIC_RULES_CERT              = local.fabric_rules_cert_file
    FABRIC_RULES_KEY               = local.fabric_rules_key_file
    FABRIC_TLS_CA                  = local.fabric_tls_ca_file
    FIREBASE_PROJECT_ID            = var.firebase_project_id
    GOOGLE_APPLICATION_CREDENTIALS = local.firebase_credentials
    JWT_KEY_FILE                   = local.jwt_key_file
    JWT_ISSUER                     = var.jwt_issuer
    JWT_AUDIENCE                   = var.jwt_audience
    JAVA_TOOL_OPTIONS              = var.java_tool_options
  })

  env_secret = merge(
    { MONGO_URI = var.mongo_uri },
    var.bootstrap_admin_phone == "" ? {} : { BOOTSTRAP_ADMIN_PHONE = var.bootstrap_admin_phone },
  )

  ingress_annotations = merge(
    var.ingress_annotations,
    var.cert_manager_cluster_issuer == null ? {} : { "cert-manager.io/cluster-issuer" = var.cert_manager_cluster_issuer },
  )
}

resource "kubernetes_namespace_v1" "this" {
  count = var.create_namespace ? 1 : 0

  metadata {
    name = var.namespace
    labels = merge(var.labels, {
      "app.kubernetes.io/part-of"          = "civic-points"
      "pod-security.kubernetes.io/enforce" = "restricted"
    })
  }
}

resource "kubernetes_service_account_v1" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  # The API never talks to the Kubernetes API.
  automount_service_account_token = false
}

resource "kubernetes_config_map_v1" "config" {
  metadata {
    name      = "${var.name}-config"
    namespace = local.namespace
    labels    = local.labels
  }

  data = local.config
}

resource "kubernetes_secret_v1" "env" {
  metadata {
    name      = "${var.name}-env"
    namespace = local.namespace
    labels    = local.labels
  }

  type = "Opaque"
  data = local.env_secret
}

resource "kubernetes_secret_v1" "jwt" {
  metadata {
    name      = "${var.name}-jwt"
    namespace = local.namespace
    labels    = local.labels
  }

  type = "Opaque"
  data = {
    "signing-key.pem" = var.jwt_private_key_pem
  }
}

resource "kubernetes_secret_v1" "firebase" {
  metadata {
    name      = "${var.name}-firebase"
    namespace = local.namespace
    labels    = local.labels
  }

  type = "Opaque"
  data = {
    "service-account.json" = var.firebase_service_account_json
  }
}

resource "kubernetes_secret_v1" "fabric_identity" {
  metadata {
    name      = "${var.name}-fabric-identity"
    namespace = local.namespace
    labels    = local.labels
  }

  type = "Opaque"
  data = {
    "cert.pem"       = var.fabric_client_cert_pem
    "key.pem"        = var.fabric_client_key_pem
    "rules-cert.pem" = var.fabric_rules_cert_pem
    "rules-key.pem"  = var.fabric_rules_key_pem
    "tls-ca.pem"     = var.fabric_tls_ca_pem
  }
}

resource "kubernetes_deployment_v1" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  # The HorizontalPodAutoscaler owns the replica count after the first apply.
  lifecycle {
    ignore_changes = [spec[0].replicas]
  }

  spec {
    replicas               = var.min_replicas
    revision_history_limit = 5

    selector {
      match_labels = local.selector_labels
    }

    strategy {
      type = "RollingUpdate"
      rolling_update {
        max_surge       = "25%"
        max_unavailable = "0"
      }
    }

    template {
      metadata {
        labels = local.labels
        annotations = {
          # Roll the pods whenever configuration or mounted credentials change.
          (local.deployment_annotation) = sha256(jsonencode([
            kubernetes_config_map_v1.config.data,
            kubernetes_secret_v1.env.data,
            kubernetes_secret_v1.jwt.data,
            kubernetes_secret_v1.firebase.data,
            kubernetes_secret_v1.fabric_identity.data,
          ]))
        }
      }

      spec {
        service_account_name             = kubernetes_service_account_v1.api.metadata[0].name
        automount_service_account_token  = false
        termination_grace_period_seconds = var.termination_grace_period_seconds
        node_selector                    = var.node_selector

        dynamic "image_pull_secrets" {
          for_each = var.image_pull_secret_names
          content {
            name = image_pull_secrets.value
          }
        }

        security_context {
          run_as_non_root = true
          run_as_user     = var.run_as_user
          run_as_group    = var.run_as_user
          fs_group        = var.run_as_user

          seccomp_profile {
            type = "RuntimeDefault"
          }
        }

        topology_spread_constraint {
          max_skew           = 1
          topology_key       = "topology.kubernetes.io/zone"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {
            match_labels = local.selector_labels
          }
        }

        topology_spread_constraint {
          max_skew           = 1
          topology_key       = "kubernetes.io/hostname"
          when_unsatisfiable = "ScheduleAnyway"
          label_selector {
            match_labels = local.selector_labels
          }
        }

        container {
          name              = "api"
          image             = var.image
          image_pull_policy = var.image_pull_policy

          port {
            name           = "http"
            container_port = var.http_port
            protocol       = "TCP"
          }

          env_from {
            config_map_ref {
              name = kubernetes_config_map_v1.config.metadata[0].name
            }
          }

          env_from {
            secret_ref {
              name = kubernetes_secret_v1.env.metadata[0].name
            }
          }

          resources {
            requests = var.resources.requests
            limits   = var.resources.limits
          }

          # The JVM and the Fabric/Mongo clients need a few seconds; the startup probe keeps liveness from killing a booting pod.
          startup_probe {
            http_get {
              path = "/health/live"
              port = "http"
            }
            period_seconds    = 5
            timeout_seconds   = 2
            failure_threshold = 24
          }

          liveness_probe {
            http_get {
              path = "/health/live"
              port = "http"
            }
            period_seconds    = 10
            timeout_seconds   = 2
            failure_threshold = 3
          }

          readiness_probe {
            http_get {
              path = "/health/ready"
              port = "http"
            }
            period_seconds    = 5
            timeout_seconds   = 2
            failure_threshold = 3
          }

          security_context {
            run_as_non_root            = true
            run_as_user                = var.run_as_user
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

          volume_mount {
            name       = "jwt"
            mount_path = local.jwt_dir
            read_only  = true
          }

          volume_mount {
            name       = "firebase"
            mount_path = local.firebase_dir
            read_only  = true
          }

          volume_mount {
            name       = "fabric-identity"
            mount_path = local.fabric_dir
            read_only  = true
          }
        }

        volume {
          name = "tmp"
          empty_dir {
            size_limit = "256Mi"
          }
        }

        volume {
          name = "jwt"
          secret {
            secret_name  = kubernetes_secret_v1.jwt.metadata[0].name
            default_mode = "0440"
          }
        }

        volume {
          name = "firebase"
          secret {
            secret_name  = kubernetes_secret_v1.firebase.metadata[0].name
            default_mode = "0440"
          }
        }

        volume {
          name = "fabric-identity"
          secret {
            secret_name  = kubernetes_secret_v1.fabric_identity.metadata[0].name
            default_mode = "0440"
          }
        }
      }
    }
  }
}

resource "kubernetes_service_v1" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    type     = "ClusterIP"
    selector = local.selector_labels

    port {
      name        = "http"
      port        = 80
      target_port = "http"
      protocol    = "TCP"
    }
  }
}

resource "kubernetes_ingress_v1" "api" {
  metadata {
    name        = var.name
    namespace   = local.namespace
    labels      = local.labels
    annotations = local.ingress_annotations
  }

  spec {
    ingress_class_name = var.ingress_class_name

    tls {
      hosts       = [var.ingress_host]
      secret_name = local.tls_secret_name
    }

    rule {
      host = var.ingress_host

      http {
        path {
          path      = "/"
          path_type = "Prefix"

          backend {
            service {
              name = kubernetes_service_v1.api.metadata[0].name
              port {
                name = "http"
              }
            }
          }
        }
      }
    }
  }
}

resource "kubernetes_horizontal_pod_autoscaler_v2" "api" {
  lifecycle {
    precondition {
      condition     = var.max_replicas >= var.min_replicas
      error_message = "max_replicas must be greater than or equal to min_replicas."
    }
  }

  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    min_replicas = var.min_replicas
    max_replicas = var.max_replicas

    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = kubernetes_deployment_v1.api.metadata[0].name
    }

    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = var.cpu_target_utilization
        }
      }
    }

    behavior {
      scale_down {
        stabilization_window_seconds = 300
        select_policy                = "Max"
        policy {
          type           = "Pods"
          value          = 1
          period_seconds = 60
        }
      }
    }
  }
}

resource "kubernetes_pod_disruption_budget_v1" "api" {
  metadata {
    name      = var.name
    namespace = local.namespace
    labels    = local.labels
  }

  spec {
    min_available = var.pdb_min_available

    selector {
      match_labels = local.selector_labels
    }
  }
}
