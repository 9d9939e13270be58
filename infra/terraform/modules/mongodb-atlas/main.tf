locals {
  project_id = var.project_id != null ? var.project_id : mongodbatlas_project.this[0].id
}

resource "mongodbatlas_project" "this" {
  count = var.project_id == null ? 1 : 0

  name   = var.project_name
  org_id = var.org_id

  lifecycle {
    precondition {
      condition     = var.org_id != null
      error_message = "org_id is required when project_id is null (the module then creates the project)."
    }
  }
}

resource "mongodbatlas_advanced_cluster" "this" {
  project_id                     = local.project_id
  name                           = var.cluster_name
  cluster_type                   = "REPLICASET"
  mongo_db_major_version         = var.mongodb_major_version
  backup_enabled                 = var.backup_enabled
  pit_enabled                    = var.backup_enabled && var.pit_enabled
  termination_protection_enabled = var.termination_protection_enabled

  replication_specs = [
    {
      region_configs = [
        {
          provider_name = var.cloud_provider
          region_name   = var.region
          priority      = 7

          electable_specs = {
            instance_size = var.instance_size
            node_count    = var.electable_node_count
            disk_size_gb  = var.disk_size_gb
          }

          # Storage grows by itself; the tier stays what the environment says (no drift in plans).
          auto_scaling = {
            disk_gb_enabled = true
            compute_enabled = false
          }
        }
      ]
    }
  ]

  advanced_configuration = {
    javascript_enabled           = false
    minimum_enabled_tls_protocol = "TLS1_2"
  }

  tags = var.tags
}

resource "random_password" "database_user" {
  length  = 40
  special = false

  keepers = {
    username = var.database_username
  }
}

resource "mongodbatlas_database_user" "api" {
  project_id         = local.project_id
  auth_database_name = "admin"
  username           = var.database_username
  password           = random_password.database_user.result

  roles {
    role_name     = "readWrite"
    database_name = var.database_name
  }

  scopes {
    name = mongodbatlas_advanced_cluster.this.name
    type = "CLUSTER"
  }
}

resource "mongodbatlas_project_ip_access_list" "this" {
  for_each = { for entry in var.ip_access_list : entry.cidr_block => entry }

  project_id = local.project_id
  cidr_block = each.value.cidr_block
  comment    = each.value.comment
}

locals {
  srv_address = trimprefix(mongodbatlas_advanced_cluster.this.connection_strings.standard_srv, "mongodb+srv://")

  connection_string = format(
    "mongodb+srv://%s:%s@%s/%s?retryWrites=true&w=majority&appName=%s",
    urlencode(mongodbatlas_database_user.api.username),
    urlencode(random_password.database_user.result),
    local.srv_address,
    var.database_name,
    urlencode(var.database_username),
  )
}
