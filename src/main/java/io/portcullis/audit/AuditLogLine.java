package io.portcullis.audit;

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

  /** The same line as in a JSONL export, so one parser serves the SIEM and the auditor. */
  private static void write(AuditEvent e) {
    log.info(AuditExport.eventLine(e));
  }
}
