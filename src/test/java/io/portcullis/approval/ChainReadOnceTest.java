package io.portcullis.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.portcullis.kernel.RequestId;
import io.portcullis.kernel.Username;
import io.portcullis.support.PortcullisTest;
import io.portcullis.support.ProcessFixture;
import java.sql.Timestamp;
import java.time.Instant;
import org.camunda.bpm.engine.runtime.ProcessInstance;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A chain is read from the database once per transaction (issue 31: create, approval and grant each
 * asked for it from several listeners and steps, three queries each time), and every write of it
 * through {@link ChainRepository} is seen by the next read in that transaction, together with
 * whatever was committed before that read. Nothing read outlives its transaction.
 */
@PortcullisTest
class ChainReadOnceTest extends ProcessFixture {

  @Autowired ChainRepository chainRepository;
  @Autowired PlatformTransactionManager transactions;

  @Test
  void aChainIsReadOncePerTransaction_andAWriteThroughTheRepositoryIsReadAgain() {
    ProcessInstance pi = request("erin", "staging-db-admin", "PT1H");
    RequestId id = RequestId.of(pi.getBusinessKey());

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            status -> {
              assertThat(
                      chainRepository.findByProcessInstance(pi.getId()).orElseThrow().decisions())
                  .isEmpty();
              // written past the repository: the reads that follow in this transaction keep what
              // they read, so they ask the database nothing
              decideInSql(id, "carol");
              assertThat(chainRepository.find(id).orElseThrow().decisions()).isEmpty();
              assertThat(
                      chainRepository.findByProcessInstance(pi.getId()).orElseThrow().decisions())
                  .isEmpty();

              // a write through the repository drops what was read: the next read sees it, and
              // everything else the database holds
              chainRepository.addDecision(id, approval("bob"));
              assertThat(
                      chainRepository.findByProcessInstance(pi.getId()).orElseThrow().decisions())
                  .extracting(d -> d.approver().value())
                  .containsExactly("carol", "bob");
            });
  }

  @Test
  void aDecisionCommittedBeforeATransactionIsSeenByIt() {
    ProcessInstance pi = request("erin", "staging-db-admin", "PT1H");
    RequestId id = RequestId.of(pi.getBusinessKey());
    TransactionTemplate tx = new TransactionTemplate(transactions);
    tx.executeWithoutResult(
        status -> assertThat(chainRepository.find(id).orElseThrow().decisions()).isEmpty());

    tx.executeWithoutResult(status -> decideInSql(id, "carol"));

    tx.executeWithoutResult(
        status ->
            assertThat(chainRepository.findByProcessInstance(pi.getId()).orElseThrow().decisions())
                .extracting(d -> d.approver().value())
                .containsExactly("carol"));
    // and outside any transaction, every read goes to the database
    assertThat(chainRepository.find(id).orElseThrow().decisions()).hasSize(1);
    decideInSql(id, "bob");
    assertThat(chainRepository.find(id).orElseThrow().decisions()).hasSize(2);
  }

  @Test
  void anInnerTransactionReadsForItself_andTheOuterKeepsItsOwn() {
    ProcessInstance pi = request("erin", "staging-db-admin", "PT1H");
    RequestId id = RequestId.of(pi.getBusinessKey());
    TransactionTemplate inner = new TransactionTemplate(transactions);
    inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);

    new TransactionTemplate(transactions)
        .executeWithoutResult(
            outer -> {
              assertThat(chainRepository.find(id).orElseThrow().decisions()).isEmpty();
              inner.executeWithoutResult(
                  status -> {
                    decideInSql(id, "carol");
                    assertThat(chainRepository.find(id).orElseThrow().decisions()).hasSize(1);
                  });
              chainRepository.addDecision(id, approval("bob"));
              assertThat(chainRepository.find(id).orElseThrow().decisions())
                  .extracting(d -> d.approver().value())
                  .containsExactly("carol", "bob");
            });
  }

  private void decideInSql(RequestId id, String approver) {
    jdbc.update(
        "insert into access_decision (request_id, stage, approver, decision, decided_at) values (?, 1, ?, 'APPROVE', ?)",
        id.value(),
        approver,
        Timestamp.from(T0));
  }

  private static Decision approval(String approver) {
    return new Decision(
        1, Username.of(approver), Decision.Verdict.APPROVE, null, null, Instant.now(), null);
  }
}
