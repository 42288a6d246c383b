package io.portcullis.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Copies each event, as one JSON line, to the logger {@value #LOGGER}, for a SIEM to collect: a copy
 * outside the database that someone with write access to the database cannot change. Only after the
 * commit, so that an event whose transaction rolled back never reaches it. The MAC is left out: it
 * proves nothing to a reader without the key.
 */
@Component
class AuditLogLine {

  static final String LOGGER = "portcullis.audit";
  private static final Logger log = LoggerFactory.getLogger(LOGGER);

  void afterCommit(AuditEvent event) {
    if (!log.isInfoEnabled()) {
      return;
    }
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
        @Override
        public void afterCommit() {
          write(event);
        }
      });
    } else {
      write(event);
    }
  }

  private static void write(AuditEvent e) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("seq", e.seq());
    line.put("time", AuditChain.formatTime(e.time()));
    line.put("actor", e.actor());
    line.put("action", e.action());
    line.put("subject", e.subject());
    line.put("resource", e.resource());
    line.put("requestId", e.requestId());
    line.put("processInstanceId", e.processInstanceId());
    line.put("details", new CanonicalJson.Raw(e.details()));
    line.put("prevHash", e.prevHash());
    line.put("hash", e.hash());
    log.info(CanonicalJson.write(line));
  }
}
