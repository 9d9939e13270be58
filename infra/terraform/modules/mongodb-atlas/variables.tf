variable "org_id" {
  type        = string
  description = "Atlas organisation id in which the project is created; ignored when project_id is set."
  default     = null
}

variable "project_id" {
  type        = string
  description = "Id of an existing Atlas project to use; null creates a project named project_name in org_id."
  default     = null
}

variable "project_name" {
  type        = string
  description = "Name of the Atlas project created when project_id is null."
  default     = "civic-points"
}

variable "cluster_name" {
  type        = string
  description = "Name of the replica-set cluster."
  default     = "civic-points"

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,63}$", var.cluster_name))
    error_message = "cluster_name must be 1-64 letters, digits or hyphens and start with a letter or digit."
  }
}

variable "cloud_provider" {
  type        = string
  description = "Cloud provider that hosts the cluster nodes (AWS, GCP or AZURE)."
  default     = "GCP"

  validation {
    condition     = contains(["AWS", "GCP", "AZURE"], var.cloud_provider)
    error_message = "cloud_provider must be AWS, GCP or AZURE."
  }
}

variable "region" {
  type        = string
  description = "Atlas region name of the cluster, in Atlas notation (e.g. EUROPE_WEST_3, EU_CENTRAL_1)."
  default     = "EUROPE_WEST_3"

  validation {
    condition     = can(regex("^[A-Z0-9_]+$", var.region))
    error_message = "region must be an Atlas region name such as EUROPE_WEST_3."
  }
}

variable "instance_size" {
  type        = string
  description = "Atlas tier of the electable nodes (M10 or larger: shared tiers have no backups or private networking)."
  default     = "M30"

  validation {
    condition     = can(regex("^M([1-9][0-9]+)$", var.instance_size))
    error_message = "instance_size must be a dedicated tier, M10 or above."
  }
}

variable "electable_node_count" {
  type        = number
  description = "Electable replica-set members in the region (3 tolerates one node failure)."
  default     = 3

  validation {
    condition     = contains([3, 5, 7], var.electable_node_count)
    error_message = "electable_node_count must be 3, 5 or 7."
  }
}

variable "disk_size_gb" {
  type        = number
  description = "Storage per node in GB; null keeps the tier default."
  default     = null
}

variable "mongodb_major_version" {
  type        = string
  description = "MongoDB major version of the cluster (the API needs 6.0 or later)."
  default     = "8.0"

  validation {
    condition     = contains(["6.0", "7.0", "8.0"], var.mongodb_major_version)
    error_message = "mongodb_major_version must be 6.0, 7.0 or 8.0."
  }
}

variable "backup_enabled" {
  type        = bool
  description = "Cloud backups (snapshots) for the cluster."
  default     = true
}

variable "pit_enabled" {
  type        = bool
  description = "Continuous cloud backup with point-in-time restore (requires backup_enabled)."
  default     = true
}

variable "termination_protection_enabled" {
  type        = bool
  description = "Refuse to delete the cluster until this flag is turned off."
  default     = true
}

variable "database_name" {
  type        = string
  description = "Database the API uses (MONGO_DB); the user gets readWrite on it only."
  default     = "civic_points"

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,63}$", var.database_name))
    error_message = "database_name must be 1-63 letters, digits, underscores or hyphens."
  }
}

variable "database_username" {
  type        = string
  description = "Name of the SCRAM database user the API connects as."
  default     = "civic-points-api"
}

variable "ip_access_list" {
  type = list(object({
    cidr_block = string
    comment    = string
  }))
  description = "CIDR blocks allowed to reach the project (e.g. the Kubernetes cluster's NAT egress addresses)."

  validation {
    condition     = alltrue([for entry in var.ip_access_list : can(cidrhost(entry.cidr_block, 0))])
    error_message = "Every ip_access_list entry needs a valid cidr_block."
  }

  validation {
    condition     = alltrue([for entry in var.ip_access_list : entry.cidr_block != "0.0.0.0/0"])
    error_message = "0.0.0.0/0 is not allowed: list the cluster's egress addresses."
  }
}

variable "tags" {
  type        = map(string)
  description = "Tags put on the cluster (environment, owner, cost centre)."
  default     = {}
}
