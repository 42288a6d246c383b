package io.portcullis.scim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

/**
 * userName eq "x" in the spellings RFC 7644 allows; any other filter is invalidFilter, never a
 * wrong answer.
 */
class UserNameFilterTests {

  @Test
  void userNameEq_inAnyCaseAndWithItsSchema_thenTheName() {
    assertThat(UserNameFilter.userName("userName eq \"erin\"")).isEqualTo("erin");
    assertThat(UserNameFilter.userName("USERNAME EQ \"Erin\"")).isEqualTo("Erin");
    assertThat(UserNameFilter.userName("  username   eq\t\"erin@portcullis.demo\" "))
        .isEqualTo("erin@portcullis.demo");
    assertThat(
            UserNameFilter.userName(
                "urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"erin\""))
        .isEqualTo("erin");
    assertThat(UserNameFilter.userName("userName eq \"a\\\"b\\\\c\"")).isEqualTo("a\"b\\c");
    assertThat(UserNameFilter.userName("userName eq \"e\\u0072in\"")).isEqualTo("erin");
  }

  @Test
  void anyOtherFilter_thenInvalidFilter() {
    for (String filter :
        new String[] {
          "",
          "userName",
          "userName eq erin",
          "userName eq \"erin",
          "userName ne \"erin\"",
          "userName co \"eri\"",
          "userName sw \"e\"",
          "userName pr",
          "externalId eq \"erin\"",
          "emails[type eq \"work\"].value eq \"erin@portcullis.demo\"",
          "userName eq \"erin\" and active eq true",
          "userName eq \"erin\" or userName eq \"bob\"",
          "(userName eq \"erin\")",
          "not (userName eq \"erin\")",
          "userName eq \"erin\"\"",
          "userName eq \"\\x\"",
          "userName eq true",
          "displayName eq \"Erin\""
        }) {
      ScimException refused =
          catchThrowableOfType(ScimException.class, () -> UserNameFilter.userName(filter));
      assertThat(refused).as(filter).isNotNull();
      assertThat(refused.error().scimType()).as(filter).isEqualTo(ScimException.INVALID_FILTER);
    }
  }
}
