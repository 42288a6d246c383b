package io.portcullis.review;

import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.camunda.bpm.engine.impl.util.ClockUtil;
import org.springframework.stereotype.Component;

/** Closes the campaign once every holder is decided (and, if removed, revoked). */
@Component("closeReview")
class CloseReview implements JavaDelegate {

  private final ReviewCampaign campaigns;
  private final ReviewStore store;

  CloseReview(ReviewCampaign campaigns, ReviewStore store) {
    this.campaigns = campaigns;
    this.store = store;
  }

  @Override
  public void execute(DelegateExecution execution) {
    store.close(campaigns.campaign(execution).id(), ClockUtil.getCurrentTime().toInstant());
  }
}
