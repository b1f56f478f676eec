package org.ktl4j.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The configuration's builder: defaults, copies, and settings refused when built rather than at start-up. */
class DispatcherConfigTest {

  @Test
  void theBuilderStartsFromTheDefaultsAndToBuilderFromTheConfiguration() {
    assertThat(DispatcherConfig.builder().build()).isEqualTo(DispatcherConfig.defaults())
        .hasSameHashCodeAs(DispatcherConfig.defaults());
    DispatcherConfig c = DispatcherConfig.builder().workers(3).historyLength(7).build();
    DispatcherConfig d = c.toBuilder().heartbeatPeriod(Duration.ofSeconds(5)).build();
    assertThat(d.workers()).isEqualTo(3);
    assertThat(d.historyLength()).isEqualTo(7);
    assertThat(d.heartbeatPeriod()).isEqualTo(Duration.ofSeconds(5));
    assertThat(d).isNotEqualTo(c);
    assertThat(d.toString()).contains("workers=3", "historyLength=7");
    assertThat(DispatcherConfig.defaults().historyLength()).isEqualTo(DispatcherConfig.DEFAULT_HISTORY_LENGTH);
  }

  @Test
  void settingsThatCouldNotRunAreRefusedWhenBuilt() {
    assertThatThrownBy(() -> DispatcherConfig.builder().heartbeatPeriod(Duration.ofNanos(10)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("heartbeat period");
    assertThatThrownBy(() -> DispatcherConfig.builder().shutdownWait(Duration.ofSeconds(-1)).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdown wait");
    assertThatThrownBy(() -> DispatcherConfig.builder().builtIns("DISPCLK", "dispclk").build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("two names");
    assertThatThrownBy(() -> DispatcherConfig.builder().historyLength(-1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history length");
    assertThatThrownBy(() -> DispatcherConfig.builder().historyLength(DispatcherConfig.MAX_HISTORY_LENGTH + 1).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("history length");
    assertThatThrownBy(() -> DispatcherConfig.builder().workers(0).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workers");
  }
}
