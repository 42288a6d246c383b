package io.portcullis.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.support.Door;
import io.portcullis.support.Door.Answer;
import io.portcullis.support.Problems;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * Issue 24, finding 13: two changes of one request at the same moment, through Portcullis' API. One
 * wins and answers 200; the other is told that the request changed meanwhile, 409 as problem
 * details, never 500; and the request is where the winner left it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles({"demo", "test"})
class DecisionRacesTest {

  static final int ROUNDS = 12;

  @LocalServerPort int port;
  Door door;
  ExecutorService pool;

  @BeforeEach
  void open() {
    door = new Door(port);
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterEach
  void close() throws Exception {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void anApprovalAndACancelAtOnce() throws Exception {
    List<String> seen = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      String id = ask("alice", "approve or cancel " + round);
      List<Answer> answers =
          atOnce(
              door.call("POST", "/api/access-requests/" + id + "/approve").as("bob").json(Map.of()),
              door.call("POST", "/api/access-requests/" + id + "/cancel")
                  .as("alice")
                  .json(Map.of()));
      Answer approved = answers.get(0);
      Answer cancelled = answers.get(1);
      seen.add(approved.status() + "/" + cancelled.status());
      assertOneWinsTheOther409(answers);
      // the winner's state: cancelled, or approved (and waiting for its grant; the job executor is
      // off)
      assertThat(status(id)).isEqualTo(cancelled.status() == 200 ? "CANCELLED" : "PENDING");
    }
    System.out.println("approve and cancel at once, answers per round: " + seen);
  }

  @Test
  void aDenyAndACancelAtOnce() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      String id = ask("erin", "deny or cancel " + round);
      List<Answer> answers =
          atOnce(
              door.call("POST", "/api/access-requests/" + id + "/deny")
                  .as("bob")
                  .json(Map.of("comment", "no")),
              door.call("POST", "/api/access-requests/" + id + "/cancel")
                  .as("erin")
                  .json(Map.of()));
      assertOneWinsTheOther409(answers);
      assertThat(status(id)).isEqualTo(answers.get(1).status() == 200 ? "CANCELLED" : "DENIED");
    }
  }

  private static void assertOneWinsTheOther409(List<Answer> answers) {
    List<Integer> statuses = answers.stream().map(Answer::status).toList();
    assertThat(statuses)
        .as(answers.get(0).body() + " | " + answers.get(1).body())
        .containsOnly(200, 409)
        .containsOnlyOnce(200);
    for (Answer loser : answers) {
      if (loser.status() == 409) {
        assertThat(Problems.check("the race's loser", loser, 409, null)).isEmpty();
      }
    }
  }

  /** Sends both at the same moment, each from its own thread. */
  private List<Answer> atOnce(Door.Call first, Door.Call second) throws Exception {
    CyclicBarrier together = new CyclicBarrier(2);
    Future<Answer> a =
        pool.submit(
            () -> {
              together.await();
              return first.send();
            });
    Future<Answer> b =
        pool.submit(
            () -> {
              together.await();
              return second.send();
            });
    return List.of(a.get(60, TimeUnit.SECONDS), b.get(60, TimeUnit.SECONDS));
  }

  private String ask(String person, String justification) {
    Answer created =
        door.call("POST", "/api/access-requests")
            .as(person)
            .json(
                Map.of(
                    "resource",
                    "staging-db-admin",
                    "duration",
                    "PT1H",
                    "justification",
                    justification))
            .send();
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    return created.json().get("id").asText();
  }

  private String status(String id) {
    return door.call("GET", "/api/access-requests/" + id)
        .as("bob")
        .send()
        .json()
        .get("status")
        .asText();
  }
}
