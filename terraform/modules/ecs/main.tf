# The gateway on ECS Fargate: Spot-first capacity with an on-demand share, tasks in private subnets
# behind the ALB, secrets injected by ECS from Secrets Manager, logs to CloudWatch.
# IAM is in iam.tf, autoscaling in autoscaling.tf.

locals {
  container_name = "gateway"

  # Non-secret settings (docs/ARCHITECTURE.md, Configuration surface). Secrets come only through
  # `secrets` below; extra_environment is validated in the environment to reject secret-like names.
  environment = merge(var.extra_environment, {
    GATEWAY_MODE          = "production"
    GATEWAY_HOST          = "0.0.0.0"
    GATEWAY_PORT          = tostring(var.container_port)
    GATEWAY_DB_POOL_SIZE  = tostring(var.db_pool_size)
    GATEWAY_TIMEZONE      = var.gateway_timezone
    GATEWAY_UI_ADMIN_USER = var.ui_admin_user
    # Above the ALB's idle timeout: the ALB, not the server, must be the one to close an idle
    # kept-alive connection, or a request sent just as the server closes gets a 502.
    GATEWAY_IDLE_TIMEOUT_SECONDS = tostring(var.idle_timeout)
    GATEWAY_MODELS_FILE          = "/app/config/models.yaml"
    GATEWAY_TIERS_FILE           = "/app/config/tiers.yaml"
    # The ALB's subnets: X-Forwarded-For / -Proto are believed only from these addresses, so the
    # per-address limits (failed API keys, UI sign-in) see the real client, and no one else can
    # claim an address by sending the header.
    GATEWAY_TRUSTED_PROXIES = join(",", var.trusted_proxy_cidrs)
    # The only AWS API the gateway calls itself is bedrock-runtime (ECS fetches the secrets), so the
    # SDK's region is the inference profiles' source Region, not necessarily the task's Region.
    AWS_REGION = var.bedrock_region
    # sso: single sign-on's non-secret settings (the client secret comes through `secrets`).
    }, var.oidc == null ? {} : {
    GATEWAY_OIDC_ISSUER            = var.oidc.issuer
    GATEWAY_OIDC_CLIENT_ID         = var.oidc.client_id
    GATEWAY_OIDC_REDIRECT_URI      = var.oidc.redirect_uri
    GATEWAY_OIDC_SCOPES            = var.oidc.scopes
    GATEWAY_OIDC_GROUPS_CLAIM      = var.oidc.groups_claim
    GATEWAY_OIDC_DISPLAY_NAME      = var.oidc.display_name
    GATEWAY_OIDC_CLIENT_AUTH       = var.oidc.client_auth
    GATEWAY_OIDC_EMAIL_VERIFIED    = var.oidc.email_verified
    GATEWAY_OIDC_ADMIN_GROUPS      = var.oidc.admin_groups
    GATEWAY_OIDC_VIEWER_GROUPS     = var.oidc.viewer_groups
    GATEWAY_OIDC_TEAM_ADMIN_GROUPS = var.oidc.team_admin_groups
  })
}

resource "aws_cloudwatch_log_group" "gateway" {
  #checkov:skip=CKV_AWS_158:AWS-owned encryption; the gateway never logs prompts, keys or hashes (a CMK is a production option)
  #checkov:skip=CKV_AWS_338:Retention is the log_retention_days variable (dev 30 days); raise it to 365 for production audits
  name              = "/ecs/${var.name}/gateway"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "this" {
  #checkov:skip=CKV_AWS_224:ECS Exec is disabled on the service (enable_execute_command = false), nothing to log
  name = "${var.name}-cluster"

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE", "FARGATE_SPOT"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = var.spot_weight
  }

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = var.on_demand_weight
    base              = var.on_demand_base
  }
}

resource "aws_ecs_task_definition" "gateway" {
  family                   = "${var.name}-gateway"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  # Fargate Spot runs X86_64 Linux tasks only.
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  # Scratch space on the task's ephemeral storage: the root filesystem is read-only and the JVM
  # and the server write only to /tmp.
  volume {
    name = "tmp"
  }

  container_definitions = jsonencode([
    {
      name                   = local.container_name
      image                  = var.container_image
      essential              = true
      readonlyRootFilesystem = true
      # Fargate Spot gives a 2-minute warning (SIGTERM); 120 s is the Fargate maximum and lets
      # in-flight streams finish and reservations settle before SIGKILL.
      stopTimeout = 120

      portMappings = [
        { containerPort = var.container_port, protocol = "tcp" }
      ]

      environment = [for name, value in local.environment : { name = name, value = value }]

      secrets = [for name, arn in var.secret_arns : { name = name, valueFrom = arn }]

      mountPoints = [
        { sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }
      ]

      linuxParameters = {
        initProcessEnabled = true
      }

      # Open files: every open stream holds two sockets (the client's and Bedrock's), and the
      # server sizes its Bedrock bound from this limit (docs/BEDROCK.md "Concurrent calls"). Set
      # explicitly rather than relying on Fargate's default (65535 today, 1024 soft in the past).
      ulimits = [
        { name = "nofile", softLimit = 65535, hardLimit = 65535 }
      ]

      logConfiguration = {
        logDriver = "awslogs"
        options = {
          awslogs-group         = aws_cloudwatch_log_group.gateway.name
          awslogs-region        = var.aws_region
          awslogs-stream-prefix = local.container_name
          # Never block the request path on CloudWatch; drop log lines instead once 25 MB are queued.
          mode            = "non-blocking"
          max-buffer-size = "25m"
        }
      }
    }
  ])

  lifecycle {
    precondition {
      condition     = var.idle_timeout > var.alb_idle_timeout
      error_message = "GATEWAY_IDLE_TIMEOUT_SECONDS (idle_timeout) must exceed the ALB's idle timeout, or the ALB sends requests on connections the server is closing (502)."
    }
  }
}

resource "aws_ecs_service" "gateway" {
  name             = "${var.name}-gateway"
  cluster          = aws_ecs_cluster.this.id
  task_definition  = aws_ecs_task_definition.gateway.arn
  desired_count    = var.desired_count
  platform_version = "LATEST"

  # Spot first; the on-demand weight (and base) keep part of the fleet alive when Spot capacity is
  # reclaimed. Weights split placement, they do not fail over: see docs/DEPLOYMENT.md.
  capacity_provider_strategy {
    capacity_provider = "FARGATE_SPOT"
    weight            = var.spot_weight
    base              = 0
  }

  capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = var.on_demand_weight
    base              = var.on_demand_base
  }

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [var.security_group_id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = var.target_group_arn
    container_name   = local.container_name
    container_port   = var.container_port
  }

  health_check_grace_period_seconds  = var.health_check_grace_period
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false
  enable_ecs_managed_tags            = true
  propagate_tags                     = "SERVICE"

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  lifecycle {
    # Autoscaling owns the task count after the first deployment.
    ignore_changes = [desired_count]
  }

  depends_on = [aws_ecs_cluster_capacity_providers.this, aws_iam_role_policy.execution]
}
