package io.llmgateway.server.ui;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.llmgateway.core.catalog.Deployment;
import io.llmgateway.core.catalog.LogicalModel;
import io.llmgateway.core.error.ConflictException;
import io.llmgateway.core.error.GatewayException;
import io.llmgateway.core.error.NotFoundException;
import io.llmgateway.core.session.UiSession;
import java.util.Locale;
import java.util.Optional;

/**
 * One deployment of a model: its settings in an edit form (deployments added through the UI or the
 * API), or read-only with where to change it (deployments from the models file, which the admin
 * service refuses to change and which would come back at the next start if deleted); add, save and
 * delete. Every change is {@link ModelForm#toDeployment} (the API's parsing) and then {@code
 * AdminService.upsertDeployment}/{@code deleteDeployment}, as for {@code /model/*}. A refused form
 * is shown again with the message and what was typed. Thread-safe.
 */
final class ModelPage extends UiPage {
  ModelPage(Ui ui) {
    super(ui);
  }

  @Override
  void render(Context ctx, UiSession session, String notice, String error, int status) {
    String id = id(ctx);
    Optional<Deployment> d = find(session, id);
    if (d.isEmpty()) {
      ui.templates.html(
          ctx,
          404,
          "model",
          ModelView.missing(id),
          Layout.of("models", "Model not found", session, notice, error));
      return;
    }
    boolean typed = ctx.method() == HandlerType.POST;
    ModelForm form = typed ? ModelForm.typed(ctx, id) : ModelForm.of(d.get());
    ui.templates.html(
        ctx,
        status,
        "model",
        new ModelView(
            true,
            id,
            d.get().modelName(),
            d.get().source().name().toLowerCase(Locale.ROOT),
            d.get().source() == Deployment.Source.CONFIG,
            form),
        Layout.of("models", "Model " + d.get().modelName(), session, notice, error));
  }

  /** Saves the edit form over an API deployment (the admin service refuses a config one). */
  void save(Context ctx, UiSession session) {
    String id = id(ctx);
    perform(
        ctx,
        session,
        () -> {
          if (find(session, id).isEmpty()) {
            throw new NotFoundException("model id '" + id + "' does not exist");
          }
          ui.admin.upsertDeployment(ui.actor(session), ModelForm.typed(ctx, id).toDeployment());
        },
        "/ui/model?id=" + Fmt.q(id),
        "model-saved");
  }

  /**
   * Adds a deployment from the models page's form. Without an id it gets the model name when that
   * id is free (readable links), else a random one; an id that exists is refused as by {@code
   * /model/new}.
   */
  void create(Context ctx, UiSession session, ModelsPage page) {
    String typedId = Forms.text(ctx, "id").orElse("");
    String name = Forms.text(ctx, "model_name").orElse("");
    String id =
        !typedId.isEmpty() || name.isEmpty() || find(session, name).isPresent() ? typedId : name;
    Deployment created;
    try {
      if (!typedId.isEmpty() && find(session, typedId).isPresent()) {
        throw new ConflictException("model id '" + typedId + "' already exists; edit it instead");
      }
      created =
          ui.admin.upsertDeployment(ui.actor(session), ModelForm.typed(ctx, id).toDeployment());
    } catch (GatewayException | IllegalArgumentException e) {
      page.render(ctx, session, null, e.getMessage(), status(e));
      return;
    }
    ctx.redirect(
        "/ui/model?id=" + Fmt.q(created.id()) + "&notice=model-created",
        io.javalin.http.HttpStatus.SEE_OTHER);
  }

  void delete(Context ctx, UiSession session) {
    perform(
        ctx,
        session,
        () -> ui.admin.deleteDeployment(ui.actor(session), id(ctx)),
        "/ui/models",
        "model-deleted");
  }

  private Optional<Deployment> find(UiSession session, String id) {
    return ui.admin.models(ui.actor(session)).stream()
        .map(LogicalModel::deployments)
        .flatMap(java.util.List::stream)
        .filter(d -> d.id().equals(id))
        .findFirst();
  }
}
