# Dev environment of the LLM gateway: VPC, ALB, ECS Fargate (Spot), RDS PostgreSQL 16, Secrets Manager.
# Deployment steps, teardown and what was validated without an AWS account: docs/DEPLOYMENT.md.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60, < 7.0"
    }
    random = {
      source  = "hashicorp/random"
      version = ">= 3.5, < 4.0" # 3.5 added random_password.bcrypt_hash
    }
  }

  # State holds the generated secrets: for shared use, keep it in an encrypted S3 backend, e.g.
  #   backend "s3" { bucket = "...", key = "llm-gateway/dev.tfstate", region = "...", encrypt = true, use_lockfile = true }
}

provider "aws" {
  region  = var.aws_region
  profile = var.aws_profile == "" ? null : var.aws_profile

  default_tags {
    tags = {
      Project     = var.project_name
      Environment = var.environment
      ManagedBy   = "terraform"
    }
  }
}

locals {
  name = "${var.project_name}-${var.environment}"

  # Production-safe values are one variable away: environment = "prod" turns every switch on; a
  # switch set explicitly (not null) wins either way.
  production = contains(["prod", "production"], lower(var.environment))

  db_deletion_protection      = var.db_deletion_protection != null ? var.db_deletion_protection : local.production
  db_skip_final_snapshot      = var.db_skip_final_snapshot != null ? var.db_skip_final_snapshot : !local.production
  db_multi_az                 = var.db_multi_az != null ? var.db_multi_az : local.production
  secret_recovery_window_days = var.secret_recovery_window_days != null ? var.secret_recovery_window_days : (local.production ? 30 : 0)
  alb_deletion_protection     = var.alb_deletion_protection != null ? var.alb_deletion_protection : local.production
  alb_access_logs             = var.alb_access_logs != null ? var.alb_access_logs : local.production
  vpc_flow_logs               = var.vpc_flow_logs != null ? var.vpc_flow_logs : local.production
}

# S3 bucket for ALB access logs and VPC flow logs; created only when one of them is on.
module "logs" {
  source = "../../modules/logs"

  name           = local.name
  create         = local.alb_access_logs || local.vpc_flow_logs
  retention_days = var.log_bucket_retention_days
  force_destroy  = !local.production
}

module "vpc" {
  source = "../../modules/vpc"

  name                 = local.name
  vpc_cidr             = var.vpc_cidr
  availability_zones   = var.availability_zones
  public_subnet_cidrs  = var.public_subnet_cidrs
  private_subnet_cidrs = var.private_subnet_cidrs
  single_nat_gateway   = var.single_nat_gateway
  flow_logs_enabled    = local.vpc_flow_logs
  flow_logs_bucket_arn = module.logs.bucket_arn
}

module "security_groups" {
  source = "../../modules/security-groups"

  name              = local.name
  vpc_id            = module.vpc.vpc_id
  alb_ingress_cidrs = var.alb_ingress_cidrs
  container_port    = var.container_port
}

module "secrets" {
  source = "../../modules/secrets"

  name                    = local.name
  db_username             = var.db_username
  db_name                 = var.db_name
  db_address              = module.rds.address
  db_port                 = module.rds.port
  recovery_window_in_days = local.secret_recovery_window_days
  # sso
  oidc_enabled       = var.oidc_issuer != ""
  oidc_client_secret = var.oidc_client_secret
}

module "rds" {
  source = "../../modules/rds"

  name                    = local.name
  subnet_ids              = module.vpc.private_subnet_ids
  security_group_id       = module.security_groups.rds_security_group_id
  instance_class          = var.db_instance_class
  allocated_storage       = var.db_allocated_storage
  engine_version          = var.db_engine_version
  db_name                 = var.db_name
  username                = var.db_username
  password                = module.secrets.db_password
  multi_az                = local.db_multi_az
  backup_retention_period = var.db_backup_retention_period
  deletion_protection     = local.db_deletion_protection
  skip_final_snapshot     = local.db_skip_final_snapshot
}

module "alb" {
  source = "../../modules/alb"

  name                       = local.name
  vpc_id                     = module.vpc.vpc_id
  public_subnet_ids          = module.vpc.public_subnet_ids
  security_group_id          = module.security_groups.alb_security_group_id
  container_port             = var.container_port
  certificate_arn            = var.certificate_arn
  client_cidrs               = var.alb_ingress_cidrs
  allow_insecure_http        = var.allow_insecure_http
  idle_timeout               = var.alb_idle_timeout
  expose_metrics             = var.expose_metrics
  enable_deletion_protection = local.alb_deletion_protection
  access_logs_enabled        = local.alb_access_logs
  access_logs_bucket         = module.logs.bucket_name
}

module "ecs" {
  source = "../../modules/ecs"

  name                    = local.name
  aws_region              = var.aws_region
  private_subnet_ids      = module.vpc.private_subnet_ids
  security_group_id       = module.security_groups.ecs_security_group_id
  target_group_arn        = module.alb.target_group_arn
  alb_arn_suffix          = module.alb.arn_suffix
  target_group_arn_suffix = module.alb.target_group_arn_suffix

  container_image   = var.container_image
  container_port    = var.container_port
  task_cpu          = var.task_cpu
  task_memory       = var.task_memory
  secret_arns       = module.secrets.task_secret_arns
  db_pool_size      = var.db_pool_size
  gateway_timezone  = var.gateway_timezone
  idle_timeout      = var.gateway_idle_timeout_seconds
  alb_idle_timeout  = var.alb_idle_timeout
  ui_admin_user     = var.ui_admin_user
  extra_environment = var.extra_environment
  # sso: single sign-on settings, when an issuer is given (docs/ui/sso.md).
  oidc = var.oidc_issuer == "" ? null : {
    issuer            = var.oidc_issuer
    client_id         = var.oidc_client_id
    redirect_uri      = var.oidc_redirect_uri
    scopes            = var.oidc_scopes
    groups_claim      = var.oidc_groups_claim
    display_name      = var.oidc_display_name
    client_auth       = var.oidc_client_auth
    email_verified    = var.oidc_email_verified
    admin_groups      = var.oidc_admin_groups
    viewer_groups     = var.oidc_viewer_groups
    team_admin_groups = var.oidc_team_admin_groups
  }
  log_retention_days = var.log_retention_days

  # The ALB lives in the public subnets: the only addresses whose X-Forwarded-For is believed.
  trusted_proxy_cidrs = var.public_subnet_cidrs

  bedrock_region                = var.bedrock_region
  bedrock_inference_profile_ids = var.bedrock_inference_profile_ids
  bedrock_in_region_model_ids   = var.bedrock_in_region_model_ids
  bedrock_destination_regions   = var.bedrock_destination_regions

  desired_count    = var.desired_count
  min_capacity     = var.min_capacity
  max_capacity     = var.max_capacity
  spot_weight      = var.spot_weight
  on_demand_weight = var.on_demand_weight
  on_demand_base   = var.on_demand_base
}
