variable "namespace" {
  type        = string
  description = "Kubernetes namespace for the CAs, orderers, peers, identities and the chaincode service."

  validation {
    condition     = can(regex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a DNS-1123 label."
  }
}

variable "create_namespace" {
  type        = bool
  description = "Create the namespace (true) or use an existing one (false)."
  default     = true
}

variable "name_prefix" {
  type        = string
  description = "Prefix of every Fabric object name (CAs, nodes, identities)."
  default     = "civic"

  validation {
    condition     = can(regex("^[a-z]([-a-z0-9]{0,20}[a-z0-9])?$", var.name_prefix))
    error_message = "name_prefix must be a short DNS-1123 label (at most 22 characters)."
  }
}

variable "labels" {
  type        = map(string)
  description = "Extra labels added to every object the module creates."
  default     = {}
}

variable "storage_class" {
  type        = string
  description = "StorageClass of the CA, peer, CouchDB and orderer volumes; empty uses the cluster default."
  default     = ""
}

variable "fabric_version" {
  type        = string
  description = "Tag of the hyperledger/fabric-peer and fabric-orderer images (a 2.5.x release)."
  default     = "2.5.12"

  validation {
    condition     = can(regex("^2\\.5\\.[0-9]+$", var.fabric_version))
    error_message = "fabric_version must be a Fabric 2.5.x release such as 2.5.12."
  }
}

variable "fabric_ca_version" {
  type        = string
  description = "Tag of the hyperledger/fabric-ca image."
  default     = "1.5.15"
}

variable "images" {
  type = object({
    ca      = string
    peer    = string
    orderer = string
    couchdb = string
  })
  description = "Image repositories of the Fabric CA, peer, orderer and CouchDB (tags come from fabric_version, fabric_ca_version and couchdb_version)."
  default = {
    ca      = "hyperledger/fabric-ca"
    peer    = "hyperledger/fabric-peer"
    orderer = "hyperledger/fabric-orderer"
    couchdb = "couchdb"
  }
}

variable "couchdb_version" {
  type        = string
  description = "CouchDB image tag, used when state_db is couchdb."
  default     = "3.4.2"
}

variable "peer_org_msp_id" {
  type        = string
  description = "MSP ID of the organisation that runs the peers and the API (FABRIC_MSP_ID)."
  default     = "CivicMSP"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9]{2,}$", var.peer_org_msp_id))
    error_message = "peer_org_msp_id must be at least 3 letters or digits, starting with a letter."
  }
}

variable "orderer_org_msp_id" {
  type        = string
  description = "MSP ID of the ordering organisation."
  default     = "CivicOrdererMSP"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9]{2,}$", var.orderer_org_msp_id))
    error_message = "orderer_org_msp_id must be at least 3 letters or digits, starting with a letter."
  }
}

variable "certificate_subject" {
  type = object({
    organization        = string
    organizational_unit = string
    country             = string
    province            = string
    locality            = string
  })
  description = "Subject fields of the CA certificates."
  default = {
    organization        = "civic-points"
    organizational_unit = "ledger"
    country             = "DE"
    province            = "Berlin"
    locality            = "Berlin"
  }
}

variable "peer_count" {
  type        = number
  description = "Number of peers of the peer organisation (each with its own ledger volume)."
  default     = 2

  validation {
    condition     = var.peer_count >= 1 && var.peer_count <= 8
    error_message = "peer_count must be between 1 and 8."
  }
}

variable "orderer_count" {
  type        = number
  description = "Number of Raft orderer nodes (odd, so a majority survives a node loss)."
  default     = 3

  validation {
    condition     = contains([3, 5], var.orderer_count)
    error_message = "orderer_count must be 3 or 5."
  }
}

variable "state_db" {
  type        = string
  description = "World-state database of the peers: leveldb (embedded) or couchdb (sidecar; the points chaincode needs no rich queries)."
  default     = "leveldb"

  validation {
    condition     = contains(["leveldb", "couchdb"], var.state_db)
    error_message = "state_db must be leveldb or couchdb."
  }
}

variable "storage_sizes" {
  type = object({
    ca      = string
    peer    = string
    couchdb = string
    orderer = string
  })
  description = "Persistent volume sizes per component."
  default = {
    ca      = "2Gi"
    peer    = "20Gi"
    couchdb = "20Gi"
    orderer = "20Gi"
  }
}

