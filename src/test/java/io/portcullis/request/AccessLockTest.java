package io.portcullis.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.portcullis.kernel.AccessDuration;
import io.portcullis.kernel.ConnectorName;
import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.ResourceId;
import io.portcullis.kernel.Target;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two steps on the same person's same access never run side by side: the second waits until the
 * first commits, and then sees what the first did. Steps on someone else's access do not wait.
 */
@PortcullisTest
class AccessLockTest {

  @Autowired AccessRequestRepository requests;
  @Autowired TransactionTemplate transactions;

  @Test
  void stepsOnTheSameAccessAreSerialized() throws Exception {
    AccessRequest first = insert("lock-alice");
    AccessRequest second = insert("lock-alice");
    AccessRequest other = insert("lock-erin");
    CountDownLatch locked = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);

    CompletableFuture<Void> holder =
        CompletableFuture.runAsync(
            () ->
                transactions.executeWithoutResult(
                    tx -> {
                      requests.lockAccessOf(first);
                      requests.markActive(first.id(), Instant.now(), Instant.now().plusSeconds(60));
                      locked.countDown();
                      await(release);
                    }));
    assertThat(locked.await(10, TimeUnit.SECONDS)).isTrue();

    CompletableFuture<Boolean> waiter =
        CompletableFuture.supplyAsync(
            () ->
                transactions.execute(
                    tx -> {
                      requests.lockAccessOf(second);
                      return requests.anotherGrantNeeds(second);
                    }));
    CompletableFuture<Void> unrelated =
        CompletableFuture.runAsync(
            () -> transactions.executeWithoutResult(tx -> requests.lockAccessOf(other)));

    unrelated.get(5, TimeUnit.SECONDS);
    assertThatThrownBy(() -> waiter.get(500, TimeUnit.MILLISECONDS))
        .as("waits for the holder")
        .isInstanceOf(TimeoutException.class);
    release.countDown();
    holder.get(10, TimeUnit.SECONDS);
    assertThat(waiter.get(10, TimeUnit.SECONDS))
        .as("sees the first grant, committed while it waited")
        .isTrue();
  }

  private AccessRequest insert(String requester) {
    AccessRequest r =
        AccessRequest.builder()
            .id(RequestId.random())
            .requester(Username.of(requester))
            .access(
                ResourceId.of("staging-db-admin"),
                ConnectorName.of("ldap-group"),
                Target.of("cn=staging-db-admin,ou=groups,dc=portcullis,dc=demo"))
            .duration(AccessDuration.of(Duration.ofHours(1)))
            .justification("lock test")
            .status(RequestStatus.PENDING)
            .requestedAt(Instant.now())
            .build();
    transactions.executeWithoutResult(tx -> requests.insert(r));
    return r;
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
