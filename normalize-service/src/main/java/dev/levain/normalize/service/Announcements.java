package dev.levain.normalize.service;

import dev.levain.events.inventory.InventoryChanged;
import dev.levain.events.sales.SaleRecorded;
import dev.levain.normalize.repository.RejectedEventRepository.Rejection;
import java.util.List;

/** What a committed batch must announce: stored sales and levels, and the rejected records to dead-letter. */
public record Announcements(List<SaleRecorded> sales, List<InventoryChanged> inventory, List<Rejection> rejections) {
}
