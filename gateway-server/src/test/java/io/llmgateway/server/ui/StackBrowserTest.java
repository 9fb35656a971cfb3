package io.llmgateway.server.ui;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A {@link BrowserTest} against one {@link UiStack} for the test class: started after the browser
 * and before the subclass's {@code @BeforeAll} (which may seed it), closed after the subclass's
 * {@code @AfterAll} and before the browser quits.
 */
abstract class StackBrowserTest extends BrowserTest {
  protected UiStack stack;

  /** The stack the class runs against: by default {@link UiStack#start()}. */
  protected UiStack newStack() {
    return UiStack.start();
  }

  @BeforeAll
  final void startStack() {
    stack = newStack();
  }

  @AfterAll
  final void closeStack() {
    if (stack != null) {
      stack.close();
    }
  }

  @Override
  protected final String baseUrl() {
    return stack.baseUrl();
  }
}
