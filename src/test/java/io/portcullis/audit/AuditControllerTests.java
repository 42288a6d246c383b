package io.portcullis.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.verifyNoInteractions;

import io.portcullis.kernel.Caller;
import io.portcullis.support.ApiSlice;
import io.portcullis.support.ApiSliceTest;
import io.portcullis.support.Door;
import io.portcullis.support.Problems;
import java.net.URI;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * The audit API's query parameters, each read from its text by {@link AuditParameters}: a bad one
 * is a 400 problem that names it and says what it should look like, before the trail is read or an
 * export begins. Who may call the audit API at all is checked at the door ({@code AuditApiTest}).
 */
@ApiSliceTest
class AuditControllerTests {

  static final Caller FRANK = ApiSlice.caller("frank", Set.of(Caller.Role.AUDITOR), "auditors");

  @Autowired MockMvc mvc;
  @Autowired AuditEvents events;
  @Autowired AuditExport export;
  @Autowired AuditTrail trail;

  @ParameterizedTest
  @ValueSource(
      strings = {
        "from=yesterday",
        "to=2026-13-01T00:00:00Z",
        "size=0",
        "size=501",
        "page=-1",
        "page=x",
        "subject=%0Aforged",
        "format=xml",
        "fromSeq=0",
        "toSeq=abc",
        "to=2026-03-01T00:00:00Z",
        "toSeq=4"
      })
  void badParametersAreNamed(String query) {
    String parameter = query.substring(0, query.indexOf('='));
    String path =
        parameter.endsWith("Seq") || parameter.equals("format")
            ? "/api/audit/export?"
            : "/api/audit?";
    if (query.startsWith("to=2026-03-01")) {
      query = "from=2026-03-02T00:00:00Z&" + query;
    }
    if (query.equals("toSeq=4")) {
      query = "fromSeq=5&" + query;
    }
    Door.Answer answer =
        new ApiSlice(mvc).send(FRANK, MockMvcRequestBuilders.get(URI.create(path + query)));
    assertThat(Problems.check(query, answer, 400, parameter)).isEmpty();
    verifyNoInteractions(events, export, trail);
  }
}
