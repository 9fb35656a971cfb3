package io.llmgateway.server.ui;

import java.util.List;

/**
 * The playground page's data: the keys the operator may use (by alias, else display prefix) and the
 * longest message it accepts. Everything else is filled in by playground.js. Immutable.
 */
record PlaygroundView(List<UsageView.Choice> keys, int maxMessage) {}
