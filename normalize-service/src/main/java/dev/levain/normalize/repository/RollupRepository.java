package dev.levain.normalize.repository;

import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Collection;

/**
 * The KPI rollups (DESIGN.md §4), kept exact in the transaction that writes the model: a sale's
 * contribution is subtracted before the sale changes and added back after, so a correction, a
 * void or a late event restates the right day. What a sale, a line or a refund contributes, and how
 * the rollups add it up, is defined once, in the migrations ({@code V6__one_rollup_definition.sql}:
 * views {@code core.*_contribution}, functions {@code core.restate_rollups} and the like), which
 * every other writer of rollups (tests' seeds, the benchmark's data set) calls too. The deltas
 * commute, so two transactions restating one store's day at once both count; rows are written in
 * one order of tables and keys, so they do not wait on each other crosswise.
 */
@ApplicationScoped
public class RollupRepository {

    /**
     * Adds ({@code sign} 1) or removes ({@code sign} -1) what these sales and refunds, as stored
     * now, contribute: a sale on its own day, a refund on the day it was given. The tables are
     * written in one order (store, product, customer days), each in key order.
     */
    public void restate(Connection connection, Collection<Long> saleIds, Collection<Long> refundIds, int sign)
            throws SQLException {
        if (saleIds.isEmpty() && refundIds.isEmpty()) {
            return;
        }
        try (PreparedStatement restate = connection.prepareStatement("SELECT core.restate_rollups(?, ?, ?)")) {
            restate.setArray(1, Arrays.ids(connection, saleIds));
            restate.setArray(2, Arrays.ids(connection, refundIds));
            restate.setInt(3, sign < 0 ? -1 : 1);
            restate.execute();
        }
    }

    /** Recounts the per-customer rollup of customers whose sales moved in a merge. */
    public void rebuildCustomers(Connection connection, Collection<Long> customerIds) throws SQLException {
        if (customerIds.isEmpty()) {
            return;
        }
        call(connection, "SELECT core.rebuild_customer_rollups(?)", customerIds);
    }

    /** Sets each customer's first completed sale (acquisition), at any store. */
    public void firstPurchases(Connection connection, Collection<Long> customerIds) throws SQLException {
        if (!customerIds.isEmpty()) {
            call(connection, "SELECT core.set_first_purchases(?)", customerIds);
        }
    }

    /** Moves first purchases earlier where these newly stored sales came first. */
    public void earlierFirstPurchases(Connection connection, Collection<Long> newSaleIds) throws SQLException {
        if (!newSaleIds.isEmpty()) {
            call(connection, "SELECT core.earlier_first_purchases(?)", newSaleIds);
        }
    }

    /** Costs past lines of products whose first unit cost just arrived. */
    public void backfillCosts(Connection connection, Collection<Long> productIds) throws SQLException {
        if (!productIds.isEmpty()) {
            call(connection, "SELECT core.cost_lines(?)", productIds);
        }
    }

    private static void call(Connection connection, String sql, Collection<Long> ids) throws SQLException {
        try (PreparedStatement call = connection.prepareStatement(sql)) {
            call.setArray(1, Arrays.ids(connection, ids));
            call.execute();
        }
    }
}
