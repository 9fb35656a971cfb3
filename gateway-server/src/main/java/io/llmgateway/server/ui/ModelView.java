package io.llmgateway.server.ui;

/**
 * One deployment's page: where it was defined, whether it may be edited here, and the form's values
 * (as stored, or as typed when a save was refused). Immutable.
 */
record ModelView(
    boolean found, String id, String name, String source, boolean readOnly, ModelForm form) {

  static ModelView missing(String id) {
    return new ModelView(false, id, "", "", true, ModelForm.empty());
  }

  /** The id URL-encoded, for form actions. */
  public String ref() {
    return Fmt.q(id);
  }
}
