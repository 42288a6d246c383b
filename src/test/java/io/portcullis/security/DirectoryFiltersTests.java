package io.portcullis.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * A value of an engine query enters the directory's filter only as itself: LDAP's special
 * characters escaped, and in a Like criterion only the engine's {@code %} a wildcard.
 */
class DirectoryFiltersTests {

  @Test
  void is_escapesEverySpecialCharacter() {
    assertThat(DirectoryFilters.is("uid", "alice").encode()).isEqualTo("(uid=alice)");
    assertThat(DirectoryFilters.is("uid", "*").encode()).isEqualTo("(uid=\\2a)");
    assertThat(DirectoryFilters.is("uid", "alice)(uid=*").encode())
        .isEqualTo("(uid=alice\\29\\28uid=\\2a)");
    assertThat(DirectoryFilters.is("uid", "\\2a").encode()).isEqualTo("(uid=\\5c2a)");
    assertThat(DirectoryFilters.is("uid", "a\0b").encode()).isEqualTo("(uid=a\\00b)");
  }

  @Test
  void isOneOf_isAnOrOfEscapedValues() {
    assertThat(DirectoryFilters.isOneOf("uid", "alice", "*", "alice").encode())
        .isEqualTo("(|(uid=alice)(uid=\\2a))");
  }

  @Test
  void like_takesOnlyTheEnginesWildcard() {
    assertThat(DirectoryFilters.like("givenName", "%li%").encode()).isEqualTo("(givenName=*li*)");
    assertThat(DirectoryFilters.like("givenName", "Ali%").encode()).isEqualTo("(givenName=Ali*)");
    assertThat(DirectoryFilters.like("givenName", "%").encode()).isEqualTo("(givenName=*)");
    assertThat(DirectoryFilters.like("givenName", "a%%b").encode()).isEqualTo("(givenName=a*b)");
    assertThat(DirectoryFilters.like("givenName", "*").encode()).isEqualTo("(givenName=\\2a)");
    assertThat(DirectoryFilters.like("givenName", "a*%)(x=%").encode())
        .isEqualTo("(givenName=a\\2a*\\29\\28x=*)");
  }

  @Test
  void allOf_joinsTheConditions() {
    assertThat(
            DirectoryFilters.allOf(
                    DirectoryFilters.is("objectClass", "inetOrgPerson"),
                    DirectoryFilters.like("mail", "%@example.com"))
                .encode())
        .isEqualTo("(&(objectClass=inetOrgPerson)(mail=*@example.com))");
    assertThat(DirectoryFilters.allOf(DirectoryFilters.is("objectClass", "person")).encode())
        .isEqualTo("(objectClass=person)");
  }
}
