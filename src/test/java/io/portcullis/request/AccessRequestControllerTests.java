package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.portcullis.kernel.Caller;
import io.portcullis.kernel.RefusedException;
import io.portcullis.support.ApiSlice;
import io.portcullis.support.ApiSliceTest;
import io.portcullis.support.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.camunda.bpm.engine.ProcessEngineException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * What the access requests' controller refuses before anything reaches the service (issue 24,
 * finding 12: one meaning per body): a body that is not JSON, a field that is no field of its body
 * or is given twice, a value of another type than the field's (a number, a boolean or an object for
 * text, a number for a duration, a time without its offset), a missing field, a JSON null body, a
 * second body, a bad path or query parameter. Each is a 400 problem that names the field, and the
 * service is never called. The same refusals at the product's door, through its security chain and
 * its own ObjectMapper: {@code e2e/ApiErrorsTest}.
 */
@ApiSliceTest
class AccessRequestControllerTests {

  static final String NO_SUCH_ID = "00000000-0000-0000-0000-000000000000";
  static final String ASK =
      "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"justification\":\"rotate the staging keys\"";
  static final Caller ALICE = ApiSlice.caller("alice", Set.of(), "developers");
  static final Caller BOB = ApiSlice.caller("bob", Set.of(), "developers", "team-leads");

  @Autowired MockMvc mvc;
  @Autowired AccessRequestService service;

  /** One call: how to make it, as whom, and the field its refusal must name (null: none). */
  record Case(
      String name,
      Caller caller,
      MockHttpServletRequestBuilder request,
      int status,
      String field) {}

  /**
   * An ask for staging-db-admin with this JSON text after its three fields ({@code ""}: nothing
   * more).
   */
  static MockHttpServletRequestBuilder ask(String more) {
    return ApiSlice.json("POST", "/api/access-requests", ASK + more + "}");
  }

  /** An ask for two hours with this JSON text naming what it asks for. */
  static MockHttpServletRequestBuilder several(String naming) {
    return ApiSlice.json(
        "POST",
        "/api/access-requests",
        "{" + naming + ",\"duration\":\"PT1H\",\"justification\":\"incident 42\"}");
  }

