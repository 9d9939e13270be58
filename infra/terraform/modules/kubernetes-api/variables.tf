variable "name" {
  type        = string
  description = "Name shared by the Deployment, Service, Ingress, HPA, PDB and ServiceAccount of the API."
  default     = "civic-points-api"

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,50}[a-z0-9])?$", var.name))
    error_message = "name must be a DNS-1123 label of at most 52 characters."
  }
}

variable "namespace" {
  type        = string
  description = "Kubernetes namespace the API runs in."

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label."
  }
}

variable "create_namespace" {
  type        = bool
  description = "Create the namespace (true) or deploy into an existing one (false)."
  default     = true
}

variable "labels" {
  type        = map(string)
  description = "Extra labels added to every object the module creates."
  default     = {}
}

variable "image" {
  type        = string
  description = "API container image, pinned by digest or immutable tag (e.g. europe-docker.pkg.dev/p/civic/api@sha256:...)."

  validation {
    condition     = !endswith(var.image, ":latest") && length(var.image) > 0
    error_message = "image must be set and must not use the mutable :latest tag."
  }
}

variable "image_pull_policy" {
  type        = string
  description = "Kubernetes imagePullPolicy of the API container."
  default     = "IfNotPresent"

  validation {
    condition     = contains(["Always", "IfNotPresent", "Never"], var.image_pull_policy)
    error_message = "image_pull_policy must be Always, IfNotPresent or Never."
  }
}

variable "image_pull_secret_names" {
  type        = list(string)
  description = "Names of existing dockerconfigjson Secrets in the namespace used to pull the image."
  default     = []
}

variable "http_port" {
  type        = number
  description = "Port the API listens on inside the container (HTTP_PORT)."
  default     = 8080

  validation {
    condition     = var.http_port >= 1024 && var.http_port <= 65535
    error_message = "http_port must be an unprivileged port (1024-65535): the container runs as non-root."
  }
}

variable "min_replicas" {
  type        = number
  description = "Minimum replicas kept by the HorizontalPodAutoscaler (also the initial Deployment size)."
  default     = 2

  validation {
    condition     = var.min_replicas >= 1
    error_message = "min_replicas must be at least 1."
  }
}

variable "max_replicas" {
  type        = number
  description = "Maximum replicas the HorizontalPodAutoscaler may scale to."
  default     = 6
}

variable "cpu_target_utilization" {
  type        = number
  description = "Average CPU utilisation (percent of requests) the HorizontalPodAutoscaler aims for."
  default     = 70

  validation {
    condition     = var.cpu_target_utilization > 0 && var.cpu_target_utilization <= 100
    error_message = "cpu_target_utilization must be between 1 and 100."
  }
}

variable "pdb_min_available" {
  type        = string
  description = "PodDisruptionBudget minAvailable, as a count (\"1\") or a percentage (\"50%\")."
  default     = "1"

  validation {
    condition     = can(regex("^[0-9]+%?$", var.pdb_min_available))
    error_message = "pdb_min_available must be an integer or a percentage such as 50%."
  }
}

variable "resources" {
  type = object({
    requests = object({ cpu = string, memory = string })
    limits   = object({ cpu = string, memory = string })
  })
  description = "CPU and memory requests/limits of the API container."
  default = {
    requests = { cpu = "250m", memory = "512Mi" }
    limits   = { cpu = "1", memory = "1Gi" }
  }
}

variable "java_tool_options" {
  type        = string
  description = "JAVA_TOOL_OPTIONS for the JVM; the default sizes the heap from the memory limit and keeps Vert.x's file cache on the writable /tmp volume."
  default     = "-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -Dvertx.cacheDirBase=/tmp/vertx-cache"
}

variable "run_as_user" {
  type        = number
  description = "Non-root UID (and GID) the container runs as."
  default     = 10001

  validation {
    condition     = var.run_as_user > 0
    error_message = "run_as_user must not be 0 (root)."
  }
}

variable "node_selector" {
  type        = map(string)
  description = "Node selector for the API pods."
  default     = {}
}

variable "mongo_uri" {
  type        = string
  description = "MongoDB connection string with credentials (MONGO_URI); stored in a Secret."
  sensitive   = true

  validation {
    condition     = can(regex("^mongodb(\\+srv)?://", var.mongo_uri))
    error_message = "mongo_uri must start with mongodb:// or mongodb+srv://."
  }
}

variable "mongo_db" {
  type        = string
  description = "MongoDB database name (MONGO_DB)."
  default     = "civic_points"
}

variable "fabric_peer_endpoint" {
  type        = string
  description = "host:port of the Fabric peer gateway (FABRIC_PEER_ENDPOINT)."

  validation {
    condition     = can(regex("^[A-Za-z0-9.-]+:[0-9]+$", var.fabric_peer_endpoint))
    error_message = "fabric_peer_endpoint must be host:port."
  }
}

variable "fabric_msp_id" {
  type        = string
  description = "MSP ID of the organisation the API's client identity belongs to (FABRIC_MSP_ID)."
}

variable "fabric_channel" {
  type        = string
  description = "Fabric channel holding the points chaincode (FABRIC_CHANNEL)."
  default     = "civic"
}

variable "fabric_chaincode" {
  type        = string
  description = "Chaincode name on the channel (FABRIC_CHAINCODE)."
  default     = "points"
}

variable "fabric_client_cert_pem" {
  type        = string
  description = "PEM X.509 certificate of the API's Fabric client identity (carries the civic.role attribute); mounted at FABRIC_CERT."
  sensitive   = true
}

