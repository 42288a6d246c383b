package io.portcullis.review;

import io.portcullis.catalog.Catalog;
import io.portcullis.catalog.Resource;
import io.portcullis.kernel.Username;
import org.camunda.bpm.engine.delegate.DelegateExecution;
import org.camunda.bpm.engine.delegate.JavaDelegate;
import org.springframework.stereotype.Component;

/**
 * Lists the holders of the resource's standing access ({@link Holders}) as the campaign's items,
 * each with what its owners see of them. Done once: a retry after the items were stored does
 * nothing more.
 */
@Component("listHolders")
class ListHolders implements JavaDelegate {

  private final ReviewCampaign campaigns;
  private final ReviewStore store;
  private final Catalog catalog;
  private final Holders holders;

  ListHolders(ReviewCampaign campaigns, ReviewStore store, Catalog catalog, Holders holders) {
    this.campaigns = campaigns;
    this.store = store;
    this.catalog = catalog;
    this.holders = holders;
  }

  @Override
  public void execute(DelegateExecution execution) {
    Campaign campaign = campaigns.campaign(execution);
    if (store.hasItems(campaign.id())) {
      return;
    }
    Resource resource = catalog.find(campaign.resource()).orElseThrow();
    int item = 0;
    for (Username holder : holders.of(resource)) {
      store.insertItem(campaign.id(), ++item, holder, holders.history(resource, holder));
    }
  }
}
