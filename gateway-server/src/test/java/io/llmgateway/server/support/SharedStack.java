package io.llmgateway.server.support;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up the model API tests share: one {@link GatewayStack} per test class (real PostgreSQL,
 * the server, the wire-format Bedrock stub), started before the class's first test and closed after
 * its last, with the stub's queue and recordings cleared before each test. Keys and clients come
 * from the stack ({@link GatewayStack#userKey}, {@link GatewayStack#client}). Test classes run one
 * at a time: the stack is one static field.
 */
public abstract class SharedStack {
  protected static GatewayStack stack;

  @BeforeAll
  static void startStack() {
    stack = GatewayStack.start();
  }

  @AfterAll
  static void closeStack() {
    stack.close();
  }

  @BeforeEach
  void resetStub() {
    stack.stub.reset();
  }
}
