# Internet-facing ALB: HTTP only when no certificate is given (dev without a domain); with
# certificate_arn, HTTPS on 443 and port 80 answers with a permanent redirect. An HTTP-only
# listener that the internet can reach needs allow_insecure_http = true (API keys in clear text).
# /metrics is answered by the ALB itself (404) unless expose_metrics is set.

locals {
  https_enabled = var.certificate_arn != ""

  # Reachable from the internet: 0.0.0.0/0, or any range wider than /8 (e.g. 0.0.0.0/1 + 128.0.0.0/1).
  internet_facing_clients = anytrue([for cidr in var.client_cidrs : tonumber(split("/", cidr)[1]) < 8])

  # The listener that forwards to the gateway: HTTPS with a certificate, else plain HTTP.
  forward_listener_arn = local.https_enabled ? aws_lb_listener.https[0].arn : aws_lb_listener.http_forward[0].arn
}

# Internet-facing by design (AVD-AWS-0053 accepted): this is the gateway's public entry point.
#trivy:ignore:AVD-AWS-0053
resource "aws_lb" "this" {
  #checkov:skip=CKV_AWS_91:Access logs are the access_logs_enabled variable (on with environment = prod); dev skips them for cost
  #checkov:skip=CKV2_AWS_28:WAF costs more than the dev stack; the gateway authenticates every request, add WAF for production
  #checkov:skip=CKV_AWS_150:Deletion protection is the enable_deletion_protection variable; dev default false for teardown
  name               = "${var.name}-alb"
  internal           = false
  load_balancer_type = "application"
  security_groups    = [var.security_group_id]
  subnets            = var.public_subnet_ids

  # SSE streams can be silent for a long time (time to first token of a large prompt); the ALB's
  # 60 s default would cut them.
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_deletion_protection = var.enable_deletion_protection

  dynamic "access_logs" {
    for_each = var.access_logs_enabled ? [var.access_logs_bucket] : []

    content {
      enabled = true
      bucket  = access_logs.value
      prefix  = "alb"
    }
  }

  tags = { Name = "${var.name}-alb" }

  lifecycle {
    precondition {
      condition     = !var.access_logs_enabled || var.access_logs_bucket != ""
      error_message = "access_logs_enabled needs access_logs_bucket (the logs module's bucket)."
    }
  }
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS ends at the ALB; ALB to task is plain HTTP inside private subnets, security-group restricted
  name                 = "${var.name}-tg"
  port                 = var.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay

  health_check {
    enabled             = true
    path                = var.health_check_path
    protocol            = "HTTP"
    port                = "traffic-port"
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  tags = { Name = "${var.name}-tg" }
}

# Port 80 without a certificate: serve the gateway over HTTP (dev only; keys travel in clear text).
resource "aws_lb_listener" "http_forward" {
  #checkov:skip=CKV_AWS_2:Only created when no certificate_arn is given; with one, port 80 redirects to HTTPS
  #checkov:skip=CKV_AWS_103:Only created when no certificate_arn is given (no TLS to configure)
  #checkov:skip=CKV2_AWS_20:Only created when no certificate_arn is given; the redirect listener replaces it otherwise
  count = local.https_enabled ? 0 : 1

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }

  lifecycle {
    precondition {
      condition     = var.allow_insecure_http || !local.internet_facing_clients
      error_message = "HTTP-only listener open to the internet: API keys would travel in clear text. Set certificate_arn (HTTPS), narrow alb_ingress_cidrs, or set allow_insecure_http = true for a throwaway dev stack."
    }
  }
}

# Port 80 with a certificate: redirect everything to HTTPS.
resource "aws_lb_listener" "http_redirect" {
  #checkov:skip=CKV_AWS_2:Redirect-only listener to HTTPS
  #checkov:skip=CKV_AWS_103:Redirect-only listener to HTTPS
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"

  default_action {
    type = "redirect"

    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  count = local.https_enabled ? 1 : 0

  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn

  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this.arn
  }
}

# /metrics stays inside: the ALB answers it with 404 before any gateway task sees the request.
# Priority 1 puts it ahead of every other rule; the default action forwards everything else. The
# bearer token (GATEWAY_METRICS_TOKEN) guards /metrics as well, so a path the pattern misses (an
# encoded variant) still gets no metrics without the token.
resource "aws_lb_listener_rule" "metrics_not_public" {
  count = var.expose_metrics ? 0 : 1

  listener_arn = local.forward_listener_arn
  priority     = 1

  action {
    type = "fixed-response"

    fixed_response {
      content_type = "application/json"
      message_body = jsonencode({ error = { message = "Not found", type = "invalid_request_error", param = null, code = "404" } })
      status_code  = "404"
    }
  }

  condition {
    path_pattern {
      values = ["/metrics", "/metrics/*", "/metrics?*"]
    }
  }
}
