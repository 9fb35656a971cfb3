package io.llmgateway.postgres;

import io.llmgateway.core.catalog.CatalogStore;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.catalog.Pricing;
import io.llmgateway.core.money.Price;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Logical models and their deployments in PostgreSQL. A logical model row exists while it has a
 * deployment; deployments keep their insertion order (failover order). Thread-safe.
 */
final class PostgresCatalogStore implements CatalogStore {
  private static final String SELECT = "SELECT * FROM deployments ";

  private final Db db;

  PostgresCatalogStore(Db db) {
    this.db = db;
  }

  @Override
  public List<LogicalModel> models() {
    List<Deployment> all =
        db.with(
            h ->
                h.createQuery(SELECT + "ORDER BY model_name, ordinal")
                    .map(PostgresCatalogStore::map)
                    .list());
    Map<String, List<Deployment>> byModel = new LinkedHashMap<>();
    for (Deployment d : all) {
      byModel.computeIfAbsent(d.modelName(), k -> new ArrayList<>()).add(d);
    }
    List<LogicalModel> models = new ArrayList<>();
    byModel.forEach((name, ds) -> models.add(new LogicalModel(name, ds)));
    return models;
  }

  @Override
  public Optional<LogicalModel> model(String name) {
    List<Deployment> ds =
        db.with(
            h ->
                h.createQuery(SELECT + "WHERE model_name = :name ORDER BY ordinal")
                    .bind("name", name)
                    .map(PostgresCatalogStore::map)
                    .list());
    return ds.isEmpty() ? Optional.empty() : Optional.of(new LogicalModel(name, ds));
  }

  @Override
  public Optional<Deployment> deployment(String deploymentId) {
    return db.with(
        h ->
            h.createQuery(SELECT + "WHERE id = :id")
                .bind("id", deploymentId)
                .map(PostgresCatalogStore::map)
                .findOne());
  }

  @Override
  public void upsert(Deployment d) {
    db.tx(
        h -> {
          h.createUpdate(
                  "INSERT INTO logical_models (name) VALUES (:name) ON CONFLICT (name) DO NOTHING")
              .bind("name", d.modelName())
              .execute();
          // Read the old model before moving the deployment, to drop it if it becomes empty.
          Optional<String> oldModel =
              h.createQuery("SELECT model_name FROM deployments WHERE id = :id FOR UPDATE")
                  .bind("id", d.id())
                  .mapTo(String.class)
                  .findOne();
          Pricing p = d.pricing();
          h.createUpdate(
                  "INSERT INTO deployments (id, model_name, provider, provider_model_id, region,"
                      + " endpoint, input_price_nanos, output_price_nanos, cache_read_price_nanos,"
                      + " cache_write_price_nanos, context_window, max_output_tokens, source)"
                      + " VALUES (:id, :model, :provider, :pmid, :region, :endpoint, :in, :out,"
                      + " :cr, :cw, :ctx, :maxout, :source) ON CONFLICT (id) DO UPDATE SET"
                      + " model_name = EXCLUDED.model_name, provider = EXCLUDED.provider,"
                      + " provider_model_id = EXCLUDED.provider_model_id, region ="
                      + " EXCLUDED.region, endpoint = EXCLUDED.endpoint, input_price_nanos ="
                      + " EXCLUDED.input_price_nanos, output_price_nanos ="
                      + " EXCLUDED.output_price_nanos, cache_read_price_nanos ="
                      + " EXCLUDED.cache_read_price_nanos, cache_write_price_nanos ="
                      + " EXCLUDED.cache_write_price_nanos, context_window ="
                      + " EXCLUDED.context_window, max_output_tokens = EXCLUDED.max_output_tokens,"
                      + " source = EXCLUDED.source")
              .bind("id", d.id())
              .bind("model", d.modelName())
              .bind("provider", d.provider())
              .bind("pmid", d.providerModelId())
              .bind("region", d.region().orElse(null))
              .bind("endpoint", d.endpoint().map(URI::toString).orElse(null))
              .bind("in", p.input().nanosPerMillionTokens())
              .bind("out", p.output().nanosPerMillionTokens())
              .bind("cr", p.cacheRead().nanosPerMillionTokens())
              .bind("cw", p.cacheWrite().nanosPerMillionTokens())
              .bind("ctx", d.contextWindow())
              .bind("maxout", d.maxOutputTokens())
              .bind("source", d.source().name())
              .execute();
          oldModel.filter(m -> !m.equals(d.modelName())).ifPresent(m -> dropModelIfEmpty(h, m));
          return null;
        });
  }

  @Override
  public boolean delete(String deploymentId) {
    return db.tx(
        h -> {
          Optional<String> model =
              h.createQuery("DELETE FROM deployments WHERE id = :id RETURNING model_name")
                  .bind("id", deploymentId)
                  .mapTo(String.class)
                  .findOne();
          model.ifPresent(m -> dropModelIfEmpty(h, m));
          return model.isPresent();
        });
  }

  private static void dropModelIfEmpty(org.jdbi.v3.core.Handle h, String model) {
    h.createUpdate(
            "DELETE FROM logical_models WHERE name = :name"
                + " AND NOT EXISTS (SELECT 1 FROM deployments WHERE model_name = :name)")
        .bind("name", model)
        .execute();
  }

  static Deployment map(ResultSet rs, StatementContext ctx) throws SQLException {
    return new Deployment(
        rs.getString("id"),
        rs.getString("model_name"),
        rs.getString("provider"),
        rs.getString("provider_model_id"),
        Rows.optionalString(rs, "region"),
        Rows.optionalString(rs, "endpoint").map(URI::create),
        new Pricing(
            new Price(rs.getLong("input_price_nanos")),
            new Price(rs.getLong("output_price_nanos")),
            new Price(rs.getLong("cache_read_price_nanos")),
            new Price(rs.getLong("cache_write_price_nanos"))),
        rs.getInt("context_window"),
        rs.getInt("max_output_tokens"),
        Deployment.Source.valueOf(rs.getString("source")));
  }
}
