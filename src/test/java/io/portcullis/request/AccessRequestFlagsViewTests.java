package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.Caller;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.request.UnusualAccess.Flag;
import io.portcullis.support.ApiSlice;
import io.portcullis.support.ApiSliceTest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * Issue 28, item 4: a request's unusual-access flags in its JSON, {@code flags}: a list of {@code
 * {flag, reason}}, the reason the flag's own fixed line; an empty list for a request with none; the
 * client address the flags were computed from is not part of the view.
 */
@ApiSliceTest
class AccessRequestFlagsViewTests {

  static final Caller ALICE = ApiSlice.caller("alice", Set.of(), "developers");
  static final RequestId ID = RequestId.of("0b9f6c1e-2d4a-4c8e-9f1a-7d2e5b3c4a10");

  @Autowired MockMvc mvc;
  @Autowired AccessRequestService service;

  @Test
  void aFlaggedRequestShowsEachFlagWithItsReason() {
    when(service.get(any(), any()))
        .thenReturn(request(List.of(Flag.FIRST_FOR_RESOURCE, Flag.NEW_ADDRESS)));
    var json =
        new ApiSlice(mvc)
            .send(ALICE, MockMvcRequestBuilders.get("/api/access-requests/" + ID))
            .json();

    assertThat(json.get("flags").toString())
        .isEqualTo(
            "[{\"flag\":\"FIRST_FOR_RESOURCE\",\"reason\":\""
                + Flag.FIRST_FOR_RESOURCE.reason()
                + "\"},{\"flag\":\"NEW_ADDRESS\",\"reason\":\""
                + Flag.NEW_ADDRESS.reason()
                + "\"}]");
    assertThat(json.toString()).doesNotContain("203.0.113.7").doesNotContain("clientAddress");
  }

  @Test
  void aRequestWithNoFlagShowsAnEmptyList() {
    when(service.get(any(), any())).thenReturn(request(List.of()));
    var json =
        new ApiSlice(mvc)
            .send(ALICE, MockMvcRequestBuilders.get("/api/access-requests/" + ID))
            .json();

    assertThat(json.get("flags").toString()).isEqualTo("[]");
  }

  private static AccessRequest request(List<Flag> flags) {
    return AccessRequest.builder()
        .id(ID)
        .processInstanceId("pi-1")
        .requester(Username.of("alice"))
        .access(
            ResourceId.of("staging-db-admin"),
            ConnectorName.of("ldap-group"),
            Target.of("cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo"))
        .duration(AccessDuration.of("PT1H"))
        .justification("rotate the staging keys")
        .status(RequestStatus.PENDING)
        .requestedAt(Instant.parse("2026-03-02T09:00:00Z"))
        .clientAddress("203.0.113.7")
        .flags(flags)
        .build();
  }
}
