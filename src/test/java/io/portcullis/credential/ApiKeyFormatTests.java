package io.portcullis.credential;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ApiKeyFormatTests {

  static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

  @Test
  void aNewKeyIsPrefixThirtyRandomCharactersAndItsChecksum() {
    Set<String> keys = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String key = ApiKeyFormat.newKey();
      assertThat(key).matches("pcx_[0-9A-Za-z]{30}[0-9A-Za-z]{6}");
      assertThat(ApiKeyFormat.wellFormed(key)).isTrue();
      assertThat(key.substring(34)).isEqualTo(ApiKeyFormat.checksum(key.substring(0, 34)));
      keys.add(key);
    }
    assertThat(keys).hasSize(1000);
  }

  @Test
  void everyOneCharacterChangeIsRefusedByTheChecksum() {
    String key = ApiKeyFormat.newKey();
    for (int i = 4; i < key.length(); i++) {
      for (char c : BASE62.toCharArray()) {
        if (c != key.charAt(i)) {
          String changed = key.substring(0, i) + c + key.substring(i + 1);
          assertThat(ApiKeyFormat.wellFormed(changed)).as(changed).isFalse();
        }
      }
    }
  }

  @Test
  void theChecksumIsTheCrc32InSixBase62Digits() {
    // CRC32("") = 0 and CRC32("a") = 0xE8B7BE43 = 3904355907, in base62 4GEHKN (python:
    // zlib.crc32(b"a"))
    assertThat(ApiKeyFormat.checksum("")).isEqualTo("000000");
    assertThat(ApiKeyFormat.checksum("a")).isEqualTo("4GEHKN");
  }

  @Test
  void anythingElseIsNotAKey() {
    String key = ApiKeyFormat.newKey();
    for (String text :
        new String[] {
          null,
          "",
          "pcx_",
          key.substring(1),
          key + "0",
          "ghp_" + key.substring(4),
          key.replace('_', '-')
        }) {
      assertThat(ApiKeyFormat.wellFormed(text)).as(text).isFalse();
    }
  }
}