  static List<Case> refusals() {
    String requests = "/api/access-requests";
    String one = requests + "/" + NO_SUCH_ID;
    return List.of(
        new Case(
            "not JSON",
            ALICE,
            MockMvcRequestBuilders.post(requests).contentType("text/plain").content("{}"),
            415,
            null),
        new Case(
            "malformed JSON", ALICE, ApiSlice.json("POST", requests, "{\"resource\": "), 400, null),
        new Case("empty body", ALICE, ApiSlice.json("POST", requests, ""), 400, null),
        new Case(
            "duration as a number",
            ALICE,
            ApiSlice.json(
                "POST",
                requests,
                "{\"resource\":\"staging-db-admin\",\"duration\":3600,\"justification\":\"x\"}"),
            400,
            "duration"),
        new Case(
            "duration as a fraction",
            ALICE,
            ApiSlice.json(
                "POST",
                requests,
                "{\"resource\":\"staging-db-admin\",\"duration\":3600.5,\"justification\":\"x\"}"),
            400,
            "duration"),
        new Case(
            "duration as an object",
            ALICE,
            ApiSlice.json(
                "POST",
                requests,
                "{\"resource\":\"staging-db-admin\",\"duration\":{\"seconds\":3600},\"justification\":\"x\"}"),
            400,
            "duration"),
        new Case(
            "duration not ISO-8601",
            ALICE,
            ApiSlice.json(
                "POST",
                requests,
                "{\"resource\":\"staging-db-admin\",\"duration\":\"an hour\",\"justification\":\"x\"}"),
            400,
            "duration"),
        new Case(
            "missing field",
            ALICE,
            ApiSlice.json(
                "POST", requests, "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\"}"),
            400,
            "justification"),
        new Case("instant not ISO-8601", ALICE, ask(",\"startAt\":\"tomorrow\""), 400, "startAt"),
        new Case(
            "instant without its offset",
            ALICE,
            ask(",\"startAt\":\"2026-12-06T23:00:00\""),
            400,
            "startAt"),
        new Case(
            "a start in the past",
            ALICE,
            ask(",\"startAt\":\"2020-01-01T00:00:00Z\""),
            400,
            "startAt"),
        new Case(
            "a start more than max-start-offset ahead",
            ALICE,
            ask(",\"startAt\":\"2099-01-01T00:00:00Z\""),
            400,
            "startAt"),
        new Case(
            "a key given twice", ALICE, ask(",\"resource\":\"prod-db-readonly\""), 400, "resource"),
        new Case("no resource in a list", ALICE, several("\"resources\":[]"), 400, "resources"),
        new Case(
            "eleven resources",
            ALICE,
            several(
                "\"resources\":["
                    + IntStream.rangeClosed(1, 11)
                        .mapToObj(i -> "\"res-" + i + "\"")
                        .collect(Collectors.joining(","))
                    + "]"),
            400,
            "resources"),
        new Case(
            "a resource twice",
            ALICE,
            several("\"resources\":[\"staging-db-admin\",\"staging-db-admin\"]"),
            400,
            "resources"),
        new Case(
            "not a resource id in a list",
            ALICE,
            several("\"resources\":[\"staging-db-admin\",\"Prod DB\"]"),
            400,
            "resources[1]"),
        new Case("an unknown bundle", ALICE, several("\"bundle\":\"on-call\""), 400, "bundle"),
        new Case(
            "a resource and a bundle",
            ALICE,
            ask(",\"bundle\":\"incident-responder\""),
            400,
            "resource"),
        new Case(
            "a key given twice in a decision",
            BOB,
            ApiSlice.json("POST", one + "/approve", "{\"comment\":\"ok\",\"comment\":\"fine\"}"),
            400,
            "comment"),
        new Case(
            "unknown field in a decision",
            BOB,
            ApiSlice.json("POST", one + "/approve", "{\"comment\":\"ok\",\"stage\":2}"),
            400,
            "stage"),
        new Case(
            "a number for text",
            ALICE,
            ApiSlice.json(
                "POST",
                requests,
                "{\"resource\":\"staging-db-admin\",\"duration\":\"PT1H\",\"justification\":42}"),
            400,
            "justification"),
        new Case("a boolean for text", ALICE, ask(",\"ticket\":true"), 400, "ticket"),
        new Case(
            "a number for a resource",
            ALICE,
            ApiSlice.json(
                "POST", requests, "{\"resource\":7,\"duration\":\"PT1H\",\"justification\":\"x\"}"),
            400,
            "resource"),
        new Case(
            "an object for text",
            ALICE,
            ApiSlice.json("POST", one + "/revoke", "{\"reason\":{\"text\":\"x\"}}"),
            400,
            "reason"),
        new Case("a JSON null body", ALICE, ApiSlice.json("POST", requests, "null"), 400, "body"),
        new Case(
            "a JSON null body where a body may be left out",
            BOB,
            ApiSlice.json("POST", one + "/approve", "null"),
            400,
            "body"),
        new Case(
            "a second body after the first",
            ALICE,
            ApiSlice.json("POST", requests, ASK + "} {}"),
            400,
            null),
        new Case(
            "unknown field in a cancel",
            ALICE,
            ApiSlice.json("POST", one + "/cancel", "{\"reason\":\"x\"}"),
            400,
            "reason"),
        new Case(
            "bad path parameter",
            ALICE,
            MockMvcRequestBuilders.get(requests + "/not!an-id"),
            400,
            "id"),
        new Case(
            "bad query parameter",
            ALICE,
            MockMvcRequestBuilders.get(requests + "?size=100000"),
            400,
            "size"),
        new Case("breakGlass as text", ALICE, ask(",\"breakGlass\":\"yes\""), 400, "breakGlass"),
        new Case("breakGlass as a number", ALICE, ask(",\"breakGlass\":1"), 400, "breakGlass"),
        new Case(
            "a review without its verdict",
            BOB,
            ApiSlice.json("POST", one + "/review", "{\"comment\":\"ok\"}"),
            400,
            "review"),
        new Case(
            "a review with a comment too long",
            BOB,
            ApiSlice.json(
                "POST",
                one + "/review",
                "{\"review\":\"keep\",\"comment\":\"" + "x".repeat(1001) + "\"}"),
            400,
            "comment"),
        new Case(
            "unknown field in a review",
            BOB,
            ApiSlice.json("POST", one + "/review", "{\"review\":\"keep\",\"outcome\":\"x\"}"),
            400,
            "outcome"),
        new Case(
            "bad enum parameter",
            ALICE,
            MockMvcRequestBuilders.get(requests + "?status=MAYBE"),
            400,
            "status"));
  }

