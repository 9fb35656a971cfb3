# Two roles, never one (CKV_AWS_249):
#   execution role: what ECS itself needs to start the task (pull the image, read the three task
#                   secrets, write the log stream);
#   task role:      what the gateway code may do: invoke the configured Bedrock models, nothing else.

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition

  # ECR repository of the image, when the image lives in ECR (account.dkr.ecr.region.amazonaws.com/repo:tag).
  ecr_match          = try(regex("^([0-9]{12})\\.dkr\\.ecr\\.([a-z0-9-]+)\\.amazonaws\\.com/([^:@]+)", var.container_image), null)
  ecr_repository_arn = local.ecr_match == null ? null : "arn:${local.partition}:ecr:${local.ecr_match[1]}:${local.ecr_match[0]}:repository/${local.ecr_match[2]}"

  # System-defined cross-Region inference profiles (us.amazon.nova-micro-v1:0) and the foundation
  # models they route to (amazon.nova-micro-v1:0) in every destination Region.
  inference_profile_arns = [
    for id in var.bedrock_inference_profile_ids :
    "arn:${local.partition}:bedrock:${var.bedrock_region}:${local.account_id}:inference-profile/${id}"
  ]
  foundation_model_ids = distinct([
    for id in var.bedrock_inference_profile_ids : replace(id, "/^(us|eu|apac|jp|au|ca|us-gov)\\./", "")
  ])
  foundation_model_arns = flatten([
    for region in var.bedrock_destination_regions : [
      for model in local.foundation_model_ids :
      "arn:${local.partition}:bedrock:${region}::foundation-model/${model}"
    ]
  ])

  # Models invoked on demand in the gateway's own Region, without an inference profile: the
  # embedding model (amazon.titan-embed-text-v2:0), which InvokeModel calls directly.
  # CountTokens (free) counts on the foundation model, in the gateway's Region: the admission asks
  # it for a Claude prompt its bytes would price out of a budget (docs/CORE.md "Input bound").
  claude_model_ids = [for model in local.foundation_model_ids : model if startswith(model, "anthropic.")]
  count_tokens_model_arns = [
    for model in local.claude_model_ids :
    "arn:${local.partition}:bedrock:${var.bedrock_region}::foundation-model/${model}"
  ]

  in_region_model_arns = [
    for id in var.bedrock_in_region_model_ids :
    "arn:${local.partition}:bedrock:${var.bedrock_region}::foundation-model/${id}"
  ]
}

# Both roles may only be assumed by ECS tasks of this account (confused-deputy protection).
data "aws_iam_policy_document" "ecs_tasks_trust" {
  statement {
    sid     = "EcsTasksOfThisAccount"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${var.aws_region}:${local.account_id}:*"]
    }
  }
}

# --- execution role -----------------------------------------------------------------------------

resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  description        = "ECS agent for the gateway tasks: pull the image, read the task secrets, write logs"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    # GetAuthorizationToken has no resource-level permissions: "*" is the only valid resource.
    sid       = "EcrLogin"
    effect    = "Allow"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  dynamic "statement" {
    for_each = local.ecr_repository_arn == null ? [] : [local.ecr_repository_arn]

    content {
      sid       = "EcrPullGatewayImage"
      effect    = "Allow"
      actions   = ["ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage"]
      resources = [statement.value]
    }
  }

  statement {
    sid       = "ReadTaskSecrets"
    effect    = "Allow"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = values(var.secret_arns)
  }

  statement {
    sid       = "WriteGatewayLogs"
    effect    = "Allow"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.gateway.arn}:*"]
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "${var.name}-ecs-execution"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# --- task role ----------------------------------------------------------------------------------

resource "aws_iam_role" "task" {
  name               = "${var.name}-ecs-task"
  description        = "Gateway code: invoke the configured Bedrock inference profiles, nothing else"
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_trust.json
}

data "aws_iam_policy_document" "task" {
  # bedrock:InvokeModel authorizes Converse, bedrock:InvokeModelWithResponseStream ConverseStream.
  statement {
    sid       = "InvokeInferenceProfiles"
    effect    = "Allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = local.inference_profile_arns
  }

  # AWS requires the foundation model in every Region a profile routes to; the condition makes
  # these ARNs usable only through our inference profiles, never directly.
  statement {
    sid       = "InvokeRoutedFoundationModels"
    effect    = "Allow"
    actions   = ["bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"]
    resources = local.foundation_model_arns

    condition {
      test     = "StringEquals"
      variable = "bedrock:InferenceProfileArn"
      values   = local.inference_profile_arns
    }
  }

  # Token counting for Claude models (no inference, no charge); none without a Claude profile.
  dynamic "statement" {
    for_each = length(local.count_tokens_model_arns) == 0 ? [] : [1]

    content {
      sid       = "CountTokensClaudeModels"
      effect    = "Allow"
      actions   = ["bedrock:CountTokens"]
      resources = local.count_tokens_model_arns
    }
  }

  # Embeddings: InvokeModel only (no streaming), in this Region only; none if the list is empty.
  dynamic "statement" {
    for_each = length(local.in_region_model_arns) == 0 ? [] : [1]

    content {
      sid       = "InvokeInRegionModels"
      effect    = "Allow"
      actions   = ["bedrock:InvokeModel"]
      resources = local.in_region_model_arns
    }
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "${var.name}-bedrock-invoke"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}
