package io.llmgateway.server.admin;

import static io.llmgateway.server.admin.Policy.MASTER_OR_PROXY_ADMIN;
import static io.llmgateway.server.admin.Policy.SELF_READ_OK;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmgateway.config.LiteLlmModel;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.InvalidRequestException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.identity.Principal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /model/*} and {@code /v1/model/info}. A {@code /model/new} body is LiteLLM's {@code
 * model_list} entry, turned into a deployment by {@link LiteLlmModel} (the seed's {@code
 * bedrock/converse/us.amazon.nova-micro-v1:0} + {@code aws_region_name}; Nova prices are known).
 * Credentials and endpoint overrides are refused: the gateway signs Bedrock calls with its own role
 * and only talks to Bedrock endpoints (an endpoint may be set in the models file only). Config file
 * and API deployments coexist; for the same id the models file wins (the API refuses to change a
 * config deployment, and the file is re-applied at every start).
 */
final class ModelRoutes {
  static final Set<String> PARAMS = Set.of("model", "aws_region_name");
  static final Set<String> INFO =
      Set.of(
          "id",
          "mode",
          "input_cost_per_million_tokens",
          "output_cost_per_million_tokens",
          "cache_read_cost_per_million_tokens",
          "cache_write_cost_per_million_tokens",
          "input_cost_per_token",
          "output_cost_per_token",
          "cache_read_input_token_cost",
          "cache_creation_input_token_cost",
          "context_window",
          "max_input_tokens",
          "max_output_tokens");
  static final Set<String> CREDENTIALS =
      Set.of(
          "api_key",
          "aws_access_key_id",
          "aws_secret_access_key",
          "aws_session_token",
          "aws_role_name",
          "aws_session_name",
          "aws_profile_name",
          "aws_web_identity_token",
          "aws_bedrock_runtime_endpoint",
          "api_base",
          "base_url");

  /** What a non-admin key sees instead of an ARN model id. */
  static final String HIDDEN_ARN = "arn-hidden";

  private static final Pattern LEADING_FIELD = Pattern.compile("^([a-z][a-z_.]*) ");

  private final AdminApi api;

  ModelRoutes(AdminApi api) {
    this.api = api;
  }

  List<AdminRoute> routes() {
    return List.of(
        AdminRoute.post("/model/new", MASTER_OR_PROXY_ADMIN, "Add a deployment", this::create),
        AdminRoute.post(
            "/model/update", MASTER_OR_PROXY_ADMIN, "Replace an API deployment", this::update),
        AdminRoute.post(
            "/model/delete", MASTER_OR_PROXY_ADMIN, "Delete a deployment by id", this::delete),
        AdminRoute.get("/model/info", SELF_READ_OK, "Deployments you may use", this::info),
        AdminRoute.get("/v1/model/info", SELF_READ_OK, "Same as /model/info", this::info));
  }

  private JsonNode create(AdminCall call) throws Exception {
    Body b = call.body(Set.of("model_name", "litellm_params", "model_info"));
    Deployment d = parse(b, Optional.empty());
    if (b.object("model_info", INFO).flatMap(i -> i.text("id")).isEmpty()) {
      // Re-running the seed's step 6 must not pile up copies: the same model, provider model and
      // region is the same deployment.
      Optional<Deployment> same =
          all(call.actor()).stream()
              .filter(
                  e ->
                      e.modelName().equals(d.modelName())
                          && e.provider().equals(d.provider())
                          && e.providerModelId().equals(d.providerModelId())
                          && e.region().equals(d.region()))
              .findFirst();
      if (same.isPresent()) {
        return view(same.get());
      }
    } else if (find(call.actor(), d.id()).isPresent()) {
      throw new io.llmgateway.core.error.ConflictException(
          "model id '" + d.id() + "' already exists; use /model/update");
    }
    return view(api.admin().upsertDeployment(call.actor(), d));
  }

  private JsonNode update(AdminCall call) throws Exception {
    Body b = call.body(Set.of("model_id", "model_name", "litellm_params", "model_info"));
    String id =
        b.text("model_id")
            .or(() -> b.object("model_info", INFO).flatMap(i -> i.text("id")))
            .orElseThrow(() -> Body.invalid("model_id", "model_id (or model_info.id) is required"));
    find(call.actor(), id)
        .orElseThrow(() -> new NotFoundException("model id '" + id + "' does not exist"));
    return view(api.admin().upsertDeployment(call.actor(), parse(b, Optional.of(id))));
  }

