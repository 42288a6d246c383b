package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint under {@code /api}, as the application maps them (so a new one is walked too),
 * with every method and every role: nobody gets in without credentials, only auditors and admins
 * reach the audit trail whatever the method, a method an endpoint does not have is a 405 (TRACE:
 * Tomcat's own 4xx), nothing answers 5xx, and every refusal is problem details.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class ApiMethodsAndRolesTest {

  static final List<String> METHODS =
      List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

  /** null: no credentials. */
  static final List<String> CALLERS =
      Arrays.asList(null, "alice", "bob", "frank", "dave", "hr-system");

  static final Set<String> AUDIT_READERS = Set.of("frank", "dave");

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings;

  @Test
  void everyEndpointWithEveryMethodAndRole() {
    Map<String, Set<String>> endpoints = new HashMap<>();
    mappings
        .getHandlerMethods()
        .keySet()
        .forEach(
            info ->
                info.getPatternValues().stream()
                    .filter(p -> p.startsWith("/api/"))
                    .forEach(
                        p ->
                            info.getMethodsCondition().getMethods().stream()
                                .map(RequestMethod::name)
                                .forEach(
                                    m ->
                                        endpoints
                                            .computeIfAbsent(p, k -> new TreeSet<>())
                                            .add(m))));
    assertThat(endpoints)
        .containsKeys(
            "/api/catalog",
            "/api/access-requests",
            "/api/access-requests/{id}/approve",
            "/api/audit/export");

    Door door = new Door(port);
    List<String> wrong = new ArrayList<>();
    endpoints.forEach(
        (pattern, mapped) -> {
          // every other path variable (an item's number, say) as a plain value
          String path =
              pattern
                  .replace("{id}", "00000000-0000-0000-0000-000000000000")
                  .replaceAll("\\{[^}]+}", "1");
          for (String method : METHODS) {
            for (String caller : CALLERS) {
              Door.Call call = door.call(method, path);
              if (caller != null) {
                call.as(caller);
              }
              if (!Set.of("GET", "HEAD", "OPTIONS", "TRACE").contains(method)) {
                call.json(Map.of());
              }
              Door.Answer answer = call.send();
              int status = answer.status();
              boolean allowed =
                  mapped.contains(method)
                      || ("HEAD".equals(method) && mapped.contains("GET"))
                      || "OPTIONS".equals(method);
              String expected =
                  caller == null
                      ? "401"
                      : pattern.startsWith("/api/audit") && !AUDIT_READERS.contains(caller)
                          ? "403"
                          : !allowed ? "405" : null;
              // Tomcat refuses TRACE itself, before any filter: a client error either way, never an
              // answer
              boolean ok =
                  "TRACE".equals(method)
                      ? status >= 400 && status < 500
                      : expected != null
                          ? String.valueOf(status).equals(expected)
                          : status < 500 && status != 401;
              if (!ok) {
                wrong.add(
                    method
                        + " "
                        + path
                        + " as "
                        + caller
                        + ": "
                        + status
                        + (expected == null ? "" : ", expected " + expected));
              }
              // whoever refuses it (Tomcat, the security filters, Spring MVC, a controller):
              // problem details. Not HEAD (no body) nor TRACE: Tomcat answers a TRACE with an empty
              // 400 that nothing of ours writes
              boolean bodyless =
                  "HEAD".equals(method) || ("TRACE".equals(method) && answer.body().isEmpty());
              if (status >= 400
                  && !bodyless
                  && !answer.contentType().startsWith("application/problem+json")) {
                wrong.add(
                    method
                        + " "
                        + path
                        + " as "
                        + caller
                        + ": "
                        + status
                        + " answered as "
                        + answer.contentType());
              }
            }
          }
        });
    assertThat(wrong).isEmpty();
  }
}