  @Test
  void everyRefusalIsAProblemThatNamesTheFieldAndReachesNoService() {
    ApiSlice slice = new ApiSlice(mvc);
    List<String> wrong = new ArrayList<>();
    for (Case c : refusals()) {
      wrong.addAll(
          Problems.check(c.name(), slice.send(c.caller(), c.request()), c.status(), c.field()));
    }
    assertThat(wrong).isEmpty();
    verifyNoInteractions(service);
  }

  @Test
  void aBodyThatNamesAFieldTwiceSaysSoInWords() {
    var answer = new ApiSlice(mvc).send(ALICE, ask(",\"resource\":\"prod-db-readonly\""));
    assertThat(answer.json().get("detail").asText())
        .isEqualTo("resource: is given twice; a body names each field once");
    verifyNoInteractions(service);
  }

  @Test
  void anUnknownFieldIsRefusedNamingTheFieldsTheBodyHas() {
    var answer = new ApiSlice(mvc).send(ALICE, ask(",\"requester\":\"bob\""));
    assertThat(Problems.check("unknown field", answer, 400, "requester")).isEmpty();
    assertThat(answer.json().get("detail").asText())
        .isEqualTo(
            "requester: is not a field of this body; its fields are breakGlass, bundle, duration, justification, resource, resources, startAt, ticket");
    verifyNoInteractions(service);
  }

  /**
   * A crowd on one lock (people whose queues share a lock row, BurstTest) can outwait the
   * database's lock timeout: the call was rolled back whole, so the caller is told to send it again
   * (503 with Retry-After), not that the product failed (500).
   */
  @Test
  void aCallThatOutwaitedTheDatabasesLockTimeIsToldToSendItAgain() {
    when(service.create(any(), any(), any(), any(), any(), any(), any(), any(), anyBoolean()))
        .thenThrow(
            new ProcessEngineException(
                "the start of the request failed",
                new QueryTimeoutException("Timeout trying to lock table \"REQUEST_QUEUE_LOCK\"")));
    var answer = new ApiSlice(mvc).send(ALICE, ask(""));
    assertThat(Problems.check("lock timeout", answer, 503, null)).isEmpty();
    assertThat(answer.retryAfter()).isEqualTo("1");
    assertThat(answer.json().get("detail").asText()).contains("nothing of this call was done");
  }

  /**
   * Break-glass that no rule of the policy allows: 403 naming the rule, whatever the engine wrapped
   * around it (the process's start listener refuses it).
   */
  @Test
  void breakGlassThatNoRuleAllowsIsA403NamingTheRule() {
    when(service.create(any(), any(), any(), any(), any(), any(), any(), any(), eq(true)))
        .thenThrow(
            new ProcessEngineException(
                "start failed",
                new BreakGlass.BreakGlassRefusedException(
                    "break-glass refused: the approval policy approvalPolicy:1 has no break-glass rule for bob on prod-db-readonly")));
    var answer = new ApiSlice(mvc).send(BOB, ask(",\"ticket\":\"INC-1\",\"breakGlass\":true"));
    assertThat(Problems.check("break-glass refused", answer, 403, null)).isEmpty();
    assertThat(answer.json().get("detail").asText())
        .contains("no break-glass rule for bob on prod-db-readonly");
  }

  @Test
  void aReviewByTheRequesterIsA403() {
    when(service.review(any(), any(), any(), any()))
        .thenThrow(new RefusedException("the requester cannot review their own break-glass"));
    var answer =
        new ApiSlice(mvc)
            .send(
                ALICE,
                ApiSlice.json(
                    "POST",
                    "/api/access-requests/" + NO_SUCH_ID + "/review",
                    "{\"review\":\"keep\"}"));
    assertThat(Problems.check("own review", answer, 403, null)).isEmpty();
    assertThat(answer.json().get("detail").asText())
        .isEqualTo("the requester cannot review their own break-glass");
  }
}