variable "fabric_client_key_pem" {
  type        = string
  description = "PEM private key of the API's Fabric client identity; mounted at FABRIC_KEY."
  sensitive   = true
}

variable "fabric_rules_cert_pem" {
  type        = string
  description = "PEM X.509 certificate of the API's Fabric rules identity (same MSP, carries civic.role=rules-admin; signs only PutRule transactions); mounted at FABRIC_RULES_CERT."
  sensitive   = true
}

variable "fabric_rules_key_pem" {
  type        = string
  description = "PEM private key of the API's Fabric rules identity; mounted at FABRIC_RULES_KEY."
  sensitive   = true
}

variable "fabric_tls_ca_pem" {
  type        = string
  description = "PEM TLS root CA of the peer organisation, used to verify the peer gateway; mounted at FABRIC_TLS_CA."
}

variable "firebase_project_id" {
  type        = string
  description = "Firebase / Google Cloud project id (FIREBASE_PROJECT_ID)."
}

variable "firebase_service_account_json" {
  type        = string
  description = "Google service-account key JSON used by the Firebase Admin SDK; mounted at GOOGLE_APPLICATION_CREDENTIALS."
  sensitive   = true

  validation {
    condition     = can(jsondecode(var.firebase_service_account_json).client_email)
    error_message = "firebase_service_account_json must be a service-account key JSON document."
  }
}

variable "jwt_private_key_pem" {
  type        = string
  description = "PEM EC P-256 private key (PKCS#8) that signs the API's ES256 access tokens; mounted at JWT_KEY_FILE."
  sensitive   = true
}

variable "jwt_issuer" {
  type        = string
  description = "iss claim of the access tokens (JWT_ISSUER), usually the public API URL."
}

variable "jwt_audience" {
  type        = string
  description = "aud claim of the access tokens (JWT_AUDIENCE)."
  default     = "civic-points-app"
}

variable "bootstrap_admin_phone" {
  type        = string
  description = "E.164 phone number promoted to ADMIN on first sign-in (BOOTSTRAP_ADMIN_PHONE); personal data, so stored in a Secret. Empty to disable."
  sensitive   = true
  default     = ""
  nullable    = false

  validation {
    condition     = var.bootstrap_admin_phone == "" || can(regex("^\\+[1-9][0-9]{6,14}$", var.bootstrap_admin_phone))
    error_message = "bootstrap_admin_phone must be empty or an E.164 number such as +4915112345678."
  }
}

variable "evidence_bucket" {
  type        = string
  description = "Cloud Storage bucket for evidence photos (CIVIC_EVIDENCE_STORE=gcs, CIVIC_EVIDENCE_BUCKET), reached with the GOOGLE_APPLICATION_CREDENTIALS account; empty keeps them in MongoDB GridFS."
  default     = ""
  nullable    = false

  validation {
    condition     = var.evidence_bucket == "" || can(regex("^[a-z0-9][a-z0-9_-]{1,61}[a-z0-9]$", var.evidence_bucket))
    error_message = "evidence_bucket must be empty or a bucket name of 3-63 lowercase letters, digits, - or _."
  }
}

variable "extra_env" {
  type        = map(string)
  description = "Additional non-secret environment variables put in the ConfigMap (e.g. log level)."
  default     = {}
}

variable "ingress_host" {
  type        = string
  description = "Public host name of the API (Ingress rule and TLS certificate)."
}

variable "ingress_class_name" {
  type        = string
  description = "IngressClass that serves the Ingress (e.g. nginx, gce)."
  default     = "nginx"
}

variable "ingress_annotations" {
  type        = map(string)
  description = "Extra annotations on the Ingress (controller tuning, rate limits)."
  default     = {}
}

variable "time_zone" {
  type        = string
  description = "CIVIC_TIME_ZONE: the IANA time zone whose calendar days the API counts in (claims, daily caps, leaderboard periods)."
  default     = "Asia/Shanghai"
}

variable "expiry_policy" {
  type        = string
  description = "CIVIC_EXPIRY_POLICY: NONE (points never expire) or END_OF_YEAR_AFTER (points earned in year Y expire at the end of year Y + expiry_years)."
  default     = "NONE"

  validation {
    condition     = contains(["NONE", "END_OF_YEAR_AFTER"], var.expiry_policy)
    error_message = "expiry_policy must be NONE or END_OF_YEAR_AFTER."
  }
}

variable "expiry_years" {
  type        = number
  description = "CIVIC_EXPIRY_YEARS: N of END_OF_YEAR_AFTER, from 1 to 50."
  default     = 1

  validation {
    condition     = var.expiry_years >= 1 && var.expiry_years <= 50 && floor(var.expiry_years) == var.expiry_years
    error_message = "expiry_years must be a whole number from 1 to 50."
  }
}

variable "tls_secret_name" {
  type        = string
  description = "Name of the Secret holding the Ingress TLS certificate; cert-manager fills it when cert_manager_cluster_issuer is set. Defaults to <name>-tls."
  default     = null
}

variable "cert_manager_cluster_issuer" {
  type        = string
  description = "cert-manager ClusterIssuer that issues the Ingress certificate; null when the TLS Secret is managed elsewhere."
  default     = "letsencrypt-prod"
}

variable "termination_grace_period_seconds" {
  type        = number
  description = "Seconds a pod gets to drain in-flight requests and ledger submissions on shutdown."
  default     = 45
}
