package org.ktl4j.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How user names and passwords get into {@link RedisSettings} (URL, password file, environment) and never out. */
class RedisUrlPasswordTest {
  @TempDir
  Path dir;

  @Test
  void plusInThePasswordStaysPlus() {
    assertThat(RedisSettings.fromUri("redis://:a+b@h:1/0").password()).contains("a+b");
  }

  @Test
  void aCharacterOutsideTheBasicPlaneStaysWhole() {
    assertThat(RedisUrls.decode("p\uD83D\uDE00w%21", "password", "redis://h")).isEqualTo("p\uD83D\uDE00w!");
  }

  @Test
  void percentEscapesAreDecodedExactly() {
    RedisSettings s = RedisSettings.fromUri("redis://us%2Ber:p%2Bq%40r%3As%25t%20u%C3%A9@h:1/0");
    assertThat(s.user()).contains("us+er");
    assertThat(s.password()).contains("p+q@r:s%t ué");
  }

  @Test
  void invalidEscapeIsRefusedWithoutThePassword() {
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://alice:secret%zz@h:1/0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("%25").hasMessageContaining("alice:***@h:1/0")
        .hasMessageNotContaining("secret");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://:secret%4@h:1/0"))
        .hasMessageContaining("escape").hasMessageNotContaining("secret");
  }

  @Test
  void decodingRefusesAPercentWithoutTwoHexDigits() {
    assertThatThrownBy(() -> RedisUrls.decode("secret%4", "password", "redis://h:1/0"))
        .hasMessageContaining("two hex digits").hasMessageNotContaining("secret");
  }

  @Test
  void escapeThatIsNotUtf8IsRefusedWithoutThePassword() {
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://:secret%FF@h:1/0"))
        .hasMessageContaining("UTF-8").hasMessageNotContaining("secret");
  }

  @Test
  void malformedUrlIsRefusedWithoutThePassword() {
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://alice:top secret@h:1/0"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed").hasMessageContaining("alice:***@h:1/0")
        .hasMessageNotContaining("top").hasNoCause();
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://topsecret@h:1/zero"))
        .hasMessageContaining("database").hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://u:top@secret@h:1/0"))
        .hasMessageNotContaining("top").hasMessageNotContaining("secret@");
  }

  @Test
  void passwordFileGivesItsFirstLineWithoutTheLineEnd() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "s3 cr+t\r\nsecond line\n");
    RedisSettings s = RedisSettings.fromUri("redis://h:1/0").withPasswordFile(file);
    assertThat(s.password()).contains("s3 cr+t");
    assertThat(s.toString()).doesNotContain("s3 cr+t").contains(":***@");
  }

  @Test
  void passwordFileWithAnAclUser() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "pw\n");
    RedisSettings s = RedisSettings.fromUri("rediss://alice:@h:1/0").withPasswordFile(file);
    assertThat(s.user()).contains("alice");
    assertThat(s.password()).contains("pw");
  }

  @Test
  void missingOrEmptyPasswordFileIsOneClearError() throws IOException {
    Path missing = dir.resolve("nope");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://h:1/0").withPasswordFile(missing))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(missing.toString())
        .hasMessageContaining("no such file");
    Path empty = Files.writeString(dir.resolve("empty"), "\nsecret\n");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://h:1/0").withPasswordFile(empty))
        .hasMessageContaining("first line is empty").hasMessageNotContaining("secret");
  }

  @Test
  void passwordInBothUrlAndFileIsRefused() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "other\n");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://:urlsecret@h:1/0").withPasswordFile(file))
        .hasMessageContaining("give it once").hasMessageNotContaining("urlsecret").hasMessageNotContaining("other");
  }

  @Test
  void environmentGivesUrlPasswordFileAndTlsFiles() throws IOException {
    Path file = Files.writeString(dir.resolve("pw"), "envpw\n");
    Map<String, String> env = Map.of(RedisSettings.ENV_URL, "rediss://db.example:6380/2",
        RedisSettings.ENV_PASSWORD_FILE, file.toString(), RedisSettings.ENV_CACERT, "/etc/ca.pem",
        RedisSettings.ENV_CERT, "/etc/c.pem", RedisSettings.ENV_KEY, "/etc/k.pem");
    RedisSettings s = RedisSettings.fromEnvironment(env::get);
    assertThat(s.password()).contains("envpw");
    assertThat(s.tlsFiles().caCert()).contains(Path.of("/etc/ca.pem"));
    assertThat(s.tlsFiles().clientCert()).contains(Path.of("/etc/c.pem"));
    assertThat(s.tlsFiles().clientKey()).contains(Path.of("/etc/k.pem"));
  }

  @Test
  void tlsFilesWithAPlainUrlAreRefused() {
    Map<String, String> env = Map.of(RedisSettings.ENV_URL, "redis://h:1/0", RedisSettings.ENV_CACERT, "/etc/ca.pem");
    assertThatThrownBy(() -> RedisSettings.fromEnvironment(env::get))
        .hasMessageContaining(RedisSettings.ENV_CACERT).hasMessageContaining("rediss://");
    assertThatThrownBy(() -> RedisSettings.fromUri("redis://h:1/0").withTlsFiles(TlsFiles.NONE.withCaCert(Path.of("x"))))
        .hasMessageContaining("rediss://");
  }

  @Test
  void clientCertificateNeedsItsKey() {
    Map<String, String> env = Map.of(RedisSettings.ENV_URL, "rediss://h:1/0", RedisSettings.ENV_CERT, "/etc/c.pem");
    assertThatThrownBy(() -> RedisSettings.fromEnvironment(env::get)).hasMessageContaining(RedisSettings.ENV_KEY);
  }
}
