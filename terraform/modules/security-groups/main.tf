# Least-privilege security groups. Rules are separate resources (one rule, one description) and the
# groups themselves carry no inline rules, so Terraform removes AWS's default allow-all egress.
# name_prefix + create_before_destroy: a replaced group is created under a new name before the old
# one is detached and deleted.
#
#   clients --80/443--> ALB --container_port--> ECS tasks --5432--> RDS
#                                               ECS tasks --443--> Bedrock, ECR, Secrets Manager, Logs

resource "aws_security_group" "alb" {
  name_prefix = "${var.name}-alb-"
  description = "Public ALB: HTTP/HTTPS from allowed client ranges, forwards to the gateway tasks only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-alb" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "ecs" {
  name_prefix = "${var.name}-ecs-"
  description = "Gateway tasks: traffic from the ALB only; egress to HTTPS and the database only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-ecs" }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_security_group" "rds" {
  name_prefix = "${var.name}-rds-"
  description = "PostgreSQL: reachable from the gateway tasks only; no egress"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name}-rds" }

  lifecycle {
    create_before_destroy = true
  }
}

# --- ALB ----------------------------------------------------------------------------------------

# Public entry point by design (AVD-AWS-0107 accepted); narrow it with alb_ingress_cidrs.
#trivy:ignore:AVD-AWS-0107
resource "aws_vpc_security_group_ingress_rule" "alb_http" {
  #checkov:skip=CKV_AWS_260:Public entry point by design; with a certificate, port 80 only answers with a redirect to HTTPS
  for_each = toset(var.alb_ingress_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTP from allowed clients (redirects to HTTPS when a certificate is configured)"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = each.value
}

# Public entry point by design (AVD-AWS-0107 accepted); narrow it with alb_ingress_cidrs.
#trivy:ignore:AVD-AWS-0107
resource "aws_vpc_security_group_ingress_rule" "alb_https" {
  for_each = toset(var.alb_ingress_cidrs)

  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from allowed clients"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = each.value
}

resource "aws_vpc_security_group_egress_rule" "alb_to_ecs" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Forward to the gateway tasks and health-check them"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.ecs.id
}

# --- ECS tasks ----------------------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "ecs_from_alb" {
  security_group_id            = aws_security_group.ecs.id
  description                  = "Gateway port, from the ALB only"
  ip_protocol                  = "tcp"
  from_port                    = var.container_port
  to_port                      = var.container_port
  referenced_security_group_id = aws_security_group.alb.id
}

# HTTPS only (AVD-AWS-0104 accepted): Bedrock is reached cross-Region through NAT, see inside.
#trivy:ignore:AVD-AWS-0104
resource "aws_vpc_security_group_egress_rule" "ecs_https" {
  # Bedrock is called cross-Region (US inference profiles), which no in-Region VPC endpoint can serve,
  # so HTTPS must leave through the NAT gateway; ECR, Secrets Manager and CloudWatch Logs use it too.
  # Only port 443: no other protocol or port reaches the internet. DNS goes to the VPC resolver,
  # which security groups do not filter.
  security_group_id = aws_security_group.ecs.id
  description       = "HTTPS to AWS APIs (Bedrock cross-Region, ECR, Secrets Manager, CloudWatch Logs)"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
}

resource "aws_vpc_security_group_egress_rule" "ecs_to_rds" {
  security_group_id            = aws_security_group.ecs.id
  description                  = "PostgreSQL, to the database security group only"
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
  referenced_security_group_id = aws_security_group.rds.id
}

# --- RDS ----------------------------------------------------------------------------------------

resource "aws_vpc_security_group_ingress_rule" "rds_from_ecs" {
  security_group_id            = aws_security_group.rds.id
  description                  = "PostgreSQL from the gateway tasks only"
  ip_protocol                  = "tcp"
  from_port                    = var.db_port
  to_port                      = var.db_port
  referenced_security_group_id = aws_security_group.ecs.id
}
