package io.portcullis.drift;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.connector.Connector;
import io.portcullis.connector.Connectors;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Username;
import io.portcullis.request.AccessProcess;
import io.portcullis.request.RequestStatus;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sweep's removal and a grant that starts at that very moment, two threads on the engine's own
 * steps: the grant's first step ("Check standing access", with "Start the access clock", which
 * makes the grant live, in its transaction) waits until the removal has committed, and is then
 * granted, so the sweep never takes away a grant in flight. Before the grant's steps held their
 * requester as the sweep does, the grant went through while the sweep was between its question and
 * its revoke, and the revoke took the fresh grant away.
 */
@PortcullisTest
class DriftRaceTest extends ProcessFixture {

  private static final Username CAROL = Username.of("carol");

  @Autowired Catalog catalog;
  @Autowired Connectors connectors;
  @Autowired Sanctioned sanctioned;
  @Autowired TransactionTemplate transactions;

  private ProcessInstance pi;

  @AfterEach
  void cleanUp() {
    connector().revoke(CAROL, staging().target());
    if (pi != null) {
      runtime.deleteProcessInstance(pi.getId(), "test over", true, true);
    }
  }

  @Test
  void aGrantStartingWhileTheSweepAsksAgainWaitsForTheRemovalAndIsGrantedAfterIt()
      throws Exception {
    pi = approved("carol", "staging-db-admin", "PT1H");
    // an administrator added carol by hand too: drift, until her grant is attempted
    connector().grant(CAROL, staging().target());
    CountDownLatch asked = new CountDownLatch(1);
    CountDownLatch granted = new CountDownLatch(1);

    CompletableFuture<Boolean> sweep =
        CompletableFuture.supplyAsync(
            () ->
                transactions.execute(
                    tx -> {
                      // as SweepResource does, in one transaction
                      sanctioned.holdForRemoval(List.of(CAROL));
                      boolean allowed = sanctioned.allowsNow(staging(), CAROL);
                      asked.countDown();
                      // the grant's steps run now, or wait until this transaction ends
                      await(granted, 2);
                      if (!allowed) {
                        connector().revoke(CAROL, staging().target());
                      }
                      return allowed;
                    }));
    CompletableFuture<Void> grant =
        CompletableFuture.runAsync(
            () -> {
              await(asked, 30);
              // the check and the access clock, then the grant
              runJobAt(pi, AccessProcess.TASK_CHECK_STANDING);
              runJobAt(pi, AccessProcess.TASK_GRANT);
              granted.countDown();
            });

    assertThat(sweep.get(30, TimeUnit.SECONDS)).as("nothing sanctioned carol when asked").isFalse();
    grant.get(30, TimeUnit.SECONDS);
    assertThat(request(pi).status()).isEqualTo(RequestStatus.ACTIVE);
    assertThat(connector().holds(CAROL, staging().target()))
        .as("the grant, made after the removal, holds")
        .isTrue();
  }

  private static void await(CountDownLatch latch, int seconds) {
    try {
      latch.await(seconds, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Resource staging() {
    return catalog.find(ResourceId.of("staging-db-admin")).orElseThrow();
  }

  private Connector connector() {
    return connectors.named(staging().connector());
  }
}