variable "resources" {
  type = map(object({
    requests = object({ cpu = string, memory = string })
    limits   = object({ cpu = string, memory = string })
  }))
  description = "Requests/limits per component; keys: ca, peer, couchdb, orderer, chaincode."
  default = {
    ca        = { requests = { cpu = "100m", memory = "128Mi" }, limits = { cpu = "500m", memory = "512Mi" } }
    peer      = { requests = { cpu = "500m", memory = "1Gi" }, limits = { cpu = "2", memory = "2Gi" } }
    couchdb   = { requests = { cpu = "250m", memory = "512Mi" }, limits = { cpu = "1", memory = "1Gi" } }
    orderer   = { requests = { cpu = "250m", memory = "512Mi" }, limits = { cpu = "1", memory = "1Gi" } }
    chaincode = { requests = { cpu = "250m", memory = "512Mi" }, limits = { cpu = "1", memory = "1Gi" } }
  }

  validation {
    condition     = alltrue([for key in ["ca", "peer", "couchdb", "orderer", "chaincode"] : contains(keys(var.resources), key)])
    error_message = "resources must have the keys ca, peer, couchdb, orderer and chaincode."
  }
}

variable "channel_name" {
  type        = string
  description = "Application channel created for the points chaincode (FABRIC_CHANNEL)."
  default     = "civic"

  validation {
    condition     = can(regex("^[a-z][a-z0-9.-]{0,248}$", var.channel_name))
    error_message = "channel_name must be lower case and start with a letter (Fabric channel naming rules)."
  }
}

variable "batch_timeout" {
  type        = string
  description = "Orderer batch timeout of the channel: the longest a submitted transaction waits to be cut into a block."
  default     = "2s"
}

variable "chaincode_name" {
  type        = string
  description = "Name of the chaincode definition on the channel (FABRIC_CHAINCODE)."
  default     = "points"
}

variable "chaincode_image" {
  type        = string
  description = "Image of the points chaincode-as-a-service, pinned by digest or immutable tag."

  validation {
    condition     = !endswith(var.chaincode_image, ":latest") && length(var.chaincode_image) > 0
    error_message = "chaincode_image must be set and must not use the mutable :latest tag."
  }
}

variable "chaincode_package_id" {
  type        = string
  description = "Package id (label:sha256) of the installed ccaas package, passed to the chaincode server as CHAINCODE_ID."

  validation {
    condition     = can(regex("^[A-Za-z0-9_.+-]+:[0-9a-f]{64}$", var.chaincode_package_id))
    error_message = "chaincode_package_id must look like points_1.0:<64 hex digits>, as printed by 'peer lifecycle chaincode calculatepackageid'."
  }
}

variable "chaincode_replicas" {
  type        = number
  description = "Replicas of the chaincode server; peers reach them through one Service."
  default     = 2

  validation {
    condition     = var.chaincode_replicas >= 1
    error_message = "chaincode_replicas must be at least 1."
  }
}

variable "chaincode_port" {
  type        = number
  description = "Port the chaincode server listens on (CHAINCODE_SERVER_ADDRESS) and its Service exposes."
  default     = 9999
}

variable "chaincode_run_as_user" {
  type        = number
  description = "Non-root UID the chaincode container runs as."
  default     = 10001

  validation {
    condition     = var.chaincode_run_as_user > 0
    error_message = "chaincode_run_as_user must not be 0 (root)."
  }
}

variable "api_identity_name" {
  type        = string
  description = "Enrollment id of the API's client identity, registered at the peer organisation's CA."
  default     = "civic-points-api"
}

variable "api_identity_attributes" {
  type        = list(string)
  description = "Attributes registered for the API identity and put into its enrollment certificate (fabric-ca-client --id.attrs syntax: name=value:ecert); the chaincode authorises writers by civic.role."
  default     = ["civic.role=ledger-writer:ecert"]

  validation {
    condition     = anytrue([for attribute in var.api_identity_attributes : startswith(attribute, "civic.role=")])
    error_message = "api_identity_attributes must include a civic.role attribute; the chaincode rejects writers without it."
  }
}

variable "rules_identity_attributes" {
  type        = list(string)
  description = "Attributes registered for the API's rules identity (enrollment id <api_identity_name>-rules, signs only PutRule transactions) and put into its enrollment certificate (fabric-ca-client --id.attrs syntax: name=value:ecert); the chaincode authorises rule changes by civic.role."
  default     = ["civic.role=rules-admin:ecert"]

  validation {
    condition     = anytrue([for attribute in var.rules_identity_attributes : startswith(attribute, "civic.role=")])
    error_message = "rules_identity_attributes must include a civic.role attribute; the chaincode rejects rule changes without it."
  }
}

variable "operator_timeout" {
  type        = string
  description = "How long Terraform waits for the operator to bring a custom resource to RUNNING."
  default     = "20m"
}
