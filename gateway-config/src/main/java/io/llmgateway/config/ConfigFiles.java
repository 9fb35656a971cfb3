package io.llmgateway.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.money.Money;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code config/tiers.yaml} and {@code config/models.yaml}. Every error names the file and
 * the entry, and says what to fix. Numbers are read as exact decimals. Stateless and thread-safe.
 */
public final class ConfigFiles {
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory())
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_BIG_INTEGER_FOR_INTS);

  private ConfigFiles() {}

  /** The tiers of a tiers file, in file order. */
  public static List<Tier> tiers(Path file) {
    Map<String, Object> root = read(file);
    Object tiers = root.get("tiers");
    if (!(tiers instanceof Map<?, ?> map) || map.isEmpty()) {
      throw new ConfigException(
          file + ": expected a top-level 'tiers:' map with at least one tier");
    }
    List<Tier> result = new ArrayList<>();
    for (Map.Entry<?, ?> e : map.entrySet()) {
      String name = String.valueOf(e.getKey());
      try {
        Map<String, Object> t = asMap(e.getValue(), "tier");
        result.add(
            new Tier(
                name,
                String.valueOf(t.getOrDefault("name", name)),
                money(t, "budget_daily"),
                money(t, "budget_monthly"),
                strings(t.get("allowed_models"))));
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(file + ": tier '" + name + "': " + ex.getMessage(), ex);
      }
    }
    return List.copyOf(result);
  }

  /**
   * Each tier's {@code alert_thresholds} (fractions of its budgets, as written: {@code [0.5, 0.8,
   * 1.0]}), for the tiers that set it; an empty list turns alerts off for the tier. Validated by
   * the server (docs/ALERTS.md). s8-alerts
   */
  public static Map<String, List<String>> tierAlertThresholds(Path file) {
    Map<String, List<String>> result = new java.util.LinkedHashMap<>();
    Object tiers = read(file).get("tiers");
    if (tiers instanceof Map<?, ?> map) {
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (e.getValue() instanceof Map<?, ?> t && t.containsKey("alert_thresholds")) {
          if (!(t.get("alert_thresholds") instanceof List<?> list)) {
            throw new ConfigException(
                file
                    + ": tier '"
                    + e.getKey()
                    + "': alert_thresholds must be a list such as"
                    + " [0.5, 0.8, 1.0]");
          }
          result.put(String.valueOf(e.getKey()), list.stream().map(String::valueOf).toList());
        }
      }
    }
    return result;
  }

  /** The deployments of a models file, in file order. Deployment ids must be unique. */
  public static List<Deployment> models(Path file) {
    Map<String, Object> root = read(file);
    Object list = root.get("model_list");
    if (!(list instanceof List<?> entries) || entries.isEmpty()) {
      throw new ConfigException(
          file + ": expected a top-level 'model_list:' with at least one model");
    }
    List<Deployment> result = new ArrayList<>();
    Set<String> ids = new LinkedHashSet<>();
    int index = 0;
    for (Object entry : entries) {
      index++;
      try {
        Map<String, Object> m = asMap(entry, "model_list entry");
        Object name = m.get("model_name");
        if (!(name instanceof String modelName) || modelName.isBlank()) {
          throw new IllegalArgumentException("model_name is required");
        }
        Deployment d =
            LiteLlmModel.toDeployment(
                modelName,
                asMap(m.get("litellm_params"), "litellm_params"),
                m.get("model_info") == null ? Map.of() : asMap(m.get("model_info"), "model_info"),
                modelName,
                Deployment.Source.CONFIG);
        if (!ids.add(d.id())) {
          throw new IllegalArgumentException("duplicate deployment id '" + d.id() + "'");
        }
        result.add(d);
      } catch (IllegalArgumentException ex) {
        throw new ConfigException(file + ": model #" + index + ": " + ex.getMessage(), ex);
      }
    }
    return List.copyOf(result);
  }

  private static Map<String, Object> read(Path file) {
    try {
      Map<String, Object> root = YAML.readValue(Files.readString(file), new TypeReference<>() {});
      if (root == null) {
        throw new ConfigException(file + ": the file is empty");
      }
      return root;
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          file + ": file not found (set GATEWAY_TIERS_FILE / GATEWAY_MODELS_FILE to its path)", e);
    } catch (IOException e) {
      throw new ConfigException(file + ": not valid YAML: " + firstLine(e.getMessage()), e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object value, String what) {
    if (!(value instanceof Map<?, ?>)) {
      throw new IllegalArgumentException(what + " must be a map");
    }
    return (Map<String, Object>) value;
  }

  private static Money money(Map<String, Object> map, String key) {
    Object v = map.get(key);
    if (v == null) {
      throw new IllegalArgumentException(key + " is required");
    }
    try {
      // Money bounds the text and the number's shape before converting it (issue 15, finding 9).
      return Money.ofUsd(v.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " must be a dollar amount: " + e.getMessage());
    }
  }

  private static List<String> strings(Object value) {
    if (!(value instanceof List<?> list)) {
      throw new IllegalArgumentException("allowed_models must be a list of model names");
    }
    return list.stream().map(String::valueOf).toList();
  }

  private static String firstLine(String s) {
    return s == null ? "" : s.lines().findFirst().orElse("");
  }
}
