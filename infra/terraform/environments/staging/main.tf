locals {
  environment         = "staging"
  firebase_project_id = coalesce(var.firebase_project_id, var.gcp_project_id)

  labels = {
    "civic-points.org/environment" = local.environment
  }
}

# 1. Firebase: project, phone and email sign-in, the API's service account.
module "firebase" {
  source = "../../modules/firebase"

  project_id         = local.firebase_project_id
  authorized_domains = distinct(concat([var.api_host], var.firebase_extra_authorized_domains))
}

# 1b. Evidence photos: a private bucket the API writes and signs short-lived read URLs for.
module "evidence_storage" {
  source = "../../modules/evidence-storage"

  project_id                = var.gcp_project_id
  bucket_name               = coalesce(var.evidence_bucket_name, "${var.gcp_project_id}-${local.environment}-evidence")
  location                  = upper(var.gcp_region)
  api_service_account_email = module.firebase.api_service_account_email
  labels                    = { environment = local.environment, application = "civic-points" }
}

# 2. MongoDB Atlas: the smallest dedicated 3-node replica set, daily snapshots only.
module "mongodb_atlas" {
  source = "../../modules/mongodb-atlas"

  org_id                         = var.atlas_org_id
  project_id                     = var.atlas_project_id
  project_name                   = "civic-points-${local.environment}"
  cluster_name                   = "civic-points-${local.environment}"
  cloud_provider                 = "GCP"
  region                         = var.atlas_region
  instance_size                  = "M10"
  electable_node_count           = 3
  disk_size_gb                   = 10
  mongodb_major_version          = "8.0"
  backup_enabled                 = true
  pit_enabled                    = false
  termination_protection_enabled = false
  database_name                  = "civic_points"
  database_username              = "civic-points-api"
  ip_access_list                 = var.atlas_ip_access_list
  tags                           = { environment = local.environment, application = "civic-points" }
}

# 3. Fabric: CAs, 3 Raft orderers, 1 peer, channel civic, the points chaincode as a service.
module "fabric" {
  source = "../../modules/fabric"

  namespace            = "civic-fabric"
  labels               = local.labels
  storage_class        = var.storage_class
  peer_count           = 1
  orderer_count        = 3
  state_db             = "leveldb"
  channel_name         = "civic"
  chaincode_name       = "points"
  chaincode_image      = var.chaincode_image
  chaincode_package_id = var.chaincode_package_id
  chaincode_replicas   = 1

  storage_sizes = {
    ca      = "1Gi"
    peer    = "10Gi"
    couchdb = "5Gi"
    orderer = "10Gi"
  }
}

# 4. The API, wired to the three systems above.
module "api" {
  source = "../../modules/kubernetes-api"

  name                        = "civic-points-api"
  namespace                   = "civic-points"
  labels                      = local.labels
  image                       = var.api_image
  min_replicas                = 2
  max_replicas                = 4
  cpu_target_utilization      = 75
  pdb_min_available           = "1"
  ingress_host                = var.api_host
  ingress_class_name          = var.ingress_class_name
  cert_manager_cluster_issuer = var.cert_manager_cluster_issuer

  resources = {
    requests = { cpu = "250m", memory = "512Mi" }
    limits   = { cpu = "1", memory = "1Gi" }
  }

  mongo_uri = module.mongodb_atlas.connection_string
  mongo_db  = module.mongodb_atlas.database_name

  fabric_peer_endpoint   = module.fabric.peer_gateway_endpoint
  fabric_msp_id          = module.fabric.msp_id
  fabric_channel         = module.fabric.channel_name
  fabric_chaincode       = module.fabric.chaincode_name
  fabric_client_cert_pem = module.fabric.api_identity_cert_pem
  fabric_client_key_pem  = module.fabric.api_identity_key_pem
  fabric_rules_cert_pem  = module.fabric.rules_identity_cert_pem
  fabric_rules_key_pem   = module.fabric.rules_identity_key_pem
  fabric_tls_ca_pem      = module.fabric.peer_tls_ca_pem

  evidence_bucket = module.evidence_storage.bucket_name

  firebase_project_id           = module.firebase.project_id
  firebase_service_account_json = data.google_secret_manager_secret_version.firebase_service_account.secret_data

  jwt_private_key_pem   = data.google_secret_manager_secret_version.jwt_signing_key.secret_data
  jwt_issuer            = "https://${var.api_host}"
  jwt_audience          = var.jwt_audience
  bootstrap_admin_phone = try(trimspace(data.google_secret_manager_secret_version.bootstrap_admin_phone[0].secret_data), "")
}
