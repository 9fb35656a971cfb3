package io.llmgateway.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Main's choice of the JDK's socket pollers for virtual threads (see Main#directPollers). */
class MainPollersTest {
  @Test
  void choosesPlatformPollersThatUnparkTheReaderDirectly() {
    Properties system = new Properties();
    Main.directPollers(system);
    assertThat(system.getProperty("jdk.pollerMode")).isEqualTo("1");
  }

  @Test
  void keepsTheModeAnOperatorChose() {
    Properties system = new Properties();
    system.setProperty("jdk.pollerMode", "2");
    Main.directPollers(system);
    assertThat(system.getProperty("jdk.pollerMode")).isEqualTo("2");
  }
}