  private Deployment parse(Body b, Optional<String> id) {
    String name = b.requiredText("model_name");
    JsonNode rawParams =
        b.raw("litellm_params")
            .orElseThrow(() -> Body.invalid("litellm_params", "litellm_params is required"));
    for (String field : CREDENTIALS) {
      if (rawParams.has(field)) {
        throw Body.invalid(
            "litellm_params." + field,
            "litellm_params."
                + field
                + " is not accepted: the gateway calls Bedrock with its own AWS role and only"
                + " Bedrock endpoints (an endpoint override belongs in the models file)");
      }
    }
    Body params = b.object("litellm_params", PARAMS).orElseThrow();
    params.text("model"); // type checks: strings
    params.text("aws_region_name");
    Optional<Body> info = b.object("model_info", INFO);
    Optional<String> mode = info.flatMap(i -> i.text("mode"));
    if (mode.isPresent() && !mode.get().equals("chat")) {
      throw Body.invalid("model_info.mode", "model_info.mode must be chat");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> paramMap = api.json().mapper().convertValue(rawParams, Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> infoMap =
        b.raw("model_info")
            .map(n -> (Map<String, Object>) api.json().mapper().convertValue(n, Map.class))
            .orElse(Map.of());
    String deploymentId =
        id.or(() -> info.flatMap(i -> i.text("id"))).orElseGet(() -> UUID.randomUUID().toString());
    try {
      return LiteLlmModel.toDeployment(
          name, paramMap, infoMap, deploymentId, Deployment.Source.API);
    } catch (IllegalArgumentException e) {
      String msg = e.getMessage() == null ? "invalid model" : e.getMessage();
      throw new InvalidRequestException(msg, paramOf(msg));
    }
  }

  /** The request field a model-file message is about: its leading field name, else a guess. */
  private static String paramOf(String msg) {
    Matcher m = LEADING_FIELD.matcher(msg);
    String lead = m.find() ? m.group(1) : "";
    if (lead.startsWith("litellm_params.") || lead.startsWith("model_info.")) {
      return lead;
    }
    if (INFO.contains(lead)) {
      return "model_info." + lead;
    }
    if (PARAMS.contains(lead)) {
      return "litellm_params." + lead;
    }
    return msg.contains("price") || msg.contains("token") ? "model_info" : "litellm_params.model";
  }

  private JsonNode delete(AdminCall call) throws Exception {
    Body b = call.body(Set.of("id"));
    String id = b.requiredText("id");
    api.admin().deleteDeployment(call.actor(), id);
    ObjectNode o = AdminJson.object();
    o.put("id", id);
    o.put("deleted", true);
    o.put("message", "Model: " + id + " deleted successfully");
    return o;
  }

  private JsonNode info(AdminCall call) {
    AdminCall.Query q = call.query(Set.of("litellm_model_id"));
    Optional<String> id = q.text("litellm_model_id");
    ObjectNode o = AdminJson.object();
    ArrayNode data = o.putArray("data");
    boolean admin = call.actor().isProxyAdmin();
    for (Deployment d : all(call.actor())) {
      if (id.isEmpty() || id.get().equals(d.id())) {
        ObjectNode entry = Views.deployment(d);
        if (!admin && d.providerModelId().startsWith("arn:")) {
          // An ARN names the AWS account (and the profile); a key that may only call the model
          // needs neither (issue 15, finding 13). Errors already strip them (BedrockErrors).
          ((ObjectNode) entry.get("litellm_params")).put("model", d.provider() + "/" + HIDDEN_ARN);
        }
        data.add(entry);
      }
    }
    return o;
  }

  private List<Deployment> all(Principal actor) {
    return api.admin().models(actor).stream()
        .map(LogicalModel::deployments)
        .flatMap(List::stream)
        .toList();
  }

  private Optional<Deployment> find(Principal actor, String id) {
    return all(actor).stream().filter(d -> d.id().equals(id)).findFirst();
  }

  private static ObjectNode view(Deployment d) {
    ObjectNode o = AdminJson.object();
    o.put("model_id", d.id());
    o.setAll(Views.deployment(d));
    return o;
  }
}
